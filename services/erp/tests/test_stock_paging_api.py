"""Stock levels and lots page by keyset like every list: filters, sorts, and each row once."""

from typing import Any

import httpx
from erp_stock_helpers import confirm, product, receive, warehouse


async def _walk(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = await client.get(
            path, params={**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 2
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def test_stock_levels_page_by_product_or_warehouse_and_filter(
    client: httpx.AsyncClient,
) -> None:
    north, south = await warehouse(client), await warehouse(client)
    items = [await product(client) for _ in range(3)]
    for n, item in enumerate(items):
        await receive(client, item, north, 10 + n)
        await receive(client, item, south, 1)
    await confirm(client, [(items[0], 8)])  # north keeps 2 of the first product free

    def keys(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
        return [(x["product_id"], x["warehouse_id"]) for x in rows]

    everything = {(i["id"], w["id"]) for i in items for w in (north, south)}
    by_product = keys(await _walk(client, "/stock/levels"))
    assert by_product == sorted(everything)
    assert keys(await _walk(client, "/stock/levels", sort="-product_id")) == sorted(
        everything, reverse=True
    )
    by_warehouse = keys(await _walk(client, "/stock/levels", sort="warehouse_id"))
    assert by_warehouse == sorted(everything, key=lambda k: (k[1], k[0]))

    south_only = await _walk(client, "/stock/levels", warehouse_id=south["id"])
    assert [x["product_id"] for x in south_only] == sorted(i["id"] for i in items)
    low = await _walk(client, "/stock/levels", available_at_most=2)
    assert sorted(keys(low)) == sorted(
        [(items[0]["id"], north["id"])] + [(i["id"], south["id"]) for i in items]
    )
    [reserved] = [x for x in low if x["warehouse_id"] == north["id"]]
    assert (reserved["on_hand"], reserved["reserved"], reserved["available"]) == (10, 8, 2)
    assert (await client.get("/stock/levels", params={"sort": "on_hand"})).status_code == 422
    assert (
        await client.get("/stock/levels", params={"sort": "warehouse_id", "cursor": "bad"})
    ).status_code == 422


async def test_stock_lots_page_oldest_first_by_product_warehouse_and_lot(
    client: httpx.AsyncClient,
) -> None:
    north, south = await warehouse(client), await warehouse(client)
    pump, valve = await product(client), await product(client)
    await receive(client, pump, north, 2, lot="P-C")
    await receive(client, pump, south, 3, lot="P-A")
    await receive(client, pump, north, 4, lot="P-B")
    await receive(client, pump, north, 1)  # unlotted stock
    await receive(client, valve, north, 5, lot="P-A")  # same lot number, another product
    moved = await client.post(
        "/stock/adjustments",
        json={
            "product_id": pump["id"],
            "warehouse_id": north["id"],
            "quantity": -2,
            "reason": "damaged",
            "lot": "P-C",
        },
    )
    assert moved.status_code == 201, moved.text

    def lots(rows: list[dict[str, Any]]) -> list[str | None]:
        return [x["lot"] for x in rows]

    # P-C is empty now: only lots in stock are listed, in the order shipments pick them.
    assert lots(await _walk(client, "/stock/lots", product_id=pump["id"])) == ["P-A", "P-B", None]
    assert lots(
        await _walk(client, "/stock/lots", product_id=pump["id"], warehouse_id=north["id"])
    ) == ["P-B", None]
    assert lots(await _walk(client, "/stock/lots", product_id=pump["id"], sort="-sequence")) == [
        None,
        "P-B",
        "P-A",
    ]
    by_lot = await _walk(client, "/stock/lots", sort="lot")
    assert [(x["lot"], x["product_id"]) for x in by_lot] == [
        (None, pump["id"]),
        ("P-A", pump["id"]),
        ("P-A", valve["id"]),
        ("P-B", pump["id"]),
    ]
    everywhere = await _walk(client, "/stock/lots", lot="P-A")
    assert [(x["product_id"], x["warehouse_id"], x["on_hand"]) for x in everywhere] == [
        (pump["id"], south["id"], 3),
        (valve["id"], north["id"], 5),
    ]
    assert (await client.get("/stock/lots", params={"sort": "on_hand"})).status_code == 422
