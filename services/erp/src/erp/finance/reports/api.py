"""Reports: trial balance, profit and loss, balance sheet, AR and AP aging.

Ranges are ``?from=&to=`` (inclusive; ``from`` optional) or ``?as_of=`` (everything up to
and including that day); without either, up to today.
"""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from contracts.errors import InvalidRequest
from contracts.http.auth import Principal
from erp.deps import Tx, require
from erp.finance.access import staff_only
from erp.finance.reports import domain, service
from erp.finance.reports.schemas import (
    AgingOut,
    BalanceSheetOut,
    ProfitAndLossOut,
    TrialBalanceOut,
)

router = APIRouter(prefix="/reports", tags=["reports"])
Reader = Annotated[Principal, Depends(require("finance:read"))]
From = Annotated[date | None, Query(alias="from")]
To = Annotated[date | None, Query(alias="to")]


def _range(
    date_from: date | None, date_to: date | None, as_of: date | None
) -> tuple[date | None, date]:
    if as_of and (date_from or date_to):
        raise InvalidRequest(
            "give either as_of or from/to",
            errors=[{"field": "query.as_of", "message": "not with from/to"}],
        )
    end = as_of or date_to or datetime.now(UTC).date()
    if date_from and date_from > end:
        raise InvalidRequest(
            "the range ends before it starts",
            errors=[{"field": "query.from", "message": "must be on or before to"}],
        )
    return date_from, end


@router.get("/trial-balance", response_model=TrialBalanceOut)
async def trial_balance(
    tx: Tx, caller: Reader, date_from: From = None, date_to: To = None, as_of: date | None = None
) -> dict[str, Any]:
    staff_only(caller)
    start, end = _range(date_from, date_to, as_of)
    async with tx.read() as session:
        rows = await service.account_totals(session, date_from=start, date_to=end)
    return {"from_date": start, "to_date": end, **domain.trial_balance(rows)}


@router.get("/profit-and-loss", response_model=ProfitAndLossOut)
async def profit_and_loss(
    tx: Tx, caller: Reader, date_from: From = None, date_to: To = None, as_of: date | None = None
) -> dict[str, Any]:
    staff_only(caller)
    start, end = _range(date_from, date_to, as_of)
    async with tx.read() as session:
        rows = await service.account_totals(session, date_from=start, date_to=end)
    return {"from_date": start, "to_date": end, **domain.profit_and_loss(rows)}


@router.get("/balance-sheet", response_model=BalanceSheetOut)
async def balance_sheet(
    tx: Tx, caller: Reader, date_to: To = None, as_of: date | None = None
) -> dict[str, Any]:
    """Balances at the end of a day (a balance sheet is cumulative: ``from`` does not apply)."""
    staff_only(caller)
    _, end = _range(None, date_to, as_of)
    async with tx.read() as session:
        rows = await service.account_totals(session, date_from=None, date_to=end)
    return {"as_of": end, **domain.balance_sheet(rows)}


@router.get("/ar-aging", response_model=AgingOut)
async def receivables_aging(
    tx: Tx, caller: Reader, as_of: date | None = None, date_to: To = None
) -> dict[str, Any]:
    staff_only(caller)
    _, end = _range(None, date_to, as_of)
    async with tx.read() as session:
        items = await service.receivables_open(session, end)
    return domain.aging(items, end)


@router.get("/ap-aging", response_model=AgingOut)
async def payables_aging(
    tx: Tx, caller: Reader, as_of: date | None = None, date_to: To = None
) -> dict[str, Any]:
    staff_only(caller)
    _, end = _range(None, date_to, as_of)
    async with tx.read() as session:
        items = await service.payables_open(session, end)
    return domain.aging(items, end)
