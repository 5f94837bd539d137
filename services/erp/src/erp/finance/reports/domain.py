"""Financial statements from account balances, and aging of open items (no I/O)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from erp.finance.ledger.domain import DEBIT_NORMAL

ZERO = Decimal("0.00")
AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


@dataclass(frozen=True)
class AccountTotals:
    code: str
    name: str
    kind: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        """Signed the natural way for the account's kind (assets and expenses debit)."""
        if self.kind in DEBIT_NORMAL:
            return self.debit - self.credit
        return self.credit - self.debit


def trial_balance(rows: Sequence[AccountTotals]) -> dict[str, object]:
    """Each account's net balance on its debit or credit side; the two columns must agree."""
    lines = []
    debits = credits = ZERO
    for r in rows:
        if not (r.debit or r.credit):
            continue
        net_debit, net_credit = max(r.debit - r.credit, ZERO), max(r.credit - r.debit, ZERO)
        debits += net_debit
        credits += net_credit
        lines.append(
            {
                "code": r.code,
                "name": r.name,
                "kind": r.kind,
                "debit": net_debit,
                "credit": net_credit,
            }
        )
    return {"lines": lines, "total_debit": debits, "total_credit": credits}


def _section(rows: Sequence[AccountTotals], kind: str) -> tuple[list[dict[str, object]], Decimal]:
    lines = [
        {"code": r.code, "name": r.name, "amount": r.balance}
        for r in rows
        if r.kind == kind and (r.debit or r.credit)
    ]
    return lines, sum((r.balance for r in rows if r.kind == kind), ZERO)


def profit_and_loss(rows: Sequence[AccountTotals]) -> dict[str, object]:
    revenue, total_revenue = _section(rows, "revenue")
    expenses, total_expenses = _section(rows, "expense")
    return {
        "revenue": revenue,
        "total_revenue": total_revenue,
        "expenses": expenses,
        "total_expenses": total_expenses,
        "net_income": total_revenue - total_expenses,
    }


def balance_sheet(rows: Sequence[AccountTotals]) -> dict[str, object]:
    """Assets = liabilities + equity, where equity includes the earnings not yet closed."""
    assets, total_assets = _section(rows, "asset")
    liabilities, total_liabilities = _section(rows, "liability")
    equity, total_equity = _section(rows, "equity")
    earnings = _section(rows, "revenue")[1] - _section(rows, "expense")[1]
    return {
        "assets": assets,
        "total_assets": total_assets,
        "liabilities": liabilities,
        "total_liabilities": total_liabilities,
        "equity": equity,
        "current_earnings": earnings,
        "total_equity": total_equity + earnings,
        "total_liabilities_and_equity": total_liabilities + total_equity + earnings,
    }


def aging_bucket(due_on: date, as_of: date) -> str:
    late = (as_of - due_on).days
    if late <= 0:
        return "current"
    if late <= 30:
        return "1-30"
    if late <= 60:
        return "31-60"
    if late <= 90:
        return "61-90"
    return "90+"


@dataclass(frozen=True)
class OpenItem:
    party_id: uuid.UUID
    due_on: date
    balance: Decimal


def aging(items: Sequence[OpenItem], as_of: date) -> dict[str, object]:
    """Open balances per party and in total, by how many days past due they are."""
    per_party: dict[uuid.UUID, dict[str, Decimal]] = defaultdict(
        lambda: dict.fromkeys(AGING_BUCKETS, ZERO)
    )
    totals = dict.fromkeys(AGING_BUCKETS, ZERO)
    for item in items:
        if item.balance <= 0:
            continue
        bucket = aging_bucket(item.due_on, as_of)
        per_party[item.party_id][bucket] += item.balance
        totals[bucket] += item.balance
    return {
        "as_of": as_of,
        "parties": [
            {"party_id": party, "buckets": buckets, "total": sum(buckets.values(), ZERO)}
            for party, buckets in sorted(per_party.items(), key=lambda kv: str(kv[0]))
        ],
        "totals": totals,
        "total": sum(totals.values(), ZERO),
    }
