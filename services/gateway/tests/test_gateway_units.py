"""Rules of the gateway that need no I/O: breaker, bucket, visibility, hub, merge, hashing."""

import asyncio
import json
import uuid
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from contracts.http.auth import Principal
from gateway.idempotency.service import request_hash
from gateway.live.hub import EventHub
from gateway.live.visibility import visible
from gateway.openapi import merge
from gateway.security import TokenBucket
from gateway.upstream import CircuitBreaker, Upstream


def test_the_breaker_opens_after_the_threshold_and_probes_after_the_cooldown() -> None:
    breaker = CircuitBreaker(threshold=3, cooldown=3600)
    for _ in range(2):
        breaker.failure()
    assert breaker.allow() and breaker.state == "closed"
    breaker.failure()
    assert breaker.state == "open" and not breaker.allow()

    breaker.cooldown = 0  # the cooldown has passed
    assert breaker.state == "half-open"
    assert breaker.allow() and breaker.allow()  # callers are not held behind one trial
    breaker.cooldown = 3600
    breaker.failure()  # one failure while probing reopens it
    assert breaker.state == "open" and not breaker.allow()

    breaker.cooldown = 0
    assert breaker.allow()
    breaker.success()
    assert breaker.state == "closed" and breaker.failures == 0


class _Slow(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.2)
        return httpx.Response(200, json={})


class _Refused(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)


async def test_a_slow_view_part_does_not_open_the_circuit_but_a_dead_service_does() -> None:
    slow = Upstream("erp", "http://erp", 3.0, transport=_Slow())
    for _ in range(5):
        part = await slow.get("/invoices", None, deadline=0.01)
        assert (part.ok, part.status) == (False, 504)
    assert slow.breaker.state == "closed", "a busy service that answers is not cut off"
    dead = Upstream("erp", "http://erp", 3.0, transport=_Refused())
    for _ in range(3):
        assert (await dead.get("/invoices", None)).status == 503
    assert dead.breaker.state == "open"
    await slow.close()
    await dead.close()


@given(capacity=st.integers(1, 50), attempts=st.integers(0, 120))
def test_a_bucket_never_grants_more_than_its_capacity_in_a_burst(
    capacity: int, attempts: int
) -> None:
    bucket = TokenBucket(capacity, rate=1e-9)  # practically no refill during the burst
    waits = [bucket.take() for _ in range(attempts)]
    granted = [w for w in waits if w == 0]
    assert len(granted) == min(capacity, attempts)
    assert all(w > 0 for w in waits[len(granted) :])  # refusals say how long to wait


ACCOUNT, OTHER = uuid.uuid4(), uuid.uuid4()
CUSTOMER = Principal(subject="c", roles=("customer",), account_id=ACCOUNT)
WAREHOUSE = Principal(subject="w", roles=("warehouse",))
MARKETING = Principal(subject="m", roles=("marketing",))


def test_customers_see_only_their_own_orders_shipments_and_invoices() -> None:
    assert visible(CUSTOMER, "crm.orders", str(ACCOUNT))
    assert visible(CUSTOMER, "erp.billing", str(ACCOUNT))
    assert not visible(CUSTOMER, "crm.orders", str(OTHER))
    assert not visible(CUSTOMER, "erp.fulfilment", None)  # unknown owner: not shown
    assert not visible(CUSTOMER, "erp.customers", str(ACCOUNT))  # credit is staff business


def test_staff_see_the_topics_of_the_areas_they_read() -> None:
    assert visible(WAREHOUSE, "erp.inventory", None)
    assert visible(WAREHOUSE, "crm.orders", str(OTHER))
    assert not visible(WAREHOUSE, "erp.billing", None)
    assert not visible(MARKETING, "erp.fulfilment", None)
    assert not visible(WAREHOUSE, "some.unknown.topic", None)


def _envelope(event_type: str, **payload: Any) -> bytes:
    return json.dumps(
        {"event_id": str(uuid.uuid4()), "event_type": event_type, "payload": payload}
    ).encode()


def test_the_hub_learns_order_owners_and_resumes_after_the_last_event_id() -> None:
    hub = EventHub("127.0.0.1:9", replay=10)
    order = str(uuid.uuid4())
    hub.publish("crm.orders", _envelope("OrderConfirmed", order_id=order, account_id=str(ACCOUNT)))
    first = hub.recent[-1].event_id
    hub.publish("erp.fulfilment", _envelope("StockReserved", order_id=order))
    hub.publish("erp.fulfilment", _envelope("StockReserved", order_id=str(uuid.uuid4())))
    hub.publish("erp.fulfilment", b"not json")  # skipped, not fatal

    resumed = hub.subscribe(CUSTOMER, last_event_id=first)
    replayed = [resumed.queue.get_nowait() for _ in range(resumed.queue.qsize())]
    assert [e.data["event_type"] for e in replayed] == ["StockReserved"]
    assert replayed[0].account_id == str(ACCOUNT)  # learned from OrderConfirmed

    live = hub.subscribe(WAREHOUSE, last_event_id=None)
    hub.publish("erp.billing", _envelope("InvoiceIssued", account_id=str(ACCOUNT)))
    assert resumed.queue.qsize() == 1 and live.queue.qsize() == 0  # warehouse: no finance
    hub.unsubscribe(live)
    assert live not in hub.subscribers


def test_merge_namespaces_service_schemas_and_keeps_the_gateways_operations() -> None:
    problem = {"type": "object", "properties": {"title": {"type": "string"}}}
    gateway = {
        "openapi": "3.1.0",
        "paths": {"/api/orders/{id}": {"get": {"operationId": "track", "tags": ["views"]}}},
        "components": {"schemas": {"Problem": problem}},
    }
    crm = {
        "paths": {
            "/orders/{id}": {
                "get": {"operationId": "get_order", "tags": ["orders"]},
                "delete": {
                    "operationId": "drop",
                    "responses": {"404": {"$ref": "#/components/schemas/Problem"}},
                    "requestBody": {"$ref": "#/components/schemas/OrderIn"},
                },
            },
            "/healthz": {"get": {"operationId": "health"}},
        },
        "components": {"schemas": {"Problem": problem, "OrderIn": {"type": "object"}}},
    }
    doc = merge(gateway, {"crm": crm})
    item = doc["paths"]["/api/orders/{id}"]
    assert item["get"]["operationId"] == "track"  # the composed view wins
    assert item["delete"]["operationId"] == "crm_drop"
    assert item["delete"]["tags"] == ["crm"]
    assert item["delete"]["requestBody"]["$ref"] == "#/components/schemas/CrmOrderIn"
    assert item["delete"]["responses"]["404"]["$ref"] == "#/components/schemas/Problem"
    assert set(doc["components"]["schemas"]) == {"Problem", "CrmOrderIn"}
    assert "/api/healthz" not in doc["paths"]
    assert (
        "/api/orders/{id}" not in gateway["paths"]
        or "delete" not in gateway["paths"]["/api/orders/{id}"]
    )  # the input was not changed


@given(st.binary(max_size=64), st.binary(max_size=64))
def test_request_hashes_differ_when_bodies_differ(a: bytes, b: bytes) -> None:
    same = request_hash("POST", "orders", "", a) == request_hash("POST", "orders", "", b)
    assert same == (a == b)
    assert request_hash("POST", "orders", "", a) != request_hash("POST", "orders/x", "", a)
