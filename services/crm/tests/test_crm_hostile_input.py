"""Hostile values at CRM's API: each is refused with a 4xx problem and writes nothing, or, where
it is legitimate text, is stored verbatim and harms nothing."""

import uuid
from typing import Any

import httpx

from devstack.hostile import (
    FORTY_DIGITS,
    NUL_TEXT,
    ODD_TEXT,
    SQL_FRAGMENT,
    assert_refused,
    deeply_nested,
    row_counts,
    with_raw_number,
)

TABLES = ("accounts", "sales_orders", "sales_order_lines", "outbox", "audit_log")
JSON = {"content-type": "application/json"}


def order(quantity: Any) -> dict[str, Any]:
    line = {"product_id": str(uuid.uuid4()), "quantity": quantity}
    return {"account_id": str(uuid.uuid4()), "lines": [line]}


# (what, method, path, request keyword arguments)
HOSTILE: list[tuple[str, str, str, dict[str, Any]]] = [
    ("NUL byte in a name", "POST", "/accounts", {"json": {"name": NUL_TEXT}}),
    ("NUL byte in a filter", "GET", "/accounts", {"params": {"q": NUL_TEXT}}),
    (
        "1e309 credit limit",
        "POST",
        "/accounts",
        {"content": with_raw_number({"name": "x"}, "credit_limit", "1e309"), "headers": JSON},
    ),
    (
        "40-digit credit limit",
        "POST",
        "/accounts",
        {"json": {"name": "x", "credit_limit": FORTY_DIGITS}},
    ),
    (
        "10**30 payment terms",
        "POST",
        "/accounts",
        {"json": {"name": "x", "payment_terms_days": 10**30}},
    ),
    (
        "negative payment terms",
        "POST",
        "/accounts",
        {"json": {"name": "x", "payment_terms_days": -30}},
    ),
    ("name of the wrong type", "POST", "/accounts", {"json": {"name": {"$ne": None}}}),
    ("tags of the wrong type", "POST", "/accounts", {"json": {"name": "x", "tags": "a,b"}}),
    ("an array for a body", "POST", "/accounts", {"json": [{"name": "x"}]}),
    ("not JSON at all", "POST", "/accounts", {"content": b"\xff\xfe{", "headers": JSON}),
    ("5000 levels of nesting", "POST", "/accounts", {"content": deeply_nested(), "headers": JSON}),
    (
        "nesting inside a free-form field",
        "POST",
        "/accounts",
        {
            "content": b'{"name": "x", "preferences": {"a": ' + deeply_nested() + b"}}",
            "headers": JSON,
        },
    ),
    ("10**30 quantity", "POST", "/orders", {"json": order(10**30)}),
    ("negative quantity", "POST", "/orders", {"json": order(-3)}),
    ("fractional quantity", "POST", "/orders", {"json": order(1.5)}),
    ("quantity as text", "POST", "/orders", {"json": order("seven")}),
    ("SQL in an id", "GET", f"/accounts/{SQL_FRAGMENT}", {}),
    ("SQL in a sort", "GET", "/accounts", {"params": {"sort": SQL_FRAGMENT}}),
]


async def test_hostile_values_are_refused_and_change_nothing(client: httpx.AsyncClient) -> None:
    before = await row_counts(client.app, TABLES)  # type: ignore[attr-defined]
    failures = []
    for what, method, path, arguments in HOSTILE:
        try:
            response = await client.request(method, path, **arguments)
            assert_refused(response)
        except Exception as failure:
            failures.append(f"{what}: {failure!r}"[:300])
    assert not failures, "\n".join(failures)
    assert await row_counts(client.app, TABLES) == before  # type: ignore[attr-defined]


async def test_sql_and_odd_unicode_are_stored_verbatim(client: httpx.AsyncClient) -> None:
    for name in (SQL_FRAGMENT, ODD_TEXT):
        account = await client.post("/accounts", json={"name": name, "tags": [name]})
        assert account.status_code == 201, account.text
        fetched = (await client.get(f"/accounts/{account.json()['id']}")).json()
        assert (fetched["name"], fetched["tags"]) == (name, [name])
        found = (await client.get("/accounts", params={"q": name})).json()["items"]
        assert [item["name"] for item in found] == [name]
    counts = await row_counts(client.app, ("accounts",))  # type: ignore[attr-defined]
    assert counts == {"accounts": 2}
