"""Segments, campaigns and automation rules through the API."""

import uuid
from datetime import date
from decimal import Decimal

import httpx

from contracts.events.erp import InvoiceIssued


def _invoice(account_id: str, total: str) -> InvoiceIssued:
    return InvoiceIssued(
        invoice_id=uuid.uuid4(),
        invoice_number=f"INV-{uuid.uuid4().hex[:4]}",
        order_id=None,
        shipment_id=None,
        account_id=uuid.UUID(account_id),
        currency="EUR",
        net_amount=Decimal(total),
        tax_amount=Decimal(0),
        total=Decimal(total),
        issued_on=date(2026, 3, 1),
        due_on=date(2026, 3, 31),
    )


async def _account(client: httpx.AsyncClient, name: str, **fields: object) -> dict:
    response = await client.post("/accounts", json={"name": name, **fields})
    assert response.status_code == 201, response.text
    return response.json()


NORTH_BIG = {"name": "North, big", "filter": {"regions": ["north"], "min_lifetime_value": "10000"}}


async def test_segment_membership_is_computed_from_fields_and_money(client, deliver) -> None:
    big = await _account(client, "Big North", region="north")
    small = await _account(client, "Small North", region="north")
    await _account(client, "Big South", region="south")
    await deliver(_invoice(big["id"], "12000.00"))
    await deliver(_invoice(small["id"], "900.00"))
    segment = await client.post("/segments", json=NORTH_BIG)
    assert segment.status_code == 201, segment.text
    members = (await client.get(f"/segments/{segment.json()['id']}/members")).json()
    assert [(m["name"], m["lifetime_value"]) for m in members["items"]] == [
        ("Big North", "12000.00")
    ]
    await deliver(_invoice(small["id"], "9100.00"))  # now 10,000 in all
    members = (
        await client.get(f"/segments/{segment.json()['id']}/members", params={"limit": 1})
    ).json()
    assert [m["name"] for m in members["items"]] == ["Big North"]
    page2 = (
        await client.get(
            f"/segments/{segment.json()['id']}/members",
            params={"limit": 1, "cursor": members["next_cursor"]},
        )
    ).json()
    assert [m["name"] for m in page2["items"]] == ["Small North"] and page2["next_cursor"] is None
    assert (await client.post("/segments", json=NORTH_BIG)).status_code == 409
    forged = await client.get(
        f"/segments/{segment.json()['id']}/members", params={"cursor": "WyJhIiwgIngiXQ"}
    )
    assert forged.status_code == 422
    bad = await client.post("/segments", json={"name": "x", "filter": {"colour": "red"}})
    assert bad.json()["errors"][0]["field"] == "body.filter.colour"
    assert len((await client.get("/segments")).json()["items"]) == 1


async def test_a_campaign_enrolls_its_segment_and_rules_enroll_newcomers(client, deliver) -> None:
    await _account(client, "Tagged VIP", tags=["vip"], owner="sara")
    vips = (
        await client.post("/segments", json={"name": "VIPs", "filter": {"tags_all": ["vip"]}})
    ).json()
    campaign = await client.post(
        "/campaigns", json={"name": "Spring", "segment_id": vips["id"], "status": "active"}
    )
    assert campaign.status_code == 201, campaign.text
    campaign_id = campaign.json()["id"]
    members = (await client.get(f"/campaigns/{campaign_id}/members")).json()["items"]
    assert [m["source"] for m in members] == ["segment:VIPs"]

    rule = await client.post(
        "/automation-rules",
        json={
            "name": "trade show",
            "trigger": "tag_added",
            "tag": "fair-2026",
            "campaign_id": campaign_id,
            "task_subject": "Call after the fair",
            "task_due_days": 2,
        },
    )
    assert rule.status_code == 201, rule.text
    newcomer = await _account(client, "Newcomer", owner="tom")
    await client.patch(f"/accounts/{newcomer['id']}", json={"tags": ["fair-2026"]})
    await client.patch(f"/accounts/{newcomer['id']}", json={"tags": ["fair-2026", "x"]})  # not new
    members = (
        await client.get(f"/campaigns/{campaign_id}/members", params={"source": "rule:trade show"})
    ).json()
    assert [m["account_id"] for m in members["items"]] == [newcomer["id"]]
    tasks = (
        await client.get("/activities", params={"account_id": newcomer["id"], "kind": "task"})
    ).json()
    assert [(t["subject"], t["owner"]) for t in tasks["items"]] == [("Call after the fair", "tom")]


async def test_entering_a_segment_by_money_fires_its_rule_once(client, deliver) -> None:
    account = await _account(client, "Growing", region="north", owner="sara")
    segment = (await client.post("/segments", json=NORTH_BIG)).json()
    campaign = (await client.post("/campaigns", json={"name": "Key accounts"})).json()
    rule = await client.post(
        "/automation-rules",
        json={
            "name": "became key",
            "trigger": "entered_segment",
            "segment_id": segment["id"],
            "campaign_id": campaign["id"],
            "task_subject": "Plan a key-account review",
        },
    )
    assert rule.status_code == 201
    await deliver(_invoice(account["id"], "6000.00"))
    assert (await client.get(f"/campaigns/{campaign['id']}/members")).json()["items"] == []
    await deliver(_invoice(account["id"], "6000.00"))
    await deliver(_invoice(account["id"], "1.00"))  # still inside: no second entry
    members = (await client.get(f"/campaigns/{campaign['id']}/members")).json()["items"]
    assert [m["account_id"] for m in members] == [account["id"]]
    tasks = (await client.get("/activities", params={"account_id": account["id"]})).json()["items"]
    assert [t["subject"] for t in tasks] == ["Plan a key-account review"]


async def test_rules_and_campaigns_validate_and_need_marketing_rights(client, as_role) -> None:
    missing_tag = await client.post(
        "/automation-rules",
        json={"name": "x", "trigger": "tag_added", "campaign_id": str(uuid.uuid4())},
    )
    assert missing_tag.status_code == 422
    unknown = await client.post(
        "/automation-rules",
        json={"name": "x", "trigger": "tag_added", "tag": "t", "campaign_id": str(uuid.uuid4())},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.campaign_id"
    assert (
        await client.post("/campaigns", json={"name": "x", "status": "sleeping"})
    ).status_code == 422
    assert (
        await client.post("/campaigns", json={"name": "x", "segment_id": str(uuid.uuid4())})
    ).status_code == 404
    assert (
        await client.post("/segments", json=NORTH_BIG, headers=as_role("sales"))
    ).status_code == 403
    assert (await client.get("/segments", headers=as_role("sales"))).status_code == 200
    assert (
        await client.get("/campaigns", headers=as_role("customer", account_id=uuid.uuid4()))
    ).status_code == 403
    assert (await client.get(f"/campaigns/{uuid.uuid4()}/members")).status_code == 404
    assert len((await client.get("/automation-rules")).json()["items"]) == 0


async def test_campaign_status_moves_along_and_completed_campaigns_enroll_no_one(client) -> None:
    campaign = (await client.post("/campaigns", json={"name": "Autumn"})).json()
    assert campaign["status"] == "draft"
    rule = await client.post(
        "/automation-rules",
        json={"name": "t", "trigger": "tag_added", "tag": "autumn", "campaign_id": campaign["id"]},
    )
    assert rule.status_code == 201
    for status in ("active", "paused", "active", "completed"):
        moved = await client.post(f"/campaigns/{campaign['id']}/status", json={"status": status})
        assert moved.json()["status"] == status
    back = await client.post(f"/campaigns/{campaign['id']}/status", json={"status": "active"})
    assert back.status_code == 409
    await _account(client, "Late", tags=["autumn"])
    members = (await client.get(f"/campaigns/{campaign['id']}/members")).json()["items"]
    assert members == []
    rules = (await client.get("/automation-rules", params={"sort": "-name"})).json()["items"]
    assert [r["name"] for r in rules] == ["t"]
