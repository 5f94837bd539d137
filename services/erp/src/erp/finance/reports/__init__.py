"""Financial statements and aging, computed from the ledger and the open items."""
