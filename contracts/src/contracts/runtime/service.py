"""Everything one service needs to keep its event contract, started and stopped as one."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import MetaData, text

from contracts.envelope import Event, all_event_classes
from contracts.runtime.consumer import EventConsumer, Handler
from contracts.runtime.database import make_engine, make_sessions
from contracts.runtime.kafka import ensure_topics
from contracts.runtime.relay import OutboxRelay
from contracts.runtime.settings import ServiceSettings
from contracts.runtime.tables import DeliveryTables
from contracts.runtime.unit_of_work import Transactions
from contracts.topics import dead_letter_topic

log = logging.getLogger("contracts.service")


class EventRuntime:
    """A service's database, outbox relay and consumer, wired together.

    The service builds one at startup with its metadata and handlers; its lifespan calls
    ``start``/``stop``; its use cases open units of work with ``runtime.transactions.begin()``.
    """

    def __init__(
        self,
        *,
        service: str,
        database_url: str,
        bootstrap_servers: str,
        metadata: MetaData,
        tables: DeliveryTables,
        handlers: Mapping[type[Event], Handler | Sequence[Handler]] | None = None,
        run_relay: bool = True,
        run_consumer: bool = True,
        pool_size: int = 10,
    ) -> None:
        self.service = service
        self.bootstrap_servers = bootstrap_servers
        self.metadata = metadata
        self.tables = tables
        self.engine = make_engine(database_url, pool_size=pool_size)
        self.sessions = make_sessions(self.engine)
        self.transactions = Transactions(self.sessions, tables, producer=service)
        self.relay = OutboxRelay(
            sessions=self.sessions,
            tables=tables,
            bootstrap_servers=bootstrap_servers,
            name=f"{service}-outbox",
            service=service,
        )
        self.transactions.on_publish(self.relay.wake)
        self.consumer = (
            EventConsumer(
                service=service,
                group_id=service,
                bootstrap_servers=bootstrap_servers,
                transactions=self.transactions,
                handlers=handlers,
            )
            if handlers
            else None
        )
        self._run_relay = run_relay
        self._run_consumer = run_consumer and self.consumer is not None
        self._tasks: list[asyncio.Task[None]] = []

    @classmethod
    def for_service(
        cls,
        service: str,
        settings: ServiceSettings,
        *,
        metadata: MetaData,
        tables: DeliveryTables,
        handlers: Mapping[type[Event], Handler | Sequence[Handler]] | None = None,
    ) -> EventRuntime:
        """The runtime of ``service`` as its settings describe it."""
        return cls(
            service=service,
            database_url=settings.database_url,
            bootstrap_servers=settings.kafka_bootstrap_servers,
            metadata=metadata,
            tables=tables,
            handlers=handlers,
            run_relay=settings.run_relay,
            run_consumer=settings.run_consumer,
            pool_size=settings.db_pool_size,
        )

    def produced_topics(self) -> set[str]:
        return {c.topic for c in all_event_classes() if c.topic.startswith(f"{self.service}.")}

    async def start(self) -> None:
        if self._run_relay or self._run_consumer:
            self._tasks.append(asyncio.create_task(self._start_delivery(), name="delivery"))

    async def _start_delivery(self) -> None:
        topics = self.produced_topics() | {dead_letter_topic(self.service)}
        if self.consumer:
            topics |= set(self.consumer.topics)
        delay = 0.2
        while True:  # the broker may still be starting; the HTTP API serves meanwhile
            try:
                await ensure_topics(self.bootstrap_servers, topics)
                break
            except Exception as exc:
                log.warning("%s: cannot reach the broker yet (%s)", self.service, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        if self._run_relay:
            self._tasks.append(asyncio.create_task(self.relay.run(), name="relay"))
        if self._run_consumer and self.consumer:
            self._tasks.append(asyncio.create_task(self.consumer.run(), name="consumer"))

    async def stop(self) -> None:
        for task in reversed(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.engine.dispose()

    def relay_state(self) -> dict[str, Any]:
        relay = self.relay
        return {
            "running": self._run_relay,
            "leader": relay.is_leader,
            "published": relay.published_count,
            "last_error": relay.last_error,
            "failing_since": relay.failing_since,
        }

    def consumer_state(self) -> dict[str, Any]:
        consumer = self.consumer
        if consumer is None:
            return {"running": False}
        return {
            "running": self._run_consumer,
            "connected": consumer.consumer is not None,
            "group": self.service,
            "topics": consumer.topics,
            "applied": consumer.applied,
            "duplicates": consumer.duplicates,
            "dead_lettered": consumer.dead_lettered,
            "handler_failures": consumer.failures,
            "last_error": consumer.last_error,
            "disconnected_since": consumer.disconnected_since,
        }

    async def readiness(self) -> dict[str, str]:
        """Each check is ``"ok"``, ``"degraded: <why>"`` or ``"unreachable: <why>"``.

        Only the database decides readiness: without it no request can be served.  The broker,
        the relay and the consumer report ``degraded`` with the reason and for how long, but do
        not take the pod out of service: requests still commit, the outbox keeps their events
        until the broker returns, and an unready pod would not make Kafka come back sooner (it
        would only turn a delivery delay into an outage, and a one-second broker blip into
        flapping).  Alert on the ``consumer_connected`` and outbox-age metrics instead.
        """
        checks: dict[str, str] = {}
        try:
            async with asyncio.timeout(2):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"unreachable: {type(exc).__name__}: {exc}"[:300]
        broker = await self._broker_check()
        checks["broker"] = broker if broker == "ok" else f"degraded: {broker}"
        if self._run_relay:
            checks["relay"] = _delivery_check(self.relay.last_error, self.relay.failing_since)
        if self._run_consumer and self.consumer is not None:
            consumer = self.consumer
            checks["consumer"] = (
                "ok"
                if consumer.consumer is not None
                else _delivery_check(
                    f"not connected: {consumer.last_error or 'connecting to the broker'}",
                    consumer.disconnected_since,
                )
            )
        return checks

    async def _broker_check(self) -> str:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.bootstrap_servers, request_timeout_ms=2000
        )
        try:
            async with asyncio.timeout(2.5):
                await admin.start()
                await admin.list_topics()
            return "ok"
        except Exception as exc:
            return f"unreachable: {type(exc).__name__}: {exc}"[:300]
        finally:
            try:
                await admin.close()
            except Exception:
                pass


def _delivery_check(error: str | None, since: datetime | None) -> str:
    if error is None:
        return "ok"
    seconds = (datetime.now(UTC) - since).total_seconds() if since else 0.0
    return f"degraded: {error} (for {seconds:.0f}s)"[:300]
