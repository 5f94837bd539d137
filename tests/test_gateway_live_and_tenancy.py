"""Through the gateway against the running stack: the live event stream (with correlation
ids from X-Request-ID), and customer tokens confined to their own account."""

import json
import threading
import uuid
from typing import Any

import httpx
import pytest
from test_first_order_flow import _account, _confirmed_order, _product_in_stock, _warehouse

from devstack import Stack
from devstack.testing import created, eventually

pytestmark = pytest.mark.e2e


class EventStream:
    """Reads GET /api/events/stream in a background thread, collecting the events."""

    def __init__(self, url: str, token: str) -> None:
        self.events: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self._client = httpx.Client(
            base_url=url,
            timeout=httpx.Timeout(10, read=None),
            headers={"Authorization": f"Bearer {token}"},
        )
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self.connected.wait(10), "the stream did not open"

    def _read(self) -> None:
        try:
            with self._client.stream("GET", "/api/events/stream") as response:
                assert response.status_code == 200
                assert response.headers["content-type"].startswith("text/event-stream")
                fields: dict[str, str] = {}
                for line in response.iter_lines():
                    if line.startswith(": connected"):
                        self.connected.set()
                    elif line == "" and "data" in fields:
                        self.events.append({"id": fields.get("id"), **json.loads(fields["data"])})
                        fields = {}
                    elif ":" in line and not line.startswith(":"):
                        name, _, value = line.partition(":")
                        fields[name] = value.strip()
        except Exception:  # closed by the test
            return

    def find(self, event_type: str, order_id: str) -> dict[str, Any] | None:
        for event in list(self.events):
            if event["event_type"] == event_type and event["payload"].get("order_id") == order_id:
                return event
        return None

    def close(self) -> None:
        self._client.close()


def _customer_token(stack: Stack, api: httpx.Client, account_id: str) -> str:
    username = f"customer-{uuid.uuid4().hex[:8]}"
    created(
        api.post(
            "/admin/users",
            json={
                "username": username,
                "password": "customer password",
                "roles": ["customer"],
                "account_id": account_id,
            },
        )
    )
    return stack.token(username, "customer password")


def test_the_stream_delivers_status_changes_with_the_callers_request_id(
    stack: Stack, api: httpx.Client
) -> None:
    warehouse = _warehouse(api)
    product = _product_in_stock(api, warehouse, 10)
    mine, theirs = _account(api), _account(api)
    staff = EventStream(stack.gateway.url, stack.token())
    customer = EventStream(stack.gateway.url, _customer_token(stack, api, mine["id"]))
    try:
        other_order = _confirmed_order(api, theirs, [(product, 1)])
        order = created(
            api.post(
                "/api/orders",
                json={
                    "account_id": mine["id"],
                    "lines": [{"product_id": product["id"], "quantity": 2}],
                },
            )
        )
        request_id = f"confirm-{uuid.uuid4().hex}"
        confirmed = api.post(
            f"/api/orders/{order['id']}/confirm", headers={"X-Request-ID": request_id}
        )
        assert confirmed.status_code == 200 and confirmed.headers["x-request-id"] == request_id

        event = eventually(lambda: staff.find("OrderConfirmed", order["id"]), timeout=30)
        assert event["correlation_id"] == request_id  # X-Request-ID -> CRM -> outbox -> topic
        assert event["id"] == event["event_id"]  # the SSE id, for Last-Event-ID
        reserved = eventually(lambda: staff.find("StockReserved", order["id"]), timeout=30)
        assert reserved["correlation_id"] == request_id  # ERP kept the flow's id too

        # The customer sees its own order's changes, ERP's included, and nothing of others.
        eventually(lambda: customer.find("StockReserved", order["id"]), timeout=30)
        eventually(lambda: staff.find("StockReserved", other_order["id"]), timeout=30)
        seen = {e["payload"].get("order_id") for e in customer.events}
        assert other_order["id"] not in seen
        assert {e["topic"] for e in customer.events} <= {
            "crm.orders",
            "erp.fulfilment",
            "erp.billing",
        }
    finally:
        staff.close()
        customer.close()


def test_a_customer_token_sees_only_its_own_account(stack: Stack, api: httpx.Client) -> None:
    warehouse = _warehouse(api)
    product = _product_in_stock(api, warehouse, 10)
    mine, theirs = _account(api), _account(api)
    my_order = _confirmed_order(api, mine, [(product, 1)])
    their_order = _confirmed_order(api, theirs, [(product, 1)])
    token = _customer_token(stack, api, mine["id"])
    with httpx.Client(
        base_url=stack.gateway.url, timeout=15, headers={"Authorization": f"Bearer {token}"}
    ) as customer:
        assert customer.get(f"/api/orders/{my_order['id']}").status_code == 200
        own = customer.get(f"/api/customers/{mine['id']}/360")
        assert own.status_code == 200, own.text
        assert own.json()["account"]["id"] == mine["id"]
        assert "open_opportunities" in own.json()["withheld"]  # sales data is staff business
        assert customer.get("/api/dashboard").status_code == 403
        refused = [
            f"/api/orders/{their_order['id']}",  # the tracking view
            f"/api/customers/{theirs['id']}/360",
            f"/api/accounts/{theirs['id']}",
        ]
        for path in refused:
            response = customer.get(path)
            assert response.status_code in (403, 404), (path, response.status_code)
            assert response.headers["content-type"] == "application/problem+json"
        listed = customer.get("/api/orders").json()
        assert {o["account_id"] for o in listed["items"]} == {mine["id"]}
        # Invoices and cases of another account, by any id or filter, stay invisible.
        for path in ("/api/invoices", "/api/cases"):
            response = customer.get(path, params={"account_id": theirs["id"]})
            if response.status_code == 200:
                body = response.json()
                rows = body["items"] if isinstance(body, dict) else body
                assert all(r.get("account_id") == mine["id"] for r in rows), path
            else:
                assert response.status_code in (403, 404), (path, response.status_code)
        for path in (f"/api/invoices/{uuid.uuid4()}", f"/api/cases/{uuid.uuid4()}/trace"):
            assert customer.get(path).status_code in (403, 404)
        # Staff-only areas are refused outright.
        assert customer.get("/api/warehouses").status_code == 403
        assert customer.post("/api/orders", json={}).status_code == 403


def test_a_complaint_traces_to_the_shipped_lot_and_its_origin(
    stack: Stack, api: httpx.Client
) -> None:
    warehouse = _warehouse(api)
    product = _product_in_stock(api, warehouse, 0)
    lot = f"LOT-{uuid.uuid4().hex[:8]}"
    created(
        api.post(
            "/api/stock/receipts",
            json={
                "product_id": product["id"],
                "warehouse_id": warehouse["id"],
                "quantity": 5,
                "lot": lot,
            },
        )
    )
    account = _account(api)
    order = _confirmed_order(api, account, [(product, 2)])
    eventually(
        lambda: api.get(f"/api/orders/{order['id']}").json()["order"]["status"] == "reserved"
    )
    created(api.post("/api/shipments", json={"order_id": order["id"]}))
    case = created(
        api.post(
            "/api/cases",
            json={"account_id": account["id"], "order_id": order["id"], "subject": "Pump leaks"},
        )
    )

    trace = api.get(f"/api/cases/{case['id']}/trace")
    assert trace.status_code == 200, trace.text
    body = trace.json()
    assert body["missing"] == [], body["missing"]
    assert body["case"]["id"] == case["id"] and body["order"]["id"] == order["id"]
    assert [(t["lot"], t["product_id"]) for t in body["lots"]] == [(lot, product["id"])]
    assert body["lots"][0]["origin"]["lot"] == lot  # ERP's genealogy of the lot

    # Another account's customer cannot follow the case, by any route.
    outsider = _customer_token(stack, api, _account(api)["id"])
    headers = {"Authorization": f"Bearer {outsider}"}
    for path in (f"/api/cases/{case['id']}/trace", f"/api/cases/{case['id']}"):
        response = httpx.get(f"{stack.gateway.url}{path}", headers=headers, timeout=15)
        assert response.status_code in (403, 404), (path, response.status_code)
