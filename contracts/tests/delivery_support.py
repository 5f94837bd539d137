"""A test event type, its tables, and a relay process the tests can start and SIGKILL.

Run as ``python relay_worker.py DATABASE_URL BOOTSTRAP`` to publish that database's outbox.
"""

import asyncio
import sys

from sqlalchemy import Column, Integer, MetaData, String, Table

from contracts.envelope import Event
from contracts.runtime import DeliveryTables


class Ticked(Event, topic="test.ticks", version="1.0"):
    """A numbered tick of one clock: the order per clock must survive delivery."""

    clock: str
    seq: int

    def partition_key(self) -> str:
        return self.clock


def delivery_metadata() -> tuple[MetaData, DeliveryTables, Table]:
    """The delivery tables plus one table of effects, as a service would have them."""
    metadata = MetaData()
    tables = DeliveryTables(metadata)
    effects = Table(
        "effects",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("key", String(100), nullable=False),
        Column("seq", Integer, nullable=False),
    )
    return metadata, tables, effects


async def _relay(database_url: str, bootstrap: str) -> None:
    from contracts.runtime import OutboxRelay
    from contracts.runtime.database import make_engine, make_sessions

    _, tables, _ = delivery_metadata()
    engine = make_engine(database_url)
    relay = OutboxRelay(
        sessions=make_sessions(engine),
        tables=tables,
        bootstrap_servers=bootstrap,
        batch_size=25,
        lease_seconds=2.0,
    )
    await relay.run()


if __name__ == "__main__":
    asyncio.run(_relay(sys.argv[1], sys.argv[2]))
