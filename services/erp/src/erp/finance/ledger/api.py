"""The ledger over HTTP: chart of accounts, journal entries, periods."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from erp.deps import Tx, require
from erp.finance.access import staff_only
from erp.finance.ledger import domain, service
from erp.finance.ledger.models import ClosedPeriod, JournalEntry, JournalLine, LedgerAccount
from erp.finance.ledger.schemas import (
    AccountIn,
    AccountOut,
    AccountPatch,
    EntryIn,
    EntryOut,
    PeriodOut,
    ReverseIn,
)
from erp.finance.money import to_cents

router = APIRouter(prefix="/ledger", tags=["ledger"])
Limit = Annotated[int, Query(ge=1, le=200)]
Reader = Annotated[Principal, Depends(require("finance:read"))]
Writer = Annotated[Principal, Depends(require("finance:write"))]
# Journal entries are numbered by an INTEGER key; a larger number is bad input, not a crash.
EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]


async def _shaped(session: AsyncSession, entries: list[JournalEntry]) -> list[dict[str, Any]]:
    ids = [e.id for e in entries]
    lines: dict[int, list[JournalLine]] = {i: [] for i in ids}
    if ids:
        for line in await session.scalars(
            select(JournalLine).where(JournalLine.entry_id.in_(ids)).order_by(JournalLine.id)
        ):
            lines[line.entry_id].append(line)
    return [
        {
            "id": e.id,
            "entry_date": e.entry_date,
            "description": e.description,
            "source": e.source,
            "source_id": e.source_id,
            "reverses_id": e.reverses_id,
            "total": to_cents(e.total_debit),
            "actor": e.actor,
            "posted_at": e.posted_at,
            "lines": [
                {
                    "account_code": x.account_code,
                    "debit": to_cents(x.debit),
                    "credit": to_cents(x.credit),
                }
                for x in lines[e.id]
            ],
        }
        for e in entries
    ]


@router.get("/accounts", response_model=Page[AccountOut])
async def list_accounts(
    tx: Tx,
    caller: Reader,
    kind: str | None = None,
    active: bool | None = None,
    sort: str = "code",
    cursor: str | None = None,
    limit: Limit = 200,
) -> dict[str, object]:
    staff_only(caller)
    order = Sort.parse(sort, ("code", "name"))
    stmt = select(LedgerAccount)
    if kind:
        stmt = stmt.where(LedgerAccount.kind == kind)
    if active is not None:
        stmt = stmt.where(LedgerAccount.active == active)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(LedgerAccount, order.field),
            id_column=LedgerAccount.code,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/accounts", status_code=201, response_model=AccountOut)
async def create_account(body: AccountIn, response: Response, tx: Tx, _: Writer) -> LedgerAccount:
    async with tx.begin() as uow:
        account = await service.create_account(uow, body.code, body.name, body.kind)
    response.headers["ETag"] = etag(account.version)
    return account


@router.patch("/accounts/{code}", response_model=AccountOut)
async def update_account(
    code: str, body: AccountPatch, response: Response, tx: Tx, _: Writer, if_match: IfMatch = None
) -> LedgerAccount:
    async with tx.begin() as uow:
        account = await service.update_account(
            uow,
            code,
            name=body.name,
            active=body.active,
            expected_version=expected_version(if_match),
        )
    response.headers["ETag"] = etag(account.version)
    return account


@router.get("/journal-entries", response_model=Page[EntryOut])
async def list_entries(
    tx: Tx,
    caller: Reader,
    source: str | None = None,
    account: str | None = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    sort: str = "-id",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    staff_only(caller)
    order = Sort.parse(sort, ("id",))
    stmt = select(JournalEntry)
    if source:
        stmt = stmt.where(JournalEntry.source == source)
    if account:
        stmt = stmt.where(
            JournalEntry.id.in_(
                select(JournalLine.entry_id).where(JournalLine.account_code == account)
            )
        )
    if date_from:
        stmt = stmt.where(JournalEntry.entry_date >= date_from)
    if date_to:
        stmt = stmt.where(JournalEntry.entry_date <= date_to)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(JournalEntry, order.field),
            id_column=JournalEntry.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
        shaped = await _shaped(session, items)
    return {"items": shaped, "next_cursor": next_cursor}


@router.get("/journal-entries/{entry_id}", response_model=EntryOut)
async def get_entry(entry_id: EntryId, tx: Tx, caller: Reader) -> dict[str, Any]:
    staff_only(caller)
    async with tx.read() as session:
        entry = await session.get(JournalEntry, entry_id)
        if entry is None:
            raise NotFound(f"journal entry {entry_id} does not exist")
        return (await _shaped(session, [entry]))[0]


@router.post("/journal-entries", status_code=201, response_model=EntryOut)
async def post_manual_entry(body: EntryIn, tx: Tx, _: Writer) -> dict[str, Any]:
    """A finance user's own entry (accruals, corrections): refused unless it balances."""
    lines = [domain.Posting(x.account, debit=x.debit, credit=x.credit) for x in body.lines]
    async with tx.begin() as uow:
        entry = await service.post_manual_entry(
            uow, lines, entry_date=body.entry_date, description=body.description
        )
        return (await _shaped(uow.session, [entry]))[0]


@router.post("/journal-entries/{entry_id}/reverse", status_code=201, response_model=EntryOut)
async def reverse_entry(entry_id: EntryId, body: ReverseIn, tx: Tx, _: Writer) -> dict[str, Any]:
    async with tx.begin() as uow:
        entry = await service.reverse_entry(
            uow, entry_id, entry_date=body.entry_date, reason=body.reason
        )
        return (await _shaped(uow.session, [entry]))[0]


@router.get("/periods", response_model=list[PeriodOut])
async def list_periods(tx: Tx, caller: Reader) -> list[dict[str, object]]:
    """Every month that has postings or was closed, newest first."""
    staff_only(caller)
    async with tx.read() as session:
        days = (await session.scalars(select(JournalEntry.entry_date).distinct())).all()
        closed = {c.period: c for c in (await session.scalars(select(ClosedPeriod))).all()}
    periods = {domain.period_of(d) for d in days} | set(closed)
    return [
        {
            "period": p,
            "status": "closed" if p in closed else "open",
            "closed_at": closed[p].closed_at if p in closed else None,
            "closed_by": closed[p].closed_by if p in closed else None,
        }
        for p in sorted(periods, reverse=True)
    ]


@router.post("/periods/{period}/close", response_model=PeriodOut)
async def close_period(period: str, tx: Tx, _: Writer) -> dict[str, object]:
    async with tx.begin() as uow:
        closed = await service.close_period(uow, period)
    return {
        "period": closed.period,
        "status": "closed",
        "closed_at": closed.closed_at,
        "closed_by": closed.closed_by,
    }
