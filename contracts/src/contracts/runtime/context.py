"""Who is acting and on behalf of which flow, carried implicitly through a request or event.

The HTTP middleware of each service and the consumer runner set these, so that every outbox
row and audit record gets the correlation id and actor without threading them through calls.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_causation_id: ContextVar[uuid.UUID | None] = ContextVar("causation_id", default=None)
_actor: ContextVar[str | None] = ContextVar("actor", default=None)


def current_correlation_id() -> str | None:
    return _correlation_id.get()


def current_causation_id() -> uuid.UUID | None:
    return _causation_id.get()


def current_actor() -> str | None:
    return _actor.get()


@contextmanager
def request_context(
    *,
    correlation_id: str | None = None,
    causation_id: uuid.UUID | None = None,
    actor: str | None = None,
) -> Iterator[None]:
    tokens = (
        _correlation_id.set(correlation_id),
        _causation_id.set(causation_id),
        _actor.set(actor),
    )
    try:
        yield
    finally:
        _actor.reset(tokens[2])
        _causation_id.reset(tokens[1])
        _correlation_id.reset(tokens[0])


def set_actor(actor: str | None) -> None:
    """Name the acting user for the rest of the current request."""
    _actor.set(actor)
