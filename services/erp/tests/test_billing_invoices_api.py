"""Invoices in-process: one per shipment at the order's prices, booked, numbered gaplessly."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
from erp_finance_helpers import (
    confirm,
    customer,
    dispatch,
    entries,
    lines_of,
    ok,
    problem,
    product,
    published,
    ship,
    stocked,
)

D = Decimal


async def test_a_shipment_is_invoiced_at_the_order_prices_and_booked(
    client: httpx.AsyncClient,
) -> None:
    pump = await stocked(client, 10)
    account = await customer(client, terms=14, owner="anna")
    order = await confirm(client, account, [(pump, 3, "95.50")], owner="ben")

    await ship(client, order)

    [invoice] = ok(await client.get("/invoices", params={"order_id": str(order)}))["items"]
    today = datetime.now(UTC).date()
    assert invoice["number"] == f"INV-{today.year}-000001"
    assert (invoice["net_amount"], invoice["tax_amount"], invoice["total"]) == (
        "286.5000",  # 3 x 95.50
        "65.9000",  # 23 % of 286.50 = 65.895 -> 65.90
        "352.4000",
    )
    assert invoice["balance_due"] == "352.4000" and invoice["status"] == "open"
    assert invoice["owner"] == "ben"  # the order's owner earns the commission
    assert date.fromisoformat(invoice["due_on"]) == today + timedelta(days=14)
    detail = ok(await client.get(f"/invoices/{invoice['id']}"))
    assert [(x["sku"], x["quantity"], x["unit_price"]) for x in detail["lines"]] == [
        (pump["sku"], 3, "95.5000")
    ]
    sale, cost = await entries(client)
    assert sale["source"] == "invoice" and sale["source_id"] == invoice["id"]
    assert lines_of(sale) == [
        ("1100", D("352.40"), D(0)),
        ("4000", D(0), D("286.50")),
        ("2200", D(0), D("65.90")),
    ]
    assert lines_of(cost) == [("5000", D("180.00"), D(0)), ("1200", D(0), D("180.00"))]
    [issued] = await published(client, "InvoiceIssued")
    assert issued["invoice_number"] == invoice["number"] and issued["total"] == "352.40"
    credit = (await published(client, "CustomerCreditChanged"))[-1]
    assert credit["open_receivables"] == "352.40" and credit["credit_status"] == "ok"


async def test_the_same_shipment_is_invoiced_once_and_numbers_have_no_gaps(
    client: httpx.AsyncClient,
) -> None:
    pump = await product(client)
    account = await customer(client)
    first = await confirm(client, account, [(pump, 1, "100.00")])
    second = await confirm(client, account, [(pump, 2, "100.00")])
    at = datetime(2026, 3, 5, 10, tzinfo=UTC)
    await dispatch(client, first, [(pump, 1)], at=at)
    shipment = await dispatch(client, second, [(pump, 2)], at=at)
    # the same event again (a re-delivery under another event id) issues nothing new
    from erp_finance_helpers import deliver

    from contracts.events.erp import ShipmentDispatched, ShippedLine

    await deliver(
        client,
        ShipmentDispatched(
            order_id=second,
            shipment_id=shipment,
            shipment_number="again",
            warehouse_id=shipment,
            lines=[ShippedLine(product_id=pump["id"], sku=pump["sku"], quantity=2)],
            dispatched_at=at,
        ),
    )
    items = ok(await client.get("/invoices", params={"sort": "number"}))["items"]
    assert [x["number"] for x in items] == ["INV-2026-000001", "INV-2026-000002"]
    assert [x["issued_on"] for x in items] == ["2026-03-05", "2026-03-05"]
    assert len(await published(client, "InvoiceIssued")) == 2


async def test_invoices_filter_and_refuse_bad_queries(client: httpx.AsyncClient) -> None:
    pump = await product(client)
    account = await customer(client)
    order = await confirm(client, account, [(pump, 1, "10.00")])
    await dispatch(client, order, [(pump, 1)])
    assert len(ok(await client.get("/invoices", params={"status": "open"}))["items"]) == 1
    assert ok(await client.get("/invoices", params={"status": "paid"}))["items"] == []
    assert ok(await client.get("/invoices", params={"account_id": str(order)}))["items"] == []
    problem(await client.get("/invoices", params={"sort": "owner"}), 422)
    problem(await client.get("/invoices/not-a-uuid"), 422)
    problem(await client.get(f"/invoices/{order}"), 404)


async def test_customers_see_only_their_own_invoices_and_balance(
    client: httpx.AsyncClient, keys: object
) -> None:
    pump = await product(client)
    mine, theirs = await customer(client), await customer(client)
    for account in (mine, theirs):
        await dispatch(client, await confirm(client, account, [(pump, 1, "10.00")]), [(pump, 1)])
    me = keys.headers("customer", account_id=mine)  # type: ignore[attr-defined]

    items = ok(await client.get("/invoices", headers=me))["items"]
    assert {x["account_id"] for x in items} == {str(mine)}
    other = ok(await client.get("/invoices", params={"account_id": str(theirs)}))["items"][0]
    problem(await client.get(f"/invoices/{other['id']}", headers=me), 404)
    assert ok(await client.get(f"/customers/{mine}", headers=me))["open_receivables"] == "12.30"
    problem(await client.get(f"/customers/{theirs}", headers=me), 404)
    problem(await client.get("/ledger/accounts", headers=me), 403)
    problem(await client.get("/reports/trial-balance", headers=me), 403)
    problem(await client.get("/credit-holds", headers=me), 403)
    assert (await client.post("/payments", headers=me, json={})).status_code == 403


async def test_a_shipment_dated_in_a_closed_month_is_invoiced_in_the_next_open_one(
    client: httpx.AsyncClient,
) -> None:
    pump = await product(client)
    account = await customer(client, terms=10)
    order = await confirm(client, account, [(pump, 1, "100.00")])
    ok(await client.post("/ledger/periods/2026-03/close"))

    await dispatch(client, order, [(pump, 1)], at=datetime(2026, 3, 31, 23, 59, tzinfo=UTC))

    [invoice] = ok(await client.get("/invoices"))["items"]
    assert (invoice["number"], invoice["issued_on"], invoice["due_on"]) == (
        "INV-2026-000001",
        "2026-04-01",
        "2026-04-11",
    )
    assert {e["entry_date"] for e in await entries(client)} == {"2026-04-01"}
