"""Use cases on sales orders: create, confirm, cancel, and ERP's facts about them."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import InvalidRequest, NotFound, PreconditionFailed
from contracts.events.common import OrderLine
from contracts.events.crm import OrderCancelled, OrderConfirmed
from contracts.runtime import UnitOfWork, current_actor
from crm.catalog.models import CatalogProduct
from crm.customers import timeline
from crm.customers.service import get_account
from crm.sales.domain import (
    LineDraft,
    OrderStatus,
    advance,
    agreed_unit_price,
    check_transition,
    fully_paid,
    price_line,
)
from crm.sales.models import OrderStatusChange, SalesOrder, SalesOrderLine
from crm.sales.schemas import OrderIn


def new_order_number(now: datetime) -> str:
    return f"SO-{now:%y%m%d}-{secrets.token_hex(4).upper()}"


async def create_order(
    uow: UnitOfWork, data: OrderIn, *, idempotency_key: str | None = None
) -> SalesOrder:
    """A draft order priced from the catalog.  A repeated idempotency key returns the first."""
    session = uow.session
    if idempotency_key:
        existing = await session.scalar(
            select(SalesOrder).where(SalesOrder.idempotency_key == idempotency_key)
        )
        if existing is not None:
            return existing
    account = await get_account(session, data.account_id)
    if account.merged_into_id is not None:
        raise InvalidRequest(
            f"account {account.id} was merged into {account.merged_into_id}",
            errors=[{"field": "body.account_id", "message": "merged account"}],
        )
    pricing = await price_from_catalog(session, data.lines, "an order")
    now = datetime.now(UTC)
    order = SalesOrder(
        id=uuid.uuid4(),
        number=new_order_number(now),
        account_id=account.id,
        owner=data.owner or account.owner,
        status=OrderStatus.DRAFT,
        currency=pricing.currency,
        idempotency_key=idempotency_key,
        created_at=now,
        updated_at=now,
        net_total=pricing.net_total,
        tax_total=pricing.tax_total,
        total=pricing.net_total + pricing.tax_total,
        invoiced_amount=Decimal(0),
        paid_amount=Decimal(0),
    )
    order.lines.extend(SalesOrderLine(**line) for line in pricing.lines)
    record_status(order, None, OrderStatus.DRAFT, "created", now)
    session.add(order)
    await session.flush()
    record_order_created(uow, order)
    await uow.audit(
        "sales_order",
        order.id,
        "created",
        after={"number": order.number, "total": str(order.total)},
    )
    return order


def record_order_created(uow: UnitOfWork, order: SalesOrder) -> None:
    timeline.record(
        uow.session,
        order.account_id,
        "order_created",
        f"Order {order.number} created ({order.total} {order.currency})",
        subject_type="order",
        subject_id=order.id,
        at=order.created_at,
    )


async def catalog_products(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, CatalogProduct]:
    found = {
        p.product_id: p
        for p in await session.scalars(
            select(CatalogProduct).where(CatalogProduct.product_id.in_(ids))
        )
    }
    errors = [
        {"field": f"body.lines.{i}.product_id", "message": "not an active catalog product"}
        for i, pid in enumerate(ids)
        if pid not in found or not found[pid].active
    ]
    if errors:
        raise InvalidRequest("some lines name products that cannot be sold", errors=errors)
    return found


@dataclass(frozen=True)
class CatalogPricing:
    """Lines priced from the catalog read model: the fields every priced line stores."""

    currency: str
    lines: list[dict[str, Any]]
    net_total: Decimal
    tax_total: Decimal


class LineRequest(Protocol):
    product_id: uuid.UUID
    quantity: int
    discount_percent: Decimal


async def price_from_catalog(
    session: AsyncSession, requested: Sequence[LineRequest], document: str
) -> CatalogPricing:
    """List price, line discount and the product's tax rate, each line rounded to the cent
    (``price_line``); shared by quotes and orders so both price alike."""
    products = await catalog_products(session, [line.product_id for line in requested])
    currencies = {p.currency for p in products.values()}
    if len(currencies) > 1:
        raise InvalidRequest(f"all lines of {document} must be priced in one currency")
    lines: list[dict[str, Any]] = []
    net_total = tax_total = Decimal(0)
    for position, line_in in enumerate(requested, start=1):
        product = products[line_in.product_id]
        amounts = price_line(
            LineDraft(
                quantity=line_in.quantity,
                unit_price=product.list_price,
                discount_percent=line_in.discount_percent,
                tax_rate=product.tax_rate,
            )
        )
        lines.append(
            {
                "position": position,
                "product_id": product.product_id,
                "sku": product.sku,
                "description": product.name,
                "quantity": line_in.quantity,
                "unit_price": product.list_price,
                "discount_percent": line_in.discount_percent,
                "tax_rate": product.tax_rate,
                "net_amount": amounts.net,
                "tax_amount": amounts.tax,
            }
        )
        net_total += amounts.net
        tax_total += amounts.tax
    return CatalogPricing(currencies.pop(), lines, net_total, tax_total)


async def load_order(session: AsyncSession, order_id: uuid.UUID) -> SalesOrder:
    order = await session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(f"order {order_id} does not exist")
    return order


def check_version(order: SalesOrder, expected: int | None) -> None:
    if expected is not None and expected != order.version:
        raise PreconditionFailed(
            f"order {order.number} is at version {order.version}, not {expected}"
        )


async def confirm_order(
    uow: UnitOfWork, order_id: uuid.UUID, *, expected_version: int | None = None
) -> SalesOrder:
    """The customer committed: ERP is asked (by event) to reserve the stock."""
    order = await load_order(uow.session, order_id)
    check_version(order, expected_version)
    if order.status == OrderStatus.CONFIRMED:
        return order  # confirming twice is the same request made twice
    check_transition(OrderStatus(order.status), OrderStatus.CONFIRMED)
    now = datetime.now(UTC)
    _move(uow, order, OrderStatus.CONFIRMED, "confirmed", now)
    order.confirmed_at = now
    await uow.session.flush()
    await uow.publish(
        OrderConfirmed(
            order_id=order.id,
            order_number=order.number,
            account_id=order.account_id,
            owner=order.owner,
            currency=order.currency,
            total=order.total,
            confirmed_at=now,
            lines=[
                OrderLine(
                    product_id=line.product_id,
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=agreed_unit_price(line.net_amount, line.quantity),
                )
                for line in order.lines
            ],
        )
    )
    await uow.audit(
        "sales_order",
        order.id,
        "confirmed",
        before={"status": "draft"},
        after={"status": order.status},
    )
    return order


async def cancel_order(
    uow: UnitOfWork, order_id: uuid.UUID, reason: str, *, expected_version: int | None = None
) -> SalesOrder:
    """Cancel; if ERP had been told of the order, it releases what it reserved."""
    order = await load_order(uow.session, order_id)
    check_version(order, expected_version)
    before = order.status
    check_transition(OrderStatus(order.status), OrderStatus.CANCELLED)
    _move(uow, order, OrderStatus.CANCELLED, reason or "cancelled", datetime.now(UTC))
    await uow.session.flush()
    if before != OrderStatus.DRAFT:
        await uow.publish(
            OrderCancelled(order_id=order.id, account_id=order.account_id, reason=reason)
        )
    await uow.audit(
        "sales_order",
        order.id,
        "cancelled",
        before={"status": before},
        after={"status": order.status, "reason": reason},
    )
    return order


async def record_erp_outcome(
    uow: UnitOfWork, order_id: uuid.UUID, target: OrderStatus, reason: str
) -> SalesOrder | None:
    """Move the order along on a fact ERP reported, unless the fact is stale.

    Returns the order (moved or not), or None when the order is not one of ours.
    """
    order = await uow.session.get(SalesOrder, order_id)
    if order is None:
        return None  # not one of ours (another CRM instance's order, or deleted test data)
    new_status = advance(OrderStatus(order.status), target)
    if new_status is None:
        return order
    before = order.status
    _move(uow, order, new_status, reason, datetime.now(UTC))
    await uow.audit(
        "sales_order", order.id, "erp_fact", before={"status": before}, after={"status": new_status}
    )
    return order


def _move(
    uow: UnitOfWork, order: SalesOrder, target: OrderStatus, reason: str, now: datetime
) -> None:
    source = OrderStatus(order.status)
    record_status(order, source, target, reason, now)
    order.status = target
    order.updated_at = now
    timeline.record(
        uow.session,
        order.account_id,
        "order_status",
        f"Order {order.number}: {source} -> {target}" + (f" ({reason})" if reason else ""),
        subject_type="order",
        subject_id=order.id,
        at=now,
        details={"from": str(source), "to": str(target)},
    )


def record_status(
    order: SalesOrder, source: OrderStatus | None, target: OrderStatus, reason: str, now: datetime
) -> None:
    order.history.append(
        OrderStatusChange(
            from_status=source,
            to_status=target,
            reason=reason[:500],
            actor=current_actor(),
            at=now,
        )
    )


async def note_on_order(
    uow: UnitOfWork,
    order_id: uuid.UUID,
    kind: str,
    summary: str,
    *,
    at: datetime | None = None,
    subject_id: uuid.UUID | None = None,
) -> None:
    """Put an ERP fact about one of our orders on its customer's timeline."""
    order = await uow.session.get(SalesOrder, order_id)
    if order is None:
        return
    timeline.record(
        uow.session,
        order.account_id,
        kind,
        f"Order {order.number}: {summary}",
        subject_type="order",
        subject_id=subject_id or order.id,
        at=at,
        source="erp",
        details={"order_id": str(order.id)},
    )


async def record_invoice(
    uow: UnitOfWork, order_id: uuid.UUID, invoice_number: str, total: Decimal
) -> None:
    """ERP invoiced (part of) the order."""
    order = await record_erp_outcome(
        uow, order_id, OrderStatus.INVOICED, f"invoice {invoice_number}"
    )
    if order is not None:
        order.invoiced_amount += total
        await _settle(uow, order, invoice_number)


async def record_invoice_paid(
    uow: UnitOfWork, order_id: uuid.UUID, invoice_number: str, total: Decimal
) -> None:
    """An invoice of the order was paid in full; the order is paid when all of it is."""
    order = await uow.session.get(SalesOrder, order_id)
    if order is None:
        return
    order.paid_amount += total
    await _settle(uow, order, invoice_number)


async def _settle(uow: UnitOfWork, order: SalesOrder, invoice_number: str) -> None:
    if fully_paid(order.total, order.invoiced_amount, order.paid_amount, len(order.lines)):
        await record_erp_outcome(
            uow, order.id, OrderStatus.PAID, f"invoice {invoice_number} paid; nothing left due"
        )
