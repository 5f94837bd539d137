"""Idempotency keys: a retried POST gets the first answer instead of a second effect."""
