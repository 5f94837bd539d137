"""Consecutive events of a partition are applied in one unit of work, as if one by one.

Against the real broker and database: the events are produced first, so the consumer finds
them waiting and takes them in batches.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import pytest
from aiokafka import AIOKafkaProducer
from delivery_support import Ticked
from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import registry

from contracts.envelope import Envelope
from contracts.runtime import DeliveryTables, EventConsumer, Transactions, UnitOfWork
from contracts.runtime.kafka import ensure_topics
from devstack.stack import Broker

pytestmark = pytest.mark.asyncio

Delivery = tuple[Transactions, DeliveryTables, Table]


async def _produce(broker: Broker, clock: str, count: int) -> None:
    await ensure_topics(broker.bootstrap, [Ticked.topic])
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for seq in range(count):
            envelope = Envelope.wrap(Ticked(clock=clock, seq=seq), producer="test")
            await producer.send(
                Ticked.topic, key=clock.encode(), value=envelope.model_dump_json().encode()
            )
        await producer.flush()
    finally:
        await producer.stop()


async def _consume_until(
    broker: Broker,
    tx: Transactions,
    handler: Callable[..., Awaitable[None]],
    done: Callable[[], Awaitable[bool]],
) -> EventConsumer:
    """Run a new consumer group over the topic until ``done`` (read from the database)."""
    consumer = EventConsumer(
        service="batches",
        group_id=f"g-{uuid.uuid4()}",
        bootstrap_servers=broker.bootstrap,
        transactions=tx,
        handlers={Ticked: handler},
        retry_delay=0.01,
    )
    task = asyncio.create_task(consumer.run())
    try:
        for _ in range(300):  # bounded: 30 s
            if await done():
                break
            await asyncio.sleep(0.1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    return consumer


async def _applied(tx: Transactions, effects: Table, clock: str) -> list[int]:
    async with tx.read() as session:
        rows = await session.scalars(
            select(effects.c.seq).where(effects.c.key == clock).order_by(effects.c.id)
        )
        return list(rows)


async def test_waiting_events_share_units_of_work_and_keep_their_order(
    broker: Broker, delivery: Delivery
) -> None:
    tx, _, effects = delivery
    clock = f"batch-{uuid.uuid4().hex[:8]}"
    await _produce(broker, clock, 120)
    units: list[UnitOfWork] = []  # kept alive, so each is a distinct object

    async def handle(uow: UnitOfWork, event: Ticked, envelope: Envelope) -> None:
        if event.clock == clock:
            await uow.session.execute(insert(effects).values(key=clock, seq=event.seq))
            units.append(uow)

    async def all_applied() -> bool:
        return len(await _applied(tx, effects, clock)) >= 120

    await _consume_until(broker, tx, handle, all_applied)
    assert await _applied(tx, effects, clock) == list(range(120))
    distinct = len({id(u) for u in units})
    assert distinct < 120 / 5, f"{distinct} units of work for 120 waiting events"


async def test_a_failure_in_a_batch_rolls_it_back_and_applies_each_event_once(
    broker: Broker, delivery: Delivery
) -> None:
    tx, _, effects = delivery
    clock = f"flaky-{uuid.uuid4().hex[:8]}"
    await _produce(broker, clock, 40)
    calls: dict[int, int] = {}

    async def flaky(uow: UnitOfWork, event: Ticked, envelope: Envelope) -> None:
        if event.clock != clock:
            return
        calls[event.seq] = calls.get(event.seq, 0) + 1
        await uow.session.execute(insert(effects).values(key=clock, seq=event.seq))
        if event.seq == 17 and calls[17] == 1:
            raise RuntimeError("fails the first time only")

    async def all_applied() -> bool:
        return len(await _applied(tx, effects, clock)) >= 40

    consumer = await _consume_until(broker, tx, flaky, all_applied)
    assert await _applied(tx, effects, clock) == list(range(40)), "lost, doubled or reordered"
    assert calls[17] == 2, "the failed event was tried once in the batch, once alone"
    assert consumer.failures == 1
    assert consumer.dead_lettered == 0


async def test_each_event_in_a_batch_reads_what_the_previous_one_wrote(
    broker: Broker, delivery: Delivery
) -> None:
    """ORM objects loaded by one event must not answer stale values to the next."""
    tx, _, effects = delivery

    class Counter:
        key: str
        seq: int

    mapper_registry = registry()
    mapper_registry.map_imperatively(Counter, effects)
    try:
        clock = f"count-{uuid.uuid4().hex[:8]}"
        await _produce(broker, clock, 30)
        observed: list[int] = []
        held: list[Counter | None] = []

        async def count(uow: UnitOfWork, event: Ticked, envelope: Envelope) -> None:
            if event.clock != clock:
                return
            row = (await uow.session.scalars(select(Counter).where(effects.c.key == clock))).first()
            observed.append(row.seq if row else 0)
            held.append(row)  # a live reference keeps the object in the session's identity map
            if row is None:
                uow.session.add(Counter(key=clock, seq=1))
            else:  # a Core statement, as the services' conditional updates are
                await uow.session.execute(
                    update(effects).where(effects.c.key == clock).values(seq=effects.c.seq + 1)
                )

        async def counted() -> bool:
            return await _applied(tx, effects, clock) == [30]

        await _consume_until(broker, tx, count, counted)
        assert observed == list(range(30))
        assert await _applied(tx, effects, clock) == [30]
    finally:
        mapper_registry.dispose()
