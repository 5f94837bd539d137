"""Credit control: holding orders that would exceed a customer's limit."""
