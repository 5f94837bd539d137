"""Composed views with ERP stopped: they answer with what they have and name what is missing.

Stopping a service would disturb other tests, so this module runs its own stack.
"""

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from test_first_order_flow import _account, _confirmed_order, _product_in_stock, _warehouse

from devstack import Stack, StackConfig
from devstack.testing import created, eventually, postgres_url

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(
        StackConfig(
            workdir=tmp_path_factory.mktemp("degraded"),
            postgres_url=postgres_url(),
            database_prefix=f"e2e_degraded_{uuid.uuid4().hex[:8]}",
        )
    )
    stack.start(fresh=True)
    try:
        yield stack
    finally:
        stack.stop()
        stack.drop_databases()


@pytest.fixture(scope="module")
def admin(own_stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=own_stack.gateway.url,
        timeout=15,
        headers={"Authorization": f"Bearer {own_stack.token()}"},
    ) as client:
        yield client


def _missing(view: dict[str, Any]) -> set[str]:
    return {m["part"] for m in view["missing"]}


def test_views_answer_without_erp_and_recover_when_it_returns(
    own_stack: Stack, admin: httpx.Client
) -> None:
    product = _product_in_stock(admin, _warehouse(admin), 5)
    account = _account(admin)
    order = _confirmed_order(admin, account, [(product, 1)])
    eventually(
        lambda: admin.get(f"/api/orders/{order['id']}").json()["order"]["status"] == "reserved"
    )

    own_stack.services["erp"].stop()
    try:
        view = admin.get(f"/api/orders/{order['id']}")
        assert view.status_code == 200
        body = view.json()
        assert body["order"]["id"] == order["id"] and body["customer"]["id"] == account["id"]
        assert body["fulfilment"] is None and "fulfilment" in _missing(body)
        assert all(m["status"] in (503, 504) for m in body["missing"])

        # After a few failures the circuit opens: ERP is no longer even tried.
        for _ in range(3):
            admin.get(f"/api/orders/{order['id']}")
        started = time.monotonic()
        fast = admin.get(f"/api/orders/{order['id']}").json()
        assert time.monotonic() - started < 1.0
        assert any("circuit open" in (m["reason"] or "") for m in fast["missing"])

        full = admin.get(f"/api/customers/{account['id']}/360").json()
        assert full["account"]["id"] == account["id"]
        assert full["credit"] is None and {"credit", "invoices"} <= _missing(full)

        board = admin.get("/api/dashboard").json()
        assert board["low_stock"] is None
        assert {"profit_and_loss", "receivables", "low_stock"} <= _missing(board)
        assert "cases_at_risk" not in _missing(board)  # CRM's tiles still answer

        down = admin.get("/api/warehouses")
        assert down.status_code == 503
        assert down.headers["content-type"] == "application/problem+json"
        assert down.headers["retry-after"]
    finally:
        own_stack.services["erp"].restart()

    recovered = eventually(
        lambda: (v := admin.get(f"/api/orders/{order['id']}").json())["missing"] == [] and v,
        timeout=30,
    )
    assert recovered["fulfilment"]["status"] == "reserved"
    assert created(admin.post("/api/warehouses", json={"code": "BACK", "name": "Back"}))
