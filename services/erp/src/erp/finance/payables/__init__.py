"""Supplier bills, supplier payments and the goods-receipt accrual."""
