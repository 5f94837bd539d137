"""Credit control in-process: orders over the limit are held, not reserved, and released by
finance or by payment (then reserved in the same transaction)."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import httpx
from erp_finance_helpers import (
    cancel,
    confirm,
    created,
    customer,
    deliver,
    ok,
    problem,
    published,
    ship,
    stocked,
)

from contracts.events.common import OrderLine
from contracts.events.crm import AccountRegistered, AccountsMerged, OrderConfirmed


async def _reserved(client: httpx.AsyncClient, item: dict[str, str]) -> int:
    page = (await client.get("/stock/levels", params={"product_id": item["id"]})).json()
    levels = page["items"]
    return sum(x["reserved"] for x in levels)


async def test_an_order_over_the_limit_is_held_and_nothing_is_reserved(
    client: httpx.AsyncClient,
) -> None:
    pump = await stocked(client, 10)
    account = await customer(client, credit_limit="500.00")
    order = await confirm(client, account, [(pump, 5, "100.00")])  # 615.00 with tax

    assert await _reserved(client, pump) == 0
    [hold] = await published(client, "OrderCreditHold")
    assert hold == {
        "order_id": str(order),
        "account_id": str(account),
        "order_total": "615.00",
        "open_receivables": "0.00",
        "credit_limit": "500.00",
    }
    assert await published(client, "StockReserved") == []
    [listed] = ok(await client.get("/credit-holds", params={"status": "held"}))["items"]
    assert listed["order_id"] == str(order)
    assert ok(await client.get(f"/customers/{account}"))["credit_status"] == "on_hold"
    problem(await client.get(f"/fulfilment/orders/{order}"), 404)


async def test_finance_releases_a_hold_and_the_order_is_reserved(
    client: httpx.AsyncClient,
) -> None:
    pump = await stocked(client, 10)
    account = await customer(client, credit_limit="100.00")
    order = await confirm(client, account, [(pump, 2, "100.00")])

    released = ok(
        await client.post(f"/credit-holds/{order}/release", json={"reason": "known customer"})
    )
    assert released["status"] == "released" and released["release_reason"] == "known customer"
    assert [x["order_id"] for x in await published(client, "OrderCreditReleased")] == [str(order)]
    assert [x["order_id"] for x in await published(client, "StockReserved")] == [str(order)]
    assert await _reserved(client, pump) == 2
    problem(await client.post(f"/credit-holds/{order}/release"), 409)
    problem(await client.post(f"/credit-holds/{uuid.uuid4()}/release"), 404)
    problem(await client.post(f"/credit-holds/{order}/release", json={"reason": ""}), 422)


async def test_a_payment_that_brings_ar_under_the_limit_releases_the_held_order(
    client: httpx.AsyncClient,
) -> None:
    pump = await stocked(client, 10)
    account = await customer(client, credit_limit="400.00")
    first = await confirm(client, account, [(pump, 3, "100.00")])  # 369.00: fits
    await ship(client, first)
    second = await confirm(client, account, [(pump, 3, "100.00")])  # 369 + 369 > 400: held
    assert [x["order_id"] for x in await published(client, "OrderCreditHold")] == [str(second)]

    created(
        await client.post(
            "/payments",
            json={"account_id": str(account), "amount": "369.00", "received_on": "2026-11-02"},
        )
    )
    [released] = await published(client, "OrderCreditReleased")
    assert released["order_id"] == str(second)
    assert await _reserved(client, pump) == 3
    assert ok(await client.get(f"/customers/{account}"))["credit_status"] == "ok"


async def test_raising_the_limit_releases_and_stale_or_bad_limits_are_refused(
    client: httpx.AsyncClient,
) -> None:
    pump = await stocked(client, 10)
    account = await customer(client, credit_limit="10.00")
    order = await confirm(client, account, [(pump, 1, "100.00")])
    view = await client.get(f"/customers/{account}")
    etag = view.headers["ETag"]

    problem(
        await client.put(f"/customers/{account}/credit-limit", json={"credit_limit": "-1"}), 422
    )
    problem(await client.put(f"/customers/{account}/credit-limit", json={"limit": "1"}), 422)
    problem(
        await client.put(f"/customers/{uuid.uuid4()}/credit-limit", json={"credit_limit": "1.00"}),
        404,
    )
    raised = ok(
        await client.put(
            f"/customers/{account}/credit-limit",
            json={"credit_limit": "1000.00"},
            headers={"If-Match": etag},
        )
    )
    assert raised["credit_limit"] == "1000.00" and raised["credit_status"] == "ok"
    assert [x["order_id"] for x in await published(client, "OrderCreditReleased")] == [str(order)]
    problem(
        await client.put(
            f"/customers/{account}/credit-limit",
            json={"credit_limit": None},
            headers={"If-Match": etag},
        ),
        412,
    )


async def test_a_cancelled_held_order_stays_unreserved(client: httpx.AsyncClient) -> None:
    pump = await stocked(client, 10)
    account = await customer(client, credit_limit="0.00")
    order = await confirm(client, account, [(pump, 1, "100.00")])
    await cancel(client, order, account)
    assert ok(await client.get("/credit-holds"))["items"][0]["status"] == "cancelled"
    problem(await client.post(f"/credit-holds/{order}/release"), 409)
    assert ok(await client.get(f"/customers/{account}"))["held_orders"] == 0


async def test_crm_raising_the_limit_releases_and_a_merge_moves_receivables(
    client: httpx.AsyncClient,
) -> None:
    pump = await stocked(client, 10)
    account = await customer(client, credit_limit="0.00")
    order = await confirm(client, account, [(pump, 1, "100.00")])
    await deliver(
        client,
        AccountRegistered(account_id=account, name="Nordwind", credit_limit=Decimal("500.00")),
    )
    assert [x["order_id"] for x in await published(client, "OrderCreditReleased")] == [str(order)]
    await ship(client, order)

    survivor = await customer(client)
    await deliver(client, AccountsMerged(survivor_id=survivor, merged_id=account))
    await deliver(client, AccountsMerged(survivor_id=survivor, merged_id=account))  # re-sent
    assert ok(await client.get(f"/customers/{survivor}"))["open_receivables"] == "123.00"
    problem(await client.get(f"/customers/{account}"), 404)
    [invoice] = ok(await client.get("/invoices"))["items"]
    assert invoice["account_id"] == str(survivor)


async def test_a_resent_confirmation_keeps_the_first_credit_decision(
    client: httpx.AsyncClient,
) -> None:
    pump = await stocked(client, 10)
    account = await customer(client, credit_limit="200.00")
    order = await confirm(client, account, [(pump, 1, "100.00")])  # 123.00: reserved
    await ship(client, order)  # open AR now 123.00
    assert [x["order_id"] for x in await published(client, "StockReserved")] == [str(order)]
    again = OrderConfirmed(
        order_id=order,
        order_number="SO-again",
        account_id=account,
        currency="EUR",
        lines=[OrderLine(product_id=pump["id"], sku=pump["sku"], quantity=1, unit_price=100)],
        total=Decimal("123.00"),
        confirmed_at=datetime.now(UTC),
    )
    await deliver(client, again)  # 123 + 123 > 200, but this order already passed
    assert await published(client, "OrderCreditHold") == []
