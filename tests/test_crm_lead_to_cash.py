"""A lead becomes a paying customer: quote, order, and ERP's shipment, invoice and payment,
across real processes through the gateway."""

import uuid
from datetime import date
from typing import Any

import httpx
import pytest

from devstack.testing import created, eventually

pytestmark = pytest.mark.e2e


def _product_in_stock(api: httpx.Client) -> dict[str, Any]:
    warehouse = created(
        api.post("/api/warehouses", json={"code": f"L{uuid.uuid4().hex[:6]}", "name": "Main"})
    )
    product = created(
        api.post(
            "/api/products",
            json={
                "sku": f"L2C-{uuid.uuid4().hex[:8]}",
                "name": "Heat pump",
                "list_price": "200.00",
                "standard_cost": "120.00",
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
                "quantity": 10,
                "lot": "LOT-L2C",
            },
        )
    )
    eventually(lambda: api.get(f"/api/catalog/products/{product['id']}").status_code == 200)
    return product


def _order_status(api: httpx.Client, order_id: str, wanted: str) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        order = api.get(f"/api/orders/{order_id}").json()["order"]  # the gateway's tracking view
        return order if order["status"] == wanted else None

    return eventually(check)  # type: ignore[no-any-return]


def test_a_lead_becomes_a_paying_customer(api: httpx.Client) -> None:
    product = _product_in_stock(api)
    company = f"Fjord Heating {uuid.uuid4().hex[:6]}"
    lead = created(
        api.post(
            "/api/leads",
            json={
                "first_name": "Ingrid",
                "last_name": "Berg",
                "company": company,
                "source": "trade_show",
                "owner": "sara.sales",
                "region": "north",
            },
        )
    )
    conversion = api.post(f"/api/leads/{lead['id']}/convert", json={"amount": "800.00"})
    assert conversion.status_code == 200, conversion.text
    account = conversion.json()["account"]
    opportunity = conversion.json()["opportunity"]

    quote = created(
        api.post(
            "/api/quotes",
            json={
                "account_id": account["id"],
                "opportunity_id": opportunity["id"],
                "lines": [{"product_id": product["id"], "quantity": 4, "discount_percent": "10"}],
            },
        )
    )
    assert quote["total"] == "885.60"  # 4 x 200.00 less 10 % = 720.00, + 23 % tax
    accepted = api.post(f"/api/quotes/{quote['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    order = accepted.json()
    confirmed = api.post(f"/api/orders/{order['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    _order_status(api, order["id"], "reserved")

    shipment = api.post("/api/shipments", json={"order_id": order["id"]})
    assert shipment.status_code == 201, shipment.text

    def invoice() -> dict[str, Any] | None:
        items = api.get("/api/invoices", params={"order_id": order["id"]}).json()["items"]
        return items[0] if items else None

    issued = eventually(invoice)
    _order_status(api, order["id"], "invoiced")
    payment = api.post(
        "/api/payments",
        json={
            "account_id": account["id"],
            "amount": str(issued["total"]),
            "received_on": date.today().isoformat(),
        },
    )
    assert payment.status_code == 201, payment.text

    paid = _order_status(api, order["id"], "paid")
    assert [h["to_status"] for h in paid["history"]] == [
        "draft", "confirmed", "reserved", "shipped", "invoiced", "paid",
    ]  # fmt: skip

    def settled() -> dict[str, Any] | None:
        money = api.get(f"/api/accounts/{account['id']}/financials").json()
        return money if money["outstanding"] == "0.00" and money["total_paid"] != "0.00" else None

    money = eventually(settled)
    assert money["total_invoiced"] == money["total_paid"] == "885.60"
    won = api.get(f"/api/opportunities/{opportunity['id']}").json()
    assert won["stage"] == "won"
    feed = api.get(f"/api/accounts/{account['id']}/timeline", params={"limit": 200}).json()
    kinds = {entry["kind"] for entry in feed["items"]}
    assert {
        "account_opened", "opportunity_opened", "quote_issued", "quote_accepted",
        "order_status", "shipment_dispatched", "invoice_issued", "payment_received",
        "invoice_paid",
    } <= kinds  # fmt: skip
