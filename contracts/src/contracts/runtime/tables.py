"""The delivery tables (and the audit log) a service keeps in its own database.

Each service calls ``DeliveryTables(metadata)`` on its own SQLAlchemy metadata, so that its
Alembic history creates them beside its own tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    text,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants 64 bits for a table
# that grows forever.
Serial = BigInteger().with_variant(Integer(), "sqlite")


def _columns() -> dict[str, list[Any]]:
    return {
        "outbox": [
            # The id orders the relay's work: rows are published in id order.
            Column("id", Serial, primary_key=True, autoincrement=True),
            Column("event_id", Uuid, nullable=False, unique=True),
            Column("event_type", String(100), nullable=False),
            Column("topic", String(100), nullable=False),
            Column("key", String(100), nullable=False),
            Column("envelope", Text, nullable=False),
            Column("correlation_id", String(100)),
            Column("created_at", DateTime(timezone=True), nullable=False),
            Column("published_at", DateTime(timezone=True)),
        ],
        "inbox": [
            Column("consumer", String(100), primary_key=True),
            Column("event_id", Uuid, primary_key=True),
            Column("event_type", String(100), nullable=False),
            Column("topic", String(100), nullable=False),
            Column("partition", Integer, nullable=False),
            Column("offset", BigInteger, nullable=False),
            Column("applied_at", DateTime(timezone=True), nullable=False),
        ],
        "relay_lease": [
            Column("name", String(100), primary_key=True),
            Column("holder", String(100), nullable=False),
            Column("expires_at", DateTime(timezone=True), nullable=False),
        ],
        "dead_letters": [
            Column("id", Serial, primary_key=True, autoincrement=True),
            Column("consumer", String(100), nullable=False),
            Column("topic", String(100), nullable=False),
            Column("partition", Integer, nullable=False),
            Column("offset", BigInteger, nullable=False),
            Column("key", Text),
            Column("value", Text, nullable=False),
            Column("error", Text, nullable=False),
            Column("failed_at", DateTime(timezone=True), nullable=False),
            Column("retried_at", DateTime(timezone=True)),
        ],
        # Who changed what: one row per audited write, in the same transaction as the write.
        "audit_log": [
            Column("id", Serial, primary_key=True, autoincrement=True),
            Column("entity", String(50), nullable=False),
            Column("entity_id", String(100), nullable=False),
            Column("action", String(50), nullable=False),
            Column("actor", String(200)),
            Column("correlation_id", String(100)),
            Column("at", DateTime(timezone=True), nullable=False),
            Column("before", JSON),
            Column("after", JSON),
        ],
    }


_UNPUBLISHED = text("published_at IS NULL")


class DeliveryTables:
    """The outbox, inbox, relay lease and dead-letter log, bound to one service's metadata."""

    def __init__(self, metadata: MetaData) -> None:
        cols = _columns()
        self.outbox = Table("outbox", metadata, *cols["outbox"])
        Index(
            "ix_outbox_unpublished",
            self.outbox.c.id,
            postgresql_where=_UNPUBLISHED,
            sqlite_where=_UNPUBLISHED,
        )
        Index("ix_outbox_created_at", self.outbox.c.created_at)
        Index("ix_outbox_key", self.outbox.c.key, self.outbox.c.id)
        self.inbox = Table("inbox", metadata, *cols["inbox"])
        self.relay_lease = Table("relay_lease", metadata, *cols["relay_lease"])
        self.dead_letters = Table("dead_letters", metadata, *cols["dead_letters"])
        self.audit_log = Table("audit_log", metadata, *cols["audit_log"])
        Index(
            "ix_audit_log_entity",
            self.audit_log.c.entity,
            self.audit_log.c.entity_id,
            self.audit_log.c.id,
        )
