"""Authentication: users, API clients, and the tokens the gateway signs for them."""
