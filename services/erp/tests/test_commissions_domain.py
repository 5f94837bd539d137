"""Commission rules: which rate applies and what a paid invoice earns."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.errors import InvalidRequest
from erp.people import domain
from erp.people.domain import Rule

D = Decimal
RULES = [
    Rule(None, D("0.03"), date(2026, 1, 1)),
    Rule(None, D("0.04"), date(2026, 7, 1)),
    Rule("anna", D("0.05"), date(2026, 3, 1)),
]


def test_a_reps_own_rule_beats_the_default_once_in_force() -> None:
    assert domain.rate_for(RULES, "anna", date(2026, 2, 28)) == D("0.03")
    assert domain.rate_for(RULES, "anna", date(2026, 3, 1)) == D("0.05")
    assert domain.rate_for(RULES, "anna", date(2026, 8, 1)) == D("0.05")


def test_the_newest_default_applies_to_reps_without_a_rule() -> None:
    assert domain.rate_for(RULES, "ben", date(2026, 6, 30)) == D("0.03")
    assert domain.rate_for(RULES, "ben", date(2026, 7, 1)) == D("0.04")
    assert domain.rate_for(RULES, "ben", date(2025, 12, 31)) == D("0")


def test_commission_is_rounded_to_cents_half_up() -> None:
    assert domain.commission(D("333.30"), D("0.05")) == D("16.67")  # 16.665
    assert domain.commission(D("0.10"), D("0.05")) == D("0.01")  # 0.005


def test_period_bounds() -> None:
    assert domain.period_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    with pytest.raises(InvalidRequest):
        domain.period_bounds("2028-13")
