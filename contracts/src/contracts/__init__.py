"""The platform's published contract: event envelope, schemas, topics, and access rules.

Subscribers need only ``contracts.envelope``, ``contracts.events`` and ``contracts.topics``
(pydantic alone).  The services also use ``contracts.runtime`` (event delivery) and
``contracts.http`` (problem details and tokens).
"""
