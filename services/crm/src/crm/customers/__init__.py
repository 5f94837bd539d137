"""Customers: accounts (companies) and the people in them."""
