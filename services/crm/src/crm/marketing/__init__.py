"""Marketing: segments (saved filters), campaigns and automation rules."""
