"""Money arithmetic: every amount that reaches the books is rounded to cents, half up."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value: Decimal | int) -> Decimal:
    """Round to the currency's cents (all supported currencies have two decimals)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def is_cents(value: Decimal) -> bool:
    return value == value.quantize(CENT)
