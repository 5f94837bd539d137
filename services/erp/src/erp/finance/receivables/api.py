"""Invoices, customer payments, customers' credit standing and credit holds over HTTP."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from erp.deps import Tx, require
from erp.finance.access import own_account, staff_only
from erp.finance.credit import service as credit
from erp.finance.credit.models import CreditHold
from erp.finance.money import to_cents
from erp.finance.receivables import customers
from erp.finance.receivables.models import (
    Customer,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentAllocation,
)
from erp.finance.receivables.payments import receive_payment
from erp.finance.receivables.schemas import (
    CreditHoldOut,
    CreditLimitIn,
    CustomerOut,
    InvoiceDetailOut,
    InvoiceOut,
    PaymentIn,
    PaymentOut,
    ReleaseIn,
)

router = APIRouter(tags=["receivables"])
Limit = Annotated[int, Query(ge=1, le=200)]
Reader = Annotated[Principal, Depends(require("finance:read"))]
Writer = Annotated[Principal, Depends(require("finance:write"))]


@router.get("/invoices", response_model=Page[InvoiceOut])
async def list_invoices(
    tx: Tx,
    caller: Reader,
    account_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    status: str | None = None,
    owner: str | None = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "number", "total"))
    stmt = select(Invoice)
    if caller.is_customer:
        stmt = stmt.where(Invoice.account_id == caller.account_id)
    if account_id:
        stmt = stmt.where(Invoice.account_id == account_id)
    if order_id:
        stmt = stmt.where(Invoice.order_id == order_id)
    if status:
        stmt = stmt.where(Invoice.status == status)
    if owner:
        stmt = stmt.where(Invoice.owner == owner)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Invoice, order.field),
            id_column=Invoice.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/invoices/{invoice_id}", response_model=InvoiceDetailOut)
async def get_invoice(invoice_id: uuid.UUID, tx: Tx, caller: Reader) -> dict[str, Any]:
    async with tx.read() as session:
        invoice = await session.get(Invoice, invoice_id)
        if invoice is None:
            raise NotFound(f"invoice {invoice_id} does not exist")
        own_account(caller, invoice.account_id, f"invoice {invoice_id}")
        lines = (
            await session.scalars(
                select(InvoiceLine)
                .where(InvoiceLine.invoice_id == invoice_id)
                .order_by(InvoiceLine.id)
            )
        ).all()
    return {**InvoiceOut.model_validate(invoice).model_dump(), "lines": lines}


@router.post("/payments", status_code=201, response_model=PaymentOut)
async def post_payment(body: PaymentIn, tx: Tx, _: Writer) -> dict[str, Any]:
    """Record money received; applied as allocated, or to the oldest open invoices first."""
    async with tx.begin() as uow:
        payment = await receive_payment(
            uow,
            account_id=body.account_id,
            amount=body.amount,
            received_on=body.received_on,
            reference=body.reference,
            allocations=(
                None
                if body.allocations is None
                else [(a.invoice_id, a.amount) for a in body.allocations]
            ),
        )
        allocations = (
            await uow.session.scalars(
                select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id)
            )
        ).all()
    return {**PaymentOut.model_validate(payment).model_dump(), "allocations": allocations}


@router.get("/payments", response_model=Page[PaymentOut])
async def list_payments(
    tx: Tx,
    caller: Reader,
    account_id: uuid.UUID | None = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "amount"))
    stmt = select(Payment)
    if caller.is_customer:
        stmt = stmt.where(Payment.account_id == caller.account_id)
    if account_id:
        stmt = stmt.where(Payment.account_id == account_id)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Payment, order.field),
            id_column=Payment.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
        ids = [p.id for p in items]
        allocations = (
            (
                await session.scalars(
                    select(PaymentAllocation).where(PaymentAllocation.payment_id.in_(ids))
                )
            ).all()
            if ids
            else []
        )
    by_payment: dict[uuid.UUID, list[PaymentAllocation]] = {i: [] for i in ids}
    for a in allocations:
        by_payment[a.payment_id].append(a)
    shaped = [
        {**PaymentOut.model_validate(p).model_dump(), "allocations": by_payment[p.id]}
        for p in items
    ]
    return {"items": shaped, "next_cursor": next_cursor}


async def _customer_view(session: Any, found: Customer) -> dict[str, Any]:
    standing = await customers.standing(session, found)
    return {
        "account_id": found.account_id,
        "name": found.name,
        "owner": found.owner,
        "credit_limit": None if found.credit_limit is None else to_cents(found.credit_limit),
        "payment_terms_days": found.payment_terms_days,
        "open_receivables": standing.open_receivables,
        "overdue_receivables": standing.overdue_receivables,
        "held_orders": standing.held_orders,
        "credit_status": standing.status,
        "version": found.version,
    }


@router.get("/customers/{account_id}", response_model=CustomerOut)
async def get_customer(
    account_id: uuid.UUID, response: Response, tx: Tx, caller: Reader
) -> dict[str, Any]:
    """Credit limit, open and overdue receivables, and credit status of one customer."""
    own_account(caller, account_id, f"customer {account_id}")
    async with tx.read() as session:
        found = await session.get(Customer, account_id)
        if found is None or found.merged_into is not None:
            raise NotFound(f"customer {account_id} is not known to finance")
        view = await _customer_view(session, found)
    response.headers["ETag"] = etag(found.version)
    return view


@router.put("/customers/{account_id}/credit-limit", response_model=CustomerOut)
async def set_credit_limit(
    account_id: uuid.UUID,
    body: CreditLimitIn,
    response: Response,
    tx: Tx,
    _: Writer,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    async with tx.begin() as uow:
        found = await credit.change_credit_limit(
            uow, account_id, body.credit_limit, expected_version=expected_version(if_match)
        )
        view = await _customer_view(uow.session, found)
    response.headers["ETag"] = etag(found.version)
    return view


@router.get("/credit-holds", response_model=Page[CreditHoldOut])
async def list_credit_holds(
    tx: Tx,
    caller: Reader,
    status: str | None = None,
    account_id: uuid.UUID | None = None,
    sort: str = "-held_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    staff_only(caller)
    order = Sort.parse(sort, ("held_at", "order_total"))
    stmt = select(CreditHold)
    if status:
        stmt = stmt.where(CreditHold.status == status)
    if account_id:
        stmt = stmt.where(CreditHold.account_id == account_id)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(CreditHold, order.field),
            id_column=CreditHold.order_id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/credit-holds/{order_id}/release", response_model=CreditHoldOut)
async def release_credit_hold(
    order_id: uuid.UUID, tx: Tx, _: Writer, body: ReleaseIn | None = None
) -> CreditHold:
    """Finance approves a held order: it is released and its stock reserved."""
    async with tx.begin() as uow:
        return await credit.release_hold(uow, order_id, (body or ReleaseIn()).reason)
