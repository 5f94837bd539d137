"""The order flow through the gateway: the catalog it needs, confirming orders, and how long
ERP takes to reserve them (the full flow to paid is in ``full_flow``)."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from contracts.runtime.database import sync_url
from devstack.stack import Stack


@dataclass
class Catalog:
    warehouse_id: str
    products: list[dict[str, Any]]
    accounts: list[dict[str, Any]]


def seed_catalog(
    stack: Stack, products: int = 20, accounts: int = 20, stock: int = 1_000_000
) -> Catalog:
    with httpx.Client(
        base_url=stack.gateway.url, timeout=30, headers={"Authorization": f"Bearer {stack.token()}"}
    ) as api:
        warehouse = api.post(
            "/api/warehouses", json={"code": f"B{uuid.uuid4().hex[:5]}", "name": "Bench"}
        ).json()
        items = []
        for i in range(products):
            product = api.post(
                "/api/products",
                json={
                    "sku": f"BENCH-{uuid.uuid4().hex[:6]}-{i}",
                    "name": f"Bench item {i}",
                    "list_price": "10.00",
                    "standard_cost": "6.00",
                    "tax_rate": "0.20",
                },
            ).json()
            api.post(
                "/api/stock/receipts",
                json={
                    "product_id": product["id"],
                    "warehouse_id": warehouse["id"],
                    "quantity": stock,
                    "lot": f"BL-{i}",
                },
            ).raise_for_status()
            items.append(product)
        customers = [
            api.post("/api/accounts", json={"name": f"Bench customer {i}"}).json()
            for i in range(accounts)
        ]
        deadline = time.monotonic() + 60
        ids = {p["id"] for p in items}
        while time.monotonic() < deadline:
            known = set()
            cursor = None
            while True:
                page = api.get(
                    "/api/catalog/products",
                    params={"limit": 200, **({"cursor": cursor} if cursor else {})},
                )
                if page.status_code != 200:
                    break
                body = page.json()
                known |= {p["product_id"] for p in body["items"]}
                cursor = body["next_cursor"]
                if not cursor:
                    break
            if ids <= known:
                break
            time.sleep(0.2)
    return Catalog(warehouse["id"], items, customers)


async def _create_and_confirm(client: httpx.AsyncClient, catalog: Catalog, i: int) -> str | None:
    product = catalog.products[i % len(catalog.products)]
    account = catalog.accounts[i % len(catalog.accounts)]
    created = await client.post(
        "/api/orders",
        json={"account_id": account["id"], "lines": [{"product_id": product["id"], "quantity": 1}]},
    )
    if created.status_code != 201:
        return None
    order_id = str(created.json()["id"])
    confirmed = await client.post(f"/api/orders/{order_id}/confirm")
    return order_id if confirmed.status_code == 200 else None


async def confirm_orders(
    stack: Stack, catalog: Catalog, n: int, rate: float | None, concurrency: int = 16
) -> tuple[list[str], float]:
    """Create and confirm ``n`` orders at ``rate`` per second (None: as fast as possible)."""
    headers = {"Authorization": f"Bearer {stack.token()}"}
    ids: list[str] = []
    semaphore = asyncio.Semaphore(concurrency)
    started = time.perf_counter()
    async with httpx.AsyncClient(
        base_url=stack.gateway.url,
        headers=headers,
        timeout=30,
        limits=httpx.Limits(max_connections=concurrency),
    ) as client:

        async def one(i: int) -> None:
            if rate:
                await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
            async with semaphore:
                order_id = await _create_and_confirm(client, catalog, i)
            if order_id:
                ids.append(order_id)

        await asyncio.gather(*(one(i) for i in range(n)))
    return ids, time.perf_counter() - started


def confirm_to_reserved(stack: Stack, order_ids: list[str], timeout: float = 120) -> list[float]:
    """Seconds from the confirm commit to the reserved commit, read from CRM's order history."""
    engine = create_engine(sync_url(stack.database_urls["crm"]))
    wanted = set(order_ids)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as conn:
                rows = conn.execute(
                    text(
                        "SELECT order_id, to_status, at FROM order_status_changes "
                        "WHERE to_status IN ('confirmed', 'reserved')"
                    )
                ).all()
            times: dict[str, dict[str, Any]] = {}
            for order_id, status, at in rows:
                key = str(uuid.UUID(str(order_id)))
                times.setdefault(key, {})[status] = at
            done = [k for k in wanted if "reserved" in times.get(k, {})]
            if len(done) == len(wanted) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    finally:
        engine.dispose()
    return [
        (as_utc(times[k]["reserved"]) - as_utc(times[k]["confirmed"])).total_seconds() for k in done
    ]


def as_utc(value: Any) -> datetime:
    """A timestamp as the databases return it (text on SQLite, maybe naive) made aware UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
