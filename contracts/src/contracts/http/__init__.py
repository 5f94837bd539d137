"""The HTTP contract shared by the gateway and the services: problem details and tokens.

Needs FastAPI and PyJWT (the ``http`` extra).
"""
