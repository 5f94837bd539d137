"""The stock ledger: immutable moves, and the checked balances kept with them.

Every change of stock goes through this module.  A move is one signed line of
``stock_moves``; with it, in the same transaction, the product's ``StockLevel`` in the
warehouse and the ``StockLot`` it touched are changed by conditional UPDATEs that the database
applies atomically, so two transactions racing for the last unit cannot both win, and the
CHECK constraints refuse whatever would slip through.

Public for other areas (production, purchasing, shipping): ``record_move`` (one move in one
lot), ``issue_stock`` (take stock out, lots first in first out), ``InsufficientStock``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.util import identity_key

from contracts.errors import Conflict, InvalidRequest
from contracts.runtime import UnitOfWork, current_actor
from erp.inventory.domain import pick_fifo
from erp.inventory.models import StockLevel, StockLot, StockMove

NO_LOT = ""  # the lot key of stock received without a lot number


class InsufficientStock(Conflict):
    title = "Insufficient stock"


async def _ensure_row(session: AsyncSession, table: Any, values: dict[str, Any]) -> None:
    """Insert the row unless its key exists (no error when a concurrent writer won)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(insert(table).values(**values).on_conflict_do_nothing())


async def change_level(
    session: AsyncSession,
    product_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    *,
    on_hand: int = 0,
    reserved: int = 0,
) -> bool:
    """Apply deltas to a balance if the result stays valid; False (and no change) otherwise."""
    await _ensure_row(
        session,
        StockLevel,
        {"product_id": product_id, "warehouse_id": warehouse_id, "on_hand": 0, "reserved": 0},
    )
    result = await session.execute(
        update(StockLevel)
        .where(
            StockLevel.product_id == product_id,
            StockLevel.warehouse_id == warehouse_id,
            StockLevel.on_hand + on_hand >= 0,
            StockLevel.reserved + reserved >= 0,
            StockLevel.reserved + reserved <= StockLevel.on_hand + on_hand,
        )
        .values(on_hand=StockLevel.on_hand + on_hand, reserved=StockLevel.reserved + reserved)
        .execution_options(synchronize_session=False)
    )
    changed = (result.rowcount or 0) == 1  # type: ignore[attr-defined]
    if changed:
        # Whoever holds the balance object in this session must see the new numbers.
        key = identity_key(StockLevel, (product_id, warehouse_id))
        level = session.sync_session.identity_map.get(key)
        if level is not None:
            await session.refresh(level)
    return changed


async def _change_lot(
    session: AsyncSession,
    product_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    lot: str,
    quantity: int,
    sequence: int,
) -> bool:
    """Add to (or, with a negative quantity, take from) one lot; False if it has too little."""
    if quantity > 0:
        await _ensure_row(
            session,
            StockLot,
            {
                "product_id": product_id,
                "warehouse_id": warehouse_id,
                "lot": lot,
                "on_hand": 0,
                "sequence": sequence,
            },
        )
    result = await session.execute(
        update(StockLot)
        .where(
            StockLot.product_id == product_id,
            StockLot.warehouse_id == warehouse_id,
            StockLot.lot == lot,
            StockLot.on_hand + quantity >= 0,
        )
        .values(on_hand=StockLot.on_hand + quantity)
        .execution_options(synchronize_session=False)
    )
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


async def _write_move(
    uow: UnitOfWork,
    product_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    quantity: int,
    kind: str,
    reference: str,
    lot: str,
) -> StockMove:
    move = StockMove(
        product_id=product_id,
        warehouse_id=warehouse_id,
        quantity=quantity,
        kind=kind,
        reference=reference,
        lot=lot or None,
        actor=current_actor(),
        at=datetime.now(UTC),
    )
    uow.session.add(move)
    await uow.session.flush()
    return move


async def record_move(
    uow: UnitOfWork,
    *,
    product_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    quantity: int,
    kind: str,
    reference: str = "",
    lot: str | None = None,
) -> StockMove:
    """Add one move to the ledger and its effect to the balances of the warehouse and lot.

    ``quantity`` is signed: positive brings stock in (into ``lot``, or the unlotted stock),
    negative takes it out of ``lot``.  A negative move without a lot draws from the lots first
    in, first out (see ``issue_stock``; when that spans several lots, one move per lot is
    written and the last is returned).  Raises ``InsufficientStock`` when the move would take
    the lot or the warehouse's unreserved stock below zero; the caller's unit of work must
    then roll back (the error propagates, so it does).
    """
    if quantity == 0:
        raise InvalidRequest("a stock move must change the quantity")
    if quantity < 0 and lot is None:
        moves = await issue_stock(
            uow,
            product_id=product_id,
            warehouse_id=warehouse_id,
            quantity=-quantity,
            kind=kind,
            reference=reference,
        )
        return moves[-1]
    if not await change_level(uow.session, product_id, warehouse_id, on_hand=quantity):
        raise InsufficientStock(
            f"moving {quantity} would take unreserved stock of the product below zero"
        )
    move = await _write_move(
        uow, product_id, warehouse_id, quantity, kind, reference, lot or NO_LOT
    )
    if not await _change_lot(
        uow.session, product_id, warehouse_id, lot or NO_LOT, quantity, move.id
    ):
        raise InsufficientStock(f"lot {lot or '(none)'} holds less than {-quantity}")
    return move


async def lots_on_hand(
    session: AsyncSession, product_id: uuid.UUID, warehouse_id: uuid.UUID
) -> list[tuple[str, int, int]]:
    """The lots in stock of a product in a warehouse: (lot, on hand, receipt sequence)."""
    rows = await session.execute(
        select(StockLot.lot, StockLot.on_hand, StockLot.sequence).where(
            StockLot.product_id == product_id,
            StockLot.warehouse_id == warehouse_id,
            StockLot.on_hand > 0,
        )
    )
    return [(lot, int(q), int(s)) for lot, q, s in rows.all()]


async def issue_stock(
    uow: UnitOfWork,
    *,
    product_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    quantity: int,
    kind: str,
    reference: str = "",
    from_reserved: bool = False,
) -> list[StockMove]:
    """Take ``quantity`` units out, oldest lots first; one move per lot drawn from.

    With ``from_reserved`` the units were reserved (a shipment): the reservation is consumed
    with them.  Otherwise only unreserved stock may go.
    """
    if quantity <= 0:
        raise InvalidRequest("an issue must take a positive quantity")
    session = uow.session
    reserved = -quantity if from_reserved else 0
    if not await change_level(
        session, product_id, warehouse_id, on_hand=-quantity, reserved=reserved
    ):
        raise InsufficientStock(
            f"the warehouse has fewer than {quantity} {'reserved' if from_reserved else 'free'}"
            " units of the product"
        )
    moves: list[StockMove] = []
    remaining = quantity
    for _attempt in range(5):  # re-plan if a concurrent transaction emptied a lot meanwhile
        plan = pick_fifo(await lots_on_hand(session, product_id, warehouse_id), remaining)
        for lot, take in plan:
            if await _change_lot(session, product_id, warehouse_id, lot, -take, 0):
                moves.append(
                    await _write_move(uow, product_id, warehouse_id, -take, kind, reference, lot)
                )
                remaining -= take
        if remaining == 0 or not plan:
            break
    if remaining:
        # The warehouse balance allowed it, so the lots disagree with it: refuse loudly.
        raise InsufficientStock(f"the lots of the product hold {remaining} units too few")
    return moves
