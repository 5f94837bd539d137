"""Use cases on suppliers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from contracts.errors import Conflict
from contracts.runtime import UnitOfWork
from erp.purchasing.models import Supplier
from erp.purchasing.schemas import SupplierIn


async def create_supplier(uow: UnitOfWork, data: SupplierIn) -> Supplier:
    if await uow.session.scalar(select(Supplier.id).where(Supplier.code == data.code)):
        raise Conflict(
            f"supplier {data.code} exists",
            errors=[{"field": "body.code", "message": "already used"}],
        )
    supplier = Supplier(id=uuid.uuid4(), created_at=datetime.now(UTC), **data.model_dump())
    uow.session.add(supplier)
    await uow.session.flush()
    await uow.audit("supplier", supplier.id, "created", after=data.model_dump(mode="json"))
    return supplier
