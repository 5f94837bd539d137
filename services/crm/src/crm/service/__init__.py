"""Service: customer cases and their response SLA."""
