"""CRM: the front office of the platform."""
