"""The sales pipeline: leads, opportunities and the weighted forecast."""
