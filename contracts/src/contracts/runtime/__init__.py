"""How events are delivered: written once here, used by every service.

- ``tables``: the outbox, inbox and relay-lease tables each service keeps in its own database.
- ``unit_of_work``: one database transaction that also records the events it raised.
- ``relay``: publishes outbox rows to Kafka, in order per key, at least once.
- ``consumer``: applies each event at most once (inbox) and parks poison messages.

This subpackage needs SQLAlchemy and aiokafka (the ``runtime`` extra); the schemas do not.
"""

from contracts.runtime.consumer import EventConsumer, Handler
from contracts.runtime.context import current_actor, current_correlation_id, request_context
from contracts.runtime.relay import OutboxRelay
from contracts.runtime.tables import DeliveryTables
from contracts.runtime.unit_of_work import Transactions, UnitOfWork

__all__ = [
    "DeliveryTables",
    "EventConsumer",
    "Handler",
    "OutboxRelay",
    "Transactions",
    "UnitOfWork",
    "current_actor",
    "current_correlation_id",
    "request_context",
]
