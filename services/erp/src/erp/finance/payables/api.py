"""Supplier bills and supplier payments over HTTP."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from erp.deps import Tx, require
from erp.finance.access import staff_only
from erp.finance.payables import service
from erp.finance.payables.models import SupplierBill, SupplierPayment
from erp.finance.payables.schemas import (
    SupplierBillIn,
    SupplierBillOut,
    SupplierPaymentIn,
    SupplierPaymentOut,
)

router = APIRouter(tags=["payables"])
Limit = Annotated[int, Query(ge=1, le=200)]
Reader = Annotated[Principal, Depends(require("finance:read"))]
Writer = Annotated[Principal, Depends(require("finance:write"))]


@router.post("/supplier-bills", status_code=201, response_model=SupplierBillOut)
async def record_bill(body: SupplierBillIn, tx: Tx, _: Writer) -> SupplierBill:
    async with tx.begin() as uow:
        return await service.record_supplier_bill(
            uow,
            supplier_id=body.supplier_id,
            supplier_reference=body.supplier_reference,
            purchase_order_id=body.purchase_order_id,
            amount=body.amount,
            bill_date=body.bill_date,
            due_on=body.due_on,
        )


@router.get("/supplier-bills", response_model=Page[SupplierBillOut])
async def list_bills(
    tx: Tx,
    caller: Reader,
    supplier_id: uuid.UUID | None = None,
    status: str | None = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    staff_only(caller)
    order = Sort.parse(sort, ("created_at", "amount"))
    stmt = select(SupplierBill)
    if supplier_id:
        stmt = stmt.where(SupplierBill.supplier_id == supplier_id)
    if status:
        stmt = stmt.where(SupplierBill.status == status)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(SupplierBill, order.field),
            id_column=SupplierBill.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/supplier-payments", status_code=201, response_model=SupplierPaymentOut)
async def pay_supplier(body: SupplierPaymentIn, tx: Tx, _: Writer) -> SupplierPayment:
    async with tx.begin() as uow:
        return await service.pay_supplier(
            uow, bill_id=body.bill_id, amount=body.amount, paid_on=body.paid_on
        )


@router.get("/supplier-payments", response_model=Page[SupplierPaymentOut])
async def list_supplier_payments(
    tx: Tx,
    caller: Reader,
    supplier_id: uuid.UUID | None = None,
    bill_id: uuid.UUID | None = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    staff_only(caller)
    order = Sort.parse(sort, ("created_at", "amount"))
    stmt = select(SupplierPayment)
    if supplier_id:
        stmt = stmt.where(SupplierPayment.supplier_id == supplier_id)
    if bill_id:
        stmt = stmt.where(SupplierPayment.bill_id == bill_id)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(SupplierPayment, order.field),
            id_column=SupplierPayment.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}
