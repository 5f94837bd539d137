"""Idempotency-Key on POSTs through the gateway: a retry replays, a different body is refused."""

import asyncio

import httpx
from gateway_support import GatewayFactory

from devstack import testing
from gateway.upstream import Upstream


async def test_a_retried_post_returns_the_first_answer_without_a_second_effect(
    gateway: httpx.AsyncClient, gateway_keys: testing.SigningKeys
) -> None:
    headers = {**gateway_keys.headers("admin"), "Idempotency-Key": "create-main-warehouse"}
    body = {"code": "MAIN", "name": "Main warehouse"}
    first = await gateway.post("/api/warehouses", json=body, headers=headers)
    assert first.status_code == 201, first.text
    retry = await gateway.post("/api/warehouses", json=body, headers=headers)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    listed = (await gateway.get("/api/warehouses", headers=headers)).json()
    rows = listed["items"] if isinstance(listed, dict) else listed
    assert [w["code"] for w in rows] == ["MAIN"]

    different = await gateway.post(
        "/api/warehouses", json={"code": "OTHER", "name": "Other"}, headers=headers
    )
    assert different.status_code == 422
    assert different.json()["type"].endswith("/idempotency-key-reused")


async def test_keys_belong_to_their_caller(
    gateway: httpx.AsyncClient, gateway_keys: testing.SigningKeys
) -> None:
    body = {"code": "A1", "name": "A"}
    key = {"Idempotency-Key": "same-key"}
    mine = await gateway.post(
        "/api/warehouses", json=body, headers={**gateway_keys.headers("admin"), **key}
    )
    theirs = await gateway.post(
        "/api/warehouses",
        json=body,
        headers={**gateway_keys.headers("admin", subject="someone-else"), **key},
    )
    assert mine.status_code == 201
    assert theirs.status_code == 409  # reached ERP: the warehouse code is taken, not replayed
    assert "idempotent-replayed" not in theirs.headers


async def test_a_failed_answer_is_not_remembered(
    gateway: httpx.AsyncClient, gateway_keys: testing.SigningKeys
) -> None:
    headers = {**gateway_keys.headers("admin"), "Idempotency-Key": "k-503"}
    body = {"code": "X", "name": "X"}
    state = gateway.app.state  # type: ignore[attr-defined]
    working, state.erp = state.erp, Upstream("erp", "http://127.0.0.1:9", 1.0)  # nothing there
    try:
        down = await gateway.post("/api/warehouses", json=body, headers=headers)
    finally:
        await state.erp.close()
        state.erp = working
    assert down.status_code == 503
    assert down.json()["type"].endswith("/upstream-unavailable")
    retried = await gateway.post("/api/warehouses", json=body, headers=headers)
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers


class _AnswersLate(httpx.AsyncBaseTransport):
    """The service applies the request at once but its answer arrives ``delay`` s later."""

    def __init__(self, inner: httpx.AsyncBaseTransport, delay: float) -> None:
        self.inner = inner
        self.delay = delay

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        # Enforce the read timeout the caller set, as a network transport would.
        read_timeout = request.extensions.get("timeout", {}).get("read")
        if read_timeout is not None and read_timeout < self.delay:
            await asyncio.sleep(read_timeout)
            raise httpx.ReadTimeout("no answer in time", request=request)
        await asyncio.sleep(self.delay)
        return response


async def test_a_keyed_write_outlives_a_client_timeout_and_its_retry_gets_the_answer(
    gateway_factory: GatewayFactory, gateway_keys: testing.SigningKeys
) -> None:
    gateway = await gateway_factory(passthrough_timeout_seconds=0.3)
    state = gateway.app.state  # type: ignore[attr-defined]
    erp_app = gateway.erp.app  # type: ignore[attr-defined]
    working, state.erp = (
        state.erp,
        Upstream(
            "erp", "http://erp", 0.3, transport=_AnswersLate(httpx.ASGITransport(app=erp_app), 1.0)
        ),
    )
    headers = {**gateway_keys.headers("admin"), "Idempotency-Key": "slow-warehouse"}
    body = {"code": "SLOW", "name": "Slow answer"}
    try:
        first = await gateway.post("/api/warehouses", json=body, headers=headers)
        assert first.status_code == 504, first.text
        assert first.json()["type"].endswith("/upstream-slow")
        at_once = await gateway.post("/api/warehouses", json=body, headers=headers)
        assert at_once.status_code == 409  # the first one is still going on
        retry = at_once
        for _ in range(50):  # bounded: 5 s
            if retry.status_code != 409:
                break
            await asyncio.sleep(0.1)
            retry = await gateway.post("/api/warehouses", json=body, headers=headers)
    finally:
        await state.erp.close()
        state.erp = working
    assert retry.status_code == 201, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    listed = (await gateway.get("/api/warehouses", headers=headers)).json()["items"]
    assert [w["code"] for w in listed] == ["SLOW"], "applied once, though the client saw a 504"


async def test_an_unkeyed_call_that_times_out_is_a_504_that_says_so(
    gateway_factory: GatewayFactory, gateway_keys: testing.SigningKeys
) -> None:
    gateway = await gateway_factory(passthrough_timeout_seconds=0.3)
    state = gateway.app.state  # type: ignore[attr-defined]
    erp_app = gateway.erp.app  # type: ignore[attr-defined]
    working, state.erp = state.erp, Upstream(
        "erp", "http://erp", 0.3, transport=_AnswersLate(httpx.ASGITransport(app=erp_app), 1.0)
    )
    try:
        slow = await gateway.get("/api/warehouses", headers=gateway_keys.headers("admin"))
    finally:
        await state.erp.close()
        state.erp = working
    assert slow.status_code == 504
    assert slow.json()["type"].endswith("/upstream-timeout")
