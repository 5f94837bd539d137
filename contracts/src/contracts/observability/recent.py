"""A short in-memory feed of the events this process published and handled, newest first.

It is what the operations page shows as "live": cheap, bounded, and per process (each replica
keeps its own; a restart empties it).  The durable record is the outbox and the inbox.
"""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
from typing import Any


class RecentEvents:
    def __init__(self, size: int = 200) -> None:
        self._items: deque[dict[str, Any]] = deque(maxlen=size)

    def add(self, **fields: Any) -> None:
        self._items.appendleft({"at": datetime.now(UTC).isoformat(), **fields})

    def latest(self, service: str, limit: int = 50) -> list[dict[str, Any]]:
        found = [e for e in self._items if e["service"] == service]
        return found[:limit]


recent_events = RecentEvents()
