"""A small believable company, seeded through the gateway on first start.

Heating-equipment distributor: two warehouses, suppliers in two countries, bought parts and a
manufactured controller kit with a bill of materials, customers in four regions, an open
pipeline, and one product already short so purchasing has something to do.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import httpx

from devstack.stack import Stack

SUPPLIERS = [
    ("ELEKTRA", "Elektra Components Sp. z o.o.", "orders@elektra.example", 5),
    ("HAIHE", "Hai He Metalworks Ltd.", "sales@haihe.example", 21),
]
# sku, name, price, cost, type, warranty months, reorder point, reorder qty, supplier, stock
PRODUCTS = [
    ("PUMP-200", "Circulation pump 200 W", "249.00", "131.50", "stocked", 24, 10, 40, 0, 40),
    ("VALVE-25", "Ball valve DN25", "18.90", "7.20", "stocked", 12, 100, 300, 1, 300),
    ("SENSOR-T", "Temperature sensor", "24.00", "9.80", "stocked", 12, 20, 100, 0, 60),
    ("CTRL-X1", "Heating controller X1", "399.00", "210.00", "stocked", 36, 5, 20, 0, 3),
    (
        "KIT-HOME",
        "Home heating kit (pump, controller, 4 valves)",
        "799.00",
        "420.00",
        "manufactured",
        24,
        2,
        5,
        None,
        0,
    ),
    ("INSTALL-H", "Installation, per hour", "65.00", "0.00", "service", 0, 0, 0, None, 0),
]
ACCOUNTS = [
    ("Nordwind Logistics", "north", "logistics", "gold", "sara.sales", "50000.00"),
    ("Südhang Bau GmbH", "south", "construction", "silver", "sara.sales", "20000.00"),
    ("Hai He Trading", "east", "wholesale", "gold", "tomasz.sales", "80000.00"),
    ("Atlantic Facilities", "west", "facility management", "bronze", "tomasz.sales", "10000.00"),
]


def _ok(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:300]}"
        )
    return response.json()  # type: ignore[no-any-return]


def seed(stack: Stack) -> None:
    with httpx.Client(
        base_url=stack.gateway.url, timeout=30, headers={"Authorization": f"Bearer {stack.token()}"}
    ) as api:
        if api.get("/api/products", params={"limit": 1}).json()["items"]:
            print("Demo data already present.")
            return
        waw = _ok(api.post("/api/warehouses", json={"code": "WAW", "name": "Warsaw"}))
        _ok(api.post("/api/warehouses", json={"code": "SHA", "name": "Shanghai"}))
        suppliers = [
            _ok(
                api.post(
                    "/api/suppliers",
                    json={"code": code, "name": name, "email": email, "lead_time_days": lead},
                )
            )
            for code, name, email, lead in SUPPLIERS
        ]
        products: dict[str, dict[str, Any]] = {}
        for sku, name, price, cost, kind, warranty, point, qty, supplier, stock in PRODUCTS:
            products[sku] = _ok(
                api.post(
                    "/api/products",
                    json={
                        "sku": sku,
                        "name": name,
                        "list_price": price,
                        "standard_cost": cost,
                        "tax_rate": "0.23",
                        "product_type": kind,
                        "warranty_months": warranty,
                        "reorder_point": point,
                        "reorder_quantity": qty,
                        "preferred_supplier_id": suppliers[supplier]["id"]
                        if supplier is not None
                        else None,
                    },
                )
            )
            if stock:
                _ok(
                    api.post(
                        "/api/stock/receipts",
                        json={
                            "product_id": products[sku]["id"],
                            "warehouse_id": waw["id"],
                            "quantity": stock,
                            "lot": f"{sku}-2611-OPEN",
                        },
                    )
                )
        kit = products["KIT-HOME"]
        _ok(
            api.post(
                "/api/boms",
                json={
                    "product_id": kit["id"],
                    "lines": [
                        {"component_id": products["PUMP-200"]["id"], "quantity": 1},
                        {"component_id": products["CTRL-X1"]["id"], "quantity": 1},
                        {"component_id": products["VALVE-25"]["id"], "quantity": 4},
                    ],
                },
            )
        )
        for name, region, industry, tier, owner, limit in ACCOUNTS:
            account = _ok(
                api.post(
                    "/api/accounts",
                    json={
                        "name": name,
                        "region": region,
                        "industry": industry,
                        "tier": tier,
                        "owner": owner,
                        "credit_limit": limit,
                        "tags": [tier],
                    },
                )
            )
            opportunity = _ok(
                api.post(
                    "/api/opportunities",
                    json={
                        "account_id": account["id"],
                        "name": f"{name}: heating retrofit",
                        "amount": "12500.00",
                        "owner": owner,
                        "expected_close": (date.today() + timedelta(days=40)).isoformat(),
                    },
                )
            )
            _ok(
                api.post(
                    f"/api/opportunities/{opportunity['id']}/stage", json={"stage": "proposal"}
                )
            )
        for username in ("sara.sales", "tomasz.sales"):
            api.post(
                "/api/employees",
                json={"username": username, "name": username.split(".")[0].title()},
            )
        api.post(
            "/api/commission-rules",
            json={"rate": "0.05", "valid_from": date.today().replace(day=1).isoformat()},
        )
        time.sleep(0.5)
        print(
            "Seeded a demo company: 2 warehouses, 2 suppliers, 6 products (one with a bill of "
            "materials, one short), 4 customers in 4 regions with open opportunities."
        )
