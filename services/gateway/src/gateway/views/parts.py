"""Fetching the parts of a composed view concurrently, each bounded by its own timeout."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from contracts.http.auth import Principal
from gateway.upstream import Part, Upstream


@dataclass(frozen=True)
class Source:
    """Where one part of a view comes from, and the permission needed to see it."""

    service: str  # "crm" or "erp"
    path: str
    permission: str
    params: dict[str, Any] = field(default_factory=dict)
    collection: bool = False  # a 404 then means the service does not offer it (yet)


WITHHELD = Part(ok=False, status=403, error="not granted by your roles")


async def fetch(request: Request, caller: Principal, sources: dict[str, Source]) -> dict[str, Part]:
    """Fetch every source the caller may see, concurrently; never raises."""
    authorization = request.headers.get("authorization")
    timeout = request.app.state.settings.upstream_timeout_seconds
    names = [n for n, s in sources.items() if caller.may(s.permission)]

    async def one(source: Source) -> Part:
        upstream: Upstream = getattr(request.app.state, source.service)
        return await upstream.get(source.path, authorization, source.params or None, timeout)

    fetched = await asyncio.gather(*(one(sources[n]) for n in names))
    parts = {n: WITHHELD for n in sources}
    parts.update(zip(names, fetched, strict=True))
    return parts


def compose(sources: dict[str, Source], parts: dict[str, Part]) -> dict[str, Any]:
    """The view body: each part's data (or null), and which parts are missing and why.

    ``missing``: the service failed, was slow, or is down (circuit open).  ``withheld``: the
    caller's roles do not grant the part.  ``not_offered``: the service has no such endpoint
    (an older version during a rolling upgrade).
    """
    body: dict[str, Any] = {}
    missing: list[dict[str, Any]] = []
    withheld: list[str] = []
    not_offered: list[str] = []
    for name, part in parts.items():
        body[name] = part.data if part.ok else None
        if part.ok:
            continue
        source = sources.get(name)
        if part is WITHHELD:
            withheld.append(name)
        elif source and source.collection and part.status in (404, 405):
            not_offered.append(name)
        else:
            missing.append({"part": name, "status": part.status, "reason": part.error})
    body["missing"] = missing
    body["withheld"] = withheld
    body["not_offered"] = not_offered
    return body


def items(part: Part) -> list[Any]:
    """The items of a list part, whether the service answers a page or a bare list."""
    if not part.ok or part.data is None:
        return []
    if isinstance(part.data, dict):
        return list(part.data.get("items", []))
    return list(part.data) if isinstance(part.data, list) else []
