"""Property-based tests of the stock ledger, run on a real database through the use cases.

For any sequence of receipts, reservations (orders), releases (cancellations), shipments,
adjustments and transfers: on hand equals the sum of the moves, the lots add up to on hand,
nothing goes negative, reserved never exceeds on hand and equals the open reservations.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from erp_stock_helpers import product, warehouse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from contracts.errors import DomainError
from contracts.events.common import OrderLine
from contracts.events.crm import OrderCancelled, OrderConfirmed
from contracts.runtime import UnitOfWork
from erp.inventory import service as inventory
from erp.inventory.models import Reservation, StockLevel, StockLot, StockMove
from erp.shipping import service as shipping

WAREHOUSES = 2
lots = st.sampled_from(["A", "B", "C", None])
operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), st.integers(0, WAREHOUSES - 1), st.integers(1, 20), lots),
        st.tuples(st.just("order"), st.integers(1, 15)),
        st.tuples(st.just("cancel"), st.integers(0, 9)),
        st.tuples(st.just("ship"), st.integers(0, 9)),
        st.tuples(
            st.just("adjust"),
            st.integers(0, WAREHOUSES - 1),
            st.integers(-10, 10).filter(bool),
            lots,
        ),
        st.tuples(st.just("transfer"), st.integers(0, WAREHOUSES - 1), st.integers(1, 10), lots),
    ),
    max_size=14,
)


async def _check_invariants(session: Any, product_id: uuid.UUID) -> None:
    levels = (
        await session.scalars(select(StockLevel).where(StockLevel.product_id == product_id))
    ).all()
    for level in levels:
        await session.refresh(level)
        where = (StockMove.product_id == product_id) & (
            StockMove.warehouse_id == level.warehouse_id
        )
        moved = await session.scalar(
            select(func.coalesce(func.sum(StockMove.quantity), 0)).where(where)
        )
        in_lots = await session.scalar(
            select(func.coalesce(func.sum(StockLot.on_hand), 0)).where(
                StockLot.product_id == product_id, StockLot.warehouse_id == level.warehouse_id
            )
        )
        negative_lots = await session.scalar(
            select(func.count())
            .select_from(StockLot)
            .where(StockLot.product_id == product_id, StockLot.on_hand < 0)
        )
        held = await session.scalar(
            select(func.coalesce(func.sum(Reservation.quantity), 0)).where(
                Reservation.product_id == product_id,
                Reservation.warehouse_id == level.warehouse_id,
                Reservation.status == "open",
            )
        )
        assert level.on_hand == moved, "on hand is the sum of the moves"
        assert level.on_hand == in_lots, "the lots add up to on hand"
        assert level.on_hand >= 0 and negative_lots == 0, "nothing goes negative"
        assert 0 <= level.reserved <= level.on_hand, "reserved stays within on hand"
        assert level.reserved == held, "reserved is what open reservations hold"


def _confirmed(item: dict[str, Any], quantity: int) -> OrderConfirmed:
    order_id = uuid.uuid4()
    return OrderConfirmed(
        order_id=order_id,
        order_number=f"SO-{order_id.hex[:6]}",
        account_id=uuid.uuid4(),
        currency="EUR",
        lines=[
            OrderLine(
                product_id=item["id"], sku=item["sku"], quantity=quantity, unit_price=Decimal(1)
            )
        ],
        total=Decimal(quantity),
        confirmed_at=datetime.now(UTC),
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
async def test_the_ledger_keeps_its_invariants_under_any_sequence(
    client: httpx.AsyncClient, steps: list[tuple[Any, ...]]
) -> None:
    transactions = client.app.state.runtime.transactions  # type: ignore[attr-defined]
    item = await product(client)  # a fresh product per example: examples do not interfere
    product_id = uuid.UUID(item["id"])
    places = [uuid.UUID((await warehouse(client))["id"]) for _ in range(WAREHOUSES)]
    orders: list[uuid.UUID] = []

    async def attempt(use_case: Callable[[UnitOfWork], Awaitable[object]]) -> None:
        try:
            async with transactions.begin() as uow:
                await use_case(uow)
        except DomainError:
            pass  # refused (e.g. not enough stock): the transaction rolled back

    for step in steps:
        match step:
            case ("receive", w, quantity, lot):
                await attempt(
                    lambda uow, w=w, q=quantity, lot=lot: inventory.receive_stock(
                        uow, product_id=product_id, warehouse_id=places[w], quantity=q, lot=lot
                    )
                )
            case ("order", quantity):
                event = _confirmed(item, quantity)
                orders.append(event.order_id)
                await attempt(lambda uow, e=event: inventory.reserve_order(uow, e))
            case ("cancel", i) if orders:
                event = OrderCancelled(order_id=orders[i % len(orders)], account_id=uuid.uuid4())
                await attempt(lambda uow, e=event: inventory.release_order(uow, e))
            case ("ship", i) if orders:
                order_id = orders[i % len(orders)]
                await attempt(lambda uow, o=order_id: shipping.ship_order(uow, o))
            case ("adjust", w, quantity, lot):
                await attempt(
                    lambda uow, w=w, q=quantity, lot=lot: inventory.adjust_stock(
                        uow,
                        product_id=product_id,
                        warehouse_id=places[w],
                        quantity=q,
                        reason="count",
                        lot=lot,
                    )
                )
            case ("transfer", w, quantity, lot):
                await attempt(
                    lambda uow, w=w, q=quantity, lot=lot: inventory.transfer_stock(
                        uow,
                        product_id=product_id,
                        from_warehouse_id=places[w],
                        to_warehouse_id=places[(w + 1) % WAREHOUSES],
                        quantity=q,
                        lot=lot,
                    )
                )
        async with transactions.read() as session:
            await _check_invariants(session, product_id)
