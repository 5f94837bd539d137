"""Finance: the double-entry ledger, receivables, credit control, payables and reports."""
