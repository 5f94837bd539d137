"""Send a dead-lettered message again to the topic it came from."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from contracts.errors import DomainError
from contracts.observability.tracing import current_carrier, kafka_headers
from contracts.runtime.kafka import new_producer


class BrokerUnavailable(DomainError):
    status = 503
    title = "Broker unavailable"


async def redeliver(bootstrap_servers: str, dead_letter: Any) -> None:
    """Publish the original key and value, with the event's type and correlation id."""
    headers: list[tuple[str, bytes]] = []
    try:
        envelope = json.loads(dead_letter.value)
    except ValueError:
        envelope = {}
    if isinstance(envelope, dict):
        for name in ("event_type", "correlation_id"):
            if isinstance(envelope.get(name), str):
                headers.append((name, envelope[name].encode()))
    headers += kafka_headers(current_carrier())
    producer = new_producer(bootstrap_servers)
    try:
        async with asyncio.timeout(10):
            await producer.start()
            await producer.send_and_wait(
                dead_letter.topic,
                key=(dead_letter.key or "").encode() or None,
                value=dead_letter.value.encode(),
                headers=headers,
            )
    except Exception as exc:
        raise BrokerUnavailable(f"could not republish: {type(exc).__name__}: {exc}") from exc
    finally:
        await producer.stop()
