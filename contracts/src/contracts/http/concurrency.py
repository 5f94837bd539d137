"""Optimistic concurrency over HTTP: a resource's version is its ETag; writes send If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

IfMatch = Annotated[
    str | None,
    Header(description="The ETag you read; the write is refused with 412 if it changed since."),
]


def etag(version: int) -> str:
    return f'W/"{version}"'


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header names (W/"3" or "3"); -1 for one that names none."""
    if not if_match:
        return None
    digits = if_match.strip().removeprefix("W/").strip('"')
    return int(digits) if digits.isdigit() else -1
