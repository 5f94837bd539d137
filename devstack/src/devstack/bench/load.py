"""A bounded HTTP load generator: a fixed number of concurrent clients for a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx


async def hammer(
    url_for: Callable[[int], str],
    *,
    seconds: float,
    concurrency: int,
    headers: dict[str, str] | None = None,
) -> tuple[int, list[float], int]:
    """Requests completed, their latencies (s), and errors, within ``seconds``."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=10) as client:

        async def worker(n: int) -> None:
            nonlocal errors
            i = n
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.get(url_for(i))
                    if response.status_code >= 400:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)
                i += concurrency

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return len(latencies), latencies, errors
