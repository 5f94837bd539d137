"""One order confirmation is one trace: gateway -> CRM over HTTP, CRM -> ERP -> CRM over Kafka.

The three apps run in-process (so their spans land in one in-memory exporter) on throwaway
databases, with their relays and consumers on a broker of this module's own.
"""

import asyncio
import importlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.trace import SpanKind

from contracts.observability.testing import recorded_spans
from devstack.stack import Broker, free_port
from devstack.testing import SigningKeys, throwaway_database

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tracing_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    broker = Broker(free_port(), tmp_path_factory.mktemp("tracing") / "broker.log")
    broker.start()
    yield broker
    broker.stop()


async def _service(
    stack: AsyncExitStack, name: str, path: Path, wiring: dict[str, Any], **settings: Any
) -> Any:
    module = importlib.import_module(f"{name}.app")
    config = importlib.import_module(f"{name}.settings").Settings(
        database_url=stack.enter_context(throwaway_database(name, path)), **settings
    )
    app = module.create_app(config, **wiring)
    await stack.enter_async_context(app.router.lifespan_context(app))
    return app


@pytest.fixture
async def traced_gateway(
    tracing_broker: Broker, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, SigningKeys]]:
    recorded_spans()  # tracing on before the apps exist
    keys = SigningKeys()
    common = {"kafka_bootstrap_servers": tracing_broker.bootstrap}
    async with AsyncExitStack() as stack:
        crm = await _service(stack, "crm", tmp_path, {}, jwt_public_key=keys.public_pem, **common)
        erp = await _service(stack, "erp", tmp_path, {}, jwt_public_key=keys.public_pem, **common)
        gateway = await _service(
            stack,
            "gateway",
            tmp_path,
            # The gateway's upstream clients reach the in-process apps.
            {
                "crm_transport": httpx.ASGITransport(app=crm),
                "erp_transport": httpx.ASGITransport(app=erp),
            },
            jwt_private_key=keys.private_pem,
            bootstrap_admin_password="tracing-admin",
            run_event_stream=False,
            rate_limit_per_minute=0,
            crm_url="http://crm",
            erp_url="http://erp",
            **common,
        )
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gateway),
            base_url="http://gateway",
            headers=keys.headers("admin"),
            timeout=30,
        )
        await stack.enter_async_context(client)
        yield client, keys


async def _until(check: Callable[[], Awaitable[Any]], timeout: float = 60) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await check()
        if found:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not reached in {timeout}s: {found!r}")
        await asyncio.sleep(0.2)


async def _created(reply: Awaitable[httpx.Response]) -> dict[str, Any]:
    response = await reply
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_an_order_confirmation_is_one_trace_across_crm_and_erp(
    traced_gateway: tuple[httpx.AsyncClient, SigningKeys],
) -> None:
    api, _ = traced_gateway
    warehouse = await _created(
        api.post("/api/warehouses", json={"code": f"T{uuid.uuid4().hex[:6]}", "name": "Main"})
    )
    product = await _created(
        api.post(
            "/api/products",
            json={
                "sku": f"TR-{uuid.uuid4().hex[:8]}",
                "name": "Pump",
                "list_price": "50.00",
                "standard_cost": "30.00",
                "tax_rate": "0.23",
            },
        )
    )
    await _created(
        api.post(
            "/api/stock/receipts",
            json={"product_id": product["id"], "warehouse_id": warehouse["id"], "quantity": 4},
        )
    )

    async def in_crm_catalog() -> bool:
        reply = await api.get(f"/api/catalog/products/{product['id']}")
        return reply.status_code == 200

    await _until(in_crm_catalog)
    account = await _created(api.post("/api/accounts", json={"name": "Trace", "region": "north"}))
    order = await _created(
        api.post(
            "/api/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": product["id"], "quantity": 2}],
            },
        )
    )
    spans = recorded_spans()
    spans.clear()
    confirmed = await api.post(f"/api/orders/{order['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text

    async def reserved() -> bool:
        reply = await api.get(f"/api/orders/{order['id']}")
        return reply.json()["order"]["status"] == "reserved"

    await _until(reserved)

    def spans_of(service: str, kind: SpanKind) -> list[Any]:
        return [
            s
            for s in spans.get_finished_spans()
            if s.kind == kind and (s.attributes or {}).get("crmerp.service") == service
        ]

    (gateway_span,) = [s for s in spans_of("gateway", SpanKind.SERVER) if s.name.startswith("POST")]
    trace_id = gateway_span.context.trace_id
    crm_request = [
        s for s in spans_of("crm", SpanKind.SERVER) if s.name == "POST /orders/{order_id}/confirm"
    ]
    assert [s.context.trace_id for s in crm_request] == [trace_id]

    async def consumed() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for service in ("crm", "erp"):
            found[service] = {
                str(s.attributes.get("crmerp.event_type"))
                for s in spans_of(service, SpanKind.CONSUMER)
                if s.context.trace_id == trace_id
            }
        return found if "OrderConfirmed" in found["erp"] and found["crm"] else {}

    handled = await _until(consumed)
    assert "OrderConfirmed" in handled["erp"]
    assert "StockReserved" in handled["crm"]
