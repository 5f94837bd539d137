"""Customer payments in-process: partial, full, over several invoices, and refused ones."""

import asyncio
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
    entries,
    lines_of,
    ok,
    problem,
    product,
    published,
)

D = Decimal


async def _three_invoices(client: httpx.AsyncClient) -> tuple[uuid.UUID, list[dict[str, str]]]:
    pump = await product(client, tax_rate="0.10")
    account = await customer(client)
    for day, quantity in ((1, 1), (2, 2), (3, 3)):
        order = await confirm(client, account, [(pump, quantity, "100.00")])
        await dispatch(client, order, [(pump, quantity)], at=datetime(2026, 2, day, tzinfo=UTC))
    invoices = ok(await client.get("/invoices", params={"sort": "number"}))["items"]
    assert [x["total"] for x in invoices] == ["110.0000", "220.0000", "330.0000"]
    return account, invoices


async def test_a_payment_without_allocations_pays_the_oldest_invoices_first(
    client: httpx.AsyncClient,
) -> None:
    account, invoices = await _three_invoices(client)
    payment = created(
        await client.post(
            "/payments",
            json={"account_id": str(account), "amount": "250.00", "received_on": "2026-03-01"},
        )
    )
    assert [(x["invoice_id"], x["amount"]) for x in payment["allocations"]] == [
        (invoices[0]["id"], "110.0000"),
        (invoices[1]["id"], "140.0000"),
    ]
    after = {x["id"]: x for x in ok(await client.get("/invoices"))["items"]}
    assert after[invoices[0]["id"]]["status"] == "paid"
    assert after[invoices[0]["id"]]["paid_on"] == "2026-03-01"
    assert after[invoices[1]["id"]]["balance_due"] == "80.0000"
    applied = await published(client, "InvoicePaymentApplied")
    assert [(x["amount"], x["balance_due"]) for x in applied] == [
        ("110.00", "0.00"),
        ("140.00", "80.00"),
    ]
    [paid] = await published(client, "InvoicePaid")
    assert paid["invoice_id"] == invoices[0]["id"] and paid["paid_on"] == "2026-03-01"
    cash = (await entries(client, source="payment"))[0]
    assert lines_of(cash) == [("1000", D("250.00"), D(0)), ("1100", D(0), D("250.00"))]
    assert ok(await client.get(f"/customers/{account}"))["open_receivables"] == "410.00"


async def test_explicit_allocations_then_the_rest_brings_receivables_to_zero(
    client: httpx.AsyncClient,
) -> None:
    account, invoices = await _three_invoices(client)
    created(
        await client.post(
            "/payments",
            json={
                "account_id": str(account),
                "amount": "335.00",
                "received_on": "2026-03-01",
                "allocations": [
                    {"invoice_id": invoices[2]["id"], "amount": "330.00"},
                    {"invoice_id": invoices[1]["id"], "amount": "5.00"},
                ],
            },
        )
    )
    created(
        await client.post(
            "/payments",
            json={"account_id": str(account), "amount": "325.00", "received_on": "2026-03-02"},
        )
    )
    assert {x["status"] for x in ok(await client.get("/invoices"))["items"]} == {"paid"}
    assert len(await published(client, "InvoicePaid")) == 3
    view = ok(await client.get(f"/customers/{account}"))
    assert (view["open_receivables"], view["credit_status"]) == ("0.00", "ok")
    assert (await balances(client))["1100"] == 0  # AR nets to zero
    listed = ok(await client.get("/payments", params={"account_id": str(account)}))["items"]
    assert sorted(x["amount"] for x in listed) == ["325.0000", "335.0000"]


async def test_payments_that_do_not_fit_are_refused_and_book_nothing(
    client: httpx.AsyncClient,
) -> None:
    account, invoices = await _three_invoices(client)
    body = {"account_id": str(account), "received_on": "2026-03-01"}
    problem(await client.post("/payments", json=body | {"amount": "660.01"}), 422)
    problem(await client.post("/payments", json=body | {"amount": "10.001"}), 422)
    problem(await client.post("/payments", json=body | {"amount": "-5.00"}), 422)
    problem(await client.post("/payments", json=body | {"amount": "5.00", "tip": "1"}), 422)
    problem(
        await client.post(
            "/payments",
            json=body
            | {
                "amount": "50.00",
                "allocations": [{"invoice_id": invoices[0]["id"], "amount": "40.00"}],
            },
        ),
        422,
    )
    problem(
        await client.post(
            "/payments",
            json=body
            | {
                "amount": "120.00",
                "allocations": [{"invoice_id": invoices[0]["id"], "amount": "120.00"}],
            },
        ),
        422,
    )
    unknown = body | {"account_id": str(uuid.uuid4()), "amount": "1.00"}
    problem(await client.post("/payments", json=unknown), 404)
    assert await entries(client, source="payment") == []
    assert ok(await client.get("/payments"))["items"] == []


async def test_concurrent_payments_of_one_customer_both_apply(client: httpx.AsyncClient) -> None:
    """Two payments at once wait for each other instead of one failing on a stale customer."""
    account, invoices = await _three_invoices(client)

    def pay(invoice: dict[str, str]) -> dict[str, object]:
        return {
            "account_id": str(account),
            "amount": invoice["total"],
            "received_on": "2026-03-01",
            "allocations": [{"invoice_id": invoice["id"], "amount": invoice["total"]}],
        }

    answers = await asyncio.gather(
        client.post("/payments", json=pay(invoices[0])),
        client.post("/payments", json=pay(invoices[2])),
    )
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert ok(await client.get(f"/customers/{account}"))["open_receivables"] == "220.00"
    revisions = [x["revision"] for x in await published(client, "CustomerCreditChanged")]
    assert len(revisions) == len(set(revisions)), "each change of standing has its own revision"
