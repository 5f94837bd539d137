"""Credit control: screen confirmed orders, hold those over the limit, release them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from contracts.errors import Conflict, NotFound
from contracts.events.crm import AccountRegistered, OrderCancelled, OrderConfirmed
from contracts.events.erp import OrderCreditHold, OrderCreditReleased
from contracts.runtime import UnitOfWork, current_actor
from erp.finance.credit import domain
from erp.finance.credit.models import CreditHold
from erp.finance.money import to_cents
from erp.finance.receivables.customers import (
    announce_credit,
    customer,
    open_receivables,
    set_credit_limit,
)
from erp.finance.receivables.customers import register_customer as register
from erp.finance.receivables.invoicing import confirmation_of, record_order
from erp.finance.receivables.models import Customer, CustomerOrder
from erp.inventory import service as inventory


async def screen_order(uow: UnitOfWork, event: OrderConfirmed) -> bool:
    """Record the order for invoicing; hold it (True) if it would exceed the credit limit.

    Called before any stock is reserved.  A re-sent confirmation gets the same answer.
    """
    session = uow.session
    seen = await session.get(CustomerOrder, event.order_id)
    if seen is not None:  # screened before (or cancelled before its confirmation arrived)
        hold = await session.get(CreditHold, event.order_id)
        return seen.status == "cancelled" or (hold is not None and hold.status == "held")
    order = await record_order(uow, event)
    buyer = await customer(session, order.account_id)
    owed = await open_receivables(session, buyer.account_id)
    if not domain.would_exceed(buyer.credit_limit, owed, event.total):
        return False
    assert buyer.credit_limit is not None
    session.add(
        CreditHold(
            order_id=event.order_id,
            account_id=buyer.account_id,
            order_total=event.total,
            open_receivables=owed,
            credit_limit=buyer.credit_limit,
            status="held",
            held_at=datetime.now(UTC),
        )
    )
    await session.flush()
    await uow.publish(
        OrderCreditHold(
            order_id=event.order_id,
            account_id=buyer.account_id,
            order_total=to_cents(event.total),
            open_receivables=owed,
            credit_limit=to_cents(buyer.credit_limit),
        )
    )
    await announce_credit(uow, buyer)
    return True


async def _release(uow: UnitOfWork, hold: CreditHold, reason: str) -> None:
    """Release the hold, announce it, then reserve the order in the same unit of work."""
    hold.status = "released"
    hold.released_at = datetime.now(UTC)
    hold.release_reason = reason[:200]
    hold.released_by = current_actor()
    await uow.session.flush()
    await uow.publish(OrderCreditReleased(order_id=hold.order_id, reason=reason))
    order = await uow.session.get(CustomerOrder, hold.order_id)
    if order is None:
        raise Conflict(f"the held order {hold.order_id} has no stored lines")
    await inventory.reserve_order(uow, await confirmation_of(uow.session, order))
    await uow.audit("credit_hold", hold.order_id, "released", after={"reason": reason})


async def release_hold(uow: UnitOfWork, order_id: uuid.UUID, reason: str) -> CreditHold:
    """Finance approves a held order."""
    hold = await uow.session.get(CreditHold, order_id)
    if hold is None:
        raise NotFound(f"order {order_id} is not on credit hold")
    if hold.status != "held":
        raise Conflict(f"the hold of order {order_id} is already {hold.status}")
    await _release(uow, hold, reason or "approved by finance")
    await announce_credit(uow, await customer(uow.session, hold.account_id))
    return hold


async def release_covered_orders(uow: UnitOfWork, buyer: Customer) -> list[CreditHold]:
    """Release held orders, oldest first, that now fit under the limit.

    Each released order counts toward the exposure of the next, so one payment never
    releases more than the limit covers.
    """
    holds = (
        await uow.session.scalars(
            select(CreditHold)
            .where(CreditHold.account_id == buyer.account_id, CreditHold.status == "held")
            .order_by(CreditHold.held_at, CreditHold.order_id)
        )
    ).all()
    exposure = await open_receivables(uow.session, buyer.account_id)
    released = []
    for hold in holds:
        if domain.would_exceed(buyer.credit_limit, exposure, hold.order_total):
            continue
        exposure += hold.order_total
        await _release(uow, hold, "covered by payment or limit")
        released.append(hold)
    return released


async def cancel_order(uow: UnitOfWork, event: OrderCancelled) -> None:
    """A cancelled order is neither invoiced nor kept on hold."""
    order = await uow.session.get(CustomerOrder, event.order_id)
    if order is None:
        # The cancellation overtook the confirmation: remember it so screening holds it.
        now = datetime.now(UTC)
        uow.session.add(
            CustomerOrder(
                order_id=event.order_id,
                order_number="",
                account_id=event.account_id,
                currency="EUR",
                total=0,
                status="cancelled",
                confirmed_at=now,
            )
        )
        await uow.session.flush()
        return
    order.status = "cancelled"
    hold = await uow.session.get(CreditHold, event.order_id)
    if hold is not None and hold.status == "held":
        hold.status = "cancelled"
        await uow.session.flush()
        await announce_credit(uow, await customer(uow.session, hold.account_id))


async def change_credit_limit(
    uow: UnitOfWork,
    account_id: uuid.UUID,
    credit_limit: Decimal | None,
    *,
    expected_version: int | None,
) -> Customer:
    """Finance sets a customer's limit; held orders the new limit covers are released."""
    buyer = await set_credit_limit(uow, account_id, credit_limit, expected_version=expected_version)
    if await release_covered_orders(uow, buyer):
        await announce_credit(uow, buyer)
    return buyer


async def register_customer(uow: UnitOfWork, event: AccountRegistered) -> Customer:
    """CRM registered the account or changed its terms; a raised limit may release holds."""
    buyer = await register(uow, event)
    if buyer.merged_into is None and await release_covered_orders(uow, buyer):
        await announce_credit(uow, buyer)
    return buyer
