"""MRP runs in-process: backorders and reorder points become planned work orders and
requisitions, netted against stock and open supply; a second run plans nothing more."""

import uuid
from typing import Any

import httpx
from erp_stock_helpers import confirm, created, product, receive, warehouse

from devstack import testing


async def _bom(client: httpx.AsyncClient, item: dict[str, Any], lines: dict[str, int]) -> None:
    body = {
        "product_id": item["id"],
        "lines": [{"component_id": c, "quantity": q} for c, q in lines.items()],
    }
    created(await client.post("/boms", json=body))


async def _open_requisitions(client: httpx.AsyncClient) -> dict[str, int]:
    page = (await client.get("/requisitions", params={"status": "open", "limit": 200})).json()
    return {r["product_id"]: r["quantity"] for r in page["items"]}


async def test_a_backordered_bike_is_planned_level_by_level(client: httpx.AsyncClient) -> None:
    plant = await warehouse(client)
    bike = await product(client, product_type="manufactured")
    wheel = await product(client, product_type="manufactured")
    frame, rim = await product(client), await product(client)
    spoke = await product(client, reorder_point=10, reorder_quantity=50)
    await _bom(client, bike, {wheel["id"]: 2, frame["id"]: 1})
    await _bom(client, wheel, {rim["id"]: 1, spoke["id"]: 4})
    await receive(client, wheel, plant, 1)
    await receive(client, spoke, plant, 3)  # below its reorder point: purchasing asks for 50
    assert await _open_requisitions(client) == {spoke["id"]: 50}
    await confirm(client, [(bike, 2)])  # nothing in stock: 2 bikes backordered

    run = await client.post("/mrp/runs", json={"warehouse_id": plant["id"]})
    assert run.status_code == 201, run.text
    lines = {line["product_id"]: line for line in run.json()["lines"]}
    planned = {p: (line["action"], line["quantity"]) for p, line in lines.items()}
    assert planned == {
        bike["id"]: ("make", 2),
        wheel["id"]: ("make", 3),  # 4 needed, 1 on hand
        frame["id"]: ("buy", 2),
        rim["id"]: ("buy", 3),
        # spokes: 12 needed + reorder point 10, but 3 on hand and 50 already requested
    }
    assert (run.json()["planned_work_orders"], run.json()["planned_requisitions"]) == (2, 2)
    orders = (await client.get("/work-orders", params={"mrp_run_id": run.json()["id"]})).json()
    made = {
        w["product_id"]: (w["status"], w["quantity"], w["warehouse_id"]) for w in orders["items"]
    }
    assert made == {
        bike["id"]: ("planned", 2, plant["id"]),
        wheel["id"]: ("planned", 3, plant["id"]),
    }
    assert await _open_requisitions(client) == {spoke["id"]: 50, frame["id"]: 2, rim["id"]: 3}

    again = await client.post("/mrp/runs")
    assert again.status_code == 201
    assert again.json()["lines"] == []
    stored = (await client.get(f"/mrp/runs/{run.json()['id']}")).json()
    assert stored["lines"] == run.json()["lines"]
    first = (await client.get("/mrp/runs", params={"limit": 1})).json()
    assert [r["id"] for r in first["items"]] == [again.json()["id"]]  # newest first
    rest = (await client.get("/mrp/runs", params={"cursor": first["next_cursor"]})).json()
    assert [r["id"] for r in rest["items"]] == [run.json()["id"]]


async def test_a_reorder_point_on_a_made_product_plans_a_batch(client: httpx.AsyncClient) -> None:
    gear = await product(client, product_type="manufactured", reorder_point=5, reorder_quantity=20)
    tooth = await product(client)
    await _bom(client, gear, {tooth["id"]: 3})
    lines = (await client.post("/mrp/runs")).json()["lines"]
    planned = {line["product_id"]: (line["quantity"], line["net_requirement"]) for line in lines}
    assert planned == {gear["id"]: (20, 5), tooth["id"]: (60, 60)}
    work_order = next(line for line in lines if line["action"] == "make")
    # Without a warehouse the planned work order waits for one until it is released.
    detail = (await client.get(f"/work-orders/{work_order['work_order_id']}")).json()
    assert detail["warehouse_id"] is None


async def test_a_made_product_without_a_bom_is_reported(client: httpx.AsyncClient) -> None:
    gear = await product(client, product_type="manufactured", reorder_point=2)
    lines = (await client.post("/mrp/runs", json={})).json()["lines"]
    assert [(x["product_id"], x["action"], x["net_requirement"]) for x in lines] == [
        (gear["id"], "no_bom", 2)
    ]


async def test_bad_runs_are_refused(client: httpx.AsyncClient, keys: testing.SigningKeys) -> None:
    unknown = await client.post("/mrp/runs", json={"warehouse_id": str(uuid.uuid4())})
    assert unknown.status_code == 404
    extra = await client.post("/mrp/runs", json={"horizon": 3})
    assert extra.status_code == 422
    assert (await client.get(f"/mrp/runs/{uuid.uuid4()}")).status_code == 404
    assert (await client.get("/mrp/runs", params={"sort": "actor"})).status_code == 422
    sales = await client.post("/mrp/runs", headers=keys.headers("sales"))
    assert sales.status_code == 403
    purchasing = await client.post("/mrp/runs", headers=keys.headers("purchasing"))
    assert purchasing.status_code == 403
