"""A property over the real use cases and database: after any sequence of business events,
the trial balance sums to zero, and receivables in the ledger equal the open invoices."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from erp_finance_helpers import (
    balances,
    confirm,
    customer,
    dispatch,
    ok,
    product,
    receive_goods,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

D = Decimal
STEP = st.one_of(
    st.tuples(st.just("sell"), st.integers(1, 4), st.sampled_from(["9.99", "100.00", "33.35"])),
    st.tuples(st.just("receive"), st.integers(1, 9), st.just("")),
    st.tuples(st.just("pay"), st.integers(1, 100), st.just("")),
    st.tuples(st.just("bill"), st.integers(1, 500), st.just("")),
    st.tuples(st.just("correct"), st.integers(1, 99), st.just("")),
)


async def _apply(
    client: httpx.AsyncClient, world: dict[str, Any], step: tuple[str, int, str]
) -> None:
    kind, n, price = step
    if kind == "sell":
        order = await confirm(client, world["account"], [(world["item"], n, price)])
        await dispatch(client, order, [(world["item"], n)])
    elif kind == "receive":
        await receive_goods(client, [(world["item"], n)], at=datetime.now(UTC))
    elif kind == "pay":
        owed = D(ok(await client.get(f"/customers/{world['account']}"))["open_receivables"])
        amount = (owed * n / 100).quantize(D("0.01"))
        if amount > 0:
            body = {
                "account_id": str(world["account"]),
                "amount": str(amount),
                "received_on": "2026-11-01",
            }
            assert (await client.post("/payments", json=body)).status_code == 201
    elif kind == "bill":
        body = {
            "supplier_id": str(uuid.uuid4()),
            "supplier_reference": uuid.uuid4().hex,
            "amount": f"{n}.50",
            "bill_date": "2026-11-01",
            "due_on": "2026-12-01",
        }
        assert (await client.post("/supplier-bills", json=body)).status_code == 201
    else:  # a finance user's entry, corrected by its reversal
        body = {
            "entry_date": "2026-11-01",
            "description": "capital",
            "lines": [
                {"account": "1000", "debit": f"{n}.00"},
                {"account": "3000", "credit": f"{n}.00"},
            ],
        }
        entry = await client.post("/ledger/journal-entries", json=body)
        assert entry.status_code == 201
        reversal = await client.post(
            f"/ledger/journal-entries/{entry.json()['id']}/reverse", json={"reason": "typo"}
        )
        assert reversal.status_code == 201


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=6))
async def test_the_books_balance_after_any_sequence_of_business_events(
    client: httpx.AsyncClient, steps: list[tuple[str, int, str]]
) -> None:
    world = {"item": await product(client), "account": await customer(client)}
    for step in steps:
        await _apply(client, world, step)
        trial = ok(await client.get("/reports/trial-balance"))
        assert trial["total_debit"] == trial["total_credit"]
        signed = await balances(client)
        assert sum(signed.values(), D(0)) == 0
        invoices = ok(await client.get("/invoices", params={"status": "open", "limit": 200}))
        open_items = sum((D(x["balance_due"]) for x in invoices["items"]), D(0))
        assert signed.get("1100", D(0)) == open_items
