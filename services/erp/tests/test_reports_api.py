"""Reports in-process over a small quarter of business, checked against figures by hand.

January: customer B buys 1 pump at 100.00 (+23 % tax), due on receipt, never pays.
April: 5 pumps received at standard cost 60.00; the supplier bills 300.00 (due 5 May) and
is paid 200.00; customer A (30 days) buys 3 pumps at 100.00 and pays 369.00 in full.
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import httpx
from erp_finance_helpers import (
    balances,
    confirm,
    created,
    customer,
    dispatch,
    ok,
    problem,
    product,
    receive_goods,
)

D = Decimal


async def _quarter(client: httpx.AsyncClient) -> dict[str, str]:
    pump = await product(client)
    a = await customer(client, terms=30)
    b = await customer(client, terms=0)
    order_b = await confirm(client, b, [(pump, 1, "100.00")])
    await dispatch(client, order_b, [(pump, 1)], at=datetime(2026, 1, 15, 9, tzinfo=UTC))
    await receive_goods(client, [(pump, 5)], at=datetime(2026, 4, 1, tzinfo=UTC))
    supplier = uuid.uuid4()
    bill = created(
        await client.post(
            "/supplier-bills",
            json={
                "supplier_id": str(supplier),
                "supplier_reference": "ACME-1",
                "amount": "300.00",
                "bill_date": "2026-04-05",
                "due_on": "2026-05-05",
            },
        )
    )
    created(
        await client.post(
            "/supplier-payments",
            json={"bill_id": bill["id"], "amount": "200.00", "paid_on": "2026-04-20"},
        )
    )
    order_a = await confirm(client, a, [(pump, 3, "100.00")])
    await dispatch(client, order_a, [(pump, 3)], at=datetime(2026, 4, 10, 15, tzinfo=UTC))
    created(
        await client.post(
            "/payments",
            json={"account_id": str(a), "amount": "369.00", "received_on": "2026-04-25"},
        )
    )
    return {"a": str(a), "b": str(b), "supplier": str(supplier)}


async def test_statements_match_the_figures_computed_by_hand(client: httpx.AsyncClient) -> None:
    await _quarter(client)

    assert await balances(client, as_of="2026-04-30") == {
        "1000": D("169.00"),  # 369 received - 200 paid
        "1100": D("123.00"),  # B's invoice
        "1200": D("60.00"),  # 300 in - 240 shipped
        "2000": D("-100.00"),
        "2100": D("0.00"),
        "2200": D("-92.00"),  # 69 + 23
        "4000": D("-400.00"),
        "5000": D("240.00"),
    }
    trial = ok(await client.get("/reports/trial-balance", params={"as_of": "2026-04-30"}))
    assert trial["total_debit"] == trial["total_credit"] == "592.00"
    assert await balances(client, **{"from": "2026-01-01", "to": "2026-01-31"}) == {
        "1100": D("123.00"),
        "1200": D("-60.00"),
        "2200": D("-23.00"),
        "4000": D("-100.00"),
        "5000": D("60.00"),
    }

    april = ok(
        await client.get(
            "/reports/profit-and-loss", params={"from": "2026-04-01", "to": "2026-04-30"}
        )
    )
    assert (april["total_revenue"], april["total_expenses"], april["net_income"]) == (
        "300.00",
        "180.00",
        "120.00",
    )
    sheet = ok(await client.get("/reports/balance-sheet", params={"as_of": "2026-04-30"}))
    assert sheet["total_assets"] == "352.00"
    assert sheet["total_liabilities"] == "192.00"
    assert sheet["current_earnings"] == "160.00"
    assert sheet["total_liabilities_and_equity"] == "352.00"


async def test_aging_buckets_as_of_a_day(client: httpx.AsyncClient) -> None:
    parties = await _quarter(client)

    before_payment = ok(await client.get("/reports/ar-aging", params={"as_of": "2026-04-20"}))
    rows = {r["party_id"]: r for r in before_payment["parties"]}
    assert rows[parties["a"]]["buckets"]["current"] == "369.00"
    assert rows[parties["b"]]["buckets"]["90+"] == "123.00"  # due 15 Jan: 95 days late
    assert before_payment["total"] == "492.00"
    after = ok(await client.get("/reports/ar-aging", params={"as_of": "2026-04-30"}))
    assert [r["party_id"] for r in after["parties"]] == [parties["b"]]
    assert after["totals"]["90+"] == after["total"] == "123.00"

    ap = ok(await client.get("/reports/ap-aging", params={"as_of": "2026-05-20"}))
    assert ap["totals"]["1-30"] == ap["total"] == "100.00"
    ap_early = ok(await client.get("/reports/ap-aging", params={"as_of": "2026-04-15"}))
    assert ap_early["totals"]["current"] == "300.00"


async def test_report_ranges_are_validated(client: httpx.AsyncClient) -> None:
    problem(
        await client.get(
            "/reports/trial-balance", params={"as_of": "2026-04-30", "to": "2026-04-30"}
        ),
        422,
    )
    problem(
        await client.get(
            "/reports/profit-and-loss", params={"from": "2026-05-01", "to": "2026-04-30"}
        ),
        422,
    )
    problem(await client.get("/reports/balance-sheet", params={"as_of": "yesterday"}), 422)
    empty = ok(await client.get("/reports/ar-aging", params={"as_of": "2026-01-01"}))
    assert empty["parties"] == [] and empty["total"] == "0.00"
