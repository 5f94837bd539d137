"""Use cases on quotes: price from the catalog, and turn an accepted quote into an order."""

import secrets
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import InvalidRequest, NotFound
from contracts.runtime import UnitOfWork
from crm.customers import timeline
from crm.customers.service import get_account
from crm.sales.domain import (
    OrderStatus,
    QuoteStatus,
    check_quote_acceptable,
)
from crm.sales.models import SalesOrder, SalesOrderLine
from crm.sales.quote_models import Quote, QuoteLine
from crm.sales.quote_schemas import QuoteIn
from crm.sales.service import (
    load_order,
    new_order_number,
    price_from_catalog,
    record_order_created,
    record_status,
)

DEFAULT_VALIDITY = timedelta(days=30)


async def create_quote(uow: UnitOfWork, data: QuoteIn) -> Quote:
    """Price each line from the catalog read model: list price, line discount, the
    product's tax rate; every amount rounded to the cent (see ``price_line``)."""
    session = uow.session
    account = await get_account(session, data.account_id)
    today = date.today()
    valid_until = data.valid_until or today + DEFAULT_VALIDITY
    if valid_until < today:
        raise InvalidRequest(
            "a quote cannot expire before it is made",
            errors=[{"field": "body.valid_until", "message": "in the past"}],
        )
    pricing = await price_from_catalog(session, data.lines, "a quote")
    now = datetime.now(UTC)
    quote = Quote(
        id=uuid.uuid4(),
        number=f"QT-{now:%y%m%d}-{secrets.token_hex(4).upper()}",
        account_id=account.id,
        opportunity_id=data.opportunity_id,
        owner=data.owner or account.owner,
        status=QuoteStatus.OPEN,
        currency=pricing.currency,
        valid_until=valid_until,
        created_at=now,
        updated_at=now,
        net_total=pricing.net_total,
        tax_total=pricing.tax_total,
        total=pricing.net_total + pricing.tax_total,
    )
    quote.lines.extend(QuoteLine(**line) for line in pricing.lines)
    session.add(quote)
    timeline.record(
        session,
        account.id,
        "quote_issued",
        f"Quote {quote.number}: {quote.total} {quote.currency}, valid until {valid_until}",
        subject_type="quote",
        subject_id=quote.id,
        at=now,
    )
    await session.flush()
    await uow.audit(
        "quote", quote.id, "created", after={"number": quote.number, "total": str(quote.total)}
    )
    return quote


async def load_quote(session: AsyncSession, quote_id: uuid.UUID) -> Quote:
    quote = await session.get(Quote, quote_id)
    if quote is None:
        raise NotFound(f"quote {quote_id} does not exist")
    return quote


async def accept_quote(uow: UnitOfWork, quote_id: uuid.UUID) -> SalesOrder:
    """The customer accepted: a draft sales order at the quoted prices (not today's list
    prices).  Accepting again returns the same order; an expired quote is refused."""
    session = uow.session
    quote = await load_quote(session, quote_id)
    if quote.status == QuoteStatus.ACCEPTED and quote.order_id is not None:
        return await load_order(session, quote.order_id)
    check_quote_acceptable(QuoteStatus(quote.status), quote.valid_until, date.today())
    account = await get_account(session, quote.account_id)
    now = datetime.now(UTC)
    order = SalesOrder(
        id=uuid.uuid4(),
        number=new_order_number(now),
        account_id=account.merged_into_id or account.id,
        owner=quote.owner,
        status=OrderStatus.DRAFT,
        currency=quote.currency,
        net_total=quote.net_total,
        tax_total=quote.tax_total,
        total=quote.total,
        invoiced_amount=Decimal(0),
        paid_amount=Decimal(0),
        created_at=now,
        updated_at=now,
    )
    for line in quote.lines:
        order.lines.append(
            SalesOrderLine(
                position=line.position,
                product_id=line.product_id,
                sku=line.sku,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                tax_rate=line.tax_rate,
                net_amount=line.net_amount,
                tax_amount=line.tax_amount,
            )
        )
    record_status(order, None, OrderStatus.DRAFT, f"from quote {quote.number}", now)
    session.add(order)
    quote.status = QuoteStatus.ACCEPTED
    quote.order_id = order.id
    quote.accepted_at = quote.updated_at = now
    await session.flush()
    record_order_created(uow, order)
    timeline.record(
        session,
        order.account_id,
        "quote_accepted",
        f"Quote {quote.number} accepted: order {order.number}",
        subject_type="quote",
        subject_id=quote.id,
        at=now,
    )
    await _win_opportunity(uow, quote)
    await uow.audit(
        "quote",
        quote.id,
        "accepted",
        before={"status": QuoteStatus.OPEN},
        after={"status": quote.status, "order_id": order.id},
    )
    return order


async def _win_opportunity(uow: UnitOfWork, quote: Quote) -> None:
    """An accepted quote wins the opportunity it was made for, if still open."""
    if quote.opportunity_id is None:
        return
    from crm.pipeline import service as pipeline
    from crm.pipeline.domain import CLOSED_STAGES, Stage
    from crm.pipeline.models import Opportunity
    from crm.pipeline.schemas import StageChangeIn

    opportunity = await uow.session.get(Opportunity, quote.opportunity_id)
    if opportunity is None or Stage(opportunity.stage) in CLOSED_STAGES:
        return
    await pipeline.change_stage(
        uow, opportunity.id, StageChangeIn(stage=Stage.WON, amount=quote.net_total)
    )
