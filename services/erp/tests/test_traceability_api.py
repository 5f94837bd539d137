"""Lot trace in-process: from a shipped lot back to its work order, component lots and the
supplier receipts they came in with, and forward from a component lot to what it went into."""

import uuid
from typing import Any

import httpx
from erp_stock_helpers import confirm, created, product, receive, supplier, warehouse

from devstack import testing


async def _purchased(
    client: httpx.AsyncClient, vendor: dict[str, Any], where: dict[str, Any], lots: dict[str, Any]
) -> dict[str, Any]:
    """A purchase order sent to ``vendor`` and received in full, one lot per product."""
    order = created(
        await client.post(
            "/purchase-orders",
            json={
                "supplier_id": vendor["id"],
                "lines": [{"product_id": p["id"], "quantity": q} for p, q, _ in lots.values()],
            },
        )
    )
    assert (await client.post(f"/purchase-orders/{order['id']}/send")).status_code == 200
    created(
        await client.post(
            f"/purchase-orders/{order['id']}/receipts",
            json={
                "warehouse_id": where["id"],
                "lines": [
                    {"product_id": p["id"], "quantity": q, "lot": lot}
                    for p, q, lot in lots.values()
                ],
            },
        )
    )
    return order


async def _made(
    client: httpx.AsyncClient, item: dict[str, Any], where: dict[str, Any], qty: int, lot: str
) -> dict[str, Any]:
    order = created(
        await client.post("/work-orders", json={"product_id": item["id"], "quantity": qty})
    )
    released = await client.post(
        f"/work-orders/{order['id']}/release", json={"warehouse_id": where["id"]}
    )
    assert released.status_code == 200, released.text
    done = await client.post(f"/work-orders/{order['id']}/complete", json={"lot": lot})
    assert done.status_code == 200, done.text
    return done.json()  # type: ignore[no-any-return]


async def test_a_shipped_lot_traces_back_to_the_supplier_receipts_of_its_parts(
    client: httpx.AsyncClient,
) -> None:
    plant, vendor = await warehouse(client), await supplier(client, name="Motors Ltd")
    motor, seal = await product(client), await product(client)
    pump = await product(client, product_type="manufactured")
    bom = {"product_id": pump["id"], "lines": [{"component_id": motor["id"], "quantity": 1}]}
    bom["lines"].append({"component_id": seal["id"], "quantity": 2})
    created(await client.post("/boms", json=bom))
    purchase = await _purchased(
        client, vendor, plant, {"m": (motor, 10, "M-1"), "s": (seal, 20, "S-1")}
    )
    work_order = await _made(client, pump, plant, 5, "PUMP-L1")
    order_id = await confirm(client, [(pump, 3)])
    shipped = await client.post("/shipments", json={"order_id": str(order_id)})
    assert shipped.status_code == 201, shipped.text

    trace = await client.get("/lots/PUMP-L1/trace")
    assert trace.status_code == 200, trace.text
    body = trace.json()
    assert (body["product"]["id"], body["origin"]) == (pump["id"], "production")
    assert body["work_order"]["id"] == work_order["id"]
    assert [(s["order_id"], s["quantity"]) for s in body["shipments"]] == [(str(order_id), 3)]
    parts = {c["product"]["id"]: c for c in body["work_order"]["components"]}
    assert (parts[motor["id"]]["lot"], parts[motor["id"]]["quantity"]) == ("M-1", 5)
    assert (parts[seal["id"]]["lot"], parts[seal["id"]]["quantity"]) == ("S-1", 10)
    motor_trace = parts[motor["id"]]["trace"]
    assert motor_trace["origin"] == "purchase"
    [receipt] = motor_trace["receipts"]
    assert receipt["supplier_name"] == "Motors Ltd"
    assert receipt["purchase_order_number"] == purchase["number"]
    assert receipt["quantity"] == 10

    # Forward: the component lot says what it went into.
    used = (await client.get("/lots/M-1/trace")).json()["used_in"]
    assert [(u["work_order_number"], u["finished_lot"], u["quantity"]) for u in used] == [
        (work_order["number"], "PUMP-L1", 5)
    ]


async def test_a_lot_received_without_purchasing_has_no_supplier(
    client: httpx.AsyncClient,
) -> None:
    plant, valve = await warehouse(client), await product(client)
    await receive(client, valve, plant, 4, "V/9")  # suppliers' lot numbers may have slashes
    body = (await client.get("/lots/V%2F9/trace")).json()
    assert body["lot"] == "V/9"
    assert body["origin"] == "receipt"
    assert body["work_order"] is None
    assert [(r["quantity"], r["supplier_id"]) for r in body["receipts"]] == [(4, None)]


async def test_unknown_and_ambiguous_lots(
    client: httpx.AsyncClient, keys: testing.SigningKeys
) -> None:
    plant, valve, hose = await warehouse(client), await product(client), await product(client)
    await receive(client, valve, plant, 1, "SHARED")
    await receive(client, hose, plant, 1, "SHARED")
    assert (await client.get("/lots/NOPE/trace")).status_code == 404
    ambiguous = await client.get("/lots/SHARED/trace")
    assert ambiguous.status_code == 409
    assert {e["message"] for e in ambiguous.json()["errors"]} == {valve["id"], hose["id"]}
    chosen = await client.get("/lots/SHARED/trace", params={"product_id": hose["id"]})
    assert chosen.json()["product"]["id"] == hose["id"]
    other = await client.get("/lots/SHARED/trace", params={"product_id": str(uuid.uuid4())})
    assert other.status_code == 404
    bad = await client.get("/lots/SHARED/trace", params={"product_id": "nope"})
    assert bad.status_code == 422
    # Service agents answer complaints: inventory:read is enough; marketing may not look.
    service_agent = keys.headers("service")
    params = {"product_id": hose["id"]}
    assert (await client.get("/lots/SHARED/trace", params=params, headers=service_agent)).is_success
    marketing = keys.headers("marketing")
    assert (await client.get("/lots/SHARED/trace", headers=marketing)).status_code == 403
