"""Supplier bills and payments in-process: GRNI to AP to cash, and refused input."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import httpx
from erp_finance_helpers import (
    created,
    entries,
    lines_of,
    ok,
    problem,
    product,
    receive_goods,
)

D = Decimal


def _bill(supplier: uuid.UUID, **fields: str) -> dict[str, str]:
    return {
        "supplier_id": str(supplier),
        "supplier_reference": "B-1",
        "amount": "120.00",
        "bill_date": "2026-04-05",
        "due_on": "2026-05-05",
    } | fields


async def test_receipt_bill_and_payment_are_booked(client: httpx.AsyncClient) -> None:
    valve = await product(client, standard_cost="12.34")
    await receive_goods(client, [(valve, 10)], at=datetime(2026, 4, 1, tzinfo=UTC))
    supplier = uuid.uuid4()
    bill = created(await client.post("/supplier-bills", json=_bill(supplier, amount="123.40")))
    assert bill["status"] == "open"
    created(
        await client.post(
            "/supplier-payments",
            json={"bill_id": bill["id"], "amount": "23.40", "paid_on": "2026-04-06"},
        )
    )
    payment = created(
        await client.post(
            "/supplier-payments",
            json={"bill_id": bill["id"], "amount": "100.00", "paid_on": "2026-04-07"},
        )
    )
    assert payment["supplier_id"] == str(supplier)
    [settled] = ok(await client.get("/supplier-bills", params={"supplier_id": str(supplier)}))[
        "items"
    ]
    assert settled["status"] == "paid" and settled["amount_paid"] == "123.4000"
    receipt, billed, first, second = await entries(client)
    assert lines_of(first) == [("2000", D("23.40"), D(0)), ("1000", D(0), D("23.40"))]
    assert lines_of(receipt) == [("1200", D("123.40"), D(0)), ("2100", D(0), D("123.40"))]
    assert lines_of(billed) == [("2100", D("123.40"), D(0)), ("2000", D(0), D("123.40"))]
    assert lines_of(second) == [("2000", D("100.00"), D(0)), ("1000", D(0), D("100.00"))]
    listed = ok(await client.get("/supplier-payments", params={"bill_id": bill["id"]}))["items"]
    assert len(listed) == 2


async def test_bad_bills_and_payments_are_refused(client: httpx.AsyncClient, keys: object) -> None:
    supplier = uuid.uuid4()
    bill = created(await client.post("/supplier-bills", json=_bill(supplier)))
    problem(await client.post("/supplier-bills", json=_bill(supplier)), 409)  # same reference
    problem(await client.post("/supplier-bills", json=_bill(supplier, amount="0")), 422)
    problem(await client.post("/supplier-bills", json=_bill(supplier, amount="1.234")), 422)
    problem(await client.post("/supplier-bills", json=_bill(supplier, due_on="2026-04-01")), 422)
    pay = {"bill_id": bill["id"], "paid_on": "2026-04-06"}
    problem(await client.post("/supplier-payments", json=pay | {"amount": "120.01"}), 422)
    problem(await client.post("/supplier-payments", json=pay | {"amount": "-1"}), 422)
    problem(
        await client.post(
            "/supplier-payments", json=pay | {"bill_id": str(uuid.uuid4()), "amount": "1"}
        ),
        404,
    )
    warehouse = keys.headers("warehouse")  # type: ignore[attr-defined]
    assert (await client.get("/supplier-bills", headers=warehouse)).status_code == 403
    assert len(await entries(client)) == 1
