"""Observability across the real processes: metrics, readiness, the ops API and the ops page."""

import asyncio
import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from ops_browser import Browser, chromium_missing

from devstack import Stack
from devstack.testing import created, eventually

pytestmark = pytest.mark.e2e


_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def _metric(text: str, name: str, **labels: str) -> float:
    """The value of one series in a Prometheus exposition (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        head, _, value = line.rpartition(" ")
        if labels.items() <= dict(_LABEL.findall(head)).items():
            return float(value)
    return 0.0


def _scrape(stack: Stack, service: str) -> str:
    reply = httpx.get(f"{stack.services[service].url}/metrics")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain")
    return reply.text


def _confirm_an_order(api: httpx.Client, correlation_id: str) -> str:
    warehouse = created(
        api.post("/api/warehouses", json={"code": f"W{uuid.uuid4().hex[:6]}", "name": "Ops"})
    )
    product = created(
        api.post(
            "/api/products",
            json={
                "sku": f"OPS-{uuid.uuid4().hex[:8]}",
                "name": "Valve",
                "list_price": "10.00",
                "standard_cost": "6.00",
                "tax_rate": "0.23",
            },
        )
    )
    created(
        api.post(
            "/api/stock/receipts",
            json={"product_id": product["id"], "warehouse_id": warehouse["id"], "quantity": 5},
        )
    )
    eventually(lambda: api.get(f"/api/catalog/products/{product['id']}").status_code == 200)
    account = created(api.post("/api/accounts", json={"name": "Ops Ltd", "region": "north"}))
    order = created(
        api.post(
            "/api/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": product["id"], "quantity": 1}],
            },
        )
    )
    confirmed = api.post(
        f"/api/orders/{order['id']}/confirm", headers={"X-Request-ID": correlation_id}
    )
    assert confirmed.status_code == 200, confirmed.text
    return str(order["id"])


def test_metrics_of_every_service_move_with_real_traffic(stack: Stack, api: httpx.Client) -> None:
    before = {name: _scrape(stack, name) for name in ("crm", "erp", "gateway")}
    correlation_id = f"ops-{uuid.uuid4().hex[:10]}"
    _confirm_an_order(api, correlation_id)

    def erp_applied_the_order() -> bool:
        now = _scrape(stack, "erp")
        labels = {"service": "erp", "event_type": "OrderConfirmed", "outcome": "applied"}
        return _metric(now, "events_consumed_total", **labels) > _metric(
            before["erp"], "events_consumed_total", **labels
        )

    eventually(erp_applied_the_order)
    crm = _scrape(stack, "crm")
    route = {"service": "crm", "method": "POST", "route": "/orders/{order_id}/confirm"}
    assert _metric(crm, "http_requests_total", status="200", **route) > _metric(
        before["crm"], "http_requests_total", status="200", **route
    )
    assert _metric(crm, "http_request_duration_seconds_count", **route) >= 1
    published = {"service": "crm", "event_type": "OrderConfirmed"}
    assert _metric(crm, "events_published_total", **published) > _metric(
        before["crm"], "events_published_total", **published
    )
    assert "outbox_oldest_unpublished_age_seconds" in crm
    assert _metric(crm, "consumer_connected", service="crm") == 1.0
    erp = _scrape(stack, "erp")
    assert 'consumer_lag{partition="0",service="erp",topic="crm.orders"}' in erp
    gateway = _scrape(stack, "gateway")
    passthrough = {"service": "gateway", "method": "POST", "route": "/api/{path:path}"}
    assert _metric(gateway, "http_requests_total", status="200", **passthrough) > _metric(
        before["gateway"], "http_requests_total", status="200", **passthrough
    )

    # The correlation id of the confirming request reached ERP's event log and feed.
    def in_erp_feed() -> list[dict[str, Any]]:
        erp_report = api.get("/ops/api/overview").json()["services"]["erp"]
        return [e for e in erp_report["events"]["data"] if e["correlation_id"] == correlation_id]

    seen = eventually(in_erp_feed)
    assert {e["event_type"] for e in seen} >= {"OrderConfirmed"}
    log = (stack.logs / "erp.log").read_text()
    lines = [json.loads(x) for x in log.splitlines() if x.startswith("{") and correlation_id in x]
    assert any(x["message"] == "event handled" and x["outcome"] == "applied" for x in lines)


def test_readiness_names_every_delivery_check(stack: Stack) -> None:
    for name in ("crm", "erp"):
        ready = httpx.get(f"{stack.services[name].url}/readyz")
        assert ready.status_code == 200, ready.text
        checks = ready.json()["checks"]
        assert set(checks) >= {"database", "broker", "relay", "consumer"}
        assert checks["database"] == "ok"


def test_the_ops_api_is_for_admins_only(stack: Stack, api: httpx.Client) -> None:
    assert httpx.get(f"{stack.gateway.url}/ops/api/overview").status_code == 401
    overview = api.get("/ops/api/overview")
    assert overview.status_code == 200, overview.text
    services = overview.json()["services"]
    assert set(services) == {"crm", "erp"}
    for report in services.values():
        assert report["health"]["status"] in ("ready", "degraded")
        assert report["status"]["data"]["outbox"]["backlog"] >= 0


async def _poison(stack: Stack, marker: str) -> None:
    """An OrderConfirmed whose payload no schema accepts: ERP must park it."""
    envelope = {
        "event_id": str(uuid.uuid4()),
        "event_type": "OrderConfirmed",
        "schema_version": "1.0",
        "occurred_at": datetime.now(UTC).isoformat(),
        "producer": "crm",
        "key": marker,
        "correlation_id": marker,
        "payload": {"order_id": "not-a-uuid"},
    }
    producer = AIOKafkaProducer(bootstrap_servers=stack.broker.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            "crm.orders", key=marker.encode(), value=json.dumps(envelope).encode()
        )
    finally:
        await producer.stop()


def _pending_dead_letters(api: httpx.Client, marker: str) -> list[dict[str, Any]]:
    report = api.get("/ops/api/overview").json()["services"]["erp"]
    return [d for d in report["dead_letters"]["data"] if d["correlation_id"] == marker]


def test_the_ops_page_shows_the_system_and_retries_a_dead_letter(
    stack: Stack, api: httpx.Client, tmp_path: Path
) -> None:
    missing = chromium_missing()
    if missing:
        pytest.skip(missing)
    marker = f"poison-{uuid.uuid4().hex[:8]}"
    asyncio.run(_poison(stack, marker))
    (dead,) = eventually(lambda: _pending_dead_letters(api, marker))
    assert "invalid OrderConfirmed" in dead["error"]

    browser = Browser(tmp_path / "profile")
    try:
        browser.goto(f"{stack.gateway.url}/ops")
        password = json.dumps(stack.config.admin_password)
        browser.evaluate(
            "document.getElementById('username').value = 'admin';"
            f"document.getElementById('password').value = {password};"
            "document.getElementById('login').requestSubmit(); true"
        )
        browser.wait_for("document.body.dataset.loaded === 'true'")
        browser.wait_for(f"document.querySelector('[data-retry=\"erp/{dead['id']}\"]') !== null")
        cards = browser.evaluate(
            "[...document.querySelectorAll('.service')].map(c => c.dataset.service)"
        )
        assert cards == ["crm", "erp"]
        assert marker in browser.evaluate("document.getElementById('dead-letters').innerText")
        shot = browser.screenshot(tmp_path / "ops-page.png")
        png = shot.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(png) > 20_000, "the screenshot looks blank"

        browser.evaluate(
            f"document.querySelector('[data-retry=\"erp/{dead['id']}\"]').click(); true"
        )
        browser.wait_for(f"document.querySelector('[data-retry=\"erp/{dead['id']}\"]') === null")
    finally:
        browser.close()

    # The retried message went back to crm.orders, failed again (it is still invalid) and
    # was parked anew: the old entry is marked retried, a new one is pending.
    def parked_again() -> list[dict[str, Any]]:
        return [d for d in _pending_dead_letters(api, marker) if d["id"] != dead["id"]]

    eventually(parked_again)
    erp = httpx.get(
        f"{stack.services['erp'].url}/ops/dead-letters",
        params={"pending": "false"},
        headers={"Authorization": f"Bearer {stack.token()}"},
    ).json()
    (retried,) = [d for d in erp["items"] if d["id"] == dead["id"]]
    assert retried["retried_at"] is not None
