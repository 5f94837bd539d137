"""Use cases on stock: warehouses, receipts, adjustments and transfers.

Balances change only through the ledger (``erp.inventory.ledger``).  For the other areas this
module is the one door to stock: ``record_move``, ``issue_stock``, ``receive_stock``,
``InsufficientStock`` and the order use cases (``reserve_order``, ``release_order``,
``fill_backorders``) are all reachable from here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, InvalidRequest, NotFound
from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.inventory.availability import publish_stock_level
from erp.inventory.ledger import InsufficientStock, issue_stock, record_move
from erp.inventory.models import StockMove, Warehouse
from erp.inventory.reservations import fill_backorders, release_order, reserve_order

__all__ = [
    "InsufficientStock",
    "adjust_stock",
    "fill_backorders",
    "issue_stock",
    "publish_stock_level",
    "receive_stock",
    "record_move",
    "release_order",
    "reserve_order",
    "transfer_stock",
]


async def get_warehouse(session: AsyncSession, warehouse_id: uuid.UUID) -> Warehouse:
    warehouse = await session.get(Warehouse, warehouse_id)
    if warehouse is None:
        raise NotFound(f"warehouse {warehouse_id} does not exist")
    return warehouse


async def create_warehouse(uow: UnitOfWork, code: str, name: str) -> Warehouse:
    if await uow.session.scalar(select(Warehouse.id).where(Warehouse.code == code)):
        raise Conflict(
            f"warehouse {code} exists", errors=[{"field": "body.code", "message": "already used"}]
        )
    warehouse = Warehouse(id=uuid.uuid4(), code=code, name=name, created_at=datetime.now(UTC))
    uow.session.add(warehouse)
    await uow.session.flush()
    await uow.audit("warehouse", warehouse.id, "created", after={"code": code, "name": name})
    return warehouse


async def receive_stock(
    uow: UnitOfWork,
    *,
    product_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    quantity: int,
    reference: str = "",
    lot: str | None = None,
    kind: str = "receipt",
) -> StockMove:
    """Stock arrives: book it, then fill the product's backorders, oldest first."""
    product = await uow.session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    await get_warehouse(uow.session, warehouse_id)
    if quantity <= 0:
        raise InvalidRequest("a receipt must bring a positive quantity")
    move = await record_move(
        uow,
        product_id=product_id,
        warehouse_id=warehouse_id,
        quantity=quantity,
        kind=kind,
        reference=reference,
        lot=lot,
    )
    await uow.audit(
        "stock",
        product_id,
        "received",
        after={
            "warehouse_id": str(warehouse_id),
            "quantity": quantity,
            "lot": lot,
            "kind": kind,
            "reference": reference,
            "move_id": move.id,
        },
    )
    await fill_backorders(uow, product_id)
    await publish_stock_level(uow, product_id)
    return move


async def adjust_stock(
    uow: UnitOfWork,
    *,
    product_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    quantity: int,
    reason: str,
    lot: str | None = None,
) -> StockMove:
    """A counted correction (positive or negative); never below what is reserved.

    A negative correction without a lot takes from the oldest lots first.
    """
    await get_warehouse(uow.session, warehouse_id)
    if await uow.session.get(Product, product_id) is None:
        raise NotFound(f"product {product_id} does not exist")
    move = await record_move(
        uow,
        product_id=product_id,
        warehouse_id=warehouse_id,
        quantity=quantity,
        kind="adjustment",
        reference=reason,
        lot=lot,
    )
    if quantity > 0:
        await fill_backorders(uow, product_id)
    await publish_stock_level(uow, product_id)
    await uow.audit(
        "stock",
        product_id,
        "adjusted",
        after={
            "warehouse_id": str(warehouse_id),
            "quantity": quantity,
            "lot": lot,
            "reason": reason,
        },
    )
    return move


async def transfer_stock(
    uow: UnitOfWork,
    *,
    product_id: uuid.UUID,
    from_warehouse_id: uuid.UUID,
    to_warehouse_id: uuid.UUID,
    quantity: int,
    lot: str | None = None,
    reference: str = "",
) -> list[StockMove]:
    """Move unreserved stock between warehouses, lot by lot (oldest first unless ``lot``).

    Each lot leaves with a negative ``transfer`` move and arrives with a positive one, so the
    ledger of both warehouses stays complete and the lots keep their numbers.  At the
    destination a lot counts as received when it arrives there (for first in, first out).
    """
    if from_warehouse_id == to_warehouse_id:
        raise InvalidRequest(
            "a transfer needs two different warehouses",
            errors=[{"field": "body.to_warehouse_id", "message": "same as from_warehouse_id"}],
        )
    if quantity <= 0:
        raise InvalidRequest("a transfer must move a positive quantity")
    source = await get_warehouse(uow.session, from_warehouse_id)
    target = await get_warehouse(uow.session, to_warehouse_id)
    if await uow.session.get(Product, product_id) is None:
        raise NotFound(f"product {product_id} does not exist")
    reference = reference or f"{source.code}->{target.code}"
    if lot is not None:
        out = [
            await record_move(
                uow,
                product_id=product_id,
                warehouse_id=from_warehouse_id,
                quantity=-quantity,
                kind="transfer",
                reference=reference,
                lot=lot,
            )
        ]
    else:
        out = await issue_stock(
            uow,
            product_id=product_id,
            warehouse_id=from_warehouse_id,
            quantity=quantity,
            kind="transfer",
            reference=reference,
        )
    moves = list(out)
    for move in out:
        moves.append(
            await record_move(
                uow,
                product_id=product_id,
                warehouse_id=to_warehouse_id,
                quantity=-move.quantity,
                kind="transfer",
                reference=reference,
                lot=move.lot,
            )
        )
    await publish_stock_level(uow, product_id)
    await uow.audit(
        "stock",
        product_id,
        "transferred",
        after={
            "from_warehouse_id": str(from_warehouse_id),
            "to_warehouse_id": str(to_warehouse_id),
            "quantity": quantity,
            "lot": lot,
        },
    )
    return moves
