"""A consumer built against version N of an event reads N+1 (newer minor, unknown fields).

The producer here has moved on to 1.1 of ``ParcelWeighed`` (a new optional field, and a new
field inside a nested part) while the consumer was built against 1.0.  The message travels
through the real broker and is applied by a real EventConsumer.
"""

import asyncio
import uuid

from aiokafka import AIOKafkaProducer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Table, insert, select

from contracts.envelope import Envelope, Event
from contracts.runtime import DeliveryTables, EventConsumer, Transactions, UnitOfWork
from contracts.runtime.kafka import ensure_topics
from devstack.stack import Broker

Delivery = tuple[Transactions, DeliveryTables, Table]


class Scale(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    scale_id: str = Field(description="Which scale weighed it.")


class ParcelWeighed(Event, topic="test.parcels", version="1.0"):
    """Version 1.0, as the consumer knows it."""

    parcel: str = Field(description="The parcel.")
    grams: int = Field(description="Its weight.")
    scale: Scale = Field(description="The scale used.")

    def partition_key(self) -> str:
        return self.parcel


class ScaleV1_1(BaseModel):
    scale_id: str
    calibrated_on: str  # new in 1.1


class ParcelWeighedV1_1(BaseModel):
    """Version 1.1, as a newer producer sends it (its own copy of the contract)."""

    parcel: str
    grams: int
    scale: ScaleV1_1
    carrier: str | None = None  # new in 1.1


def _envelope(payload: BaseModel, version: str, key: str) -> bytes:
    return (
        Envelope(
            event_id=uuid.uuid4(),
            event_type="ParcelWeighed",
            schema_version=version,
            occurred_at="2026-03-02T09:30:00Z",  # type: ignore[arg-type]
            producer="newer-producer",
            key=key,
            payload=payload.model_dump(mode="json"),
        )
        .model_dump_json()
        .encode()
    )


def _newer(parcel: str, grams: int) -> ParcelWeighedV1_1:
    return ParcelWeighedV1_1(
        parcel=parcel,
        grams=grams,
        scale=ScaleV1_1(scale_id="S-1", calibrated_on="2026-01-01"),
        carrier="DHL",
    )


def test_an_envelope_of_a_newer_minor_opens_as_the_known_version() -> None:
    envelope = Envelope.model_validate_json(_envelope(_newer("p", 900), "1.1", "p"))
    event = envelope.open()
    assert event == ParcelWeighed(parcel="p", grams=900, scale=Scale(scale_id="S-1"))


async def test_a_consumer_built_against_1_0_applies_a_1_1_message(
    broker: Broker, delivery: Delivery
) -> None:
    tx, _tables, effects = delivery
    await ensure_topics(broker.bootstrap, [ParcelWeighed.topic])
    parcel = f"parcel-{uuid.uuid4().hex[:8]}"
    received: list[ParcelWeighed] = []

    async def on_weighed(uow: UnitOfWork, event: ParcelWeighed, _: Envelope) -> None:
        received.append(event)
        await uow.session.execute(insert(effects).values(key=event.parcel, seq=event.grams))

    consumer = EventConsumer(
        service="test",
        group_id=f"g-{uuid.uuid4()}",
        bootstrap_servers=broker.bootstrap,
        transactions=tx,
        handlers={ParcelWeighed: on_weighed},
    )
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        key = parcel.encode()
        # A 2.0 message is another contract: parked, never misread.  Then the 1.1 one.
        await producer.send_and_wait(
            ParcelWeighed.topic, key=key, value=_envelope(_newer(parcel, 1), "2.0", parcel)
        )
        await producer.send_and_wait(
            ParcelWeighed.topic, key=key, value=_envelope(_newer(parcel, 1250), "1.1", parcel)
        )
    finally:
        await producer.stop()
    task = asyncio.create_task(consumer.run())

    async def applied() -> None:  # counted once the effect is committed
        while consumer.applied < 1:
            await asyncio.sleep(0.05)

    try:
        await asyncio.wait_for(applied(), 60)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert received == [ParcelWeighed(parcel=parcel, grams=1250, scale=Scale(scale_id="S-1"))]
    assert consumer.dead_lettered == 1
    async with tx.read() as session:
        rows = (await session.execute(select(effects.c.seq).where(effects.c.key == parcel))).all()
    assert [r.seq for r in rows] == [1250]
