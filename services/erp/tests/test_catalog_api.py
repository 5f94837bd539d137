"""Products in-process: validation, audit, optimistic concurrency, catalog events."""

import uuid

import httpx
from erp_stock_helpers import created, product, published, supplier
from sqlalchemy import select

BODY = {
    "sku": "PUMP-200",
    "name": "Circulation pump 200 W",
    "unit": "pcs",
    "list_price": "249.00",
    "standard_cost": "131.50",
    "tax_rate": "0.23",
    "product_type": "stocked",
    "warranty_months": 24,
    "reorder_point": 5,
    "reorder_quantity": 20,
}


async def test_a_product_is_created_with_every_field_and_published(
    client: httpx.AsyncClient,
) -> None:
    vendor = await supplier(client)
    response = await client.post("/products", json=BODY | {"preferred_supplier_id": vendor["id"]})
    item = created(response)

    assert response.headers["ETag"] == 'W/"1"'
    assert {k: item[k] for k in BODY} == BODY
    assert item["preferred_supplier_id"] == vendor["id"]
    [event] = await published(client, "ProductPublished")
    assert (event["sku"], event["revision"], event["warranty_months"]) == ("PUMP-200", 1, 24)
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    audit = runtime.tables.audit_log
    async with runtime.transactions.read() as session:
        actions = (
            await session.scalars(
                select(audit.c.action).where(
                    audit.c.entity == "product", audit.c.entity_id == item["id"]
                )
            )
        ).all()
    assert actions == ["created"]


async def test_an_update_needs_the_current_version_and_publishes_a_new_revision(
    client: httpx.AsyncClient,
) -> None:
    item = await product(client)
    body = {k: item[k] for k in ("sku", "list_price", "standard_cost", "tax_rate")} | {
        "name": "Renamed pump"
    }

    stale = await client.put(f"/products/{item['id']}", json=body, headers={"If-Match": 'W/"7"'})
    fresh = await client.put(f"/products/{item['id']}", json=body, headers={"If-Match": 'W/"1"'})

    assert stale.status_code == 412
    assert fresh.status_code == 200 and fresh.headers["ETag"] == 'W/"2"'
    events = await published(client, "ProductPublished")
    assert [(e["name"], e["revision"]) for e in events] == [
        ("Circulation pump", 1),
        ("Renamed pump", 2),
    ]


async def test_raising_the_reorder_point_above_stock_raises_a_requisition(
    client: httpx.AsyncClient,
) -> None:
    item = await product(client)
    body = {k: item[k] for k in ("sku", "name", "list_price", "standard_cost", "tax_rate")}
    response = await client.put(
        f"/products/{item['id']}", json=body | {"reorder_point": 3, "reorder_quantity": 10}
    )
    assert response.status_code == 200
    page = (await client.get("/requisitions", params={"product_id": item["id"]})).json()
    assert [(r["quantity"], r["reason"]) for r in page["items"]] == [(10, "reorder_point")]


async def test_bad_products_get_problems_with_field_detail(client: httpx.AsyncClient) -> None:
    created(await client.post("/products", json=BODY))
    duplicate = await client.post("/products", json=BODY)
    invalid = await client.post(
        "/products",
        json=BODY
        | {
            "sku": "bad sku!",
            "list_price": "-1",
            "tax_rate": "1.5",
            "product_type": "magic",
            "warranty_months": -1,
            "reorder_point": -1,
            "colour": "red",
        },
    )
    no_supplier = await client.post(
        "/products", json=BODY | {"sku": "P-2", "preferred_supplier_id": str(uuid.uuid4())}
    )

    assert duplicate.status_code == 409
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.json()["errors"]} >= {
        "body.sku",
        "body.list_price",
        "body.tax_rate",
        "body.product_type",
        "body.warranty_months",
        "body.reorder_point",
        "body.colour",
    }
    assert no_supplier.status_code == 422
    assert no_supplier.json()["errors"][0]["field"] == "body.preferred_supplier_id"
    assert (await client.get(f"/products/{uuid.uuid4()}")).status_code == 404


async def test_products_page_filter_and_sort(client: httpx.AsyncClient) -> None:
    await product(client, sku="B-VALVE", name="Valve")
    await product(client, sku="A-PUMP", name="Pump")
    await product(client, sku="C-FIT", name="Fitting", product_type="service")

    first = (await client.get("/products", params={"limit": 2})).json()
    rest = (await client.get("/products", params={"cursor": first["next_cursor"]})).json()
    services = (await client.get("/products", params={"product_type": "service"})).json()
    found = (await client.get("/products", params={"q": "valv", "sort": "-name"})).json()

    assert [p["sku"] for p in first["items"] + rest["items"]] == ["A-PUMP", "B-VALVE", "C-FIT"]
    assert [p["sku"] for p in services["items"]] == ["C-FIT"]
    assert [p["sku"] for p in found["items"]] == ["B-VALVE"]
    assert (await client.get("/products", params={"sort": "cost"})).status_code == 422
