"""Live updates: the domain events a caller may see, as a server-sent events stream."""
