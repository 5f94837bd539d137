"""One broker consumer per gateway replica, fanned out to every connected stream.

The consumer joins no group (each replica reads every partition itself) and starts at the
latest offsets: the stream is live, not a state change, so nothing is committed.  Recent
events are kept in memory so a reconnecting client can resume after its Last-Event-ID.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer

from contracts.http.auth import Principal
from contracts.runtime.kafka import ensure_topics
from gateway.live.visibility import TOPIC_AREAS, OrderAccounts, visible

log = logging.getLogger("gateway.live")

QUEUE_SIZE = 1000


@dataclass(frozen=True)
class LiveEvent:
    event_id: str
    topic: str
    account_id: str | None
    data: dict[str, Any]


@dataclass(eq=False)
class Subscriber:
    caller: Principal
    queue: asyncio.Queue[LiveEvent] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    overflowed: bool = False


class EventHub:
    def __init__(self, bootstrap_servers: str, replay: int = 1000) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.recent: deque[LiveEvent] = deque(maxlen=replay)
        self.subscribers: set[Subscriber] = set()
        self.orders = OrderAccounts()
        self.ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="event-hub")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        backoff = 0.5
        while True:  # the broker may be down at start or go away; keep trying
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self.bootstrap_servers,
                group_id=None,
                enable_auto_commit=False,
                auto_offset_reset="latest",
                fetch_max_wait_ms=50,
                metadata_max_age_ms=5000,
            )
            try:
                await ensure_topics(self.bootstrap_servers, TOPIC_AREAS)
                await consumer.start()
                consumer.subscribe(list(TOPIC_AREAS))
                while True:
                    batches = await consumer.getmany(timeout_ms=500)
                    if consumer.assignment():
                        self.ready.set()
                        backoff = 0.5
                    for records in batches.values():
                        for record in records:
                            self.publish(record.topic, record.value)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("live event consumer failed (%s); retrying in %.1fs", exc, backoff)
                self.ready.clear()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                with contextlib.suppress(Exception):
                    await consumer.stop()

    def publish(self, topic: str, raw: bytes | None) -> None:
        try:
            envelope = json.loads(raw or b"")
            payload = envelope["payload"]
        except (ValueError, KeyError, TypeError):
            log.warning("skipping an unreadable message on %s", topic)
            return
        self.orders.learn(payload)
        event = LiveEvent(
            event_id=str(envelope.get("event_id")),
            topic=topic,
            account_id=self.orders.account_of(payload),
            data={
                "event_id": envelope.get("event_id"),
                "event_type": envelope.get("event_type"),
                "occurred_at": envelope.get("occurred_at"),
                "topic": topic,
                "key": envelope.get("key"),
                "correlation_id": envelope.get("correlation_id"),
                "payload": payload,
            },
        )
        self.recent.append(event)
        for subscriber in list(self.subscribers):
            if visible(subscriber.caller, topic, event.account_id):
                try:
                    subscriber.queue.put_nowait(event)
                except asyncio.QueueFull:
                    subscriber.overflowed = True  # too slow: its stream ends, it reconnects

    def subscribe(self, caller: Principal, last_event_id: str | None) -> Subscriber:
        subscriber = Subscriber(caller)
        if last_event_id:
            ids = [e.event_id for e in self.recent]
            if last_event_id in ids:  # best effort: only what this replica still remembers
                for event in list(self.recent)[ids.index(last_event_id) + 1 :]:
                    if visible(caller, event.topic, event.account_id):
                        subscriber.queue.put_nowait(event)
        self.subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)
