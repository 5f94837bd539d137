"""Every finance list pages by keyset: walking the pages returns each item once."""

from typing import Any

import httpx
from erp_finance_helpers import created, ok


async def _walk(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = ok(
            await client.get(
                path, params={**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
            )
        )
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def test_lists_page_through_every_item(client: httpx.AsyncClient) -> None:
    for n in range(3):
        created(await client.post("/employees", json={"username": f"rep{n}", "name": "R"}))
        created(
            await client.post(
                "/commission-rules", json={"rate": "0.01", "valid_from": f"2026-0{n + 1}-01"}
            )
        )
        created(
            await client.post(
                "/ledger/journal-entries",
                json={
                    "entry_date": "2026-05-01",
                    "description": "capital",
                    "lines": [
                        {"account": "1000", "debit": f"{n + 1}.00"},
                        {"account": "3000", "credit": f"{n + 1}.00"},
                    ],
                },
            )
        )
    codes = [x["code"] for x in await _walk(client, "/ledger/accounts")]
    assert codes == sorted(codes) and len(codes) == 11
    assert len(await _walk(client, "/ledger/accounts", sort="-name")) == 11
    entries = await _walk(client, "/ledger/journal-entries")
    assert [e["total"] for e in entries] == ["3.00", "2.00", "1.00"]
    assert len(await _walk(client, "/commission-rules")) == 3
    assert [e["username"] for e in await _walk(client, "/employees")] == ["rep0", "rep1", "rep2"]
    assert await _walk(client, "/invoices", sort="-total") == []
