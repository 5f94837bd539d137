"""Use cases of the ledger: post, reverse, edit the chart, close periods.

``post_entry`` is the only way lines reach the books; every posting rule and every manual
entry goes through it, and through ``domain.balanced``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, InvalidRequest, NotFound, PreconditionFailed
from contracts.runtime import UnitOfWork, current_actor
from erp.finance.ledger import domain
from erp.finance.ledger.domain import Posting
from erp.finance.ledger.models import ClosedPeriod, JournalEntry, JournalLine, LedgerAccount

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class PeriodClosed(Conflict):
    title = "The period is closed"


async def _closed(session: AsyncSession) -> set[str]:
    return set((await session.scalars(select(ClosedPeriod.period))).all())


async def open_posting_date(session: AsyncSession, wanted: date) -> date:
    """``wanted``, or the first day of the next open month if ``wanted``'s month is closed.

    Postings caused by events (an invoice for a shipment) must not be lost because finance
    closed the month meanwhile: they land at the start of the next open period instead.
    """
    closed = await _closed(session)
    day = wanted
    while domain.period_of(day) in closed:
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return day


async def post_entry(
    uow: UnitOfWork,
    lines: Sequence[Posting],
    *,
    entry_date: date,
    description: str,
    source: str,
    source_id: str,
    reverses_id: int | None = None,
) -> JournalEntry:
    """Put one balanced entry on the books, dated inside an open period."""
    session = uow.session
    kept = domain.balanced(lines)
    if domain.period_of(entry_date) in await _closed(session):
        raise PeriodClosed(f"period {domain.period_of(entry_date)} is closed")
    codes = {line.account for line in kept}
    accounts = {
        a.code: a
        for a in (
            await session.scalars(select(LedgerAccount).where(LedgerAccount.code.in_(codes)))
        ).all()
    }
    for code in sorted(codes):
        if code not in accounts:
            raise InvalidRequest(f"ledger account {code} does not exist")
        if not accounts[code].active:
            raise InvalidRequest(f"ledger account {code} is inactive")
    if await session.scalar(
        select(JournalEntry.id).where(
            JournalEntry.source == source, JournalEntry.source_id == source_id
        )
    ):
        raise Conflict(f"{source} {source_id} is already posted")
    amount = domain.total(kept)
    entry = JournalEntry(
        entry_date=entry_date,
        description=description,
        source=source,
        source_id=source_id,
        reverses_id=reverses_id,
        total_debit=amount,
        total_credit=amount,
        actor=current_actor(),
        posted_at=datetime.now(UTC),
    )
    session.add(entry)
    await session.flush()
    session.add_all(
        JournalLine(entry_id=entry.id, account_code=x.account, debit=x.debit, credit=x.credit)
        for x in kept
    )
    await session.flush()
    return entry


async def post_manual_entry(
    uow: UnitOfWork, lines: Sequence[Posting], *, entry_date: date, description: str
) -> JournalEntry:
    entry = await post_entry(
        uow,
        lines,
        entry_date=entry_date,
        description=description,
        source="manual",
        source_id=str(uuid.uuid4()),
    )
    await uow.audit("journal_entry", entry.id, "posted", after=_summary(entry, lines))
    return entry


async def entry_lines(session: AsyncSession, entry_id: int) -> list[JournalLine]:
    return list(
        (
            await session.scalars(
                select(JournalLine).where(JournalLine.entry_id == entry_id).order_by(JournalLine.id)
            )
        ).all()
    )


async def reverse_entry(
    uow: UnitOfWork, entry_id: int, *, entry_date: date | None, reason: str
) -> JournalEntry:
    """Correct a posted entry the auditable way: post its mirror image."""
    original = await uow.session.get(JournalEntry, entry_id)
    if original is None:
        raise NotFound(f"journal entry {entry_id} does not exist")
    if original.reverses_id is not None:
        raise Conflict(f"entry {entry_id} is itself a reversal; post a new entry instead")
    lines = [
        Posting(x.account_code, debit=x.debit, credit=x.credit)
        for x in await entry_lines(uow.session, entry_id)
    ]
    if await uow.session.scalar(
        select(JournalEntry.id).where(
            JournalEntry.source == "reversal", JournalEntry.source_id == str(entry_id)
        )
    ):
        raise Conflict(f"entry {entry_id} is already reversed")
    entry = await post_entry(
        uow,
        domain.reversal(lines),
        entry_date=entry_date or datetime.now(UTC).date(),
        description=f"Reversal of entry {entry_id}: {reason}"[:200],
        source="reversal",
        source_id=str(entry_id),
        reverses_id=entry_id,
    )
    await uow.audit("journal_entry", entry_id, "reversed", after={"reversal_id": entry.id})
    return entry


def _summary(entry: JournalEntry, lines: Sequence[Posting]) -> dict[str, object]:
    return {
        "date": entry.entry_date.isoformat(),
        "description": entry.description,
        "lines": [[x.account, str(x.debit), str(x.credit)] for x in lines],
    }


async def create_account(uow: UnitOfWork, code: str, name: str, kind: str) -> LedgerAccount:
    if await uow.session.get(LedgerAccount, code) is not None:
        raise Conflict(
            f"ledger account {code} exists",
            errors=[{"field": "body.code", "message": "already used"}],
        )
    now = datetime.now(UTC)
    account = LedgerAccount(
        code=code, name=name, kind=kind, system=False, active=True, created_at=now, updated_at=now
    )
    uow.session.add(account)
    await uow.session.flush()
    await uow.audit("ledger_account", code, "created", after={"name": name, "kind": kind})
    return account


async def update_account(
    uow: UnitOfWork,
    code: str,
    *,
    name: str | None,
    active: bool | None,
    expected_version: int | None,
) -> LedgerAccount:
    account = await uow.session.get(LedgerAccount, code)
    if account is None:
        raise NotFound(f"ledger account {code} does not exist")
    if expected_version is not None and expected_version != account.version:
        raise PreconditionFailed(f"account {code} is at version {account.version}")
    before = {"name": account.name, "active": account.active}
    if active is False and account.system:
        raise Conflict(f"account {code} is used by the posting rules and cannot be deactivated")
    if name is not None:
        account.name = name
    if active is not None:
        account.active = active
    account.updated_at = datetime.now(UTC)
    await uow.session.flush()
    await uow.audit(
        "ledger_account",
        code,
        "updated",
        before=before,
        after={"name": account.name, "active": account.active},
    )
    return account


async def close_period(uow: UnitOfWork, period: str) -> ClosedPeriod:
    if not PERIOD.match(period):
        raise InvalidRequest(
            f"{period!r} is not a period",
            errors=[{"field": "path.period", "message": "YYYY-MM"}],
        )
    if await uow.session.get(ClosedPeriod, period) is not None:
        raise Conflict(f"period {period} is already closed")
    closed = ClosedPeriod(period=period, closed_at=datetime.now(UTC), closed_by=current_actor())
    uow.session.add(closed)
    await uow.session.flush()
    await uow.audit("ledger_period", period, "closed")
    return closed
