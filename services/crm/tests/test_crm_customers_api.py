"""Accounts, contacts, duplicates, merge, timeline and financials through the API."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx

from contracts.events.erp import (
    CustomerCreditChanged,
    InvoiceIssued,
    InvoicePaid,
    InvoicePaymentApplied,
)


async def _account(client: httpx.AsyncClient, name: str, **fields: object) -> dict:
    response = await client.post("/accounts", json={"name": name, **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_duplicate_accounts_are_reported_or_refused(client, outbox) -> None:
    first = await _account(client, "ACME Inc.", email="Buy@Acme.example")
    assert first["possible_duplicates"] == [] and first["email"] == "buy@acme.example"
    same_name = await _account(client, "acme")
    assert [(c["id"], c["matched_on"]) for c in same_name["possible_duplicates"]] == [
        (first["id"], ["name"])
    ]
    refused = await client.post(
        "/accounts?reject_duplicates=true", json={"name": "Other", "email": "buy@acme.example"}
    )
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert first["id"] in refused.json()["errors"][0]["message"]
    listed = (await client.get("/accounts/duplicates", params={"name": "ACME"})).json()
    assert {c["id"] for c in listed} == {first["id"], same_name["id"]}
    assert await outbox() == ["AccountRegistered", "AccountRegistered"]


async def test_bad_input_is_a_problem_with_field_errors(client) -> None:
    response = await client.post("/accounts", json={"name": "", "email": "nope", "x": 1})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"body.name", "body.email", "body.x"} <= fields
    assert (await client.get("/accounts/duplicates")).status_code == 422
    assert (await client.get("/accounts", params={"sort": "secret"})).status_code == 422


async def test_updating_an_account_needs_the_current_version(client, outbox) -> None:
    account = await _account(client, "Nordwind", region="north")
    stale = await client.patch(
        f"/accounts/{account['id']}", json={"tier": "gold"}, headers={"If-Match": 'W/"9"'}
    )
    assert stale.status_code == 412
    fresh = await client.patch(
        f"/accounts/{account['id']}",
        json={"tier": "gold", "tags": ["vip"]},
        headers={"If-Match": f'W/"{account["version"]}"'},
    )
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["tier"] == "gold"
    assert fresh.headers["ETag"] == 'W/"2"'
    null_name = await client.patch(f"/accounts/{account['id']}", json={"name": None})
    assert null_name.status_code == 422
    assert await outbox() == ["AccountRegistered", "AccountRegistered"]


async def test_contacts_with_duplicate_detection_and_filters(client) -> None:
    account = await _account(client, "Nordwind")
    body = {
        "account_id": account["id"],
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann@nordwind.example",
    }
    contact = await client.post("/contacts", json=body)
    assert contact.status_code == 201, contact.text
    again = await client.post("/contacts", json={**body, "email": None})
    assert again.status_code == 201
    assert [c["id"] for c in again.json()["possible_duplicates"]] == [contact.json()["id"]]
    refused = await client.post("/contacts?reject_duplicates=true", json=body)
    assert refused.status_code == 409
    listed = (await client.get("/contacts", params={"account_id": account["id"]})).json()
    assert len(listed["items"]) == 2
    patched = await client.patch(
        f"/contacts/{contact.json()['id']}",
        json={"title": "Buyer"},
        headers={"If-Match": 'W/"1"'},
    )
    assert patched.json()["title"] == "Buyer"
    missing = await client.post("/contacts", json={**body, "account_id": str(uuid.uuid4())})
    assert missing.status_code == 404


async def test_customers_see_only_their_own_account(client, as_role) -> None:
    mine = await _account(client, "Mine")
    other = await _account(client, "Other")
    me = as_role("customer", account_id=uuid.UUID(mine["id"]))
    assert (await client.get(f"/accounts/{mine['id']}", headers=me)).status_code == 200
    assert (await client.get(f"/accounts/{other['id']}", headers=me)).status_code == 404
    assert (await client.get(f"/accounts/{other['id']}/timeline", headers=me)).status_code == 404
    assert (await client.get(f"/accounts/{other['id']}/financials", headers=me)).status_code == 404
    listed = (await client.get("/accounts", headers=me)).json()["items"]
    assert [a["id"] for a in listed] == [mine["id"]]
    await client.post(
        "/activities",
        json={"kind": "note", "subject": "Tough negotiator", "account_id": mine["id"]},
    )
    staff_view = (await client.get(f"/accounts/{mine['id']}/timeline")).json()["items"]
    own_view = (await client.get(f"/accounts/{mine['id']}/timeline", headers=me)).json()["items"]
    assert "activity_note" in {e["kind"] for e in staff_view}
    assert [e["kind"] for e in own_view] == ["account_opened"]
    refused = await client.post("/accounts", json={"name": "X"}, headers=me)
    assert refused.status_code == 403
    marketing = as_role("marketing")
    assert (
        await client.patch(f"/accounts/{mine['id']}", json={}, headers=marketing)
    ).status_code == 403


async def test_merging_moves_everything_to_the_survivor(client, catalog, outbox) -> None:
    survivor = await _account(client, "Nordwind", tags=["a"])
    merged = await _account(client, "Nordwind Logistics", region="north", tags=["b"])
    product = await catalog()
    contact = await client.post(
        "/contacts", json={"account_id": merged["id"], "first_name": "Bo", "last_name": "Ek"}
    )
    order = await client.post(
        "/orders",
        json={"account_id": merged["id"], "lines": [{"product_id": str(product), "quantity": 1}]},
    )
    case = await client.post("/cases", json={"account_id": merged["id"], "subject": "Leak"})
    response = await client.post(
        f"/accounts/{survivor['id']}/merge", json={"merged_id": merged["id"]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["tags"] == ["a", "b"]
    assert response.json()["region"] == "north"
    assert (await client.get(f"/contacts/{contact.json()['id']}")).json()["account_id"] == survivor[
        "id"
    ]
    assert (await client.get(f"/orders/{order.json()['id']}")).json()["account_id"] == survivor[
        "id"
    ]
    assert (await client.get(f"/cases/{case.json()['id']}")).json()["account_id"] == survivor["id"]
    gone = (await client.get(f"/accounts/{merged['id']}")).json()
    assert gone["merged_into_id"] == survivor["id"]
    ids = [a["id"] for a in (await client.get("/accounts")).json()["items"]]
    assert merged["id"] not in ids
    again = await client.post(f"/accounts/{survivor['id']}/merge", json={"merged_id": merged["id"]})
    assert again.status_code == 200
    assert (await outbox()).count("AccountsMerged") == 1
    itself = await client.post(
        f"/accounts/{survivor['id']}/merge", json={"merged_id": survivor["id"]}
    )
    assert itself.status_code == 422


async def test_timeline_and_financials_from_erp_billing_events(client, deliver) -> None:
    account = await _account(client, "Nordwind")
    account_id = uuid.UUID(account["id"])
    invoice_id, payment_id = uuid.uuid4(), uuid.uuid4()
    await deliver(
        InvoiceIssued(
            invoice_id=invoice_id,
            invoice_number="INV-1",
            order_id=None,
            shipment_id=None,
            account_id=account_id,
            currency="EUR",
            net_amount=Decimal("100.00"),
            tax_amount=Decimal("23.00"),
            total=Decimal("123.00"),
            issued_on=date(2026, 3, 1),
            due_on=date(2026, 3, 31),
        )
    )
    await deliver(
        InvoicePaymentApplied(
            invoice_id=invoice_id,
            payment_id=payment_id,
            order_id=None,
            account_id=account_id,
            amount=Decimal("100.00"),
            balance_due=Decimal("23.00"),
            received_on=date(2026, 3, 5),
        )
    )
    await deliver(
        CustomerCreditChanged(
            account_id=account_id,
            credit_limit=Decimal("1000.00"),
            open_receivables=Decimal("23.00"),
            overdue_receivables=Decimal("0.00"),
            credit_status="on_hold",
            revision=2,
        )
    )
    # an older credit fact arriving late changes nothing
    await deliver(
        CustomerCreditChanged(
            account_id=account_id,
            credit_limit=None,
            open_receivables=Decimal("0"),
            overdue_receivables=Decimal("0"),
            credit_status="ok",
            revision=1,
        )
    )
    await deliver(
        InvoicePaid(
            invoice_id=invoice_id,
            invoice_number="INV-1",
            order_id=None,
            account_id=account_id,
            total=Decimal("123.00"),
            paid_on=date(2026, 3, 6),
        )
    )
    money = (await client.get(f"/accounts/{account['id']}/financials")).json()
    assert money["total_invoiced"] == "123.00"
    assert money["total_paid"] == "100.00"
    assert money["outstanding"] == "23.00"
    assert money["last_payment_on"] == "2026-03-05"
    assert money["credit_status"] == "on_hold"
    feed = (await client.get(f"/accounts/{account['id']}/timeline")).json()["items"]
    kinds = [e["kind"] for e in feed]
    # newest first: the credit news (today) and the account, then ERP's dated facts
    assert set(kinds[:2]) == {"credit_status", "account_opened"}
    assert kinds[2:] == ["invoice_paid", "payment_received", "invoice_issued"]
    erp_only = (
        await client.get(
            f"/accounts/{account['id']}/timeline", params={"source": "erp", "limit": 2}
        )
    ).json()
    assert len(erp_only["items"]) == 2 and erp_only["next_cursor"]
    rest = (
        await client.get(
            f"/accounts/{account['id']}/timeline",
            params={"source": "erp", "cursor": erp_only["next_cursor"]},
        )
    ).json()
    assert len(rest["items"]) == 2


async def test_financials_of_an_unbilled_customer_are_zero(client) -> None:
    account = await _account(client, "New")
    money = (await client.get(f"/accounts/{account['id']}/financials")).json()
    assert money["outstanding"] == "0" or Decimal(money["outstanding"]) == 0
    assert (await client.get(f"/accounts/{uuid.uuid4()}/financials")).status_code == 404
    _ = datetime.now(UTC)
