"""The replay selects outbox rows by time, key and type, and re-sends them unchanged."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer
from delivery_support import Ticked
from sqlalchemy import Table, select, update

from contracts.envelope import Envelope
from contracts.runtime import DeliveryTables, Transactions
from contracts.runtime.kafka import ensure_topics
from contracts.runtime.replay import ReplaySelection, replay_outbox
from devstack.stack import Broker

Delivery = tuple[Transactions, DeliveryTables, Table]
T0 = datetime(2026, 3, 1, tzinfo=UTC)


async def _history(tx: Transactions, tables: DeliveryTables, clocks: list[str]) -> list[Envelope]:
    """Ticks of each clock, one hour apart from T0 on, in commit order."""
    envelopes = []
    for hour in range(4):
        for clock in clocks:
            async with tx.begin() as uow:
                envelope = await uow.publish(Ticked(clock=clock, seq=hour))
            async with tx.begin() as uow:
                await uow.session.execute(
                    update(tables.outbox)
                    .where(tables.outbox.c.event_id == envelope.event_id)
                    .values(created_at=T0 + timedelta(hours=hour))
                )
            envelopes.append(envelope)
    return envelopes


async def _on_topic(broker: Broker, clocks: list[str], count: int) -> list[Envelope]:
    """The first ``count`` messages of these clocks on the topic, in partition order."""
    consumer = AIOKafkaConsumer(
        Ticked.topic,
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        group_id=f"reader-{uuid.uuid4()}",
        fetch_max_wait_ms=20,
    )
    await consumer.start()
    found: list[Envelope] = []
    try:
        async with asyncio.timeout(60):
            while len(found) < count:
                for records in (await consumer.getmany(timeout_ms=300)).values():
                    for record in records:
                        if record.key and record.key.decode() in clocks:
                            found.append(Envelope.model_validate_json(record.value or b""))
    finally:
        await consumer.stop()
    return found


async def test_a_time_range_and_a_key_replay_exactly_their_events_in_order(
    broker: Broker, delivery: Delivery
) -> None:
    tx, tables, _ = delivery
    await ensure_topics(broker.bootstrap, [Ticked.topic])
    clocks = [f"replay-{uuid.uuid4().hex[:6]}-{i}" for i in range(2)]
    history = await _history(tx, tables, clocks)

    window = ReplaySelection(since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=3))
    sent = await replay_outbox(
        sessions=tx.sessions, tables=tables, bootstrap_servers=broker.bootstrap, selection=window
    )
    expected = [e for e in history if e.payload["seq"] in (1, 2)]
    assert sent == len(expected) == 4
    one_clock = ReplaySelection(keys=(clocks[0],), event_types=("Ticked",))
    sent = await replay_outbox(
        sessions=tx.sessions,
        tables=tables,
        bootstrap_servers=broker.bootstrap,
        selection=one_clock,
        batch_size=3,  # several batches keep the order too
    )
    expected += [e for e in history if e.key == clocks[0]]
    assert sent == 4

    on_topic = await _on_topic(broker, clocks, len(expected))
    for clock in clocks:
        assert [e for e in on_topic if e.key == clock] == [e for e in expected if e.key == clock]
    async with tx.read() as session:
        stored = set(await session.scalars(select(tables.outbox.c.event_id)))
    assert {e.event_id for e in on_topic} <= stored, "replayed with their original event ids"
