"""BOMs and work orders in-process: what each request commits, and what it refuses."""

import asyncio
import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from sqlalchemy import select

from contracts.catalog import SCHEMAS_DIR
from contracts.catalog.schemas import schema_path
from contracts.envelope import event_class
from contracts.events.common import OrderLine
from contracts.events.crm import OrderConfirmed
from devstack import testing
from devstack.testing import created
from erp.inventory.service import reserve_order


async def _product(client: httpx.AsyncClient, kind: str = "stocked", **extra: Any) -> str:
    body = {
        "sku": f"P-{uuid.uuid4().hex[:8]}",
        "name": f"{kind} part",
        "list_price": "10.00",
        "standard_cost": "4.00",
        "tax_rate": "0.23",
        "product_type": kind,
        **extra,
    }
    return str(created(await client.post("/products", json=body))["id"])


async def _warehouse(client: httpx.AsyncClient) -> str:
    body = {"code": f"W{uuid.uuid4().hex[:6]}", "name": "Plant"}
    return str(created(await client.post("/warehouses", json=body))["id"])


async def _receive(
    client: httpx.AsyncClient, product: str, warehouse: str, quantity: int, lot: str | None
) -> None:
    body = {"product_id": product, "warehouse_id": warehouse, "quantity": quantity, "lot": lot}
    created(await client.post("/stock/receipts", json=body))


async def _bom(client: httpx.AsyncClient, product: str, lines: dict[str, int]) -> httpx.Response:
    return await client.post(
        "/boms",
        json={
            "product_id": product,
            "lines": [{"component_id": c, "quantity": q} for c, q in lines.items()],
        },
    )


async def _outbox(client: httpx.AsyncClient) -> list[str]:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.transactions.read() as session:
        outbox = runtime.tables.outbox
        return list(await session.scalars(select(outbox.c.event_type).order_by(outbox.c.id)))


async def _published(client: httpx.AsyncClient, event_type: str) -> list[dict[str, Any]]:
    """Payloads of one event type in the outbox, each checked against its published schema."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    outbox = runtime.tables.outbox
    async with runtime.transactions.read() as session:
        rows = await session.scalars(
            select(outbox.c.envelope).where(outbox.c.event_type == event_type)
        )
        envelopes = [json.loads(row) for row in rows]
    schema = json.loads((SCHEMAS_DIR / schema_path(event_class(event_type))).read_text())
    for envelope in envelopes:
        Draft202012Validator(schema).validate(envelope["payload"])
    return [e["payload"] for e in envelopes]


async def _released(client: httpx.AsyncClient, product: str, warehouse: str, qty: int) -> str:
    order = created(
        await client.post("/work-orders", json={"product_id": product, "quantity": qty})
    )
    released = await client.post(
        f"/work-orders/{order['id']}/release", json={"warehouse_id": warehouse}
    )
    assert released.status_code == 200, released.text
    assert released.json()["status"] == "released"
    return str(order["id"])


async def test_a_bom_is_created_listed_exploded_and_its_lines_replaced(
    client: httpx.AsyncClient,
) -> None:
    bike, wheel = await _product(client, "manufactured"), await _product(client, "manufactured")
    spoke, rim = await _product(client), await _product(client)
    created(await _bom(client, wheel, {spoke: 32, rim: 1}))
    bom = await _bom(client, bike, {wheel: 2})
    assert bom.status_code == 201, bom.text
    bom_id = bom.json()["id"]

    explosion = (await client.get(f"/boms/{bom_id}/explosion", params={"quantity": 3})).json()
    needed = {
        r["product_id"]: (r["quantity"], r["manufactured"]) for r in explosion["requirements"]
    }
    assert needed == {wheel: (6, True), spoke: (192, False), rim: (6, False)}

    where_used = (await client.get("/boms", params={"component_id": spoke})).json()["items"]
    assert [b["product_id"] for b in where_used] == [wheel]

    stale = await client.put(
        f"/boms/{bom_id}/lines",
        json={"lines": [{"component_id": wheel, "quantity": 3}]},
        headers={"If-Match": 'W/"99"'},
    )
    assert stale.status_code == 412
    replaced = await client.put(
        f"/boms/{bom_id}/lines",
        json={"lines": [{"component_id": wheel, "quantity": 3}]},
        headers={"If-Match": bom.headers["ETag"]},
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["lines"] == [{"component_id": wheel, "quantity": 3}]
    assert replaced.json()["version"] == 2


async def test_a_bom_that_would_contain_itself_is_refused(client: httpx.AsyncClient) -> None:
    a, b = await _product(client, "manufactured"), await _product(client, "manufactured")
    created(await _bom(client, a, {b: 1}))
    cycle = await _bom(client, b, {a: 2})
    assert cycle.status_code == 409
    assert cycle.json()["type"].endswith("/bom-cycle")
    itself = await _bom(client, b, {b: 1})
    assert itself.status_code == 409


async def test_bad_boms_are_refused_with_field_detail(client: httpx.AsyncClient) -> None:
    made, stocked = await _product(client, "manufactured"), await _product(client)
    service = await _product(client, "service")
    not_made = await _bom(client, stocked, {made: 1})
    assert not_made.status_code == 422
    assert not_made.json()["errors"][0]["field"] == "body.product_id"
    unknown = await _bom(client, made, {str(uuid.uuid4()): 1, service: 1})
    assert unknown.status_code == 422
    fields = [e["field"] for e in unknown.json()["errors"]]
    assert fields == ["body.lines.0.component_id", "body.lines.1.component_id"]
    twice = await client.post(
        "/boms",
        json={
            "product_id": made,
            "lines": [{"component_id": stocked, "quantity": 1}] * 2,
        },
    )
    assert twice.status_code == 422
    zero = await _bom(client, made, {stocked: 0})
    assert zero.status_code == 422
    created(await _bom(client, made, {stocked: 1}))
    again = await _bom(client, made, {stocked: 2})
    assert again.status_code == 409
    assert (await client.get(f"/boms/{uuid.uuid4()}")).status_code == 404


async def test_completing_a_work_order_consumes_lots_and_books_the_finished_lot(
    client: httpx.AsyncClient,
) -> None:
    warehouse = await _warehouse(client)
    pump, motor = await _product(client, "manufactured"), await _product(client)
    created(await _bom(client, pump, {motor: 2}))
    await _receive(client, motor, warehouse, 3, "M-OLD")
    await _receive(client, motor, warehouse, 10, "M-NEW")
    work_order = await _released(client, pump, warehouse, 4)

    done = await client.post(f"/work-orders/{work_order}/complete", json={"lot": "PUMP-001"})
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["lot"]) == ("completed", "PUMP-001")
    moves = (await client.get("/stock/moves", params={"kind": "production"})).json()["items"]
    booked = sorted((m["product_id"], m["lot"], m["quantity"]) for m in moves)
    assert booked == sorted([(motor, "M-OLD", -3), (motor, "M-NEW", -5), (pump, "PUMP-001", 4)])
    [event] = await _published(client, "WorkOrderCompleted")
    assert (event["product_id"], event["quantity"], event["lot"]) == (pump, 4, "PUMP-001")
    again = await client.post(f"/work-orders/{work_order}/complete")
    assert again.status_code == 409
    # A lot number names one batch: the next work order may not reuse one.
    second = await _released(client, pump, warehouse, 1)
    reused = await client.post(f"/work-orders/{second}/complete", json={"lot": "M-NEW"})
    assert reused.status_code == 409
    assert reused.json()["errors"] == [{"field": "body.lot", "message": "already used"}]
    slashed = await client.post(f"/work-orders/{second}/complete", json={"lot": "A/1"})
    assert slashed.status_code == 422
    listed = await client.get("/work-orders", params={"status": "completed", "product_id": pump})
    assert [w["lot"] for w in listed.json()["items"]] == ["PUMP-001"]


async def test_completion_with_short_components_is_refused_listing_each(
    client: httpx.AsyncClient,
) -> None:
    warehouse = await _warehouse(client)
    pump, motor, seal = (
        await _product(client, "manufactured"),
        await _product(client),
        await _product(client),
    )
    created(await _bom(client, pump, {motor: 1, seal: 4}))
    await _receive(client, motor, warehouse, 10, None)
    await _receive(client, seal, warehouse, 5, "S-1")
    work_order = await _released(client, pump, warehouse, 2)
    short = await client.post(f"/work-orders/{work_order}/complete")
    assert short.status_code == 409
    assert short.json()["type"].endswith("/components-short")
    assert [e["field"] for e in short.json()["errors"]] == [f"components.{seal}"]
    assert "8 required, 5 available, 3 short" in short.json()["errors"][0]["message"]
    levels = (await client.get("/stock/levels", params={"product_id": motor})).json()["items"]
    assert levels[0]["on_hand"] == 10  # nothing was consumed
    order = (await client.get(f"/work-orders/{work_order}")).json()
    assert order["status"] == "released"


async def test_work_order_lifecycle_refusals(
    client: httpx.AsyncClient, keys: testing.SigningKeys
) -> None:
    warehouse = await _warehouse(client)
    pump, motor = await _product(client, "manufactured"), await _product(client)
    no_bom = await client.post("/work-orders", json={"product_id": pump, "quantity": 1})
    assert no_bom.status_code == 422
    created(await _bom(client, pump, {motor: 1}))
    bad = await client.post("/work-orders", json={"product_id": pump, "quantity": 0})
    assert bad.status_code == 422
    planned = created(await client.post("/work-orders", json={"product_id": pump, "quantity": 2}))
    assert planned["components"] == [{"component_id": motor, "quantity": 2}]
    early = await client.post(f"/work-orders/{planned['id']}/complete")
    assert early.status_code == 409
    nowhere = await client.post(f"/work-orders/{planned['id']}/release")
    assert nowhere.status_code == 422
    stale = await client.post(
        f"/work-orders/{planned['id']}/release",
        json={"warehouse_id": warehouse},
        headers={"If-Match": 'W/"7"'},
    )
    assert stale.status_code == 412
    cancelled = await client.post(f"/work-orders/{planned['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert (await client.get(f"/work-orders/{uuid.uuid4()}")).status_code == 404

    sales = keys.headers("sales")
    assert (await client.get("/work-orders", headers=sales)).status_code == 403
    warehouse_staff = keys.headers("warehouse")
    assert (await client.get("/work-orders", headers=warehouse_staff)).status_code == 200


async def test_a_completed_work_order_fills_the_backorders_of_its_product(
    client: httpx.AsyncClient,
) -> None:
    warehouse = await _warehouse(client)
    pump, motor = await _product(client, "manufactured"), await _product(client)
    created(await _bom(client, pump, {motor: 1}))
    await _receive(client, motor, warehouse, 5, "M-1")
    order_id = uuid.uuid4()
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.transactions.begin() as uow:  # CRM confirmed an order of 3 pumps
        await reserve_order(
            uow,
            OrderConfirmed(
                order_id=order_id,
                order_number="SO-1",
                account_id=uuid.uuid4(),
                currency="EUR",
                lines=[
                    OrderLine(
                        product_id=uuid.UUID(pump), sku="PUMP", quantity=3, unit_price=Decimal(9)
                    )
                ],
                total=Decimal(27),
                confirmed_at=datetime.now(UTC),
            ),
        )
    assert (await client.get(f"/fulfilment/orders/{order_id}")).json()["status"] == "backordered"
    work_order = await _released(client, pump, warehouse, 3)
    assert (await client.post(f"/work-orders/{work_order}/complete")).status_code == 200
    assert (await client.get(f"/fulfilment/orders/{order_id}")).json()["status"] == "reserved"
    outbox = await _outbox(client)
    assert outbox.index("StockReserved") > outbox.index("StockReservationFailed")
    assert outbox[-1] == "WorkOrderCompleted"


async def test_racing_completions_of_one_work_order_consume_once(
    client: httpx.AsyncClient,
) -> None:
    warehouse = await _warehouse(client)
    pump, motor = await _product(client, "manufactured"), await _product(client)
    created(await _bom(client, pump, {motor: 1}))
    await _receive(client, motor, warehouse, 10, "M-1")
    work_order = await _released(client, pump, warehouse, 4)
    results = await asyncio.gather(
        *(client.post(f"/work-orders/{work_order}/complete") for _ in range(3))
    )
    assert sorted(r.status_code for r in results) == [200, 409, 409]
    levels = (await client.get("/stock/levels", params={"product_id": motor})).json()["items"]
    assert levels[0]["on_hand"] == 6
