"""Event hop: outbox commit to consumer effect, against a bare produce-to-consume round trip
plus one database commit, measured in the same process on the same broker and database."""

from __future__ import annotations

import asyncio
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from contracts.envelope import Envelope, Event
from contracts.runtime import DeliveryTables, EventConsumer, OutboxRelay, Transactions, UnitOfWork
from contracts.runtime.database import make_engine, make_sessions
from contracts.runtime.kafka import ensure_topics


class BenchPing(Event, topic="bench.pings", version="1.0"):
    """One ping of the hop benchmark."""

    ping_id: str

    def partition_key(self) -> str:
        return self.ping_id


async def bare_round_trips(bootstrap: str, n: int) -> list[float]:
    topic = f"bench.bare.{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [topic])
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=False, acks="all", linger_ms=0
    )
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=topic,
        auto_offset_reset="latest",
        fetch_max_wait_ms=20,
    )
    await producer.start()
    await consumer.start()
    try:
        while not consumer.assignment():  # noqa: ASYNC110  (aiokafka offers no event for it)
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        samples = []
        for i in range(n):
            started = time.perf_counter()
            await producer.send_and_wait(topic, key=b"k", value=str(i).encode())
            while True:
                batch = await consumer.getmany(timeout_ms=1000)
                if any(r.value == str(i).encode() for rs in batch.values() for r in rs):
                    break
            samples.append(time.perf_counter() - started)
        return samples
    finally:
        await consumer.stop()
        await producer.stop()


async def commits(database_url: str, n: int) -> list[float]:
    metadata = MetaData()
    table = Table(
        f"bench_commit_{uuid.uuid4().hex[:6]}",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("v", String(20)),
    )
    engine = make_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    sessions = make_sessions(engine)
    samples = []
    for i in range(n):
        started = time.perf_counter()
        async with sessions() as session, session.begin():
            await session.execute(insert(table).values(v=str(i)))
        samples.append(time.perf_counter() - started)
    await engine.dispose()
    return samples


async def event_hops(database_url: str, bootstrap: str, n: int) -> list[float]:
    metadata = MetaData()
    tables = DeliveryTables(metadata)
    engine = make_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    sessions = make_sessions(engine)
    tx = Transactions(sessions, tables, producer="bench")
    relay = OutboxRelay(sessions=sessions, tables=tables, bootstrap_servers=bootstrap)
    tx.on_publish(relay.wake)
    arrived: dict[str, float] = {}
    waiters: dict[str, asyncio.Event] = {}

    async def handle(uow: UnitOfWork, event: BenchPing, envelope: Envelope) -> None:
        return None

    consumer = EventConsumer(
        service="bench",
        group_id=f"bench-{uuid.uuid4()}",
        bootstrap_servers=bootstrap,
        transactions=tx,
        handlers={BenchPing: handle},
    )

    def applied(envelope: Envelope) -> None:  # after the effect's transaction committed
        ping = str(envelope.payload["ping_id"])
        arrived[ping] = time.perf_counter()
        if ping in waiters:
            waiters[ping].set()

    consumer.on_applied.append(applied)
    await ensure_topics(bootstrap, [BenchPing.topic])
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]
    try:
        warm = "warm-up"
        waiters[warm] = asyncio.Event()
        async with tx.begin() as uow:
            await uow.publish(BenchPing(ping_id=warm))
        await asyncio.wait_for(waiters[warm].wait(), 60)
        samples = []
        for _ in range(n):
            ping = uuid.uuid4().hex
            waiters[ping] = asyncio.Event()
            async with tx.begin() as uow:
                await uow.publish(BenchPing(ping_id=ping))
            committed = time.perf_counter()
            await asyncio.wait_for(waiters[ping].wait(), 30)
            samples.append(arrived[ping] - committed)
        return samples
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await engine.dispose()
