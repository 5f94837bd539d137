"""Report shapes (models, so every amount is serialized as an exact decimal string)."""

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class TrialBalanceLine(BaseModel):
    code: str
    name: str
    kind: str
    debit: Decimal
    credit: Decimal


class TrialBalanceOut(BaseModel):
    from_date: date | None
    to_date: date
    lines: list[TrialBalanceLine]
    total_debit: Decimal
    total_credit: Decimal


class StatementLine(BaseModel):
    code: str
    name: str
    amount: Decimal


class ProfitAndLossOut(BaseModel):
    from_date: date | None
    to_date: date
    revenue: list[StatementLine]
    total_revenue: Decimal
    expenses: list[StatementLine]
    total_expenses: Decimal
    net_income: Decimal


class BalanceSheetOut(BaseModel):
    as_of: date
    assets: list[StatementLine]
    total_assets: Decimal
    liabilities: list[StatementLine]
    total_liabilities: Decimal
    equity: list[StatementLine]
    current_earnings: Decimal
    total_equity: Decimal
    total_liabilities_and_equity: Decimal


class AgingRow(BaseModel):
    party_id: uuid.UUID
    buckets: dict[str, Decimal]
    total: Decimal


class AgingOut(BaseModel):
    as_of: date
    parties: list[AgingRow]
    totals: dict[str, Decimal]
    total: Decimal
