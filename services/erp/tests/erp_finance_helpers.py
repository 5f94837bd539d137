"""Helpers of the finance API tests: CRM's events and ERP's own shipment and receipt events
fed to the real handlers (relay and consumer are off in these tests), and the books read back."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select

from contracts.envelope import Envelope, Event
from contracts.events.common import OrderLine
from contracts.events.crm import AccountRegistered, OrderCancelled, OrderConfirmed
from contracts.events.erp import GoodsReceived, ReceivedLine, ShipmentDispatched, ShippedLine
from erp.events import HANDLERS

D = Decimal


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()  # type: ignore[no-any-return]


def _runtime(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime  # type: ignore[attr-defined]


async def deliver(client: httpx.AsyncClient, event: Event) -> None:
    """Apply one event the way ERP's consumer would: every handler, one unit of work."""
    handlers = HANDLERS[type(event)]
    envelope = Envelope.wrap(event, producer="test")
    async with _runtime(client).transactions.begin() as uow:
        for handler in handlers if isinstance(handlers, list) else [handlers]:
            await handler(uow, event, envelope)


async def customer(
    client: httpx.AsyncClient,
    *,
    credit_limit: str | None = None,
    terms: int = 30,
    owner: str | None = "anna",
) -> uuid.UUID:
    account_id = uuid.uuid4()
    await deliver(
        client,
        AccountRegistered(
            account_id=account_id,
            name=f"Nordwind {account_id.hex[:4]}",
            owner=owner,
            credit_limit=D(credit_limit) if credit_limit is not None else None,
            payment_terms_days=terms,
        ),
    )
    return account_id


async def product(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {
        "sku": f"SKU-{uuid.uuid4().hex[:8]}",
        "name": "Circulation pump",
        "list_price": "100.00",
        "standard_cost": "60.00",
        "tax_rate": "0.23",
    }
    return created(await client.post("/products", json=body | fields))


async def stocked(client: httpx.AsyncClient, quantity: int, **fields: Any) -> dict[str, Any]:
    item = await product(client, **fields)
    where = created(
        await client.post("/warehouses", json={"code": f"W{uuid.uuid4().hex[:6]}", "name": "W"})
    )
    created(
        await client.post(
            "/stock/receipts",
            json={"product_id": item["id"], "warehouse_id": where["id"], "quantity": quantity},
        )
    )
    item["warehouse_id"] = where["id"]
    return item


async def confirm(
    client: httpx.AsyncClient,
    account_id: uuid.UUID,
    lines: list[tuple[dict[str, Any], int, str]],
    owner: str | None = "anna",
) -> uuid.UUID:
    """CRM confirmed an order (lines: product, quantity, unit price; total includes tax)."""
    order_id = uuid.uuid4()
    order_lines = [
        OrderLine(product_id=p["id"], sku=p["sku"], quantity=q, unit_price=D(price))
        for p, q, price in lines
    ]
    total = sum(
        (
            (line.unit_price * line.quantity * (1 + D(p["tax_rate"]))).quantize(D("0.01"))
            for line, (p, _, _) in zip(order_lines, lines, strict=True)
        ),
        D(0),
    )
    await deliver(
        client,
        OrderConfirmed(
            order_id=order_id,
            order_number=f"SO-{order_id.hex[:6]}",
            account_id=account_id,
            owner=owner,
            currency="EUR",
            lines=order_lines,
            total=total,
            confirmed_at=datetime.now(UTC),
        ),
    )
    return order_id


async def cancel(client: httpx.AsyncClient, order_id: uuid.UUID, account_id: uuid.UUID) -> None:
    await deliver(client, OrderCancelled(order_id=order_id, account_id=account_id))


async def dispatch(
    client: httpx.AsyncClient,
    order_id: uuid.UUID,
    lines: list[tuple[dict[str, Any], int]],
    at: datetime | None = None,
) -> uuid.UUID:
    """A shipment of the order left the warehouse (the event, as shipping publishes it)."""
    shipment_id = uuid.uuid4()
    await deliver(
        client,
        ShipmentDispatched(
            order_id=order_id,
            shipment_id=shipment_id,
            shipment_number=f"SH-{shipment_id.hex[:6]}",
            warehouse_id=uuid.uuid4(),
            lines=[ShippedLine(product_id=p["id"], sku=p["sku"], quantity=q) for p, q in lines],
            dispatched_at=at or datetime.now(UTC),
        ),
    )
    return shipment_id


async def ship(client: httpx.AsyncClient, order_id: uuid.UUID) -> None:
    """Ship through the real shipping API, then invoice from the events it published."""
    created(await client.post("/shipments", json={"order_id": str(order_id)}))
    for payload in await published(client, "ShipmentDispatched"):
        if payload["order_id"] == str(order_id):
            await deliver(client, ShipmentDispatched.model_validate(payload))


async def receive_goods(
    client: httpx.AsyncClient, lines: list[tuple[dict[str, Any], int]], at: datetime
) -> None:
    await deliver(
        client,
        GoodsReceived(
            purchase_order_id=uuid.uuid4(),
            receipt_id=uuid.uuid4(),
            warehouse_id=uuid.uuid4(),
            lines=[ReceivedLine(product_id=p["id"], sku=p["sku"], quantity=q) for p, q in lines],
            received_at=at,
        ),
    )


async def published(client: httpx.AsyncClient, event_type: str) -> list[dict[str, Any]]:
    """Payloads of the events of one type in the outbox, oldest first."""
    runtime = _runtime(client)
    outbox = runtime.tables.outbox
    async with runtime.transactions.read() as session:
        rows = await session.scalars(
            select(outbox.c.envelope).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
        )
        return [json.loads(r)["payload"] for r in rows]


async def entries(client: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    """Journal entries, oldest first, each as {source, lines: {(account): (debit, credit)}}."""
    page = ok(await client.get("/ledger/journal-entries", params={"sort": "id", **params}))
    return page["items"]  # type: ignore[no-any-return]


def lines_of(entry: dict[str, Any]) -> list[tuple[str, Decimal, Decimal]]:
    return [(x["account_code"], D(x["debit"]), D(x["credit"])) for x in entry["lines"]]


async def balances(client: httpx.AsyncClient, **params: str) -> dict[str, Decimal]:
    """Signed balances (debit positive) per account from the trial balance."""
    report = ok(await client.get("/reports/trial-balance", params=params))
    return {x["code"]: D(x["debit"]) - D(x["credit"]) for x in report["lines"]}
