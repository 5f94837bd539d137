"""Order to cash, end to end through the gateway: a confirmed order ships, is invoiced,
booked, paid in full, and earns its owner a commission; an order over the credit limit
waits on hold until finance releases it."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from devstack.testing import created, eventually

pytestmark = pytest.mark.e2e
D = Decimal


def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def _stocked_product(api: httpx.Client, quantity: int) -> dict[str, Any]:
    warehouse = created(
        api.post("/api/warehouses", json={"code": f"W{uuid.uuid4().hex[:6]}", "name": "Main"})
    )
    product = created(
        api.post(
            "/api/products",
            json={
                "sku": f"SKU-{uuid.uuid4().hex[:8]}",
                "name": "Circulation pump",
                "list_price": "100.00",
                "standard_cost": "60.00",
                "tax_rate": "0.23",
            },
        )
    )
    created(
        api.post(
            "/api/stock/receipts",
            json={
                "product_id": product["id"],
                "warehouse_id": warehouse["id"],
                "quantity": quantity,
            },
        )
    )
    eventually(lambda: api.get(f"/api/catalog/products/{product['id']}").status_code == 200)
    return product


def _account(api: httpx.Client, owner: str, **fields: Any) -> dict[str, Any]:
    account = created(
        api.post(
            "/api/accounts",
            json={"name": f"Nordwind {uuid.uuid4().hex[:6]}", "owner": owner} | fields,
        )
    )
    # ERP learns the customer from CRM's AccountRegistered.
    eventually(lambda: api.get(f"/api/customers/{account['id']}").status_code == 200)
    return account


def _confirmed(api: httpx.Client, account: dict[str, Any], product: dict[str, Any], n: int) -> str:
    order = created(
        api.post(
            "/api/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": product["id"], "quantity": n}],
            },
        )
    )
    _ok(api.post(f"/api/orders/{order['id']}/confirm"))
    return str(order["id"])


def _lines(entry: dict[str, Any]) -> list[tuple[str, Decimal, Decimal]]:
    return [(x["account_code"], D(x["debit"]), D(x["credit"])) for x in entry["lines"]]


def _entry(api: httpx.Client, source: str, source_id: str) -> dict[str, Any]:
    entries = _ok(api.get("/api/ledger/journal-entries", params={"source": source, "limit": 200}))
    [entry] = [e for e in entries["items"] if e["source_id"] == source_id]
    return entry  # type: ignore[no-any-return]


def test_an_order_shipped_invoiced_and_paid_leaves_the_exact_ledger(api: httpx.Client) -> None:
    rep = f"rep{uuid.uuid4().hex[:6]}"
    created(api.post("/api/employees", json={"username": rep, "name": "Rep"}))
    today = datetime.now(UTC).date()
    created(
        api.post(
            "/api/commission-rules",
            json={"username": rep, "rate": "0.05", "valid_from": today.replace(day=1).isoformat()},
        )
    )
    product = _stocked_product(api, 10)
    account = _account(api, rep, payment_terms_days=14)
    order_id = _confirmed(api, account, product, 3)
    eventually(lambda: api.get(f"/api/orders/{order_id}").json()["order"]["status"] == "reserved")

    [shipment] = created(api.post("/api/shipments", json={"order_id": order_id}))
    invoice = eventually(
        lambda: (_ok(api.get("/api/invoices", params={"order_id": order_id}))["items"] or [None])[0]
    )
    assert (invoice["net_amount"], invoice["tax_amount"], invoice["total"]) == (
        "300.0000",
        "69.0000",
        "369.0000",
    )
    assert invoice["shipment_id"] == shipment["id"] and invoice["owner"] == rep
    assert _lines(_entry(api, "invoice", invoice["id"])) == [
        ("1100", D("369.00"), D(0)),
        ("4000", D(0), D("300.00")),
        ("2200", D(0), D("69.00")),
    ]
    assert _lines(_entry(api, "shipment", shipment["id"])) == [
        ("5000", D("180.00"), D(0)),
        ("1200", D(0), D("180.00")),
    ]
    assert _ok(api.get(f"/api/customers/{account['id']}"))["open_receivables"] == "369.00"

    payment = created(
        api.post(
            "/api/payments",
            json={
                "account_id": account["id"],
                "amount": "369.00",
                "received_on": today.isoformat(),
            },
        )
    )
    assert _lines(_entry(api, "payment", payment["id"])) == [
        ("1000", D("369.00"), D(0)),
        ("1100", D(0), D("369.00")),
    ]
    paid = _ok(api.get(f"/api/invoices/{invoice['id']}"))
    assert (paid["status"], paid["balance_due"]) == ("paid", "0.0000")
    customer = _ok(api.get(f"/api/customers/{account['id']}"))
    assert (customer["open_receivables"], customer["credit_status"]) == ("0.00", "ok")
    trial = _ok(api.get("/api/reports/trial-balance"))
    assert trial["total_debit"] == trial["total_credit"]

    statement = _ok(
        api.get(
            "/api/commissions/statements",
            params={"employee": rep, "period": today.strftime("%Y-%m")},
        )
    )
    assert [(x["invoice_id"], x["net_revenue"], x["commission"]) for x in statement["lines"]] == [
        (invoice["id"], "300.0000", "15.00")
    ]
    # CRM hears of the payment too.
    eventually(lambda: api.get(f"/api/orders/{order_id}").json()["order"]["status"] == "paid")


def test_an_order_over_the_credit_limit_waits_for_finance(api: httpx.Client) -> None:
    product = _stocked_product(api, 5)
    account = _account(api, "nobody", credit_limit="100.00")
    order_id = _confirmed(api, account, product, 1)  # 123.00 > 100.00

    def held() -> list[dict[str, Any]]:
        holds = _ok(api.get("/api/credit-holds", params={"account_id": account["id"]}))
        return holds["items"]  # type: ignore[no-any-return]

    [hold] = eventually(held)
    assert (hold["order_id"], hold["status"], hold["order_total"]) == (
        order_id,
        "held",
        "123.0000",
    )
    levels = _ok(api.get("/api/stock/levels", params={"product_id": product["id"]}))["items"]
    assert sum(x["reserved"] for x in levels) == 0
    # CRM shows the hold.
    eventually(
        lambda: api.get(f"/api/orders/{order_id}").json()["order"]["status"] == "credit_hold"
    )

    _ok(api.post(f"/api/credit-holds/{order_id}/release", json={"reason": "approved"}))
    eventually(lambda: api.get(f"/api/orders/{order_id}").json()["order"]["status"] == "reserved")
    levels = _ok(api.get("/api/stock/levels", params={"product_id": product["id"]}))["items"]
    assert sum(x["reserved"] for x in levels) == 1
