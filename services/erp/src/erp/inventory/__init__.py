"""Inventory: warehouses, the stock ledger, reservations and backorders."""
