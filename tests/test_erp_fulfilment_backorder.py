"""A backorder end to end, through the gateway, across real processes: the order lacks stock,
purchasing buys it, the goods arrive by lot, the order is reserved and shipped, and CRM
learns each step from ERP's events."""

import uuid
from typing import Any

import httpx
import pytest

from devstack.testing import created, eventually

pytestmark = pytest.mark.e2e


def _order_status(api: httpx.Client, order_id: str) -> str:
    return api.get(f"/api/orders/{order_id}").json()["order"]["status"]  # type: ignore[no-any-return]


def _timeline_kinds(api: httpx.Client, account_id: str) -> set[str]:
    response = api.get(f"/api/accounts/{account_id}/timeline", params={"limit": 200})
    return {entry["kind"] for entry in response.json()["items"]}


def _backordered_order(api: httpx.Client) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A product with 2 in stock (lot LOT-A) and a confirmed order for 5 of it."""
    warehouse = created(
        api.post("/api/warehouses", json={"code": f"W{uuid.uuid4().hex[:6]}", "name": "Main"})
    )
    supplier = created(
        api.post(
            "/api/suppliers",
            json={"code": f"S{uuid.uuid4().hex[:6]}", "name": "Acme Pumps", "lead_time_days": 3},
        )
    )
    product = created(
        api.post(
            "/api/products",
            json={
                "sku": f"SKU-{uuid.uuid4().hex[:8]}",
                "name": "Circulation pump",
                "list_price": "100.00",
                "standard_cost": "60.00",
                "tax_rate": "0.23",
                "reorder_quantity": 10,
                "preferred_supplier_id": supplier["id"],
            },
        )
    )
    created(
        api.post(
            "/api/stock/receipts",
            json={
                "product_id": product["id"],
                "warehouse_id": warehouse["id"],
                "quantity": 2,
                "lot": "LOT-A",
            },
        )
    )
    eventually(lambda: api.get(f"/api/catalog/products/{product['id']}").status_code == 200)
    account = created(api.post("/api/accounts", json={"name": f"Nordwind {uuid.uuid4().hex[:4]}"}))
    order = created(
        api.post(
            "/api/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": product["id"], "quantity": 5}],
            },
        )
    )
    confirmed = api.post(f"/api/orders/{order['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    return order | {"account": account}, product, warehouse


def test_a_backordered_order_is_bought_received_reserved_and_shipped(api: httpx.Client) -> None:
    order, product, warehouse = _backordered_order(api)
    account_id = order["account"]["id"]

    # 1. Short by 3: reserved what exists, backordered the rest; CRM says backordered.
    eventually(lambda: _order_status(api, order["id"]) == "backordered")
    view = api.get(f"/api/orders/{order['id']}").json()
    assert [(b["product_id"], b["missing"]) for b in view["fulfilment"]["backorders"]] == [
        (product["id"], 3)
    ]

    # 2. A requisition was raised and, with a preferred supplier, became a purchase order.
    requisitions = api.get("/api/requisitions", params={"product_id": product["id"]}).json()
    [requisition] = requisitions["items"]
    assert (requisition["reason"], requisition["quantity"]) == ("backorder", 10)
    purchases = api.get("/api/purchase-orders", params={"for_order_id": order["id"]}).json()
    [purchase] = purchases["items"]
    assert purchase["id"] == requisition["purchase_order_id"]
    assert [p["id"] for p in view["fulfilment"]["purchase_orders"]] == [purchase["id"]]

    # 3. The buyer sends it, which tells CRM the goods are ordered; they arrive with their lot.
    assert "goods_ordered" not in _timeline_kinds(api, account_id)  # a draft is not announced
    assert api.post(f"/api/purchase-orders/{purchase['id']}/send").status_code == 200
    eventually(lambda: "goods_ordered" in _timeline_kinds(api, account_id))
    created(
        api.post(
            f"/api/purchase-orders/{purchase['id']}/receipts",
            json={
                "warehouse_id": warehouse["id"],
                "lines": [{"product_id": product["id"], "quantity": 10, "lot": "LOT-B"}],
            },
        )
    )
    eventually(lambda: _order_status(api, order["id"]) == "reserved")
    eventually(lambda: "goods_received" in _timeline_kinds(api, account_id))
    assert api.get(f"/api/purchase-orders/{purchase['id']}").json()["status"] == "received"

    # 4. Shipped once, oldest lot first; CRM hears it.
    [shipment] = created(api.post("/api/shipments", json={"order_id": order["id"]}))
    assert [(x["lot"], x["quantity"]) for x in shipment["lines"]] == [("LOT-A", 2), ("LOT-B", 3)]
    assert api.post("/api/shipments", json={"order_id": order["id"]}).status_code == 409

    def shipped() -> dict[str, Any] | None:
        tracked = api.get(f"/api/orders/{order['id']}").json()
        history = [h["to_status"] for h in tracked["order"]["history"]]
        return tracked if "shipped" in history else None

    tracked = eventually(shipped)
    history = [h["to_status"] for h in tracked["order"]["history"]]
    assert history[:5] == ["draft", "confirmed", "backordered", "reserved", "shipped"]
    assert tracked["fulfilment"]["status"] == "shipped"
    assert [s["number"] for s in tracked["fulfilment"]["shipments"]] == [shipment["number"]]
    levels = api.get("/api/stock/levels", params={"product_id": product["id"]}).json()
    assert [(x["on_hand"], x["reserved"]) for x in levels["items"]] == [(7, 0)]
