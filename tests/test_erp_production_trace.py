"""Production end to end through the gateway: parts bought with lots, a pump made from them
for a backordered customer order, the pump's lot shipped, and the complaint trace from the
shipped lot back to the supplier's delivery."""

import uuid
from typing import Any

import httpx
import pytest

from devstack.testing import created, eventually

pytestmark = pytest.mark.e2e


def _product(api: httpx.Client, name: str, product_type: str = "stocked") -> dict[str, Any]:
    body = {
        "sku": f"{name.upper()}-{uuid.uuid4().hex[:6]}",
        "name": name,
        "list_price": "250.00",
        "standard_cost": "90.00",
        "tax_rate": "0.23",
        "product_type": product_type,
    }
    return created(api.post("/api/products", json=body))


def _bought(
    api: httpx.Client, warehouse: dict[str, Any], lines: list[tuple[dict[str, Any], int, str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A supplier, and its purchase order received in full with the given lots."""
    supplier = created(
        api.post(
            "/api/suppliers",
            json={"code": f"S{uuid.uuid4().hex[:6]}", "name": "Rotor Works", "lead_time_days": 3},
        )
    )
    order = created(
        api.post(
            "/api/purchase-orders",
            json={
                "supplier_id": supplier["id"],
                "lines": [{"product_id": p["id"], "quantity": q} for p, q, _ in lines],
            },
        )
    )
    assert api.post(f"/api/purchase-orders/{order['id']}/send").status_code == 200
    created(
        api.post(
            f"/api/purchase-orders/{order['id']}/receipts",
            json={
                "warehouse_id": warehouse["id"],
                "lines": [
                    {"product_id": p["id"], "quantity": q, "lot": lot} for p, q, lot in lines
                ],
            },
        )
    )
    return supplier, order


def _crm_order(api: httpx.Client, item: dict[str, Any], quantity: int) -> dict[str, Any]:
    eventually(lambda: api.get(f"/api/catalog/products/{item['id']}").status_code == 200)
    account = created(api.post("/api/accounts", json={"name": f"Hydro {uuid.uuid4().hex[:4]}"}))
    order = created(
        api.post(
            "/api/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": item["id"], "quantity": quantity}],
            },
        )
    )
    assert api.post(f"/api/orders/{order['id']}/confirm").status_code == 200
    return order


def _status(api: httpx.Client, order_id: str) -> str:
    return str(api.get(f"/api/orders/{order_id}").json()["order"]["status"])


def test_a_complaint_about_a_shipped_lot_traces_back_to_the_supplier(api: httpx.Client) -> None:
    plant = created(
        api.post("/api/warehouses", json={"code": f"P{uuid.uuid4().hex[:6]}", "name": "Plant"})
    )
    rotor, housing = _product(api, "Rotor"), _product(api, "Housing")
    pump = _product(api, "Pump", "manufactured")
    created(
        api.post(
            "/api/boms",
            json={
                "product_id": pump["id"],
                "lines": [
                    {"component_id": rotor["id"], "quantity": 1},
                    {"component_id": housing["id"], "quantity": 1},
                ],
            },
        )
    )
    rotor_lot, housing_lot = f"R-{uuid.uuid4().hex[:6]}", f"H-{uuid.uuid4().hex[:6]}"
    supplier, purchase = _bought(api, plant, [(rotor, 4, rotor_lot), (housing, 4, housing_lot)])

    # A customer orders 2 pumps; none are made yet, so the order waits on a backorder.
    order = _crm_order(api, pump, 2)
    eventually(lambda: _status(api, order["id"]) == "backordered")

    work_order = created(
        api.post("/api/work-orders", json={"product_id": pump["id"], "quantity": 2})
    )
    released = api.post(
        f"/api/work-orders/{work_order['id']}/release", json={"warehouse_id": plant["id"]}
    )
    assert released.status_code == 200, released.text
    completed = api.post(f"/api/work-orders/{work_order['id']}/complete")
    assert completed.status_code == 200, completed.text
    pump_lot = completed.json()["lot"]
    # The finished pumps fill the backorder, and CRM hears the order is reserved.
    eventually(lambda: _status(api, order["id"]) == "reserved")

    shipped = api.post("/api/shipments", json={"order_id": order["id"]})
    assert shipped.status_code == 201, shipped.text
    [line] = shipped.json()[0]["lines"]
    assert (line["lot"], line["quantity"]) == (pump_lot, 2)

    trace = api.get(f"/api/lots/{pump_lot}/trace")
    assert trace.status_code == 200, trace.text
    body = trace.json()
    assert body["origin"] == "production"
    assert body["work_order"]["number"] == work_order["number"]
    assert [(s["order_id"], s["quantity"]) for s in body["shipments"]] == [(order["id"], 2)]
    components = {c["lot"]: c for c in body["work_order"]["components"]}
    assert set(components) == {rotor_lot, housing_lot}
    [receipt] = components[rotor_lot]["trace"]["receipts"]
    assert (receipt["supplier_id"], receipt["supplier_name"]) == (supplier["id"], "Rotor Works")
    assert receipt["purchase_order_id"] == purchase["id"]
    assert components[housing_lot]["trace"]["origin"] == "purchase"
