"""Every write through the gateway lands in the owning service's audit trail, under the
token's subject."""

from typing import Any

import httpx
from sqlalchemy import select

from devstack.testing import SigningKeys, created

ACTOR = "alice.auditor"


async def audit_rows(app: Any) -> list[tuple[str, str, str | None]]:
    runtime = app.state.runtime
    log = runtime.tables.audit_log
    async with runtime.transactions.read() as session:
        query = select(log.c.entity_id, log.c.action, log.c.actor).order_by(log.c.id)
        rows = await session.execute(query)
        return [tuple(row) for row in rows]


async def test_every_write_is_audited_with_the_acting_user(
    gateway: httpx.AsyncClient, gateway_keys: SigningKeys
) -> None:
    gateway.headers.update(gateway_keys.headers("admin", subject=ACTOR))
    account = created(await gateway.post("/api/accounts", json={"name": "Audited GmbH"}))
    updated = await gateway.patch(
        f"/api/accounts/{account['id']}",
        json={"tier": "gold"},
        headers={"If-Match": f'W/"{account["version"]}"'},
    )
    assert updated.status_code == 200, updated.text
    contact = created(
        await gateway.post(
            "/api/contacts",
            json={"account_id": account["id"], "first_name": "Ada", "last_name": "Audit"},
        )
    )
    where = created(await gateway.post("/api/warehouses", json={"code": "AUD", "name": "Audit"}))
    body = {
        "sku": "AUD-1",
        "name": "Pump",
        "list_price": "10.00",
        "standard_cost": "6.00",
        "tax_rate": "0.20",
    }
    item = created(await gateway.post("/api/products", json=body))
    repriced = await gateway.put(
        f"/api/products/{item['id']}",
        json=body | {"list_price": "12.00"},
        headers={"If-Match": 'W/"1"'},
    )
    assert repriced.status_code == 200, repriced.text
    receipt = {"product_id": item["id"], "warehouse_id": where["id"], "quantity": 3}
    assert (await gateway.post("/api/stock/receipts", json=receipt)).status_code == 201

    crm = await audit_rows(gateway.crm.app)  # type: ignore[attr-defined]
    erp = await audit_rows(gateway.erp.app)  # type: ignore[attr-defined]
    # Each write is a row of its entity's trail, under the acting user.
    expected = [
        (crm, account["id"], ["created", "updated"]),
        (crm, contact["id"], ["created"]),
        (erp, where["id"], ["created"]),
        (erp, item["id"], ["created", "updated", "received"]),
    ]
    for rows, entity_id, actions in expected:
        mine = [(action, actor) for row_id, action, actor in rows if row_id == entity_id]
        assert mine == [(action, ACTOR) for action in actions], (entity_id, rows)
    # Nobody else wrote: every row of both trails names the acting user.
    assert {actor for _, _, actor in crm + erp} == {ACTOR}
