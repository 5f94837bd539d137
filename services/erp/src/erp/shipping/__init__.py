"""Shipping: pick and ship the reserved lines of an order, recording the lots that left."""
