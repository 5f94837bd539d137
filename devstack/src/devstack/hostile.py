"""Hostile request values, and the checks that a refusal changed nothing (test helpers)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
from sqlalchemy import func, select, table

SQL_FRAGMENT = "'; DROP TABLE accounts; --"
ODD_TEXT = "\u202eevil\u200f \U0001f4a3 \u00e9\u0301"  # RTL override, RTL mark, emoji, combining
NUL_TEXT = "Evil\u0000Corp"
FORTY_DIGITS = "1" * 40


def deeply_nested(levels: int = 5000) -> bytes:
    """A JSON document nested ``levels`` deep (an array in an array in ...)."""
    return b"[" * levels + b"]" * levels


def with_raw_number(body: dict[str, Any], field: str, literal: str) -> bytes:
    """``body`` as JSON with ``field`` set to a number literal JSON cannot hold exactly."""
    import json

    marker = "__raw_number__"
    return json.dumps(body | {field: marker}).replace(f'"{marker}"', literal).encode()


def assert_refused(response: httpx.Response, *statuses: int) -> None:
    """A 4xx problem document (of one of ``statuses`` when given)."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["content-type"] == "application/problem+json", response.headers
    assert response.json()["status"] == response.status_code


async def row_counts(app: Any, names: Iterable[str]) -> dict[str, int]:
    """The number of rows of each named table of ``app``'s database."""
    runtime = app.state.runtime
    counts = {}
    async with runtime.transactions.read() as session:
        for name in names:
            counts[name] = await session.scalar(select(func.count()).select_from(table(name)))
    return counts
