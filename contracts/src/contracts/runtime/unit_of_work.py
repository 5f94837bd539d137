"""One database transaction that also records the events it raised, in its outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.envelope import Envelope, Event
from contracts.observability.events import stored_envelope
from contracts.runtime.context import current_actor, current_causation_id, current_correlation_id
from contracts.runtime.database import make_read_sessions
from contracts.runtime.tables import DeliveryTables


class UnitOfWork:
    """A session plus an outbox.  Events published here commit or vanish with the state."""

    def __init__(self, session: AsyncSession, tables: DeliveryTables, producer: str) -> None:
        self.session = session
        self._tables = tables
        self._producer = producer
        self.published: list[Envelope] = []

    async def publish(self, event: Event) -> Envelope:
        envelope = Envelope.wrap(
            event,
            producer=self._producer,
            correlation_id=current_correlation_id(),
            causation_id=current_causation_id(),
        )
        await self.session.execute(
            insert(self._tables.outbox).values(
                event_id=envelope.event_id,
                event_type=envelope.event_type,
                topic=event.topic,
                key=envelope.key,
                envelope=stored_envelope(envelope.model_dump_json()),
                correlation_id=envelope.correlation_id,
                created_at=datetime.now(UTC),
            )
        )
        self.published.append(envelope)
        return envelope

    async def audit(
        self,
        entity: str,
        entity_id: object,
        action: str,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Record who changed what, committed with the change itself."""
        await self.session.execute(
            insert(self._tables.audit_log).values(
                entity=entity,
                entity_id=str(entity_id),
                action=action,
                actor=current_actor(),
                correlation_id=current_correlation_id(),
                at=datetime.now(UTC),
                before=_jsonable(before),
                after=_jsonable(after),
            )
        )


class Transactions:
    """Opens units of work for one service and tells its relay when events were committed."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: DeliveryTables,
        producer: str,
    ) -> None:
        self.sessions = sessions
        self.tables = tables
        self.producer = producer
        self._on_publish: list[Callable[[], None]] = []
        self._read_sessions = make_read_sessions(sessions.kw["bind"])

    def on_publish(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after each commit that wrote outbox rows (the relay's wake-up)."""
        self._on_publish.append(callback)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[UnitOfWork]:
        """Commit when the block ends normally, roll back when it raises."""
        async with self.sessions() as session:
            uow = UnitOfWork(session, self.tables, self.producer)
            async with session.begin():
                yield uow
        if uow.published:
            for callback in self._on_publish:
                callback()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for queries only; nothing it does is committed."""
        async with self._read_sessions() as session:
            yield session


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        k: v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v)
        for k, v in value.items()
    }
