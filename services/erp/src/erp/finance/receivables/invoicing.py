"""Orders finance will invoice, and the invoice issued for each shipment."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, NotFound
from contracts.events.common import OrderLine
from contracts.events.crm import OrderConfirmed
from contracts.events.erp import InvoiceIssued, ShipmentDispatched
from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.finance.ledger import domain as ledger
from erp.finance.ledger import service as ledger_service
from erp.finance.money import to_cents
from erp.finance.receivables import domain
from erp.finance.receivables.customers import announce_credit, customer
from erp.finance.receivables.models import (
    CustomerOrder,
    CustomerOrderLine,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
)


async def record_order(uow: UnitOfWork, event: OrderConfirmed) -> CustomerOrder:
    """Keep the confirmed order's prices and owner for invoicing (once per order)."""
    session = uow.session
    found = await session.get(CustomerOrder, event.order_id)
    if found is not None:
        return found
    order = CustomerOrder(
        order_id=event.order_id,
        order_number=event.order_number,
        account_id=(await customer(session, event.account_id)).account_id,
        owner=event.owner,
        currency=event.currency,
        total=event.total,
        status="open",
        confirmed_at=event.confirmed_at,
    )
    session.add(order)
    await session.flush()
    session.add_all(
        CustomerOrderLine(
            order_id=event.order_id,
            product_id=line.product_id,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
        for line in event.lines
    )
    await session.flush()
    return order


async def order_lines(session: AsyncSession, order_id: uuid.UUID) -> list[CustomerOrderLine]:
    return list(
        (
            await session.scalars(
                select(CustomerOrderLine)
                .where(CustomerOrderLine.order_id == order_id)
                .order_by(CustomerOrderLine.id)
            )
        ).all()
    )


async def confirmation_of(session: AsyncSession, order: CustomerOrder) -> OrderConfirmed:
    """The OrderConfirmed event rebuilt from what finance stored (to reserve a held order)."""
    return OrderConfirmed(
        order_id=order.order_id,
        order_number=order.order_number,
        account_id=order.account_id,
        owner=order.owner,
        currency=order.currency,
        lines=[
            OrderLine(
                product_id=x.product_id, sku=x.sku, quantity=x.quantity, unit_price=x.unit_price
            )
            for x in await order_lines(session, order.order_id)
        ],
        total=order.total,
        confirmed_at=order.confirmed_at,
    )


async def _next_number(session: AsyncSession, year: int) -> str:
    """The next gapless number of the year; the UPDATE row-locks the year's counter, so
    concurrent invoices queue, and a rolled-back invoice gives its number back."""
    if await session.get(InvoiceSequence, year) is None:
        session.add(InvoiceSequence(year=year, last_number=0))
        await session.flush()
    await session.execute(
        update(InvoiceSequence)
        .where(InvoiceSequence.year == year)
        .values(last_number=InvoiceSequence.last_number + 1)
        .execution_options(synchronize_session=False)
    )
    number = await session.scalar(
        select(InvoiceSequence.last_number).where(InvoiceSequence.year == year)
    )
    return domain.invoice_number(year, int(number or 0))


async def invoice_shipment(uow: UnitOfWork, event: ShipmentDispatched) -> Invoice:
    """Issue the shipment's invoice at the order's prices and book sale and cost of sale."""
    session = uow.session
    existing = await session.scalar(select(Invoice).where(Invoice.shipment_id == event.shipment_id))
    if existing is not None:
        return existing
    order = await session.get(CustomerOrder, event.order_id)
    if order is None:
        raise Conflict(f"order {event.order_id} was shipped but finance never saw it confirmed")
    agreed = [
        domain.PriceLine(x.product_id, x.quantity, x.unit_price)
        for x in await order_lines(session, order.order_id)
    ]
    buyer = await customer(session, order.account_id)
    issued_on = await ledger_service.open_posting_date(
        session, event.dispatched_at.astimezone(UTC).date()
    )
    invoice = Invoice(
        id=uuid.uuid4(),
        number=await _next_number(session, issued_on.year),
        account_id=buyer.account_id,
        order_id=order.order_id,
        shipment_id=event.shipment_id,
        owner=order.owner or buyer.owner,
        currency=order.currency,
        status="open",
        issued_on=issued_on,
        due_on=domain.due_date(issued_on, buyer.payment_terms_days),
        created_at=datetime.now(UTC),
    )
    lines: list[InvoiceLine] = []
    for shipped in event.lines:
        product = await session.get(Product, shipped.product_id)
        if product is None:
            raise NotFound(f"shipped product {shipped.sku} does not exist")
        for quantity, price in domain.shipped_at_order_prices(
            agreed, shipped.product_id, shipped.quantity
        ):
            amounts = domain.line_amounts(quantity, price, product.tax_rate)
            lines.append(
                InvoiceLine(
                    invoice_id=invoice.id,
                    product_id=product.id,
                    sku=product.sku,
                    quantity=quantity,
                    unit_price=price,
                    tax_rate=product.tax_rate,
                    net_amount=amounts.net,
                    tax_amount=amounts.tax,
                    unit_cost=product.standard_cost,
                )
            )
    totals = domain.invoice_amounts(
        [domain.InvoiceAmounts(x.net_amount, x.tax_amount) for x in lines]
    )
    invoice.net_amount, invoice.tax_amount = totals.net, totals.tax
    invoice.total, invoice.amount_paid = totals.total, to_cents(0)
    session.add(invoice)
    await session.flush()
    session.add_all(lines)
    await session.flush()
    if totals.total > 0:
        await ledger_service.post_entry(
            uow,
            ledger.invoice_issued(totals.net, totals.tax),
            entry_date=issued_on,
            description=f"Invoice {invoice.number} for order {order.order_number}",
            source="invoice",
            source_id=str(invoice.id),
        )
    else:  # nothing to collect (free goods): settled as issued
        invoice.status, invoice.paid_on = "paid", issued_on
    cost = to_cents(sum((x.unit_cost * x.quantity for x in lines), ledger.ZERO))
    if cost > 0:
        await ledger_service.post_entry(
            uow,
            ledger.goods_shipped(cost),
            entry_date=issued_on,
            description=f"Cost of shipment {event.shipment_number}",
            source="shipment",
            source_id=str(event.shipment_id),
        )
    await uow.publish(
        InvoiceIssued(
            invoice_id=invoice.id,
            invoice_number=invoice.number,
            order_id=invoice.order_id,
            shipment_id=invoice.shipment_id,
            account_id=invoice.account_id,
            currency=invoice.currency,
            net_amount=totals.net,
            tax_amount=totals.tax,
            total=totals.total,
            issued_on=invoice.issued_on,
            due_on=invoice.due_on,
        )
    )
    await announce_credit(uow, buyer)
    return invoice
