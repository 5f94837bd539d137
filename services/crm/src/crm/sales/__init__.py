"""Sales: orders and their lifecycle (leads, opportunities and quotes join them here)."""
