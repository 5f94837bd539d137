"""Customers, invoices and customer payments."""
