"""The ledger in-process: chart, manual entries, reversals, closed periods, immutability."""

from decimal import Decimal

import httpx
import pytest
from erp_finance_helpers import created, entries, lines_of, ok, problem
from sqlalchemy import text

D = Decimal


def _entry(*lines: tuple[str, str, str], day: str = "2026-05-10") -> dict[str, object]:
    return {
        "entry_date": day,
        "description": "Owner's capital",
        "lines": [{"account": a, "debit": d, "credit": c} for a, d, c in lines],
    }


CAPITAL = _entry(("1000", "1000.00", "0"), ("3000", "0", "1000.00"))


async def test_the_default_chart_is_seeded_and_editable(client: httpx.AsyncClient) -> None:
    chart = ok(await client.get("/ledger/accounts"))["items"]
    assert [x["code"] for x in chart] == [
        "1000", "1100", "1200", "2000", "2100", "2200", "3000", "3100", "4000", "5000", "6000",
    ]  # fmt: skip
    assert all(x["system"] for x in chart)
    travel = created(
        await client.post(
            "/ledger/accounts", json={"code": "6100", "name": "Travel", "kind": "expense"}
        )
    )
    assert travel["active"] and not travel["system"]
    problem(
        await client.post(
            "/ledger/accounts", json={"code": "6100", "name": "X", "kind": "expense"}
        ),
        409,
    )
    problem(
        await client.post("/ledger/accounts", json={"code": "61", "name": "X", "kind": "asset"}),
        422,
    )
    problem(
        await client.post("/ledger/accounts", json={"code": "6200", "name": "X", "kind": "income"}),
        422,
    )
    renamed = await client.patch(
        "/ledger/accounts/6100", json={"name": "Travel and lodging"}, headers={"If-Match": 'W/"1"'}
    )
    assert renamed.status_code == 200 and renamed.headers["ETag"] == 'W/"2"'
    problem(
        await client.patch(
            "/ledger/accounts/6100", json={"active": False}, headers={"If-Match": 'W/"1"'}
        ),
        412,
    )
    problem(await client.patch("/ledger/accounts/1000", json={"active": False}), 409)
    problem(await client.patch("/ledger/accounts/9999", json={"name": "X"}), 404)
    assert (
        ok(await client.get("/ledger/accounts", params={"kind": "expense"}))["items"][-1]["name"]
        == "Travel and lodging"
    )


async def test_a_balanced_manual_entry_is_posted_and_unbalanced_ones_are_refused(
    client: httpx.AsyncClient,
) -> None:
    posted = created(await client.post("/ledger/journal-entries", json=CAPITAL))
    assert posted["source"] == "manual" and posted["total"] == "1000.00"
    assert lines_of(posted) == [("1000", D("1000.00"), D(0)), ("3000", D(0), D("1000.00"))]

    for bad in (
        _entry(("1000", "10.00", "0"), ("3000", "0", "9.99")),
        _entry(("1000", "10.00", "10.00"), ("3000", "0", "0")),
        _entry(("1000", "10.00", "0"), ("9999", "0", "10.00")),
    ):
        problem(await client.post("/ledger/journal-entries", json=bad), 422)
    fraction = _entry(("1000", "10.001", "0"), ("3000", "0", "10.001"))
    problem(await client.post("/ledger/journal-entries", json=fraction), 422)
    problem(await client.post("/ledger/journal-entries", json=_entry(("1000", "1", "0"))), 422)
    problem(await client.post("/ledger/journal-entries", json=CAPITAL | {"extra": 1}), 422)
    created(
        await client.post("/ledger/accounts", json={"code": "6100", "name": "T", "kind": "expense"})
    )
    ok(await client.patch("/ledger/accounts/6100", json={"active": False}))
    inactive = _entry(("6100", "5.00", "0"), ("1000", "0", "5.00"))
    problem(await client.post("/ledger/journal-entries", json=inactive), 422)
    assert len(await entries(client)) == 1


async def test_corrections_are_reversals_and_posted_rows_are_immutable(
    client: httpx.AsyncClient,
) -> None:
    posted = created(await client.post("/ledger/journal-entries", json=CAPITAL))
    reversal = created(
        await client.post(
            f"/ledger/journal-entries/{posted['id']}/reverse",
            json={"reason": "wrong amount", "entry_date": "2026-05-11"},
        )
    )
    assert reversal["reverses_id"] == posted["id"] and reversal["entry_date"] == "2026-05-11"
    assert lines_of(reversal) == [("1000", D(0), D("1000.00")), ("3000", D("1000.00"), D(0))]
    again = await client.post(
        f"/ledger/journal-entries/{posted['id']}/reverse", json={"reason": "x"}
    )
    problem(again, 409)
    problem(
        await client.post(
            f"/ledger/journal-entries/{reversal['id']}/reverse", json={"reason": "x"}
        ),
        409,
    )
    problem(await client.post("/ledger/journal-entries/999/reverse", json={"reason": "x"}), 404)
    problem(await client.post(f"/ledger/journal-entries/{posted['id']}/reverse", json={}), 422)
    assert ok(await client.get(f"/ledger/journal-entries/{posted['id']}"))["id"] == posted["id"]
    problem(await client.get("/ledger/journal-entries/999"), 404)

    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    for statement in (
        "UPDATE journal_lines SET debit = 0",
        "DELETE FROM journal_lines",
        "UPDATE journal_entries SET description = 'x'",
        "DELETE FROM journal_entries",
    ):
        with pytest.raises(Exception, match="immutable"):
            async with runtime.transactions.begin() as uow:
                await uow.session.execute(text(statement))
    # Nor can a line be slipped into a posted entry: its lines must match its totals.
    with pytest.raises(Exception, match="balance"):
        async with runtime.transactions.begin() as uow:
            await uow.session.execute(
                text(
                    "INSERT INTO journal_lines (entry_id, account_code, debit, credit) "
                    "VALUES (:entry, '1000', :amount, 0)"
                ),
                {"entry": posted["id"], "amount": 50_000 if _sqlite(runtime) else D("5.00")},
            )


def _sqlite(runtime: object) -> bool:
    return runtime.engine.dialect.name == "sqlite"  # type: ignore[attr-defined, no-any-return]


async def test_a_closed_period_refuses_postings_dated_inside_it(client: httpx.AsyncClient) -> None:
    created(await client.post("/ledger/journal-entries", json=CAPITAL))
    closed = ok(await client.post("/ledger/periods/2026-05/close"))
    assert closed["status"] == "closed" and closed["closed_by"] == "tester"
    problem(await client.post("/ledger/journal-entries", json=CAPITAL), 409)
    june = _entry(("1000", "1.00", "0"), ("3000", "0", "1.00"), day="2026-06-01")
    created(await client.post("/ledger/journal-entries", json=june))
    problem(await client.post("/ledger/periods/2026-05/close"), 409)
    problem(await client.post("/ledger/periods/2026-13/close"), 422)
    periods = ok(await client.get("/ledger/periods"))
    assert [(p["period"], p["status"]) for p in periods] == [
        ("2026-06", "open"),
        ("2026-05", "closed"),
    ]


async def test_ledger_permissions(client: httpx.AsyncClient, keys: object) -> None:
    sales = keys.headers("sales")  # type: ignore[attr-defined]
    ok(await client.get("/ledger/accounts", headers=sales))
    assert (
        await client.post("/ledger/journal-entries", headers=sales, json=CAPITAL)
    ).status_code == 403
    assert (await client.post("/ledger/periods/2026-05/close", headers=sales)).status_code == 403
    finance = keys.headers("finance")  # type: ignore[attr-defined]
    created(await client.post("/ledger/journal-entries", headers=finance, json=CAPITAL))
    assert (
        await client.get("/ledger/accounts", headers={"Authorization": "Bearer x"})
    ).status_code == 401
