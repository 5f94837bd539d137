"""The orders API in-process: what a request commits, including its outbox rows."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import httpx
from sqlalchemy import select

from crm.catalog.models import CatalogProduct


async def _catalog_product(client: httpx.AsyncClient, price: str = "10.00") -> uuid.UUID:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    product_id = uuid.uuid4()
    async with runtime.transactions.begin() as uow:
        uow.session.add(
            CatalogProduct(
                product_id=product_id,
                sku=f"S-{product_id.hex[:6]}",
                name="Valve",
                unit="pcs",
                list_price=Decimal(price),
                currency="EUR",
                tax_rate=Decimal("0.20"),
                product_type="stocked",
                warranty_months=0,
                active=True,
                revision=1,
                on_hand=5,
                available=5,
                stock_revision=1,
                updated_at=datetime.now(UTC),
            )
        )
    return product_id


async def _outbox_types(client: httpx.AsyncClient) -> list[str]:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.transactions.read() as session:
        return list(
            await session.scalars(
                select(runtime.tables.outbox.c.event_type).order_by(runtime.tables.outbox.c.id)
            )
        )


async def test_confirming_an_order_writes_order_confirmed_to_the_outbox(
    client: httpx.AsyncClient,
) -> None:
    product_id = await _catalog_product(client)
    account = (await client.post("/accounts", json={"name": "ACME"})).json()
    order = await client.post(
        "/orders",
        json={
            "account_id": account["id"],
            "lines": [{"product_id": str(product_id), "quantity": 2}],
        },
    )
    assert order.status_code == 201, order.text
    assert order.json()["total"] == "24.00"
    confirmed = await client.post(f"/orders/{order.json()['id']}/confirm")
    assert confirmed.json()["status"] == "confirmed"
    assert await _outbox_types(client) == ["AccountRegistered", "OrderConfirmed"]


async def test_a_retried_creation_with_the_same_idempotency_key_makes_one_order(
    client: httpx.AsyncClient,
) -> None:
    product_id = await _catalog_product(client)
    account = (await client.post("/accounts", json={"name": "ACME"})).json()
    body = {"account_id": account["id"], "lines": [{"product_id": str(product_id), "quantity": 1}]}
    first = await client.post("/orders", json=body, headers={"Idempotency-Key": "k-1"})
    second = await client.post("/orders", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.json()["id"] == second.json()["id"]
    listed = (await client.get("/orders", params={"account_id": account["id"]})).json()
    assert len(listed["items"]) == 1


async def test_a_stale_if_match_is_refused_with_412(client: httpx.AsyncClient) -> None:
    product_id = await _catalog_product(client)
    account = (await client.post("/accounts", json={"name": "ACME"})).json()
    order = (
        await client.post(
            "/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": str(product_id), "quantity": 1}],
            },
        )
    ).json()
    stale = await client.post(f"/orders/{order['id']}/confirm", headers={"If-Match": 'W/"0"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    fresh = await client.post(
        f"/orders/{order['id']}/confirm", headers={"If-Match": f'W/"{order["version"]}"'}
    )
    assert fresh.status_code == 200


async def test_an_unknown_product_is_a_field_error(client: httpx.AsyncClient) -> None:
    account = (await client.post("/accounts", json={"name": "ACME"})).json()
    response = await client.post(
        "/orders",
        json={
            "account_id": account["id"],
            "lines": [{"product_id": str(uuid.uuid4()), "quantity": 1}],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.lines.0.product_id"
    assert await _outbox_types(client) == ["AccountRegistered"]


async def test_requests_without_a_token_are_refused(client: httpx.AsyncClient) -> None:
    client.headers.pop("Authorization")
    response = await client.get("/orders")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
