"""Customers as finance knows them: registered and merged by CRM, with their AR standing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import NotFound, PreconditionFailed
from contracts.events.crm import AccountRegistered, AccountsMerged
from contracts.events.erp import CustomerCreditChanged
from contracts.runtime import UnitOfWork
from erp.finance.credit import domain as credit_rules
from erp.finance.credit.models import CreditHold
from erp.finance.money import to_cents
from erp.finance.receivables.models import Customer, CustomerOrder, Invoice, Payment

ZERO = Decimal("0.00")


async def customer(session: AsyncSession, account_id: uuid.UUID) -> Customer:
    """The customer record (created as a placeholder if CRM's registration is still on its
    way); a merged account resolves to its survivor."""
    found = await session.get(Customer, account_id)
    if found is None:
        now = datetime.now(UTC)
        found = Customer(
            account_id=account_id,
            name="",
            payment_terms_days=30,
            credit_revision=0,
            created_at=now,
            updated_at=now,
        )
        session.add(found)
        await session.flush()
    if found.merged_into is not None:
        return await customer(session, found.merged_into)
    return found


@dataclass(frozen=True)
class Standing:
    credit_limit: Decimal | None
    open_receivables: Decimal
    overdue_receivables: Decimal
    held_orders: int

    @property
    def status(self) -> str:
        return credit_rules.credit_status(
            self.credit_limit, self.open_receivables, self.held_orders
        )


async def _open_invoices(session: AsyncSession, account_id: uuid.UUID) -> list[Invoice]:
    return list(
        (
            await session.scalars(
                select(Invoice).where(Invoice.account_id == account_id, Invoice.status == "open")
            )
        ).all()
    )


async def open_receivables(session: AsyncSession, account_id: uuid.UUID) -> Decimal:
    """What the customer owes on issued invoices (summed exactly, in Python)."""
    return to_cents(sum((i.balance_due for i in await _open_invoices(session, account_id)), ZERO))


async def standing(session: AsyncSession, found: Customer, today: date | None = None) -> Standing:
    today = today or datetime.now(UTC).date()
    invoices = await _open_invoices(session, found.account_id)
    holds = await session.scalar(
        select(func.count())
        .select_from(CreditHold)
        .where(CreditHold.account_id == found.account_id, CreditHold.status == "held")
    )
    return Standing(
        credit_limit=found.credit_limit,
        open_receivables=to_cents(sum((i.balance_due for i in invoices), ZERO)),
        overdue_receivables=to_cents(
            sum((i.balance_due for i in invoices if i.due_on < today), ZERO)
        ),
        held_orders=int(holds or 0),
    )


async def announce_credit(uow: UnitOfWork, found: Customer) -> None:
    """Tell CRM the customer's receivables and credit standing (after any change of them)."""
    now = await standing(uow.session, found)
    found.credit_revision += 1
    found.updated_at = datetime.now(UTC)
    await uow.session.flush()
    await uow.publish(
        CustomerCreditChanged(
            account_id=found.account_id,
            credit_limit=None if now.credit_limit is None else to_cents(now.credit_limit),
            open_receivables=now.open_receivables,
            overdue_receivables=now.overdue_receivables,
            credit_status=now.status,
            revision=found.credit_revision,
        )
    )


async def register_customer(uow: UnitOfWork, event: AccountRegistered) -> Customer:
    """CRM created an account or changed its billing facts."""
    found = await uow.session.get(Customer, event.account_id)
    if found is None:
        found = await customer(uow.session, event.account_id)
    limit_changed = found.credit_limit != event.credit_limit
    found.name = event.name
    found.owner = event.owner
    found.credit_limit = event.credit_limit
    found.payment_terms_days = event.payment_terms_days
    found.updated_at = datetime.now(UTC)
    await uow.session.flush()
    if limit_changed and found.merged_into is None:
        await announce_credit(uow, found)
    return found


async def merge_customers(uow: UnitOfWork, event: AccountsMerged) -> Customer:
    """Everything the merged account owed or ordered now belongs to the survivor."""
    session = uow.session
    if event.survivor_id == event.merged_id:
        return await customer(session, event.survivor_id)
    survivor = await customer(session, event.survivor_id)
    merged = await session.get(Customer, event.merged_id)
    if merged is None:
        merged = await customer(session, event.merged_id)
    if merged.merged_into == survivor.account_id:
        return survivor  # already merged (a re-sent event)
    for table in (Invoice, Payment, CustomerOrder, CreditHold):
        await session.execute(
            update(table)
            .where(table.account_id == event.merged_id)
            .values(account_id=survivor.account_id)
            .execution_options(synchronize_session=False)
        )
    merged.merged_into = survivor.account_id
    merged.updated_at = datetime.now(UTC)
    await session.flush()
    await uow.audit(
        "customer", event.merged_id, "merged", after={"survivor_id": str(survivor.account_id)}
    )
    await announce_credit(uow, survivor)
    return survivor


async def set_credit_limit(
    uow: UnitOfWork,
    account_id: uuid.UUID,
    credit_limit: Decimal | None,
    *,
    expected_version: int | None,
) -> Customer:
    """Finance sets the limit (CRM's next registration of the account may set it again)."""
    found = await uow.session.get(Customer, account_id)
    if found is None or found.merged_into is not None:
        raise NotFound(f"customer {account_id} is not known to finance")
    if expected_version is not None and expected_version != found.version:
        raise PreconditionFailed(f"customer {account_id} is at version {found.version}")
    before = {"credit_limit": found.credit_limit}
    found.credit_limit = credit_limit
    await uow.session.flush()
    await uow.audit(
        "customer",
        account_id,
        "credit_limit_set",
        before=before,
        after={"credit_limit": credit_limit},
    )
    await announce_credit(uow, found)
    return found
