"""Employees, commission rules and statements in-process."""

from datetime import UTC, datetime

import httpx
from erp_finance_helpers import confirm, created, customer, dispatch, ok, problem, product


async def test_a_statement_lists_the_reps_paid_invoices_at_the_rate_in_force(
    client: httpx.AsyncClient,
) -> None:
    created(await client.post("/employees", json={"username": "anna", "name": "Anna Nowak"}))
    created(await client.post("/employees", json={"username": "ben", "name": "Ben Ode"}))
    created(
        await client.post("/commission-rules", json={"rate": "0.03", "valid_from": "2026-01-01"})
    )
    created(
        await client.post(
            "/commission-rules",
            json={"username": "anna", "rate": "0.05", "valid_from": "2026-04-01"},
        )
    )
    pump = await product(client)
    account = await customer(client, owner="anna")
    paid = await confirm(client, account, [(pump, 3, "111.11")], owner="anna")
    unpaid = await confirm(client, account, [(pump, 1, "100.00")], owner="anna")
    bens = await confirm(client, account, [(pump, 2, "50.00")], owner="ben")
    for order, quantity in ((paid, 3), (unpaid, 1), (bens, 2)):
        await dispatch(client, order, [(pump, quantity)], at=datetime(2026, 4, 2, tzinfo=UTC))
    invoices = {x["order_id"]: x for x in ok(await client.get("/invoices"))["items"]}
    for order in (paid, bens):
        created(
            await client.post(
                "/payments",
                json={
                    "account_id": str(account),
                    "amount": invoices[str(order)]["total"][:-2],
                    "received_on": "2026-04-28",
                    "allocations": [
                        {
                            "invoice_id": invoices[str(order)]["id"],
                            "amount": invoices[str(order)]["total"][:-2],
                        }
                    ],
                },
            )
        )

    anna = ok(
        await client.get(
            "/commissions/statements", params={"employee": "anna", "period": "2026-04"}
        )
    )
    assert [
        (x["invoice_number"], x["net_revenue"], x["rate"], x["commission"]) for x in anna["lines"]
    ] == [
        (invoices[str(paid)]["number"], "333.3300", "0.0500", "16.67")  # 16.6665 -> 16.67
    ]
    assert anna["total_commission"] == "16.67"
    ben = ok(
        await client.get("/commissions/statements", params={"employee": "ben", "period": "2026-04"})
    )
    assert [(x["rate"], x["commission"]) for x in ben["lines"]] == [("0.0300", "3.00")]
    may = ok(
        await client.get(
            "/commissions/statements", params={"employee": "anna", "period": "2026-05"}
        )
    )
    assert may["lines"] == [] and may["total_commission"] == "0.00"


async def test_people_input_and_permissions(client: httpx.AsyncClient, keys: object) -> None:
    created(await client.post("/employees", json={"username": "anna", "name": "Anna"}))
    problem(await client.post("/employees", json={"username": "anna", "name": "Again"}), 409)
    problem(await client.post("/employees", json={"username": "a b", "name": "Space"}), 422)
    problem(await client.post("/employees", json={"username": "x", "name": ""}), 422)
    rule = {"valid_from": "2026-01-01"}
    problem(await client.post("/commission-rules", json=rule | {"rate": "1.5"}), 422)
    problem(
        await client.post("/commission-rules", json=rule | {"rate": "0.1", "username": "zed"}), 422
    )
    created(await client.post("/commission-rules", json=rule | {"rate": "0.1", "username": "anna"}))
    assert [x["username"] for x in ok(await client.get("/employees"))["items"]] == ["anna"]
    assert len(ok(await client.get("/commission-rules", params={"username": "anna"}))["items"]) == 1
    problem(
        await client.get(
            "/commissions/statements", params={"employee": "zed", "period": "2026-01"}
        ),
        404,
    )
    problem(
        await client.get(
            "/commissions/statements", params={"employee": "anna", "period": "2026-1"}
        ),
        422,
    )
    problem(
        await client.get(
            "/commissions/statements", params={"employee": "anna", "period": "2026-13"}
        ),
        422,
    )
    sales = keys.headers("sales")  # type: ignore[attr-defined]
    assert (await client.get("/employees", headers=sales)).status_code == 403
    assert (
        await client.post("/commission-rules", headers=sales, json=rule | {"rate": "0.1"})
    ).status_code == 403
    finance = keys.headers("finance")  # type: ignore[attr-defined]
    ok(
        await client.get(
            "/commissions/statements",
            headers=finance,
            params={"employee": "anna", "period": "2026-01"},
        )
    )
