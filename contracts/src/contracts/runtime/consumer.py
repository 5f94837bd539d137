"""The consumer runner: applies each event once, in order per partition, and keeps going.

For every message:

1. Parse the envelope and the typed payload.  A message that cannot be parsed is poison: it
   goes to the service's dead-letter topic with the error and its original bytes.
2. In one unit of work: skip if the inbox already holds the event id; otherwise call the
   handler and record the event id in the inbox.  Effect, outbox rows and inbox mark commit
   together or not at all.
3. Only after that commit is the offset committed, so a crash re-delivers the message and the
   inbox turns the re-delivery into a no-op.

Under load, the messages of one partition that arrived together are applied in a single unit
of work (at most ``batch_size``), still in order and each with its own inbox mark: one commit
instead of one per event.  If anything in such a batch fails, it rolls back whole and its
messages are applied again one at a time, with the retries and dead-lettering above.

A handler that keeps raising is retried a few times and then dead-lettered; an unreachable
database, or a transaction the database aborted to break a deadlock, is not the message's
fault, so it is retried without counting.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import CommitFailedError, KafkaError
from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from contracts.envelope import Envelope, Event, IncompatibleEvent, UnknownEvent
from contracts.observability import events as observed
from contracts.runtime.context import request_context
from contracts.runtime.database import is_transient_conflict
from contracts.runtime.kafka import new_consumer, new_producer
from contracts.runtime.unit_of_work import Transactions, UnitOfWork
from contracts.topics import dead_letter_topic

log = logging.getLogger("contracts.consumer")

Handler = Callable[[UnitOfWork, Any, Envelope], Awaitable[None]]
"""``async def handle(uow, event, envelope)``: apply one event inside the given unit of work."""


_UNAVAILABLE = (OperationalError, ConnectionError, OSError)
"""The database, not the message, is the problem: wait for it, however long."""


class PoisonMessage(Exception):
    """A message that no number of retries will apply."""


class EventConsumer:
    def __init__(
        self,
        *,
        service: str,
        group_id: str,
        bootstrap_servers: str,
        transactions: Transactions,
        handlers: Mapping[type[Event], Handler | Sequence[Handler]],
        max_attempts: int = 5,
        retry_delay: float = 0.2,
        batch_size: int = 20,
    ) -> None:
        self._service = service
        self._group_id = group_id
        self._bootstrap = bootstrap_servers
        self._tx = transactions
        # Several areas of a service may react to one event type: all of them run, in the
        # order given, inside the one unit of work of that event.
        self._handlers = {
            cls.event_type: (cls, tuple(h) if isinstance(h, Sequence) else (h,))
            for cls, h in handlers.items()
        }
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay
        # Small: a batch holds its row locks (on SQLite, the one write lock) until it commits,
        # and requests that need the same rows wait that long.
        self._batch_size = max(1, batch_size)
        self.topics = sorted({cls.topic for cls in handlers})
        self.dead_letter_topic = dead_letter_topic(service)
        self.applied = 0
        self.duplicates = 0
        self.dead_lettered = 0
        self.failures = 0
        self.consumer: AIOKafkaConsumer | None = None
        self.last_error: str | None = None
        self.disconnected_since: datetime | None = datetime.now(UTC)
        self.on_applied: list[Callable[[Envelope], None]] = []
        self._positions: dict[tuple[str, int], int] = {}
        self._attempts_spent: dict[UUID, int] = {}  # by a batch that failed on the event

    async def run(self) -> None:
        """Consume until cancelled, reconnecting while the broker is away."""
        backoff = 0.2
        while True:
            consumer = new_consumer(self._bootstrap, self._group_id, self.topics)
            producer = new_producer(self._bootstrap)
            try:
                await consumer.start()
                await producer.start()
                self.consumer = consumer
                self.last_error = None
                self.disconnected_since = None
                backoff = 0.2
                await self._consume(consumer, producer)
            except asyncio.CancelledError:
                raise
            except KafkaError as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
                self.disconnected_since = self.disconnected_since or datetime.now(UTC)
                log.warning("consumer %s: %s; reconnecting in %.1fs", self._group_id, exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                self.consumer = None
                self.disconnected_since = self.disconnected_since or datetime.now(UTC)
                await _quietly(consumer.stop())
                await _quietly(producer.stop())

    async def _consume(self, consumer: AIOKafkaConsumer, producer: AIOKafkaProducer) -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            for tp, records in batches.items():
                for start in range(0, len(records), self._batch_size):
                    chunk = records[start : start + self._batch_size]
                    if len(chunk) == 1 or not await self._apply_batch(chunk):
                        for record in chunk:
                            await self._process(record, producer)
                    self._positions[(tp.topic, tp.partition)] = chunk[-1].offset + 1
                try:
                    await consumer.commit({tp: records[-1].offset + 1})
                except CommitFailedError:
                    # The partition moved to another replica during a rebalance; it will be
                    # re-delivered there and the inbox makes that harmless.
                    log.info("consumer %s: commit lost to a rebalance", self._group_id)

    async def _process(self, record: ConsumerRecord, producer: AIOKafkaProducer) -> None:
        with observed.handling(self._service, self._group_id, record) as seen:
            seen.outcome = await self._handle(record, producer, seen)

    async def _handle(
        self, record: ConsumerRecord, producer: AIOKafkaProducer, seen: observed.Handling
    ) -> str:
        """Apply one message; return its outcome: applied, duplicate, dead_lettered, ignored."""
        try:
            envelope = Envelope.model_validate_json(record.value or b"")
        except ValidationError as exc:
            await self._dead_letter(record, producer, f"unreadable envelope: {exc}")
            return "dead_lettered"
        seen.event_type = envelope.event_type
        seen.event_id = str(envelope.event_id)
        seen.correlation_id = envelope.correlation_id
        entry = self._handlers.get(envelope.event_type)
        if entry is None:
            return "ignored"  # a type this service does not subscribe to shares the topic
        event_cls, handlers = entry
        try:
            event = envelope.open()
        except (ValidationError, UnknownEvent, IncompatibleEvent) as exc:
            await self._dead_letter(record, producer, f"invalid {envelope.event_type}: {exc}")
            return "dead_lettered"
        assert isinstance(event, event_cls)
        return await self._apply_with_retries(record, producer, envelope, event, handlers)

    async def _apply_with_retries(
        self,
        record: ConsumerRecord,
        producer: AIOKafkaProducer,
        envelope: Envelope,
        event: Event,
        handlers: tuple[Handler, ...],
    ) -> str:
        attempt = self._attempts_spent.pop(envelope.event_id, 0)
        while True:
            attempt += 1
            try:
                return await self._apply(record, envelope, event, handlers)
            except _UNAVAILABLE as exc:
                # The database (not the message) is the problem: wait for it, however long.
                log.warning("consumer %s: database unavailable (%s); retrying", self._group_id, exc)
                await asyncio.sleep(min(self._retry_delay * attempt, 5.0))
            except PoisonMessage as exc:
                await self._dead_letter(record, producer, str(exc))
                return "dead_lettered"
            except Exception as exc:
                if is_transient_conflict(exc):
                    # Aborted for a concurrent transaction (a deadlock): not the message's
                    # fault, and the same work will succeed; not counted as an attempt.
                    attempt -= 1
                    await asyncio.sleep(self._retry_delay * random.uniform(0.2, 1.0))
                    continue
                self.failures += 1
                observed.handler_failed(self._service, envelope.event_type)
                if isinstance(exc, DBAPIError) and exc.connection_invalidated:
                    await asyncio.sleep(min(self._retry_delay * attempt, 5.0))
                    continue
                if attempt >= self._max_attempts:
                    log.exception("consumer %s: giving up on %s", self._group_id, envelope.event_id)
                    await self._dead_letter(record, producer, f"{type(exc).__name__}: {exc}")
                    return "dead_lettered"
                log.warning("consumer %s: attempt %d failed: %s", self._group_id, attempt, exc)
                await asyncio.sleep(self._retry_delay * attempt)

    async def _apply(
        self,
        record: ConsumerRecord,
        envelope: Envelope,
        event: Event,
        handlers: tuple[Handler, ...],
    ) -> str:
        inbox = self._tx.tables.inbox
        with request_context(
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
            actor=f"event:{envelope.producer}",
        ):
            try:
                async with self._tx.begin() as uow:
                    seen = await uow.session.scalar(
                        select(inbox.c.event_id).where(
                            inbox.c.consumer == self._group_id,
                            inbox.c.event_id == envelope.event_id,
                        )
                    )
                    if seen is not None:
                        self.duplicates += 1
                        return "duplicate"
                    for handler in handlers:
                        await handler(uow, event, envelope)
                    await uow.session.execute(
                        insert(inbox).values(**self._inbox_mark(record, envelope))
                    )
            except IntegrityError:
                # Either a concurrent replica applied the same event first (the inbox's primary
                # key refused our mark, and our effect rolled back with it), or the handler broke
                # a constraint.  Only the first is harmless.
                if await self._in_inbox(envelope):
                    self.duplicates += 1
                    return "duplicate"
                raise
        self.applied += 1
        for callback in self.on_applied:
            callback(envelope)
        return "applied"

    async def _apply_batch(self, records: Sequence[ConsumerRecord]) -> bool:
        """Apply consecutive messages of one partition in one unit of work.

        Returns False, having changed nothing, when the batch cannot be applied as a whole
        (a message that does not parse, a handler that raises, a database error): the caller
        then applies the messages one at a time, which knows how to retry and dead-letter.
        """
        parsed: list[tuple[ConsumerRecord, Envelope, Event | None]] = []
        for record in records:
            try:
                envelope = Envelope.model_validate_json(record.value or b"")
                event = envelope.open() if envelope.event_type in self._handlers else None
            except (ValidationError, UnknownEvent, IncompatibleEvent):
                return False
            parsed.append((record, envelope, event))
        inbox = self._tx.tables.inbox
        outcomes: list[tuple[ConsumerRecord, observed.Handling, float]] = []
        applied: list[Envelope] = []
        current: Envelope | None = None  # the event whose handlers are running
        try:
            async with self._tx.begin() as uow:
                ids = [envelope.event_id for _, envelope, _ in parsed]
                already = set(
                    await uow.session.scalars(
                        select(inbox.c.event_id).where(
                            inbox.c.consumer == self._group_id, inbox.c.event_id.in_(ids)
                        )
                    )
                )
                marks: list[dict[str, Any]] = []
                for record, envelope, event in parsed:
                    seen = observed.Handling(
                        event_type=envelope.event_type,
                        event_id=str(envelope.event_id),
                        correlation_id=envelope.correlation_id,
                    )
                    started = time.perf_counter()
                    if event is None:
                        seen.outcome = "ignored"
                    elif envelope.event_id in already:
                        seen.outcome = "duplicate"
                    else:
                        current = envelope
                        with (
                            observed.consumer_span(self._service, record, seen),
                            request_context(
                                correlation_id=envelope.correlation_id,
                                causation_id=envelope.event_id,
                                actor=f"event:{envelope.producer}",
                            ),
                        ):
                            for handler in self._handlers[envelope.event_type][1]:
                                await handler(uow, event, envelope)
                            # The next event's handlers must see this one's effects as rows,
                            # not as objects that Core statements would miss or read stale.
                            await uow.session.flush()
                            uow.session.expire_all()
                            seen.outcome = "applied"
                        current = None
                        already.add(envelope.event_id)
                        applied.append(envelope)
                        marks.append(self._inbox_mark(record, envelope))
                    outcomes.append((record, seen, time.perf_counter() - started))
                if marks:
                    await uow.session.execute(insert(inbox), marks)
        except Exception as exc:
            conflict = isinstance(exc, _UNAVAILABLE) or is_transient_conflict(exc)
            if current is not None and not conflict:
                # The batch was this event's first attempt; the retries that follow count on.
                self._attempts_spent[current.event_id] = 1
                self.failures += 1
                observed.handler_failed(self._service, current.event_type)
            log.info(
                "consumer %s: batch of %d rolled back (%s: %s); applying one at a time",
                self._group_id,
                len(records),
                type(exc).__name__,
                exc,
            )
            return False
        for record, seen, elapsed in outcomes:
            if seen.outcome == "duplicate":
                self.duplicates += 1
            observed.handled(self._service, self._group_id, record, seen, elapsed)
        self.applied += len(applied)
        for envelope in applied:
            for callback in self.on_applied:
                callback(envelope)
        return True

    def _inbox_mark(self, record: ConsumerRecord, envelope: Envelope) -> dict[str, Any]:
        return {
            "consumer": self._group_id,
            "event_id": envelope.event_id,
            "event_type": envelope.event_type,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "applied_at": datetime.now(UTC),
        }

    async def _in_inbox(self, envelope: Envelope) -> bool:
        inbox = self._tx.tables.inbox
        async with self._tx.read() as session:
            found = await session.scalar(
                select(inbox.c.event_id).where(
                    inbox.c.consumer == self._group_id, inbox.c.event_id == envelope.event_id
                )
            )
        return found is not None

    async def _dead_letter(
        self, record: ConsumerRecord, producer: AIOKafkaProducer, error: str
    ) -> None:
        """Park a message on the dead-letter topic, with the reason, and log it locally."""
        log.error(
            "consumer %s: dead-lettering %s[%d]@%d: %s",
            self._group_id,
            record.topic,
            record.partition,
            record.offset,
            error,
        )
        headers = list(record.headers or ()) + [
            ("dlq.error", error[:2000].encode()),
            ("dlq.consumer", self._group_id.encode()),
            ("dlq.source", f"{record.topic}/{record.partition}/{record.offset}".encode()),
        ]
        await producer.send_and_wait(
            self.dead_letter_topic, key=record.key, value=record.value, headers=headers
        )
        dead_letters = self._tx.tables.dead_letters
        try:
            async with self._tx.sessions() as session, session.begin():
                await session.execute(
                    insert(dead_letters).values(
                        consumer=self._group_id,
                        topic=record.topic,
                        partition=record.partition,
                        offset=record.offset,
                        key=(record.key or b"").decode(errors="replace"),
                        value=(record.value or b"").decode(errors="replace"),
                        error=error[:2000],
                        failed_at=datetime.now(UTC),
                    )
                )
        except Exception:  # the topic holds the message; the local log is for operators
            log.warning("consumer %s: could not log dead letter locally", self._group_id)
        self.dead_lettered += 1

    def lag(self) -> dict[str, int]:
        """Messages not yet applied, per partition (empty when not connected)."""
        consumer = self.consumer
        if consumer is None:
            return {}
        lag: dict[str, int] = {}
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            done = self._positions.get((tp.topic, tp.partition), 0)
            lag[f"{tp.topic}/{tp.partition}"] = max(0, highwater - done)
        return lag


async def _quietly(awaitable: Awaitable[Any]) -> None:
    try:
        await awaitable
    except Exception:
        log.debug("ignored error while stopping", exc_info=True)
