"""The delivery runtime against a real broker and a real database.

Nothing here is mocked: the relay publishes to the embedded broker, the consumer reads from
it, and effects land in SQLite or PostgreSQL.
"""

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from delivery_support import Ticked
from sqlalchemy import Table, func, insert, select

from contracts.envelope import Envelope
from contracts.runtime import DeliveryTables, EventConsumer, OutboxRelay, Transactions, UnitOfWork
from contracts.runtime.kafka import ensure_topics
from devstack.stack import Broker

pytestmark = pytest.mark.asyncio

Delivery = tuple[Transactions, DeliveryTables, Table]


async def _write_ticks(tx: Transactions, clocks: list[str], per_clock: int) -> None:
    """Each clock ticks per_clock times, clocks interleaved, one transaction per tick."""
    for seq in range(per_clock):
        for clock in clocks:
            async with tx.begin() as uow:
                await uow.publish(Ticked(clock=clock, seq=seq))


def _recording_handler(effects: Table, clocks: set[str]) -> Callable[..., Awaitable[None]]:
    async def handle(uow: UnitOfWork, event: Ticked, envelope: Envelope) -> None:
        if event.clock in clocks:
            await uow.session.execute(insert(effects).values(key=event.clock, seq=event.seq))

    return handle


async def _effects(tx: Transactions, effects: Table) -> dict[str, list[int]]:
    async with tx.read() as session:
        rows = (
            await session.execute(select(effects.c.key, effects.c.seq).order_by(effects.c.id))
        ).all()
    seen: dict[str, list[int]] = defaultdict(list)
    for key, seq in rows:
        seen[key].append(seq)
    return seen


async def _wait_for(
    predicate: Callable[[], Awaitable[bool]], timeout: float = 30, interval: float = 0.1
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(interval)


async def _topic_messages(broker: Broker, topic: str) -> list[Envelope]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=f"reader-{uuid.uuid4()}",
        fetch_max_wait_ms=20,
    )
    await consumer.start()
    found: list[Envelope] = []
    try:
        idle = 0
        while idle < 5:
            batch = await consumer.getmany(timeout_ms=300)
            if not batch:
                idle += 1
                continue
            idle = 0
            for records in batch.values():
                for r in records:
                    try:
                        found.append(Envelope.model_validate_json(r.value))
                    except ValueError:
                        continue  # another test's deliberate poison
    finally:
        await consumer.stop()
    return found


async def _run_consumer(consumer: EventConsumer) -> asyncio.Task[None]:
    return asyncio.create_task(consumer.run())


async def test_state_and_events_commit_together_or_not_at_all(delivery: Delivery) -> None:
    tx, tables, effects = delivery
    with pytest.raises(RuntimeError):
        async with tx.begin() as uow:
            await uow.session.execute(insert(effects).values(key="x", seq=1))
            await uow.publish(Ticked(clock="x", seq=1))
            raise RuntimeError("the use case failed after publishing")
    async with tx.read() as session:
        assert await session.scalar(select(func.count()).select_from(tables.outbox)) == 0
        assert await session.scalar(select(func.count()).select_from(effects)) == 0


async def test_a_relay_killed_mid_batch_loses_nothing_and_effects_apply_once(
    broker: Broker, delivery: Delivery, database_url: str
) -> None:
    tx, tables, effects = delivery
    await ensure_topics(broker.bootstrap, [Ticked.topic])
    clocks = [f"clock-{uuid.uuid4().hex[:6]}-{i}" for i in range(4)]
    per_clock = 500
    # Enough rows (2,000, in 80 batches) that the kill below lands mid-way, however fast the
    # relay runs; written 50 ticks to a transaction so that writing them is quick.
    for first in range(0, per_clock, 50):
        async with tx.begin() as uow:
            for seq in range(first, first + 50):
                for clock in clocks:
                    await uow.publish(Ticked(clock=clock, seq=seq))

    # A relay process publishes in batches of 25; kill it (SIGKILL) once it is under way.
    worker = Path(__file__).with_name("delivery_support.py")
    proc = subprocess.Popen(
        [sys.executable, str(worker), database_url, broker.bootstrap],
        env={**os.environ},
        start_new_session=True,
    )

    async def some_published() -> bool:
        async with tx.read() as session:
            n = await session.scalar(
                select(func.count())
                .select_from(tables.outbox)
                .where(tables.outbox.c.published_at.is_not(None))
            )
        return bool(n and n >= 25)

    try:
        await _wait_for(some_published, interval=0.01)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    async with tx.read() as session:
        left = await session.scalar(
            select(func.count())
            .select_from(tables.outbox)
            .where(tables.outbox.c.published_at.is_(None))
        )
    assert left and left > 0, "the kill came too late to interrupt the relay"

    # A new relay (after the dead one's lease expires) finishes the job.
    relay = OutboxRelay(
        sessions=tx.sessions, tables=tables, bootstrap_servers=broker.bootstrap, lease_seconds=1.0
    )
    relay_task = asyncio.create_task(relay.run())
    consumer = EventConsumer(
        service="test",
        group_id=f"g-{uuid.uuid4()}",
        bootstrap_servers=broker.bootstrap,
        transactions=tx,
        handlers={Ticked: _recording_handler(effects, set(clocks))},
    )
    consumer_task = await _run_consumer(consumer)
    try:

        async def all_applied() -> bool:
            seen = await _effects(tx, effects)
            return sum(len(v) for v in seen.values()) >= len(clocks) * per_clock

        await _wait_for(all_applied, timeout=60)
        await asyncio.sleep(0.5)  # let any straggling duplicate arrive
        seen = await _effects(tx, effects)
    finally:
        relay_task.cancel()
        consumer_task.cancel()
        await asyncio.gather(relay_task, consumer_task, return_exceptions=True)

    for clock in clocks:
        assert seen[clock] == list(range(per_clock)), f"{clock}: lost, doubled or reordered"
    on_topic = [
        e for e in await _topic_messages(broker, Ticked.topic) if e.payload["clock"] in clocks
    ]
    assert len({e.event_id for e in on_topic}) == len(clocks) * per_clock


async def test_a_redelivered_event_is_applied_once(broker: Broker, delivery: Delivery) -> None:
    tx, _tables, effects = delivery
    await ensure_topics(broker.bootstrap, [Ticked.topic])
    clock = f"dup-{uuid.uuid4().hex[:8]}"
    envelope = Envelope.wrap(Ticked(clock=clock, seq=7), producer="test")
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for _ in range(3):  # the same event, delivered three times
            await producer.send_and_wait(
                Ticked.topic, key=clock.encode(), value=envelope.model_dump_json().encode()
            )
        # Then a different event with the same key: once it is applied, so were the three.
        sentinel = Envelope.wrap(Ticked(clock=clock, seq=8), producer="test")
        await producer.send_and_wait(
            Ticked.topic, key=clock.encode(), value=sentinel.model_dump_json().encode()
        )
    finally:
        await producer.stop()
    consumer = EventConsumer(
        service="test",
        group_id=f"g-{uuid.uuid4()}",
        bootstrap_servers=broker.bootstrap,
        transactions=tx,
        handlers={Ticked: _recording_handler(effects, {clock})},
    )
    task = await _run_consumer(consumer)
    try:

        async def handled_all() -> bool:
            return 8 in (await _effects(tx, effects)).get(clock, [])

        await _wait_for(handled_all)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert (await _effects(tx, effects))[clock] == [7, 8]


async def test_poison_messages_go_to_the_dead_letter_topic_and_the_consumer_goes_on(
    broker: Broker, delivery: Delivery
) -> None:
    tx, tables, effects = delivery
    await ensure_topics(broker.bootstrap, [Ticked.topic, "poisoned.dead-letter"])
    clock = f"poison-{uuid.uuid4().hex[:8]}"
    good = Envelope.wrap(Ticked(clock=clock, seq=1), producer="test")
    bad_payload = good.model_copy(
        update={"event_id": uuid.uuid4(), "payload": {"clock": clock, "seq": "not a number"}}
    )
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(Ticked.topic, key=clock.encode(), value=b"\xff not json")
        await producer.send_and_wait(
            Ticked.topic, key=clock.encode(), value=bad_payload.model_dump_json().encode()
        )
        await producer.send_and_wait(
            Ticked.topic, key=clock.encode(), value=good.model_dump_json().encode()
        )
    finally:
        await producer.stop()

    consumer = EventConsumer(
        service="poisoned",
        group_id=f"g-{uuid.uuid4()}",
        bootstrap_servers=broker.bootstrap,
        transactions=tx,
        handlers={Ticked: _recording_handler(effects, {clock})},
    )
    task = await _run_consumer(consumer)
    try:

        async def good_applied() -> bool:
            return clock in await _effects(tx, effects)

        await _wait_for(good_applied)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    dead = AIOKafkaConsumer(
        "poisoned.dead-letter",
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        group_id=f"r-{uuid.uuid4()}",
        fetch_max_wait_ms=20,
    )
    await dead.start()
    try:
        parked = []
        for _ in range(20):
            for records in (await dead.getmany(timeout_ms=300)).values():
                parked.extend(r for r in records if r.key == clock.encode())
            if len(parked) >= 2:
                break
    finally:
        await dead.stop()
    values = [r.value for r in parked]
    assert b"\xff not json" in values, "the unreadable bytes are kept as they were"
    reasons = [dict(r.headers)["dlq.error"].decode() for r in parked]
    assert any("unreadable envelope" in r for r in reasons)
    assert any("invalid Ticked" in r for r in reasons)
    async with tx.read() as session:
        logged = await session.scalar(select(func.count()).select_from(tables.dead_letters))
    assert logged == 2


async def test_a_handler_that_keeps_failing_is_dead_lettered_after_retries(
    broker: Broker, delivery: Delivery
) -> None:
    tx, tables, effects = delivery
    await ensure_topics(broker.bootstrap, [Ticked.topic, "failing.dead-letter"])
    clock = f"fail-{uuid.uuid4().hex[:8]}"
    calls = 0

    async def always_fails(uow: UnitOfWork, event: Ticked, envelope: Envelope) -> None:
        nonlocal calls
        if event.clock == clock:
            calls += 1
            await uow.session.execute(insert(effects).values(key=clock, seq=event.seq))
            raise ValueError("this order can never be applied")

    async with tx.begin() as uow:
        await uow.publish(Ticked(clock=clock, seq=1))
    relay = OutboxRelay(sessions=tx.sessions, tables=tables, bootstrap_servers=broker.bootstrap)
    consumer = EventConsumer(
        service="failing",
        group_id=f"g-{uuid.uuid4()}",
        bootstrap_servers=broker.bootstrap,
        transactions=tx,
        handlers={Ticked: always_fails},
        max_attempts=3,
        retry_delay=0.01,
    )
    tasks = [asyncio.create_task(relay.run()), await _run_consumer(consumer)]
    try:

        async def parked() -> bool:
            # Earlier tests' poison shares the topic, so look for this message's reason.
            async with tx.read() as session:
                n = await session.scalar(
                    select(func.count())
                    .select_from(tables.dead_letters)
                    .where(tables.dead_letters.c.error.contains("never be applied"))
                )
            return bool(n)

        await _wait_for(parked)
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert calls == 3
    assert clock not in await _effects(tx, effects), "failed attempts leave no effect"


async def test_two_relays_on_one_database_publish_each_row_once(
    broker: Broker, delivery: Delivery
) -> None:
    tx, tables, _ = delivery
    await ensure_topics(broker.bootstrap, [Ticked.topic])
    clocks = [f"pair-{uuid.uuid4().hex[:6]}-{i}" for i in range(3)]
    relays = [
        OutboxRelay(
            sessions=tx.sessions, tables=tables, bootstrap_servers=broker.bootstrap, batch_size=20
        )
        for _ in range(2)
    ]
    tasks = [asyncio.create_task(r.run()) for r in relays]
    try:
        await _write_ticks(tx, clocks, 40)

        async def drained() -> bool:
            async with tx.read() as session:
                n = await session.scalar(
                    select(func.count())
                    .select_from(tables.outbox)
                    .where(tables.outbox.c.published_at.is_(None))
                )
            return n == 0

        await _wait_for(drained)
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert sum(1 for r in relays if r.published_count) == 1, "only the lease holder publishes"
    on_topic = [
        e for e in await _topic_messages(broker, Ticked.topic) if e.payload["clock"] in clocks
    ]
    assert len(on_topic) == len(clocks) * 40
    assert len({e.event_id for e in on_topic}) == len(on_topic)
