"""Leads, conversion, opportunities, forecast, activities and follow-ups through the API."""

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx

LEAD = {
    "first_name": "Ann",
    "last_name": "Lee",
    "company": "Nordwind",
    "source": "web",
    "email": "ann@nordwind.example",
    "owner": "sara",
    "estimated_amount": "5000.00",
}


async def test_a_lead_converts_once_into_account_contact_and_opportunity(client, outbox) -> None:
    lead = (await client.post("/leads", json=LEAD)).json()
    assert lead["status"] == "new"
    contacted = await client.post(f"/leads/{lead['id']}/status", json={"status": "contacted"})
    assert contacted.json()["status"] == "contacted"
    first = await client.post(f"/leads/{lead['id']}/convert", json={})
    assert first.status_code == 200, first.text
    again = await client.post(f"/leads/{lead['id']}/convert", json={})
    assert again.json() == first.json()
    made = first.json()
    assert made["account"]["name"] == "Nordwind"
    assert made["contact"]["account_id"] == made["account"]["id"]
    assert made["opportunity"]["amount"] == "5000.00"
    assert made["opportunity"]["stage"] == "qualification"
    converted = (await client.get(f"/leads/{lead['id']}")).json()
    assert converted["status"] == "converted"
    assert converted["converted_opportunity_id"] == made["opportunity"]["id"]
    assert await outbox() == ["AccountRegistered"]
    back = await client.post(f"/leads/{lead['id']}/status", json={"status": "new"})
    assert back.status_code == 409


async def test_a_lead_like_an_existing_account_attaches_to_it(client) -> None:
    account = (await client.post("/accounts", json={"name": "Nordwind AG"})).json()
    lead = (await client.post("/leads", json={**LEAD, "email": None})).json()
    refused = await client.post(f"/leads/{lead['id']}/convert", json={})
    assert refused.status_code == 409
    assert (await client.get(f"/leads/{lead['id']}")).json()["status"] == "new"
    attached = await client.post(f"/leads/{lead['id']}/convert", json={"account_id": account["id"]})
    assert attached.json()["account"]["id"] == account["id"]


async def test_a_disqualified_lead_is_not_converted(client) -> None:
    lead = (await client.post("/leads", json=LEAD)).json()
    await client.post(f"/leads/{lead['id']}/status", json={"status": "disqualified"})
    assert (await client.post(f"/leads/{lead['id']}/convert", json={})).status_code == 409
    bad = await client.post("/leads", json={**LEAD, "source": None, "email": "x"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"body.source", "body.email"}


async def _opportunity(client: httpx.AsyncClient, account_id: str, **fields: object) -> dict:
    body = {
        "account_id": account_id,
        "name": "Pumps",
        "amount": "1000.00",
        "expected_close": "2026-04-15",
        "owner": "sara",
        **fields,
    }
    response = await client.post("/opportunities", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_stage_history_and_the_weighted_forecast(client) -> None:
    account = (await client.post("/accounts", json={"name": "Nordwind"})).json()
    one = await _opportunity(client, account["id"])
    await _opportunity(client, account["id"], amount="400.00", stage="negotiation", owner="tom")
    await _opportunity(client, account["id"], expected_close="2026-05-01", stage="won")
    moved = await client.post(f"/opportunities/{one['id']}/stage", json={"stage": "proposal"})
    assert moved.json()["probability"] == 50
    assert [h["to_stage"] for h in moved.json()["history"]] == ["prospecting", "proposal"]
    by_month = (await client.get("/forecast", params={"group_by": "month"})).json()
    assert by_month["rows"] == [
        {"key": "2026-04", "count": 2, "amount": "1400.00", "weighted": "800.00"}
    ]
    by_owner = (await client.get("/forecast", params={"group_by": "owner"})).json()
    assert {r["key"]: r["weighted"] for r in by_owner["rows"]} == {
        "sara": "500.00",
        "tom": "300.00",
    }
    only_tom = (await client.get("/forecast", params={"group_by": "stage", "owner": "tom"})).json()
    assert only_tom["total_weighted"] == "300.00"
    assert (await client.get("/forecast", params={"group_by": "colour"})).status_code == 422
    won = await client.post(f"/opportunities/{one['id']}/stage", json={"stage": "won"})
    assert won.json()["closed_at"] is not None
    reopen = await client.post(f"/opportunities/{one['id']}/stage", json={"stage": "proposal"})
    assert reopen.status_code == 409
    listed = (await client.get("/opportunities", params={"stage": "won"})).json()["items"]
    assert len(listed) == 2
    still_open = (await client.get("/opportunities", params={"status": "open"})).json()["items"]
    assert [o["stage"] for o in still_open] == ["negotiation"]
    closed = (await client.get("/opportunities", params={"status": "closed"})).json()["items"]
    assert len(closed) == 2
    assert (await client.get("/opportunities", params={"status": "x"})).status_code == 422
    assert (await client.post("/opportunities", json={"name": "x"})).status_code == 422


async def test_activities_and_follow_ups_per_owner(client) -> None:
    account = (await client.post("/accounts", json={"name": "Nordwind"})).json()
    now = datetime.now(UTC)

    async def log(
        subject: str, due: datetime | None, owner: str = "sara", kind: str = "task"
    ) -> dict:
        response = await client.post(
            "/activities",
            json={
                "kind": kind,
                "subject": subject,
                "account_id": account["id"],
                "owner": owner,
                "due_at": due.isoformat() if due else None,
            },
        )
        assert response.status_code == 201, response.text
        return response.json()

    late = await log("Call back", now - timedelta(days=1))
    await log("Send offer", now + timedelta(days=2))
    await log("Far away", now + timedelta(days=30))
    await log("Tom's", now + timedelta(days=1), owner="tom")
    await log("Emailed the price list", None, kind="email")
    ups = (await client.get("/activities/follow-ups", params={"owner": "sara"})).json()
    assert [a["subject"] for a in ups["overdue"]] == ["Call back"]
    assert [a["subject"] for a in ups["upcoming"]] == ["Send offer"]
    done = await client.post(f"/activities/{late['id']}/complete", json={"outcome": "reached"})
    assert done.json()["completed_at"] is not None
    fetched = (await client.get(f"/activities/{late['id']}")).json()
    assert fetched["notes"] == "reached"
    twice = await client.post(f"/activities/{late['id']}/complete", json={})
    assert twice.status_code == 409
    ups = (await client.get("/activities/follow-ups", params={"owner": "sara"})).json()
    assert ups["overdue"] == []
    feed = (await client.get(f"/accounts/{account['id']}/timeline")).json()["items"]
    assert "activity_email" in {e["kind"] for e in feed}
    no_due = await client.post("/activities", json={"kind": "task", "subject": "x"})
    assert no_due.status_code == 422
    naive = await client.post(
        "/activities", json={"kind": "call", "subject": "x", "due_at": "2026-01-01T10:00:00"}
    )
    assert naive.status_code == 422
    open_ones = (await client.get("/activities", params={"open": "true", "owner": "sara"})).json()
    assert len(open_ones["items"]) == 3


async def test_sales_endpoints_need_sales_permissions(client, as_role) -> None:
    service = as_role("service")
    assert (await client.post("/leads", json=LEAD, headers=service)).status_code == 403
    assert (
        await client.get("/forecast", headers=as_role("customer", account_id=uuid.uuid4()))
    ).status_code == 403
    assert (await client.get("/leads", headers=as_role("marketing"))).status_code == 200
    assert (await client.get(f"/leads/{uuid.uuid4()}")).status_code == 404
    _ = date.today()
