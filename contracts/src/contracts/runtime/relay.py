"""The outbox relay: publishes committed outbox rows to Kafka, in order, at least once.

Guarantees, and how they are kept:

- Nothing is lost: a row is marked published only after the broker acknowledged it
  (``acks="all"``).  A crash between the acknowledgement and the mark re-sends the row, which
  consumers drop by event id.
- A key's events keep their order: rows are read in id (= commit) order and sent through one
  producer, which keeps per-partition order; after a failure the relay starts again from the
  oldest unpublished row, so a later row is never published before an earlier one is.
- Several replicas do not publish twice: a lease row in the service's own database names the
  one relay that may publish; the others wait and take over when the lease expires.
- No waiting for a polling interval: the unit of work wakes the relay when it commits events.
  Polling remains as a fallback for rows committed by another process.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.observability import events as observed
from contracts.runtime.kafka import new_producer
from contracts.runtime.tables import DeliveryTables

log = logging.getLogger("contracts.relay")


class OutboxRelay:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        tables: DeliveryTables,
        bootstrap_servers: str,
        name: str = "outbox",
        service: str = "",
        batch_size: int = 500,
        poll_interval: float = 0.5,
        lease_seconds: float = 6.0,
        max_backoff: float = 5.0,
    ) -> None:
        self._sessions = sessions
        self._tables = tables
        self._bootstrap = bootstrap_servers
        self._name = name
        self._service = service or name
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._lease = timedelta(seconds=lease_seconds)
        self._max_backoff = max_backoff
        self._holder = f"{name}-{uuid.uuid4()}"
        self._wakeup = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._lease_until: datetime | None = None
        self.published_count = 0
        self.last_error: str | None = None
        self.failing_since: datetime | None = None  # first failure of the current streak

    def wake(self) -> None:
        """Tell the relay that new rows were committed (cheap; safe to call often)."""
        self._wakeup.set()

    @property
    def is_leader(self) -> bool:
        return self._lease_until is not None and self._lease_until > datetime.now(UTC)

    async def run(self) -> None:
        """Publish until cancelled."""
        backoff = 0.1
        try:
            while True:
                try:
                    sent = await self._publish_once()
                    backoff = 0.1
                    self.last_error = None
                    self.failing_since = None
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # broker or database away: wait and try again
                    self.last_error = f"{type(exc).__name__}: {exc}"
                    self.failing_since = self.failing_since or datetime.now(UTC)
                    log.warning("outbox relay: %s; retrying in %.1fs", self.last_error, backoff)
                    await self._reset_producer()
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, self._max_backoff)
                    continue
                if sent == self._batch_size:
                    continue  # more is waiting; do not sleep
                try:
                    await asyncio.wait_for(self._wakeup.wait(), self._poll_interval)
                except TimeoutError:
                    pass
                self._wakeup.clear()
        finally:
            await self._release_lease()
            await self._reset_producer()

    async def _publish_once(self) -> int:
        if not await self._hold_lease():
            return 0
        outbox = self._tables.outbox
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(
                        outbox.c.id,
                        outbox.c.topic,
                        outbox.c.key,
                        outbox.c.envelope,
                        outbox.c.event_type,
                        outbox.c.correlation_id,
                    )
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.id)
                    .limit(self._batch_size)
                )
            ).all()
        if not rows:
            return 0
        producer = await self._get_producer()
        pending = []
        for row in rows:
            headers = [("event_type", row.event_type.encode())]
            if row.correlation_id:
                headers.append(("correlation_id", row.correlation_id.encode()))
            # The trace of the request that raised the event continues in the message headers.
            message = observed.outgoing(
                self._service, row.envelope, row.event_type, row.topic, headers
            )
            pending.append(
                await producer.send(
                    row.topic,
                    key=row.key.encode(),
                    value=message.value,
                    headers=message.headers,
                )
            )
        await asyncio.gather(*pending)
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(outbox)
                .where(outbox.c.id.in_([r.id for r in rows]), outbox.c.published_at.is_(None))
                .values(published_at=datetime.now(UTC))
            )
        self.published_count += len(rows)
        observed.published(self._service, list(rows))
        return len(rows)

    async def _hold_lease(self) -> bool:
        now = datetime.now(UTC)
        if self._lease_until and self._lease_until - now > self._lease / 2:
            return True
        lease = self._tables.relay_lease
        until = now + self._lease
        async with self._sessions() as session, session.begin():
            taken = await session.execute(
                update(lease)
                .where(
                    lease.c.name == self._name,
                    (lease.c.holder == self._holder) | (lease.c.expires_at < now),
                )
                .values(holder=self._holder, expires_at=until)
            )
            won = _rowcount(taken) == 1
            if not won:
                exists = await session.scalar(
                    select(lease.c.name).where(lease.c.name == self._name)
                )
                if exists is None:
                    try:
                        async with session.begin_nested():
                            await session.execute(
                                insert(lease).values(
                                    name=self._name, holder=self._holder, expires_at=until
                                )
                            )
                        won = True
                    except IntegrityError:
                        won = False
        self._lease_until = until if won else None
        return won

    async def _release_lease(self) -> None:
        if not self._lease_until:
            return
        lease = self._tables.relay_lease
        try:
            async with self._sessions() as session, session.begin():
                await session.execute(
                    update(lease)
                    .where(lease.c.name == self._name, lease.c.holder == self._holder)
                    .values(expires_at=datetime.now(UTC) - self._lease)
                )
        except Exception:  # shutting down; the lease simply expires
            log.debug("outbox relay: could not release lease", exc_info=True)
        self._lease_until = None

    async def _get_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = new_producer(self._bootstrap)
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _reset_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                await producer.stop()
            except Exception:
                log.debug("outbox relay: producer stop failed", exc_info=True)


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
