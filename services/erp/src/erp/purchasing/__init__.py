"""Purchasing: suppliers, requisitions, purchase orders and goods receipts."""
