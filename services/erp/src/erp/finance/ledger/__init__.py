"""The general ledger: chart of accounts, journal entries, periods."""
