"""A small believable company, seeded through the gateway on first start."""

from __future__ import annotations

import time

import httpx

from devstack.stack import Stack


def seed(stack: Stack) -> None:
    with httpx.Client(
        base_url=stack.gateway.url, timeout=15, headers={"Authorization": f"Bearer {stack.token()}"}
    ) as api:
        if api.get("/api/products", params={"limit": 1}).json()["items"]:
            print("Demo data already present.")
            return
        warehouse = api.post("/api/warehouses", json={"code": "WAW", "name": "Warsaw"}).json()
        api.post("/api/warehouses", json={"code": "SHA", "name": "Shanghai"})
        products = [
            ("PUMP-200", "Circulation pump 200 W", "249.00", "131.50", 40),
            ("VALVE-25", "Ball valve DN25", "18.90", "7.20", 300),
            ("CTRL-X1", "Heating controller X1", "399.00", "210.00", 3),
        ]
        for sku, name, price, cost, stock in products:
            product = api.post(
                "/api/products",
                json={
                    "sku": sku,
                    "name": name,
                    "list_price": price,
                    "standard_cost": cost,
                    "tax_rate": "0.23",
                    "warranty_months": 24,
                    "reorder_point": 5,
                    "reorder_quantity": 20,
                },
            ).json()
            api.post(
                "/api/stock/receipts",
                json={
                    "product_id": product["id"],
                    "warehouse_id": warehouse["id"],
                    "quantity": stock,
                    "lot": f"{sku}-OPEN",
                },
            )
        for name, region in [
            ("Nordwind Logistics", "north"),
            ("Südhang Bau", "south"),
            ("Hai He Trading", "east"),
        ]:
            api.post("/api/accounts", json={"name": name, "region": region})
        time.sleep(0.5)
        print("Seeded a demo company: 2 warehouses, 3 products, 3 customer accounts.")
