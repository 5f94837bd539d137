"""Every CRM write refuses bad input as problem+json with field errors, and every item
endpoint answers 404 (as a problem) for an id that does not exist."""

import uuid

NOWHERE = str(uuid.uuid4())

BAD_WRITES = [
    ("POST", "/accounts", {"name": "x", "tier": "t" * 21}, "body.tier"),
    ("PATCH", f"/accounts/{NOWHERE}", {"payment_terms_days": -1}, "body.payment_terms_days"),
    ("POST", f"/accounts/{NOWHERE}/merge", {"merged_id": "not-a-uuid"}, "body.merged_id"),
    ("POST", "/contacts", {"account_id": NOWHERE, "first_name": "A"}, "body.last_name"),
    ("PATCH", f"/contacts/{NOWHERE}", {"email": "no-at-sign"}, "body.email"),
    ("POST", "/leads", {"first_name": "A", "last_name": "B", "company": ""}, "body.company"),
    ("POST", f"/leads/{NOWHERE}/status", {"status": "won"}, "body.status"),
    ("POST", f"/leads/{NOWHERE}/convert", {"currency": "euro"}, "body.currency"),
    (
        "POST",
        "/opportunities",
        {"account_id": NOWHERE, "name": "x", "amount": "-1", "expected_close": "2026-01-01"},
        "body.amount",
    ),
    (
        "POST",
        f"/opportunities/{NOWHERE}/stage",
        {"stage": "proposal", "probability": 101},
        "body.probability",
    ),
    ("POST", "/activities", {"kind": "fax", "subject": "x"}, "body.kind"),
    ("POST", f"/activities/{NOWHERE}/complete", {"outcome": 1}, "body.outcome"),
    (
        "POST",
        "/quotes",
        {"account_id": NOWHERE, "lines": [{"product_id": NOWHERE, "quantity": 1, "price": "1"}]},
        "body.lines.0.price",
    ),
    (
        "POST",
        "/cases",
        {"account_id": NOWHERE, "subject": "x", "priority": "urgent"},
        "body.priority",
    ),
    ("PATCH", f"/cases/{NOWHERE}", {"status": "lost"}, "body.status"),
    ("POST", f"/cases/{NOWHERE}/respond", {"message": ""}, "body.message"),
    (
        "POST",
        "/segments",
        {"name": "x", "filter": {"min_lifetime_value": "-5"}},
        "body.filter.min_lifetime_value",
    ),
    ("POST", "/campaigns", {"name": ""}, "body.name"),
    ("POST", f"/campaigns/{NOWHERE}/status", {"status": "done"}, "body.status"),
    (
        "POST",
        "/automation-rules",
        {"name": "x", "trigger": "birthday", "campaign_id": NOWHERE},
        "body.trigger",
    ),
]


# One app and database for each table below: starting one per row would cost more than
# the checks themselves.
async def test_bad_input_names_the_field(client) -> None:
    for method, path, body, field in BAD_WRITES:
        response = await client.request(method, path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in {e["field"] for e in response.json()["errors"]}, (path, response.text)


UNKNOWN_ITEMS = [
    f"/accounts/{NOWHERE}",
    f"/accounts/{NOWHERE}/timeline",
    f"/accounts/{NOWHERE}/financials",
    f"/contacts/{NOWHERE}",
    f"/leads/{NOWHERE}",
    f"/activities/{NOWHERE}",
    f"/opportunities/{NOWHERE}",
    f"/quotes/{NOWHERE}",
    f"/cases/{NOWHERE}",
    f"/segments/{NOWHERE}",
    f"/segments/{NOWHERE}/members",
    f"/campaigns/{NOWHERE}",
    f"/campaigns/{NOWHERE}/members",
]


async def test_unknown_ids_are_404_problems(client) -> None:
    for path in UNKNOWN_ITEMS:
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"


LISTS = [
    "/accounts",
    "/contacts",
    "/leads",
    "/opportunities",
    "/activities",
    "/quotes",
    "/cases",
    "/segments",
    "/campaigns",
    "/automation-rules",
]


async def test_lists_refuse_an_unknown_sort_and_a_forged_cursor(client) -> None:
    for path in LISTS:
        assert (await client.get(path, params={"sort": "password"})).status_code == 422, path
        assert (await client.get(path, params={"cursor": "%%%"})).status_code == 422, path
        assert (await client.get(path, params={"limit": 0})).status_code == 422, path
