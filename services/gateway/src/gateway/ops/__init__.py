"""The operations console: one static page for admins, and the JSON API it reads."""
