"""The envelope every event travels in, and the base class of every event payload.

An event type is a pydantic model deriving from :class:`Event`.  Its class keywords say where
it is published and how it is versioned::

    class OrderConfirmed(Event, topic="crm.orders", version="1.0"):
        order_id: UUID
        ...
        def partition_key(self) -> str:
            return str(self.order_id)

The message on the topic is the JSON form of :class:`Envelope`, whose ``payload`` is the
event's fields.  The Kafka message key is the envelope's ``key`` (the aggregate id), so that
one aggregate's events land on one partition and are consumed in order.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

_REGISTRY: dict[str, type[Event]] = {}


class Event(BaseModel):
    """Base of every event payload.

    Consumers tolerate fields they do not know (``extra="ignore"``), which is what lets a
    producer add optional fields in a minor version without breaking anyone.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    topic: ClassVar[str]
    schema_version: ClassVar[str]

    def __init_subclass__(cls, *, topic: str = "", version: str = "1.0", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not topic:
            return  # an abstract intermediate class
        cls.event_type = cls.__name__
        cls.topic = topic
        cls.schema_version = version
        if cls.__name__ in _REGISTRY and _REGISTRY[cls.__name__] is not cls:
            raise TypeError(f"event type {cls.__name__} is defined twice")
        _REGISTRY[cls.__name__] = cls

    @classmethod
    def major_version(cls) -> int:
        return int(cls.schema_version.split(".")[0])

    def partition_key(self) -> str:
        """The aggregate id this event belongs to; it becomes the Kafka message key."""
        raise NotImplementedError


class Envelope(BaseModel):
    """Metadata around one event, as it travels on a topic."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: uuid.UUID = Field(description="Unique per event; consumers deduplicate by it.")
    event_type: str = Field(description="Name of the payload's event type, e.g. OrderConfirmed.")
    schema_version: str = Field(description="MAJOR.MINOR of the payload schema.")
    occurred_at: AwareDatetime = Field(description="When the fact happened, UTC.")
    producer: str = Field(description="The service that published the event.")
    key: str = Field(description="Aggregate id; also the Kafka message key.")
    correlation_id: str | None = Field(
        default=None, description="Id of the request or flow that led to this event."
    )
    causation_id: uuid.UUID | None = Field(
        default=None, description="event_id of the event that caused this one, if any."
    )
    payload: dict[str, Any] = Field(description="The event's fields, per its JSON Schema.")

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        producer: str,
        correlation_id: str | None = None,
        causation_id: uuid.UUID | None = None,
        event_id: uuid.UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Self:
        return cls(
            event_id=event_id or uuid.uuid4(),
            event_type=event.event_type,
            schema_version=event.schema_version,
            occurred_at=occurred_at or datetime.now(UTC),
            producer=producer,
            key=event.partition_key(),
            correlation_id=correlation_id,
            causation_id=causation_id,
            payload=event.model_dump(mode="json"),
        )

    def open(self) -> Event:
        """The typed payload.  Raises UnknownEvent or pydantic.ValidationError."""
        event_cls = event_class(self.event_type)
        theirs = int(self.schema_version.split(".")[0])
        if theirs != event_cls.major_version():
            raise IncompatibleEvent(
                f"{self.event_type} {self.schema_version} is not readable as "
                f"{event_cls.schema_version} (major versions differ)"
            )
        return event_cls.model_validate(self.payload)


class UnknownEvent(LookupError):
    """An event type no schema in this package describes."""


class IncompatibleEvent(ValueError):
    """An event whose major version differs from the one this package reads."""


def event_class(event_type: str) -> type[Event]:
    # The event modules register themselves on import; import them all here so that a
    # subscriber who imports only the envelope can still open any event.
    from contracts import events  # noqa: F401

    try:
        return _REGISTRY[event_type]
    except KeyError:
        raise UnknownEvent(event_type) from None


def all_event_classes() -> list[type[Event]]:
    from contracts import events  # noqa: F401

    return sorted(_REGISTRY.values(), key=lambda c: (c.topic, c.event_type))
