"""Cases through the API: SLA by priority, responses, at-risk list, who may do what."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from crm.service.models import Case


async def _account(client: httpx.AsyncClient, name: str = "Nordwind") -> dict:
    return (await client.post("/accounts", json={"name": name})).json()


async def _age(client: httpx.AsyncClient, case_id: str, hours: float) -> None:
    """Move a case's clock back, as if it had been opened ``hours`` ago."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.transactions.begin() as uow:
        case = await uow.session.get(Case, uuid.UUID(case_id))
        shift = timedelta(hours=hours)
        case.opened_at -= shift
        case.response_due_at -= shift


async def test_response_due_follows_the_priority(client) -> None:
    account = await _account(client)
    p1 = (
        await client.post(
            "/cases", json={"account_id": account["id"], "subject": "Down", "priority": "P1"}
        )
    ).json()
    due = datetime.fromisoformat(p1["response_due_at"]) - datetime.fromisoformat(p1["opened_at"])
    assert due == timedelta(hours=4)
    assert p1["sla"] == "on_track" and p1["status"] == "open"
    lowered = await client.patch(
        f"/cases/{p1['id']}", json={"priority": "P2"}, headers={"If-Match": f'W/"{p1["version"]}"'}
    )
    assert lowered.status_code == 200, lowered.text
    due = datetime.fromisoformat(lowered.json()["response_due_at"]) - datetime.fromisoformat(
        p1["opened_at"]
    )
    assert due == timedelta(hours=8)
    default = (
        await client.post("/cases", json={"account_id": account["id"], "subject": "Q"})
    ).json()
    assert default["priority"] == "P3"
    stale = await client.patch(
        f"/cases/{p1['id']}", json={"assignee": "x"}, headers={"If-Match": 'W/"1"'}
    )
    assert stale.status_code == 412


async def test_breached_and_at_risk_cases_are_listed_until_answered(client) -> None:
    account = await _account(client)

    async def case(priority: str, age_hours: float) -> dict:
        made = (
            await client.post(
                "/cases",
                json={"account_id": account["id"], "subject": priority, "priority": priority},
            )
        ).json()
        await _age(client, made["id"], age_hours)
        return made

    breached = await case("P1", 5)  # 4 h window
    at_risk = await case("P2", 7)  # 8 h window, 1 h left
    await case("P3", 1)  # 24 h window, plenty left
    listed = (await client.get("/cases/at-risk")).json()["items"]
    assert [(c["id"], c["sla"]) for c in listed] == [
        (breached["id"], "breached"),
        (at_risk["id"], "at_risk"),
    ]
    answered = await client.post(f"/cases/{breached['id']}/respond", json={"message": "On it"})
    assert answered.json()["status"] == "in_progress"
    assert answered.json()["sla"] == "breached"  # answered, but late
    listed = (await client.get("/cases/at-risk")).json()["items"]
    assert [c["id"] for c in listed] == [at_risk["id"]]
    in_time = await client.post(f"/cases/{at_risk['id']}/respond", json={"message": "Hi"})
    assert in_time.json()["sla"] == "met"


async def test_case_lifecycle_and_bad_input(client) -> None:
    account = await _account(client)
    made = (
        await client.post("/cases", json={"account_id": account["id"], "subject": "Leak"})
    ).json()
    resolved = await client.patch(f"/cases/{made['id']}", json={"status": "resolved"})
    assert resolved.json()["resolved_at"] is not None
    closed = await client.patch(f"/cases/{made['id']}", json={"status": "closed"})
    assert closed.status_code == 200
    reopened = await client.patch(f"/cases/{made['id']}", json={"status": "open"})
    assert reopened.status_code == 409
    assert (
        await client.post(f"/cases/{made['id']}/respond", json={"message": "x"})
    ).status_code == 409
    bad = await client.post(
        "/cases", json={"account_id": account["id"], "subject": "", "priority": "P9"}
    )
    assert {e["field"] for e in bad.json()["errors"]} == {"body.subject", "body.priority"}
    foreign_order = await client.post(
        "/cases", json={"account_id": account["id"], "subject": "x", "order_id": str(uuid.uuid4())}
    )
    assert foreign_order.status_code == 422
    feed = (await client.get(f"/accounts/{account['id']}/timeline")).json()["items"]
    assert {"case_opened", "case_status"} <= {e["kind"] for e in feed}


async def test_customers_open_and_read_only_their_own_cases(client, as_role) -> None:
    mine, other = await _account(client, "Mine"), await _account(client, "Other")
    me = as_role("customer", account_id=uuid.UUID(mine["id"]))
    opened = await client.post(
        "/cases", json={"account_id": mine["id"], "subject": "Help"}, headers=me
    )
    assert opened.status_code == 201
    theirs = await client.post(
        "/cases", json={"account_id": other["id"], "subject": "x"}, headers=me
    )
    assert theirs.status_code == 404
    staff_case = (
        await client.post("/cases", json={"account_id": other["id"], "subject": "y"})
    ).json()
    assert (await client.get(f"/cases/{staff_case['id']}", headers=me)).status_code == 404
    assert [c["id"] for c in (await client.get("/cases", headers=me)).json()["items"]] == [
        opened.json()["id"]
    ]
    assert (await client.get("/cases/at-risk", headers=me)).status_code == 403
    assert (
        await client.post(
            f"/cases/{opened.json()['id']}/respond", json={"message": "x"}, headers=me
        )
    ).status_code == 403
    assert (
        await client.post(
            "/cases", json={"account_id": mine["id"], "subject": "z"}, headers=as_role("sales")
        )
    ).status_code == 403
    _ = datetime.now(UTC)
