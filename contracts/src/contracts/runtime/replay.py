"""Republish a service's events from its outbox history (after a broker loss, say).

The outbox keeps every envelope a service ever committed.  Replaying re-sends the stored
envelopes unchanged -- same event ids, same keys, in their original (commit) order -- so
idempotent consumers skip what they already applied and apply only what they missed.

    python -m contracts.runtime.replay --database-url URL --bootstrap HOST:PORT \\
        [--since ISO] [--until ISO] [--key ID ...] [--type EventType ...] [--topic T ...]

Each service also exposes it with its own settings as defaults (``python -m crm.replay``).
A read model is rebuilt by clearing it together with its inbox marks (``forget_applied``)
and replaying the producer's events into it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import MetaData, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.observability.events import wire_value
from contracts.runtime.database import make_engine, make_sessions
from contracts.runtime.kafka import new_producer
from contracts.runtime.tables import DeliveryTables


@dataclass(frozen=True)
class ReplaySelection:
    """Which outbox rows to republish; empty criteria select everything."""

    since: datetime | None = None  # committed at or after
    until: datetime | None = None  # committed before
    keys: tuple[str, ...] = field(default_factory=tuple)  # aggregate ids
    event_types: tuple[str, ...] = field(default_factory=tuple)
    topics: tuple[str, ...] = field(default_factory=tuple)


async def replay_outbox(
    *,
    sessions: async_sessionmaker[AsyncSession],
    tables: DeliveryTables,
    bootstrap_servers: str,
    selection: ReplaySelection = ReplaySelection(),
    batch_size: int = 500,
) -> int:
    """Re-send the selected outbox rows, in commit order; returns how many were sent.

    One producer sends everything, so each key's events keep their order on its partition.
    Rows not yet published are included: the relay will send them again, which consumers
    drop by event id.
    """
    outbox = tables.outbox
    query = select(
        outbox.c.id,
        outbox.c.topic,
        outbox.c.key,
        outbox.c.envelope,
        outbox.c.event_type,
        outbox.c.correlation_id,
    ).order_by(outbox.c.id)
    if selection.since is not None:
        query = query.where(outbox.c.created_at >= selection.since)
    if selection.until is not None:
        query = query.where(outbox.c.created_at < selection.until)
    if selection.keys:
        query = query.where(outbox.c.key.in_(selection.keys))
    if selection.event_types:
        query = query.where(outbox.c.event_type.in_(selection.event_types))
    if selection.topics:
        query = query.where(outbox.c.topic.in_(selection.topics))
    producer = new_producer(bootstrap_servers)
    await producer.start()
    sent, after = 0, 0
    try:
        while True:
            async with sessions() as session:
                rows = (
                    await session.execute(query.where(outbox.c.id > after).limit(batch_size))
                ).all()
            if not rows:
                return sent
            pending = []
            for row in rows:
                headers = [("event_type", row.event_type.encode())]
                if row.correlation_id:
                    headers.append(("correlation_id", row.correlation_id.encode()))
                pending.append(
                    await producer.send(
                        row.topic,
                        key=row.key.encode(),
                        value=wire_value(row.envelope),
                        headers=headers,
                    )
                )
            await asyncio.gather(*pending)  # every one acknowledged before the next batch
            sent += len(rows)
            after = rows[-1].id
    finally:
        await producer.stop()


async def forget_applied(
    session: AsyncSession, tables: DeliveryTables, *, consumer: str, event_types: Sequence[str]
) -> int:
    """Drop a consumer's inbox marks for these event types, so that a replay applies them
    again.  Only for rebuilding a read model: clear the model in the same transaction."""
    inbox = tables.inbox
    result = await session.execute(
        delete(inbox).where(inbox.c.consumer == consumer, inbox.c.event_type.in_(event_types))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def main(
    argv: Sequence[str] | None = None,
    *,
    prog: str = "python -m contracts.runtime.replay",
    database_url: str | None = None,
    bootstrap_servers: str | None = None,
) -> int:
    """The operator command; a service passes its own settings as the defaults."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Republish events from a service's outbox history."
    )
    parser.add_argument("--database-url", default=database_url, required=database_url is None)
    parser.add_argument(
        "--bootstrap", default=bootstrap_servers, required=bootstrap_servers is None
    )
    parser.add_argument("--since", type=_moment, help="ISO time; events committed at or after")
    parser.add_argument("--until", type=_moment, help="ISO time; events committed before")
    parser.add_argument("--key", action="append", default=[], help="aggregate id (repeatable)")
    parser.add_argument("--type", action="append", default=[], help="event type (repeatable)")
    parser.add_argument("--topic", action="append", default=[], help="topic (repeatable)")
    args = parser.parse_args(argv)
    selection = ReplaySelection(
        since=args.since,
        until=args.until,
        keys=tuple(args.key),
        event_types=tuple(args.type),
        topics=tuple(args.topic),
    )
    sent = asyncio.run(_replay(args.database_url, args.bootstrap, selection))
    print(f"republished {sent} events")
    return 0


async def _replay(database_url: str, bootstrap: str, selection: ReplaySelection) -> int:
    engine = make_engine(database_url)
    try:
        # The outbox table is the same in every service; its definition needs no service code.
        return await replay_outbox(
            sessions=make_sessions(engine),
            tables=DeliveryTables(MetaData()),
            bootstrap_servers=bootstrap,
            selection=selection,
        )
    finally:
        await engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
