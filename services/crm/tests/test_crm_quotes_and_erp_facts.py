"""Quotes become orders; ERP's facts (as its events) move orders and fill the timeline."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx

from contracts.events.common import ProductQuantity
from contracts.events.erp import (
    GoodsReceived,
    InvoiceIssued,
    InvoicePaid,
    OrderCreditHold,
    OrderCreditReleased,
    PurchaseLine,
    PurchaseOrderCreated,
    ReceivedLine,
    ShipmentDispatched,
    ShippedLine,
    StockReserved,
)


async def _quote(
    client: httpx.AsyncClient, account_id: str, lines: list, **fields: object
) -> httpx.Response:
    return await client.post("/quotes", json={"account_id": account_id, "lines": lines, **fields})


async def test_a_quote_is_priced_server_side_and_accepted_once(client, catalog, outbox) -> None:
    account = (await client.post("/accounts", json={"name": "Nordwind", "owner": "sara"})).json()
    opportunity = (
        await client.post(
            "/opportunities",
            json={
                "account_id": account["id"],
                "name": "Valves",
                "amount": "10.00",
                "expected_close": "2026-06-01",
            },
        )
    ).json()
    valve = await catalog("19.99", tax="0.23")
    pump = await catalog("0.35", tax="0.07")
    quote = await _quote(
        client,
        account["id"],
        [
            {"product_id": str(valve), "quantity": 3, "discount_percent": "12.5"},
            {"product_id": str(pump), "quantity": 7},
        ],
        opportunity_id=opportunity["id"],
    )
    assert quote.status_code == 201, quote.text
    body = quote.json()
    # 3 x 19.99 = 59.97, less 12.5 % = 52.47375 -> 52.47; tax 23 % = 12.0681 -> 12.07
    # 7 x 0.35 = 2.45; tax 7 % = 0.1715 -> 0.17
    assert [(line["net_amount"], line["tax_amount"]) for line in body["lines"]] == [
        ("52.47", "12.07"),
        ("2.45", "0.17"),
    ]
    assert (body["net_total"], body["tax_total"], body["total"]) == ("54.92", "12.24", "67.16")
    assert body["state"] == "open" and body["owner"] == "sara"
    order = await client.post(f"/quotes/{body['id']}/accept")
    assert order.status_code == 200, order.text
    assert order.json()["status"] == "draft"
    assert Decimal(order.json()["total"]) == Decimal("67.16")
    again = await client.post(f"/quotes/{body['id']}/accept")
    assert again.json()["id"] == order.json()["id"]
    accepted = (await client.get(f"/quotes/{body['id']}")).json()
    assert accepted["status"] == "accepted" and accepted["order_id"] == order.json()["id"]
    won = (await client.get(f"/opportunities/{opportunity['id']}")).json()
    assert won["stage"] == "won" and won["amount"] == "54.92"
    assert await outbox() == ["AccountRegistered"]
    listed = (
        await client.get("/quotes", params={"account_id": account["id"], "status": "accepted"})
    ).json()
    assert len(listed["items"]) == 1


async def test_an_expired_quote_is_refused(client, catalog) -> None:
    account = (await client.post("/accounts", json={"name": "Nordwind"})).json()
    product = await catalog()
    quote = (
        await _quote(
            client,
            account["id"],
            [{"product_id": str(product), "quantity": 1}],
            valid_until=date.today().isoformat(),
        )
    ).json()
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    from crm.sales.quote_models import Quote

    async with runtime.transactions.begin() as uow:  # time passes: yesterday was its last day
        stored = await uow.session.get(Quote, uuid.UUID(quote["id"]))
        stored.valid_until = date.today() - timedelta(days=1)
    assert (await client.get(f"/quotes/{quote['id']}")).json()["state"] == "expired"
    refused = await client.post(f"/quotes/{quote['id']}/accept")
    assert refused.status_code == 409
    assert "expired" in refused.json()["detail"]


async def test_quote_input_is_validated(client, catalog) -> None:
    account = (await client.post("/accounts", json={"name": "Nordwind"})).json()
    product = await catalog()
    past = await _quote(
        client,
        account["id"],
        [{"product_id": str(product), "quantity": 1}],
        valid_until="2020-01-01",
    )
    assert past.status_code == 422
    unknown = await _quote(
        client, account["id"], [{"product_id": str(uuid.uuid4()), "quantity": 1}]
    )
    assert unknown.json()["errors"][0]["field"] == "body.lines.0.product_id"
    bad = await _quote(
        client,
        account["id"],
        [{"product_id": str(product), "quantity": 0, "discount_percent": "101"}],
    )
    assert {e["field"] for e in bad.json()["errors"]} == {
        "body.lines.0.quantity",
        "body.lines.0.discount_percent",
    }
    assert (await _quote(client, account["id"], [])).status_code == 422
    assert (await client.get(f"/quotes/{uuid.uuid4()}")).status_code == 404


async def test_erp_facts_move_an_order_to_paid_and_schedule_the_warranty_reminder(
    client, catalog, deliver
) -> None:
    account = (await client.post("/accounts", json={"name": "Nordwind", "owner": "sara"})).json()
    product = await catalog("100.00", warranty_months=24)
    order = (
        await client.post(
            "/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": str(product), "quantity": 2}],
            },
        )
    ).json()
    await client.post(f"/orders/{order['id']}/confirm")
    order_id, account_id = uuid.UUID(order["id"]), uuid.UUID(account["id"])
    line = ProductQuantity(product_id=product, sku="S", quantity=2)
    await deliver(
        OrderCreditHold(
            order_id=order_id,
            account_id=account_id,
            order_total=Decimal("240"),
            open_receivables=Decimal("900"),
            credit_limit=Decimal("1000"),
        )
    )
    await deliver(OrderCreditReleased(order_id=order_id, reason="approved by finance"))
    await deliver(StockReserved(order_id=order_id, lines=[line]))
    dispatched = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    shipment = ShipmentDispatched(
        order_id=order_id,
        shipment_id=uuid.uuid4(),
        shipment_number="SH-1",
        warehouse_id=uuid.uuid4(),
        lines=[ShippedLine(product_id=product, sku="S", quantity=2)],
        dispatched_at=dispatched,
    )
    invoice = InvoiceIssued(
        invoice_id=uuid.uuid4(),
        invoice_number="INV-9",
        order_id=order_id,
        shipment_id=shipment.shipment_id,
        account_id=account_id,
        currency="EUR",
        net_amount=Decimal("200"),
        tax_amount=Decimal("40"),
        total=Decimal("240"),
        issued_on=date(2026, 2, 1),
        due_on=date(2026, 3, 1),
    )
    # billing overtook fulfilment: the invoice arrives before the shipment
    await deliver(invoice)
    await deliver(shipment)
    await deliver(shipment.model_copy())  # a replay schedules nothing twice
    await deliver(
        InvoicePaid(
            invoice_id=invoice.invoice_id,
            invoice_number="INV-9",
            order_id=order_id,
            account_id=account_id,
            total=Decimal("240"),
            paid_on=date(2026, 2, 10),
        )
    )
    paid = (await client.get(f"/orders/{order['id']}")).json()
    assert paid["status"] == "paid"
    assert [h["to_status"] for h in paid["history"]] == [
        "draft",
        "confirmed",
        "credit_hold",
        "reserved",
        "invoiced",
        "paid",
    ]
    tasks = (
        await client.get("/activities", params={"account_id": account["id"], "kind": "task"})
    ).json()
    assert len(tasks["items"]) == 1
    reminder = tasks["items"][0]
    assert reminder["owner"] == "sara" and reminder["order_id"] == order["id"]
    assert reminder["due_at"].startswith("2027-11-02")
    cancel = await client.post(f"/orders/{order['id']}/cancel", json={})
    assert cancel.status_code == 409
    feed = (await client.get(f"/accounts/{account['id']}/timeline", params={"limit": 200})).json()
    kinds = {e["kind"] for e in feed["items"]}
    assert {
        "order_created",
        "order_status",
        "credit_released",
        "shipment_dispatched",
        "invoice_issued",
        "invoice_paid",
    } <= kinds


async def test_purchasing_news_reaches_the_timeline_of_the_orders_waiting_for_it(
    client, catalog, deliver
) -> None:
    account = (await client.post("/accounts", json={"name": "Nordwind"})).json()
    product = await catalog()
    order = (
        await client.post(
            "/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": str(product), "quantity": 9}],
            },
        )
    ).json()
    order_id = uuid.UUID(order["id"])
    await deliver(
        PurchaseOrderCreated(
            purchase_order_id=uuid.uuid4(),
            number="PO-1",
            supplier_id=uuid.uuid4(),
            supplier_name="Valves Ltd",
            lines=[PurchaseLine(product_id=product, sku="S", quantity=9)],
            expected_on=date(2026, 4, 1),
            for_orders=[order_id, uuid.uuid4()],
        )
    )
    await deliver(
        GoodsReceived(
            purchase_order_id=uuid.uuid4(),
            receipt_id=uuid.uuid4(),
            warehouse_id=uuid.uuid4(),
            lines=[ReceivedLine(product_id=product, sku="S", quantity=9)],
            received_at=datetime.now(UTC),
            for_orders=[order_id],
        )
    )
    feed = (
        await client.get(f"/accounts/{account['id']}/timeline", params={"source": "erp"})
    ).json()
    assert [e["kind"] for e in feed["items"]] == ["goods_received", "goods_ordered"]
    assert "Valves Ltd" in feed["items"][1]["summary"]


async def test_customers_cannot_quote(client, as_role) -> None:
    me = as_role("customer", account_id=uuid.uuid4())
    assert (await client.get("/quotes", headers=me)).status_code == 403
    assert (
        await client.post(f"/quotes/{uuid.uuid4()}/accept", headers=as_role("marketing"))
    ).status_code == 403


async def test_an_order_shipped_in_parts_is_paid_only_when_every_invoice_is(
    client, catalog, deliver
) -> None:
    account = (await client.post("/accounts", json={"name": "Nordwind"})).json()
    product = await catalog("100.00", tax="0")
    order = (
        await client.post(
            "/orders",
            json={
                "account_id": account["id"],
                "lines": [{"product_id": str(product), "quantity": 2}],
            },
        )
    ).json()
    await client.post(f"/orders/{order['id']}/confirm")
    order_id, account_id = uuid.UUID(order["id"]), uuid.UUID(account["id"])

    def invoice(number: str) -> InvoiceIssued:
        return InvoiceIssued(
            invoice_id=uuid.uuid4(),
            invoice_number=number,
            order_id=order_id,
            shipment_id=None,
            account_id=account_id,
            currency="EUR",
            net_amount=Decimal("100"),
            tax_amount=Decimal("0"),
            total=Decimal("100"),
            issued_on=date(2026, 2, 1),
            due_on=date(2026, 3, 1),
        )

    async def pay(issued: InvoiceIssued) -> str:
        await deliver(
            InvoicePaid(
                invoice_id=issued.invoice_id,
                invoice_number=issued.invoice_number,
                order_id=order_id,
                account_id=account_id,
                total=issued.total,
                paid_on=date(2026, 2, 10),
            )
        )
        return (await client.get(f"/orders/{order['id']}")).json()["status"]

    first, second = invoice("INV-A"), invoice("INV-B")
    await deliver(first)
    assert await pay(first) == "invoiced"  # half the order is still to be billed
    await deliver(second)
    assert await pay(second) == "paid"
