"""The first business flow, end to end through the gateway, across real processes."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from devstack.testing import created, eventually

pytestmark = pytest.mark.e2e


def _warehouse(api: httpx.Client) -> dict[str, Any]:
    return created(
        api.post(
            "/api/warehouses", json={"code": f"W{uuid.uuid4().hex[:6]}", "name": "Main warehouse"}
        )
    )


def _product_in_stock(
    api: httpx.Client, warehouse: dict[str, Any], quantity: int, price: str = "100.00"
) -> dict[str, Any]:
    product = created(
        api.post(
            "/api/products",
            json={
                "sku": f"SKU-{uuid.uuid4().hex[:8]}",
                "name": "Circulation pump",
                "list_price": price,
                "standard_cost": "60.00",
                "tax_rate": "0.23",
            },
        )
    )
    if quantity:
        created(
            api.post(
                "/api/stock/receipts",
                json={
                    "product_id": product["id"],
                    "warehouse_id": warehouse["id"],
                    "quantity": quantity,
                    "lot": "LOT-1",
                },
            )
        )
    # CRM learns the product (and its availability) from ERP's events.
    eventually(lambda: api.get(f"/api/catalog/products/{product['id']}").status_code == 200)
    return product


def _account(api: httpx.Client) -> dict[str, Any]:
    return created(
        api.post(
            "/api/accounts", json={"name": f"Nordwind {uuid.uuid4().hex[:4]}", "region": "north"}
        )
    )


def _confirmed_order(
    api: httpx.Client, account: dict[str, Any], lines: list[tuple[dict[str, Any], int]]
) -> dict[str, Any]:
    order = created(
        api.post(
            "/api/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": p["id"], "quantity": q} for p, q in lines],
            },
        )
    )
    confirmed = api.post(f"/api/orders/{order['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    return order


def _settled(api: httpx.Client, order_id: str) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        view = api.get(f"/api/orders/{order_id}").json()
        return view if view["order"]["status"] in ("reserved", "backordered") else None

    return eventually(check)  # type: ignore[no-any-return]


def test_an_order_in_stock_is_reserved_and_the_gateway_composes_it(api: httpx.Client) -> None:
    warehouse = _warehouse(api)
    product = _product_in_stock(api, warehouse, 10)
    account = _account(api)
    order = _confirmed_order(api, account, [(product, 3)])

    view = _settled(api, order["id"])
    assert view["order"]["status"] == "reserved"
    assert view["order"]["total"] == "369.0000"  # 3 x 100.00 + 23 % tax
    assert view["customer"]["id"] == account["id"]
    assert view["fulfilment"]["status"] == "reserved"
    assert [r["quantity"] for r in view["fulfilment"]["reservations"]] == [3]
    assert view["missing"] == []
    levels = api.get("/api/stock/levels", params={"product_id": product["id"]}).json()
    assert levels["next_cursor"] is None
    assert levels["items"] == [
        {
            "product_id": product["id"],
            "warehouse_id": warehouse["id"],
            "on_hand": 10,
            "reserved": 3,
            "available": 7,
        }
    ]
    history = [h["to_status"] for h in view["order"]["history"]]
    assert history == ["draft", "confirmed", "reserved"]


def test_a_shortage_reserves_what_exists_and_backorders_the_rest(api: httpx.Client) -> None:
    warehouse = _warehouse(api)
    scarce = _product_in_stock(api, warehouse, 2)
    plenty = _product_in_stock(api, warehouse, 50)
    order = _confirmed_order(api, _account(api), [(scarce, 5), (plenty, 1)])

    view = _settled(api, order["id"])
    assert view["order"]["status"] == "backordered"
    assert "x3" in view["order"]["history"][-1]["reason"]
    fulfilment = view["fulfilment"]
    assert fulfilment["status"] == "backordered"
    assert [(b["product_id"], b["missing"]) for b in fulfilment["backorders"]] == [
        (scarce["id"], 3)
    ]
    reserved = {r["product_id"]: r["quantity"] for r in fulfilment["reservations"]}
    assert reserved == {scarce["id"]: 2, plenty["id"]: 1}

    # Goods arrive: the backorder is filled and CRM hears the order is now reserved.
    created(
        api.post(
            "/api/stock/receipts",
            json={"product_id": scarce["id"], "warehouse_id": warehouse["id"], "quantity": 10},
        )
    )
    eventually(
        lambda: api.get(f"/api/orders/{order['id']}").json()["order"]["status"] == "reserved"
    )
    levels = api.get("/api/stock/levels", params={"product_id": scarce["id"]}).json()["items"]
    assert levels[0]["reserved"] == 5 and levels[0]["on_hand"] == 12


def _stock_level(api: httpx.Client, product: dict[str, Any]) -> dict[str, Any]:
    """The product's level in its one warehouse."""
    page = api.get("/api/stock/levels", params={"product_id": product["id"]}).json()
    [level] = page["items"]
    return level  # type: ignore[no-any-return]


def test_orders_racing_for_the_last_units_never_oversell(api: httpx.Client) -> None:
    warehouse = _warehouse(api)
    product = _product_in_stock(api, warehouse, 5)
    account = _account(api)
    orders = [
        created(
            api.post(
                "/api/orders",
                json={
                    "account_id": account["id"],
                    "lines": [{"product_id": product["id"], "quantity": 1}],
                },
            )
        )
        for _ in range(12)
    ]

    def confirm(order: dict[str, Any]) -> int:
        return api.post(f"/api/orders/{order['id']}/confirm").status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        assert set(pool.map(confirm, orders)) == {200}
    statuses = [_settled(api, o["id"])["order"]["status"] for o in orders]
    assert statuses.count("reserved") == 5
    assert statuses.count("backordered") == 7
    level = _stock_level(api, product)
    assert (level["on_hand"], level["reserved"], level["available"]) == (5, 5, 0)


def test_cancelling_a_reserved_order_releases_its_stock(api: httpx.Client) -> None:
    warehouse = _warehouse(api)
    product = _product_in_stock(api, warehouse, 4)
    order = _confirmed_order(api, _account(api), [(product, 4)])
    _settled(api, order["id"])
    cancelled = api.post(f"/api/orders/{order['id']}/cancel", json={"reason": "changed mind"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"

    def released() -> bool:
        level = _stock_level(api, product)
        return level["reserved"] == 0

    eventually(released)
    again = api.post(f"/api/orders/{order['id']}/confirm")
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_bad_input_gets_a_problem_with_field_detail(api: httpx.Client) -> None:
    response = api.post("/api/orders", json={"account_id": "not-a-uuid", "lines": []})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"body.account_id", "body.lines"} <= fields


def test_every_service_reports_health_and_readiness(stack: Any) -> None:
    for service in stack.services.values():
        assert httpx.get(f"{service.url}/healthz").json() == {"status": "ok"}
        ready = httpx.get(f"{service.url}/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["database"] == "ok"
