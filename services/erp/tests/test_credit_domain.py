"""Credit control rules."""

from decimal import Decimal

from erp.finance.credit import domain

D = Decimal


def test_an_order_is_held_only_when_it_takes_open_ar_above_the_limit() -> None:
    assert not domain.would_exceed(D("1000.00"), D("600.00"), D("400.00"))  # exactly at
    assert domain.would_exceed(D("1000.00"), D("600.00"), D("400.01"))
    assert not domain.would_exceed(None, D("1e9"), D("1e9"))  # no limit set
    assert domain.would_exceed(D("0"), D("0"), D("0.01"))


def test_credit_status() -> None:
    assert domain.credit_status(D("100"), D("100"), 0) == "ok"
    assert domain.credit_status(D("100"), D("100.01"), 0) == "over_limit"
    assert domain.credit_status(None, D("5"), 1) == "on_hold"
