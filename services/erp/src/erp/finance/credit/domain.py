"""Credit control rules."""

from decimal import Decimal


def would_exceed(credit_limit: Decimal | None, open_receivables: Decimal, order: Decimal) -> bool:
    """True when taking the order would bring open AR above the limit (None: no limit)."""
    return credit_limit is not None and open_receivables + order > credit_limit


def credit_status(credit_limit: Decimal | None, open_receivables: Decimal, holds: int) -> str:
    if holds:
        return "on_hold"
    if credit_limit is not None and open_receivables > credit_limit:
        return "over_limit"
    return "ok"
