"""``make demo``: the business story, told through the gateway while the stack runs.

A lead becomes a customer, a quote becomes an order, stock runs short so purchasing kicks in,
goods arrive, the order ships, the invoice is paid, CRM shows the payment, a complaint is
traced back to its lot, and the dashboard shows the month.  Each step prints what the
services did; the command exits non-zero if any step does not happen.

    python -m devstack.demo [--gateway URL] [--username admin --password ...]

Without a running stack (nothing answers on the gateway URL) it starts one of its own.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx


class StepFailed(Exception):
    pass


class Story:
    def __init__(self, api: httpx.Client) -> None:
        self.api = api
        self.step_no = 0

    def step(self, title: str) -> None:
        self.step_no += 1
        print(f"\n{self.step_no}. {title}", flush=True)

    def say(self, who: str, what: str) -> None:
        print(f"   {who:<8} {what}", flush=True)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.api.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise StepFailed(
                f"{method} {path} answered {response.status_code}: {response.text[:400]}"
            )
        return response.json() if response.content else None

    def wait_for(self, what: str, check: Callable[[], Any], timeout: float = 60) -> Any:
        """Poll ``check`` with a progress line until it returns something truthy."""
        started = time.monotonic()
        spinner = itertools.cycle("|/-\\")
        while True:
            result = check()
            elapsed = time.monotonic() - started
            if result:
                print(f"\r   waiting  {what}: done in {elapsed:.1f}s" + " " * 10, flush=True)
                return result
            if elapsed > timeout:
                print()
                raise StepFailed(f"{what}: did not happen within {timeout:.0f}s")
            print(f"\r   waiting  {what} {next(spinner)} {elapsed:4.1f}s", end="", flush=True)
            time.sleep(0.25)

    def order_status(self, order_id: str) -> str:
        return str(self.call("GET", f"/api/orders/{order_id}")["order"]["status"])

    def product(self, sku: str) -> dict[str, Any]:
        items = self.call("GET", "/api/products", params={"q": sku})["items"]
        matches = [p for p in items if p["sku"] == sku]
        if not matches:
            raise StepFailed(f"product {sku} is not in the catalog (was the demo data seeded?)")
        return matches[0]


def tell(story: Story) -> None:
    suffix = uuid.uuid4().hex[:4]

    story.step("A lead comes in from the web site, and sales converts it")
    lead = story.call(
        "POST",
        "/api/leads",
        json={
            "first_name": "Ewa",
            "last_name": "Kowalska",
            "company": f"Kowalska Instal {suffix}",
            "email": f"ewa.{suffix}@kowalska-instal.example",
            "source": "web",
            "region": "north",
            "owner": "sara.sales",
            "estimated_amount": "4000.00",
        },
    )
    story.say(
        "CRM",
        f"lead {lead['first_name']} {lead['last_name']} ({lead['company']}), "
        f"status {lead['status']}",
    )
    converted = story.call(
        "POST",
        f"/api/leads/{lead['id']}/convert",
        json={"opportunity_name": "Controllers for new office", "amount": "4000.00"},
    )
    account = converted["account"]
    story.say(
        "CRM",
        f"account {account['name']}, contact {converted['contact']['email']}, "
        f"opportunity '{converted['opportunity']['name']}' - one transaction",
    )

    story.step("Sales quotes ten heating controllers from the ERP catalog")
    controller = story.product("CTRL-X1")
    story.wait_for(
        "CRM knows the controller's price and stock (from ERP's events)",
        lambda: story.api.get(f"/api/catalog/products/{controller['id']}").status_code == 200,
    )
    seen = story.call("GET", f"/api/catalog/products/{controller['id']}")
    story.say(
        "CRM",
        f"catalog copy: {seen['name']} at {seen['list_price']} "
        f"{seen['currency']}, {seen['available']} available",
    )
    quote = story.call(
        "POST",
        "/api/quotes",
        json={
            "account_id": account["id"],
            "opportunity_id": converted["opportunity"]["id"],
            "owner": "sara.sales",
            "lines": [{"product_id": controller["id"], "quantity": 10, "discount_percent": "5"}],
        },
    )
    story.say(
        "CRM",
        f"quote {quote.get('number', quote['id'])}: net {quote['net_total']}, "
        f"tax {quote['tax_total']}, total {quote['total']} (valid until "
        f"{quote.get('valid_until')})",
    )
    accepted = story.call("POST", f"/api/quotes/{quote['id']}/accept")
    order = accepted.get("order", accepted)
    story.say("CRM", f"quote accepted: sales order {order['number']} ({order['status']})")

    story.step("The customer confirms; ERP has only 3 controllers, so purchasing kicks in")
    story.call("POST", f"/api/orders/{order['id']}/confirm")
    story.say("CRM", "order confirmed; OrderConfirmed is in CRM's outbox")
    story.wait_for(
        "ERP's answer reaches CRM",
        lambda: story.order_status(order["id"]) in ("backordered", "reserved"),
    )
    tracking = story.call("GET", f"/api/orders/{order['id']}")
    fulfilment = tracking["fulfilment"]
    reserved = sum(r["quantity"] for r in fulfilment["reservations"])
    missing = sum(b["missing"] for b in fulfilment["backorders"])
    story.say("ERP", f"reserved {reserved}, backordered {missing} (StockReservationFailed)")
    story.say("CRM", f"order is {tracking['order']['status']}")
    purchase_orders = story.wait_for(
        "a purchase order for the shortage",
        lambda: story.call("GET", "/api/purchase-orders", params={"for_order_id": order["id"]})[
            "items"
        ],
    )
    po = purchase_orders[0]
    story.say(
        "ERP",
        f"requisition raised and purchase order {po['number']} created "
        f"({po['status']}) with the preferred supplier",
    )
    if po["status"] == "draft":
        po = story.call("POST", f"/api/purchase-orders/{po['id']}/send")
        story.say(
            "ERP",
            f"purchase order {po['number']} sent to the supplier; PurchaseOrderCreated tells "
            "CRM, which notes it on the order",
        )

    story.step("Goods arrive from the supplier")
    warehouse = story.call("GET", "/api/warehouses", params={"limit": 1})["items"][0]
    lot = f"CTRL-{date.today():%y%m}-{suffix.upper()}"
    lines = [
        {"product_id": line["product_id"], "quantity": line["quantity"], "lot": lot}
        for line in po["lines"]
    ]
    story.call(
        "POST",
        f"/api/purchase-orders/{po['id']}/receipts",
        json={"warehouse_id": warehouse["id"], "lines": lines},
    )
    story.say(
        "ERP",
        f"goods receipt booked into {warehouse['code']} as lot {lot}; "
        "GoodsReceived published; backorders filled oldest first",
    )
    story.wait_for(
        "CRM sees the order reserved", lambda: story.order_status(order["id"]) == "reserved"
    )
    story.say("CRM", "order is reserved")

    story.step("The warehouse ships the order")
    shipments = story.call("POST", "/api/shipments", json={"order_id": order["id"]})
    for shipment in shipments:  # one per warehouse the order was reserved in
        lots = sorted({line["lot"] for line in shipment["lines"] if line.get("lot")})
        story.say(
            "ERP",
            f"shipment {shipment['number']} dispatched with lots "
            f"{', '.join(lots)}; ShipmentDispatched published",
        )
    story.wait_for(
        "CRM sees the order shipped",
        lambda: story.order_status(order["id"]) in ("shipped", "invoiced", "paid"),
    )

    story.step("Finance invoices each shipment")
    invoices = story.wait_for(
        "ERP issues an invoice per shipment",
        lambda: (
            (found := story.call("GET", "/api/invoices", params={"order_id": order["id"]})["items"])
            and len(found) >= len(shipments)
            and found
        ),
    )
    for invoice in invoices:
        story.say(
            "ERP",
            f"invoice {invoice['number']}: total {invoice['total']}, due "
            f"{invoice['due_on']}; AR/revenue/tax and COGS/inventory posted",
        )
    story.wait_for(
        "CRM sees the order invoiced",
        lambda: story.order_status(order["id"]) in ("invoiced", "paid"),
    )

    story.step("The customer pays")
    amount = sum(Decimal(str(i["total"])) for i in invoices)
    story.call(
        "POST",
        "/api/payments",
        json={
            "account_id": account["id"],
            "amount": str(amount),
            "received_on": date.today().isoformat(),
            "reference": f"transfer {suffix}",
        },
    )
    story.say("ERP", f"payment of {amount} applied to the invoices; InvoicePaid published")
    story.wait_for("CRM sees the order paid", lambda: story.order_status(order["id"]) == "paid")
    financials = story.call("GET", f"/api/accounts/{account['id']}/financials")
    story.say(
        "CRM",
        f"customer financials: invoiced {financials.get('total_invoiced')}, paid "
        f"{financials.get('total_paid')}, outstanding "
        f"{financials.get('outstanding')}",
    )

    story.step("A complaint: one controller fails; service traces it to its lot")
    case = story.call(
        "POST",
        "/api/cases",
        json={
            "account_id": account["id"],
            "order_id": order["id"],
            "priority": "P1",
            "subject": "Controller display dead on arrival",
        },
    )
    story.say(
        "CRM",
        f"case {case.get('number', case['id'])} opened, response due {case.get('response_due_at')}",
    )
    trace = story.call("GET", f"/api/cases/{case['id']}/trace")
    if trace.get("missing"):
        raise StepFailed(f"complaint trace incomplete: {trace['missing']}")
    traced_to_supplier = False
    for item in trace.get("lots", []):
        origin = item.get("origin") or {}
        receipts = origin.get("receipts") or []
        suppliers = [r for r in receipts if r.get("supplier_name")]
        traced_to_supplier |= bool(suppliers)
        where = ", ".join(
            f"{r['supplier_name']} (purchase order {r['purchase_order_number']}, "
            f"received {str(r['received_at'])[:10]})"
            for r in suppliers
        )
        story.say(
            "ERP",
            f"lot {item['lot']} ({origin.get('product', {}).get('sku')}): "
            f"{origin.get('origin')}{', from ' + where if where else ''}",
        )
    if not traced_to_supplier:
        raise StepFailed("no shipped lot of the order was traced back to its supplier")

    story.step("The dashboard shows the month")
    board = story.call("GET", "/api/dashboard")
    for key in ("pipeline", "revenue", "receivables", "low_stock", "cases_at_risk"):
        if key in board:
            story.say("gateway", f"{key}: {_short(board[key])}")
    if board.get("missing"):
        raise StepFailed(f"dashboard incomplete: {board['missing']}")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) < 110 else text[:107] + "..."


def _login(url: str, username: str, password: str) -> str:
    response = httpx.post(
        f"{url}/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def _run_against(url: str, username: str, password: str) -> int:
    token = _login(url, username, password)
    with httpx.Client(
        base_url=url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as api:
        story = Story(api)
        try:
            tell(story)
        except (StepFailed, httpx.HTTPError) as exc:
            print(f"\nFAILED at step {story.step_no}: {exc}", file=sys.stderr)
            return 1
    print("\nThe whole story happened: lead to cash, and a complaint traced to its lot.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.demo")
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="admin-password")
    args = parser.parse_args()
    try:
        httpx.get(f"{args.gateway}/healthz", timeout=2)
    except httpx.HTTPError:
        from devstack.demo_data import seed
        from devstack.stack import Stack, StackConfig

        print(f"Nothing answers on {args.gateway}; starting a stack of our own for the demo...")
        with tempfile.TemporaryDirectory(prefix="demo-") as tmp:
            stack = Stack(StackConfig(workdir=Path(tmp), admin_password=args.password))
            stack.start(fresh=True)
            try:
                seed(stack)
                return _run_against(stack.gateway.url, args.username, args.password)
            finally:
                stack.stop()
    return _run_against(args.gateway, args.username, args.password)


if __name__ == "__main__":
    sys.exit(main())
