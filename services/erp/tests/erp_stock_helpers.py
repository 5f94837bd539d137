"""Helpers of the stock, shipping and purchasing API tests: set-up through the real API, and
CRM's order events fed to the real use cases (relay and consumer are off in these tests)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select

from contracts.events.common import OrderLine
from contracts.events.crm import OrderCancelled, OrderConfirmed
from erp.inventory import service as inventory


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def warehouse(client: httpx.AsyncClient, code: str | None = None) -> dict[str, Any]:
    code = code or f"W{uuid.uuid4().hex[:6]}"
    return created(await client.post("/warehouses", json={"code": code, "name": code}))


async def supplier(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"code": f"S{uuid.uuid4().hex[:6]}", "name": "Acme Pumps", "lead_time_days": 5}
    return created(await client.post("/suppliers", json=body | fields))


async def product(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {
        "sku": f"SKU-{uuid.uuid4().hex[:8]}",
        "name": "Circulation pump",
        "list_price": "100.00",
        "standard_cost": "60.00",
        "tax_rate": "0.23",
    }
    return created(await client.post("/products", json=body | fields))


async def receive(
    client: httpx.AsyncClient,
    item: dict[str, Any],
    where: dict[str, Any],
    quantity: int,
    lot: str | None = None,
) -> dict[str, Any]:
    body = {"product_id": item["id"], "warehouse_id": where["id"], "quantity": quantity}
    return created(await client.post("/stock/receipts", json=body | ({"lot": lot} if lot else {})))


async def levels(client: httpx.AsyncClient, item: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """(on hand, reserved) per warehouse id."""
    response = await client.get("/stock/levels", params={"product_id": item["id"]})
    return {x["warehouse_id"]: (x["on_hand"], x["reserved"]) for x in response.json()["items"]}


def _runtime(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime  # type: ignore[attr-defined]


async def confirm(
    client: httpx.AsyncClient,
    lines: list[tuple[dict[str, Any], int]],
    account_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """CRM confirmed an order: run the use case its OrderConfirmed event drives."""
    order_id = order_id or uuid.uuid4()
    event = OrderConfirmed(
        order_id=order_id,
        order_number=f"SO-{order_id.hex[:6]}",
        account_id=account_id or uuid.uuid4(),
        currency="EUR",
        lines=[
            OrderLine(product_id=p["id"], sku=p["sku"], quantity=q, unit_price=Decimal("1"))
            for p, q in lines
        ],
        total=Decimal(sum(q for _, q in lines)),
        confirmed_at=datetime.now(UTC),
    )
    async with _runtime(client).transactions.begin() as uow:
        await inventory.reserve_order(uow, event)
    return order_id


async def cancel(client: httpx.AsyncClient, order_id: uuid.UUID) -> None:
    event = OrderCancelled(order_id=order_id, account_id=uuid.uuid4(), reason="test")
    async with _runtime(client).transactions.begin() as uow:
        await inventory.release_order(uow, event)


async def published(client: httpx.AsyncClient, event_type: str) -> list[dict[str, Any]]:
    """Payloads of the events of one type in the outbox, oldest first."""
    runtime = _runtime(client)
    outbox = runtime.tables.outbox
    async with runtime.transactions.read() as session:
        rows = await session.scalars(
            select(outbox.c.envelope).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
        )
        return [json.loads(r)["payload"] for r in rows]
