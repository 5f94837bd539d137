"""Kafka clients configured the way the delivery guarantees need them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from contracts.topics import TOPICS

log = logging.getLogger("contracts.kafka")


def new_producer(bootstrap_servers: str) -> AIOKafkaProducer:
    # Idempotent producers are not relied upon (some Kafka-compatible brokers refuse them):
    # exactly-once effects come from the outbox plus idempotent consumers instead.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        acks="all",
        enable_idempotence=False,
        linger_ms=2,
        request_timeout_ms=15000,
        retry_backoff_ms=200,
    )


def new_consumer(bootstrap_servers: str, group_id: str, topics: Iterable[str]) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=False,  # offsets are committed after the effect is committed
        auto_offset_reset="earliest",
        # Some brokers hold a fetch for the whole wait even when data arrives; keep it short so
        # an event hop costs milliseconds, not half a second.
        fetch_max_wait_ms=20,
        max_poll_records=500,
        # A crashed replica holds its partitions until this expires: keep it short.
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
    )


async def ensure_topics(bootstrap_servers: str, names: Iterable[str]) -> None:
    """Create the named topics if missing, with the partition counts of the catalog."""
    partitions = {t.name: t.partitions for t in TOPICS}
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [
            NewTopic(name, num_partitions=partitions.get(name, 1), replication_factor=1)
            for name in sorted(set(names) - existing)
        ]
        if wanted:
            try:
                await admin.create_topics(wanted)
            except TopicAlreadyExistsError:
                pass  # another process created it first
            log.info("created topics %s", [t.name for t in wanted])
    finally:
        await admin.close()
