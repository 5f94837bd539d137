"""CRM's read model of ERP's product catalog and stock availability, kept from ERP's events."""
