"""Keyset pagination, the one paging scheme of every list endpoint.

A page is ``{"items": [...], "next_cursor": "..." | null}``.  The cursor is opaque to clients:
it encodes the sort value and id of the last item, so the next page is a range scan on an
index, and its cost does not grow with the table (unlike OFFSET).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, Field
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from contracts.errors import InvalidRequest

T = TypeVar("T")

MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as ?cursor= to get the next page; null on the last page."
    )


@dataclass(frozen=True)
class Sort:
    """A parsed ``?sort=`` value: a column name, optionally prefixed with ``-`` for descending."""

    field: str
    descending: bool

    @classmethod
    def parse(cls, raw: str, allowed: Sequence[str]) -> Sort:
        descending = raw.startswith("-")
        name = raw.lstrip("-")
        if name not in allowed:
            raise InvalidRequest(
                f"cannot sort by {name!r}",
                errors=[{"field": "query.sort", "message": f"one of {', '.join(allowed)}"}],
            )
        return cls(name, descending)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "t" in value:
        return datetime.fromisoformat(value["t"])
    return value


def encode_cursor(sort_value: Any, row_id: Any) -> str:
    raw = json.dumps([_encode(sort_value), str(row_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_value, row_id = json.loads(base64.urlsafe_b64decode(padded))
        return _decode(sort_value), str(row_id)
    except Exception:
        raise InvalidRequest(
            "the cursor is not one this API issued",
            errors=[{"field": "query.cursor", "message": "invalid cursor"}],
        ) from None


async def paginate(
    session: Any,
    stmt: Select[Any],
    *,
    sort_column: InstrumentedAttribute[Any],
    id_column: InstrumentedAttribute[Any],
    descending: bool,
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    """Run ``stmt`` (selecting ORM entities) one page at a time; return rows and next cursor."""
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        value, row_id = decode_cursor(cursor)
        id_value: Any = _as_uuid(row_id) if _is_uuid(id_column) else _as_id(row_id, id_column)
        if _is_uuid(sort_column) and value is not None:
            value = _as_uuid(value)
        if descending:
            after = or_(sort_column < value, and_(sort_column == value, id_column < id_value))
        else:
            after = or_(sort_column > value, and_(sort_column == value, id_column > id_value))
        stmt = stmt.where(after)
    order = (sort_column.desc(), id_column.desc()) if descending else (sort_column, id_column)
    rows = list((await session.scalars(stmt.order_by(*order).limit(limit + 1))).all())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, sort_column.key), getattr(last, id_column.key))
    return rows, next_cursor


def _is_uuid(column: InstrumentedAttribute[Any]) -> bool:
    try:
        return column.type.python_type is UUID
    except NotImplementedError:
        return False


def _as_uuid(raw: Any) -> UUID:
    try:
        return UUID(str(raw))
    except ValueError:
        raise InvalidRequest(
            "the cursor is not one this API issued",
            errors=[{"field": "query.cursor", "message": "invalid cursor"}],
        ) from None


def _as_id(raw: str, column: InstrumentedAttribute[Any]) -> Any:
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = None
    if python_type is str:  # a text key that happens to be all digits stays text
        return raw
    return int(raw) if raw.lstrip("-").isdigit() else raw
