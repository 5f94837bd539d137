"""Commission rules: which rate applies, and what a paid invoice earns the rep."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contracts.errors import InvalidRequest
from erp.finance.money import to_cents


@dataclass(frozen=True)
class Rule:
    username: str | None  # None: the default for every rep without a rule of their own
    rate: Decimal
    valid_from: date


def rate_for(rules: Sequence[Rule], username: str, day: date) -> Decimal:
    """The rep's newest rule in force on ``day``; else the newest default; else zero."""
    in_force = [r for r in rules if r.valid_from <= day]
    own = [r for r in in_force if r.username == username]
    default = [r for r in in_force if r.username is None]
    for candidates in (own, default):
        if candidates:
            return max(candidates, key=lambda r: r.valid_from).rate
    return Decimal("0")


def commission(net_revenue: Decimal, rate: Decimal) -> Decimal:
    return to_cents(net_revenue * rate)


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a ``YYYY-MM`` period."""
    try:
        year, month = (int(x) for x in period.split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise InvalidRequest(
            f"{period!r} is not a period",
            errors=[{"field": "query.period", "message": "YYYY-MM"}],
        ) from None
    return first, date(year, month, calendar.monthrange(year, month)[1])
