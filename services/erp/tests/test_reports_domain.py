"""Statements and aging checked against figures computed by hand."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from erp.finance.reports import domain
from erp.finance.reports.domain import AccountTotals, OpenItem

D = Decimal
AS_OF = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("due_on", "bucket"),
    [
        (date(2026, 7, 15), "current"),
        (date(2026, 6, 30), "current"),
        (date(2026, 6, 29), "1-30"),
        (date(2026, 5, 31), "1-30"),  # 30 days late
        (date(2026, 5, 30), "31-60"),
        (date(2026, 5, 1), "31-60"),  # 60 days late
        (date(2026, 4, 30), "61-90"),
        (date(2026, 4, 1), "61-90"),  # 90 days late
        (date(2026, 3, 31), "90+"),
    ],
)
def test_aging_buckets_at_their_boundaries(due_on: date, bucket: str) -> None:
    assert domain.aging_bucket(due_on, AS_OF) == bucket


def test_aging_totals_per_party_and_overall() -> None:
    a, b = uuid.UUID(int=1), uuid.UUID(int=2)
    report = domain.aging(
        [
            OpenItem(a, date(2026, 7, 1), D("100.00")),
            OpenItem(a, date(2026, 6, 1), D("40.00")),
            OpenItem(b, date(2026, 1, 1), D("7.50")),
            OpenItem(b, date(2026, 6, 1), D("0.00")),  # settled: not shown
        ],
        AS_OF,
    )
    assert report["parties"] == [
        {
            "party_id": a,
            "buckets": {
                "current": D("100.00"),
                "1-30": D("40.00"),
                "31-60": D(0),
                "61-90": D(0),
                "90+": D(0),
            },
            "total": D("140.00"),
        },
        {
            "party_id": b,
            "buckets": {"current": 0, "1-30": 0, "31-60": 0, "61-90": 0, "90+": D("7.50")},
            "total": D("7.50"),
        },
    ]
    assert report["totals"]["90+"] == D("7.50")
    assert report["total"] == D("147.50")


# A small month by hand: sold 3 pumps at 100 (+23 % tax), cost 60 each; bought 5 at 60;
# billed 300 by the supplier, paid 200 of it; the customer paid 369.
ROWS = [
    AccountTotals("1000", "Cash", "asset", D("369.00"), D("200.00")),
    AccountTotals("1100", "AR", "asset", D("369.00"), D("369.00")),
    AccountTotals("1200", "Inventory", "asset", D("300.00"), D("180.00")),
    AccountTotals("2000", "AP", "liability", D("200.00"), D("300.00")),
    AccountTotals("2100", "GRNI", "liability", D("300.00"), D("300.00")),
    AccountTotals("2200", "Tax", "liability", D("0"), D("69.00")),
    AccountTotals("3000", "Equity", "equity", D("0"), D("0")),
    AccountTotals("4000", "Revenue", "revenue", D("0"), D("300.00")),
    AccountTotals("5000", "COGS", "expense", D("180.00"), D("0")),
]


def test_trial_balance_by_hand() -> None:
    report = domain.trial_balance(ROWS)
    assert [(x["code"], x["debit"], x["credit"]) for x in report["lines"]] == [
        ("1000", D("169.00"), D(0)),
        ("1100", D(0), D(0)),
        ("1200", D("120.00"), D(0)),
        ("2000", D(0), D("100.00")),
        ("2100", D(0), D(0)),
        ("2200", D(0), D("69.00")),
        ("4000", D(0), D("300.00")),
        ("5000", D("180.00"), D(0)),
    ]
    assert report["total_debit"] == report["total_credit"] == D("469.00")


def test_profit_and_loss_by_hand() -> None:
    report = domain.profit_and_loss(ROWS)
    assert report["total_revenue"] == D("300.00")
    assert report["total_expenses"] == D("180.00")
    assert report["net_income"] == D("120.00")


def test_balance_sheet_by_hand() -> None:
    report = domain.balance_sheet(ROWS)
    assert report["total_assets"] == D("289.00")  # 169 cash + 120 inventory
    assert report["total_liabilities"] == D("169.00")  # 100 AP + 69 tax
    assert report["current_earnings"] == D("120.00")
    assert report["total_liabilities_and_equity"] == D("289.00")
