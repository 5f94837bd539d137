"""Composed views: one answer assembled from CRM and ERP, fetched concurrently."""
