"""Purchasing in-process: suppliers, automatic requisitions, purchase orders and receipts."""

import uuid
from typing import Any

import httpx
from erp_stock_helpers import (
    confirm,
    created,
    levels,
    product,
    published,
    supplier,
    warehouse,
)


async def _requisitions(client: httpx.AsyncClient, item: dict[str, Any]) -> list[dict[str, Any]]:
    page = await client.get("/requisitions", params={"product_id": item["id"]})
    assert page.status_code == 200, page.text
    return page.json()["items"]  # type: ignore[no-any-return]


async def test_a_backorder_raises_a_requisition_and_a_purchase_order_for_it(
    client: httpx.AsyncClient,
) -> None:
    vendor = await supplier(client)
    pump = await product(client, preferred_supplier_id=vendor["id"], reorder_quantity=10)
    order_id = await confirm(client, [(pump, 4)])

    [requisition] = await _requisitions(client, pump)
    assert (requisition["reason"], requisition["quantity"], requisition["status"]) == (
        "backorder",
        10,
        "converted",
    )
    page = (await client.get("/purchase-orders", params={"for_order_id": str(order_id)})).json()
    [purchase] = page["items"]
    assert purchase["id"] == requisition["purchase_order_id"]
    assert purchase["status"] == "draft"
    assert [(x["product_id"], x["quantity"]) for x in purchase["lines"]] == [(pump["id"], 10)]
    assert await published(client, "PurchaseOrderCreated") == []  # a draft is not placed yet
    view = (await client.get(f"/fulfilment/orders/{order_id}")).json()
    assert [p["number"] for p in view["purchase_orders"]] == [purchase["number"]]

    # A second order waiting for the same product is covered by what is on order already.
    second = await confirm(client, [(pump, 3)])
    assert len(await _requisitions(client, pump)) == 1
    linked = (await client.get("/purchase-orders", params={"for_order_id": str(second)})).json()
    assert [p["id"] for p in linked["items"]] == [purchase["id"]]

    # Sent, it is announced once, naming both orders it will fill, oldest first.
    assert (await client.post(f"/purchase-orders/{purchase['id']}/send")).status_code == 200
    [event] = await published(client, "PurchaseOrderCreated")
    assert event["purchase_order_id"] == purchase["id"]
    assert event["for_orders"] == [str(order_id), str(second)]
    assert event["supplier_name"] == vendor["name"]


async def test_receiving_goods_adds_stock_by_lot_and_fills_backorders_oldest_first(
    client: httpx.AsyncClient,
) -> None:
    where = await warehouse(client)
    vendor = await supplier(client)
    pump = await product(client, preferred_supplier_id=vendor["id"], reorder_quantity=10)
    first = await confirm(client, [(pump, 3)])
    second = await confirm(client, [(pump, 4)])
    [purchase] = (await client.get("/purchase-orders", params={"product_id": pump["id"]})).json()[
        "items"
    ]
    assert purchase["lines"][0]["quantity"] == 10  # covers both backorders: one purchase
    sent = await client.post(f"/purchase-orders/{purchase['id']}/send")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"

    receipt = created(
        await client.post(
            f"/purchase-orders/{purchase['id']}/receipts",
            json={
                "warehouse_id": where["id"],
                "lines": [{"product_id": pump["id"], "quantity": 5, "lot": "L-77"}],
            },
        )
    )

    assert receipt["lines"][0]["lot"] == "L-77"
    assert (await client.get(f"/fulfilment/orders/{first}")).json()["status"] == "reserved"
    assert (await client.get(f"/fulfilment/orders/{second}")).json()["status"] == "backordered"
    assert await levels(client, pump) == {where["id"]: (5, 5)}
    partly = (await client.get(f"/purchase-orders/{purchase['id']}")).json()
    assert partly["status"] == "partially_received" and partly["lines"][0]["received"] == 5
    [goods] = await published(client, "GoodsReceived")
    assert goods["lines"] == [
        {"product_id": pump["id"], "sku": pump["sku"], "quantity": 5, "lot": "L-77"}
    ]
    assert set(goods["for_orders"]) == {str(first), str(second)}
    reserved = await published(client, "StockReserved")
    assert [e["order_id"] for e in reserved] == [str(first)]

    created(
        await client.post(
            f"/purchase-orders/{purchase['id']}/receipts",
            json={
                "warehouse_id": where["id"],
                "lines": [{"product_id": pump["id"], "quantity": 5, "lot": "L-78"}],
            },
        )
    )
    done = (await client.get(f"/purchase-orders/{purchase['id']}")).json()
    assert done["status"] == "received"
    assert (await client.get(f"/fulfilment/orders/{second}")).json()["status"] == "reserved"
    assert await levels(client, pump) == {where["id"]: (10, 7)}
    receipts = (await client.get(f"/purchase-orders/{purchase['id']}/receipts")).json()["items"]
    assert [r["lines"][0]["lot"] for r in receipts] == ["L-77", "L-78"]


async def test_falling_below_the_reorder_point_raises_one_open_requisition(
    client: httpx.AsyncClient,
) -> None:
    where = await warehouse(client)
    pump = await product(client, reorder_point=5, reorder_quantity=20)
    created(
        await client.post(
            "/stock/receipts",
            json={"product_id": pump["id"], "warehouse_id": where["id"], "quantity": 6},
        )
    )
    assert await _requisitions(client, pump) == []

    await confirm(client, [(pump, 2)])  # available 4 < 5
    await confirm(client, [(pump, 1)])  # still below: no duplicate

    [requisition] = await _requisitions(client, pump)
    assert (requisition["reason"], requisition["quantity"], requisition["status"]) == (
        "reorder_point",
        20,
        "open",
    )
    vendor = await supplier(client)
    converted = await client.post(
        f"/requisitions/{requisition['id']}/convert", json={"supplier_id": vendor["id"]}
    )
    assert converted.status_code == 201, converted.text
    assert converted.json()["supplier_id"] == vendor["id"]
    again = await client.post(f"/requisitions/{requisition['id']}/convert", json={})
    assert again.status_code == 409


async def test_a_requisition_without_preferred_supplier_needs_one_named(
    client: httpx.AsyncClient,
) -> None:
    pump = await product(client)
    await confirm(client, [(pump, 1)])
    [requisition] = await _requisitions(client, pump)

    response = await client.post(f"/requisitions/{requisition['id']}/convert")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.supplier_id"


async def test_purchase_order_lifecycle_and_its_refusals(client: httpx.AsyncClient) -> None:
    where = await warehouse(client)
    vendor = await supplier(client)
    pump, valve = await product(client), await product(client)
    purchase = created(
        await client.post(
            "/purchase-orders",
            json={
                "supplier_id": vendor["id"],
                "lines": [{"product_id": pump["id"], "quantity": 2, "unit_cost": "55.5"}],
            },
        )
    )
    assert purchase["status"] == "draft" and purchase["lines"][0]["unit_cost"] == "55.5000"
    receipt_body = {
        "warehouse_id": where["id"],
        "lines": [{"product_id": pump["id"], "quantity": 1}],
    }
    draft_receipt = await client.post(
        f"/purchase-orders/{purchase['id']}/receipts", json=receipt_body
    )
    assert draft_receipt.status_code == 409

    stale = await client.post(
        f"/purchase-orders/{purchase['id']}/send", headers={"If-Match": 'W/"99"'}
    )
    assert stale.status_code == 412
    created_etag = (await client.get(f"/purchase-orders/{purchase['id']}")).headers["ETag"]
    sent = await client.post(
        f"/purchase-orders/{purchase['id']}/send", headers={"If-Match": created_etag}
    )
    assert sent.status_code == 200
    too_much = await client.post(
        f"/purchase-orders/{purchase['id']}/receipts",
        json={"warehouse_id": where["id"], "lines": [{"product_id": pump["id"], "quantity": 3}]},
    )
    not_ordered = await client.post(
        f"/purchase-orders/{purchase['id']}/receipts",
        json={"warehouse_id": where["id"], "lines": [{"product_id": valve["id"], "quantity": 1}]},
    )
    assert too_much.status_code == 422 and not_ordered.status_code == 422
    created(await client.post(f"/purchase-orders/{purchase['id']}/receipts", json=receipt_body))
    cancel = await client.post(f"/purchase-orders/{purchase['id']}/cancel")
    assert cancel.status_code == 409  # goods arrived already

    other = created(
        await client.post(
            "/purchase-orders",
            json={
                "supplier_id": vendor["id"],
                "lines": [{"product_id": valve["id"], "quantity": 1}],
            },
        )
    )
    cancelled = await client.post(f"/purchase-orders/{other['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    resend = await client.post(f"/purchase-orders/{other['id']}/send")
    assert resend.status_code == 409
    listed = (await client.get("/purchase-orders", params={"status": "cancelled"})).json()
    assert [p["id"] for p in listed["items"]] == [other["id"]]


async def test_a_purchase_order_is_announced_once_when_sent_not_as_a_draft(
    client: httpx.AsyncClient,
) -> None:
    vendor = await supplier(client)
    pump = await product(client)
    draft = created(
        await client.post(
            "/purchase-orders",
            json={
                "supplier_id": vendor["id"],
                "lines": [{"product_id": pump["id"], "quantity": 4}],
            },
        )
    )
    assert await published(client, "PurchaseOrderCreated") == []

    sent = await client.post(f"/purchase-orders/{draft['id']}/send")
    again = await client.post(f"/purchase-orders/{draft['id']}/send")

    assert sent.status_code == 200 and again.status_code == 409
    [event] = await published(client, "PurchaseOrderCreated")
    assert (event["purchase_order_id"], event["number"]) == (draft["id"], draft["number"])
    assert [(x["sku"], x["quantity"]) for x in event["lines"]] == [(pump["sku"], 4)]
    assert event["expected_on"] == draft["expected_on"] and event["for_orders"] == []
    cancelled = created(
        await client.post(
            "/purchase-orders",
            json={
                "supplier_id": vendor["id"],
                "lines": [{"product_id": pump["id"], "quantity": 1}],
            },
        )
    )
    assert (await client.post(f"/purchase-orders/{cancelled['id']}/cancel")).status_code == 200
    assert len(await published(client, "PurchaseOrderCreated")) == 1


async def test_receipts_of_a_purchase_order_page_filter_and_sort(
    client: httpx.AsyncClient,
) -> None:
    north, south = await warehouse(client), await warehouse(client)
    vendor = await supplier(client)
    pump, valve = await product(client), await product(client)
    purchase = created(
        await client.post(
            "/purchase-orders",
            json={
                "supplier_id": vendor["id"],
                "lines": [
                    {"product_id": pump["id"], "quantity": 5},
                    {"product_id": valve["id"], "quantity": 5},
                ],
            },
        )
    )
    assert (await client.post(f"/purchase-orders/{purchase['id']}/send")).status_code == 200
    path = f"/purchase-orders/{purchase['id']}/receipts"
    for where, item, lot in [(north, pump, "P-1"), (south, valve, "V-1"), (north, pump, "P-2")]:
        line = {"product_id": item["id"], "quantity": 1, "lot": lot}
        created(await client.post(path, json={"warehouse_id": where["id"], "lines": [line]}))

    def lots(page: dict[str, Any]) -> list[str]:
        return [r["lines"][0]["lot"] for r in page["items"]]

    first = (await client.get(path, params={"limit": 2})).json()
    rest = (await client.get(path, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert (lots(first), lots(rest), rest["next_cursor"]) == (["P-1", "V-1"], ["P-2"], None)
    newest = (await client.get(path, params={"sort": "-received_at"})).json()
    assert lots(newest) == ["P-2", "V-1", "P-1"]
    assert lots((await client.get(path, params={"warehouse_id": south["id"]})).json()) == ["V-1"]
    assert lots((await client.get(path, params={"product_id": pump["id"]})).json()) == [
        "P-1",
        "P-2",
    ]
    assert lots((await client.get(path, params={"lot": "P-2"})).json()) == ["P-2"]
    assert (await client.get(path, params={"sort": "lot"})).status_code == 422
    assert (await client.get(path, params={"cursor": "nonsense"})).status_code == 422
    missing = await client.get(f"/purchase-orders/{uuid.uuid4()}/receipts")
    assert missing.status_code == 404


async def test_suppliers_are_created_listed_and_validated(client: httpx.AsyncClient) -> None:
    acme = await supplier(client, name="Acme", code="ACME")
    await supplier(client, name="Borg", code="BORG")
    duplicate = await client.post("/suppliers", json={"code": "ACME", "name": "Again"})
    invalid = await client.post(
        "/suppliers", json={"code": "", "name": "x", "email": "nope", "lead_time_days": -1}
    )

    assert duplicate.status_code == 409
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.json()["errors"]} >= {
        "body.code",
        "body.email",
        "body.lead_time_days",
    }
    first = (await client.get("/suppliers", params={"limit": 1, "sort": "code"})).json()
    assert [s["code"] for s in first["items"]] == ["ACME"]
    rest = (
        await client.get("/suppliers", params={"cursor": first["next_cursor"], "sort": "code"})
    ).json()
    assert [s["code"] for s in rest["items"]] == ["BORG"]
    assert (await client.get("/suppliers", params={"q": "bor"})).json()["items"][0]["code"] == (
        "BORG"
    )
    assert (await client.get(f"/suppliers/{acme['id']}")).status_code == 200
    assert (await client.get(f"/suppliers/{uuid.uuid4()}")).status_code == 404


async def test_bad_purchase_orders_get_problems(client: httpx.AsyncClient) -> None:
    vendor = await supplier(client)
    service_item = await product(client, product_type="service")
    no_lines = await client.post("/purchase-orders", json={"supplier_id": vendor["id"]})
    unknown_supplier = await client.post(
        "/purchase-orders",
        json={
            "supplier_id": str(uuid.uuid4()),
            "lines": [{"product_id": service_item["id"], "quantity": 1}],
        },
    )
    a_service = await client.post(
        "/purchase-orders",
        json={
            "supplier_id": vendor["id"],
            "lines": [{"product_id": service_item["id"], "quantity": 1}],
        },
    )
    zero = await client.post(
        "/purchase-orders",
        json={
            "supplier_id": vendor["id"],
            "lines": [{"product_id": service_item["id"], "quantity": 0}],
        },
    )

    assert no_lines.status_code == 422
    assert unknown_supplier.status_code == 404
    assert a_service.status_code == 422
    assert a_service.json()["errors"][0]["field"] == "body.lines.0.product_id"
    assert zero.status_code == 422
    assert (await client.get(f"/purchase-orders/{uuid.uuid4()}")).status_code == 404
    assert (await client.get("/requisitions", params={"sort": "nope"})).status_code == 422
    assert (await client.get("/requisitions", params={"status": "nope"})).status_code == 422
    assert (await client.get("/purchase-orders", params={"status": "lost"})).status_code == 422


async def test_purchasing_is_for_purchasing_roles(client: httpx.AsyncClient, keys) -> None:  # type: ignore[no-untyped-def]
    sales = keys.headers("sales")
    assert (await client.get("/suppliers", headers=sales)).status_code == 403
    buyer = keys.headers("purchasing")
    response = await client.post("/suppliers", json={"code": "B1", "name": "B"}, headers=buyer)
    assert response.status_code == 201


async def test_a_buyer_may_cancel_an_open_requisition(client: httpx.AsyncClient) -> None:
    pump = await product(client)
    await confirm(client, [(pump, 1)])
    [requisition] = await _requisitions(client, pump)

    cancelled = await client.post(f"/requisitions/{requisition['id']}/cancel")
    again = await client.post(f"/requisitions/{requisition['id']}/cancel")
    convert = await client.post(f"/requisitions/{requisition['id']}/convert")

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert again.status_code == 409 and convert.status_code == 409
    assert (await client.post(f"/requisitions/{uuid.uuid4()}/cancel")).status_code == 404
