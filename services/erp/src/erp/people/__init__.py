"""Employees (the sales reps) and their commissions."""
