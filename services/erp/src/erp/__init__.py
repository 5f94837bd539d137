"""ERP: the back office of the platform."""
