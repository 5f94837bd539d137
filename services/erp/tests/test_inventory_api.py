"""Warehouses and stock in-process: receipts, adjustments, transfers, lots, the ledger."""

import uuid

import httpx
from erp_stock_helpers import created, levels, product, published, receive, warehouse


async def test_warehouses_are_created_listed_and_unique(client: httpx.AsyncClient) -> None:
    await warehouse(client, "B-NORTH")
    await warehouse(client, "A-SOUTH")
    duplicate = await client.post("/warehouses", json={"code": "A-SOUTH", "name": "Again"})
    bad = await client.post("/warehouses", json={"code": "no spaces", "name": "", "x": 1})

    assert duplicate.status_code == 409
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"body.code", "body.name", "body.x"}
    first = (await client.get("/warehouses", params={"limit": 1})).json()
    assert [w["code"] for w in first["items"]] == ["A-SOUTH"]
    rest = (await client.get("/warehouses", params={"cursor": first["next_cursor"]})).json()
    assert [w["code"] for w in rest["items"]] == ["B-NORTH"]
    newest = (await client.get("/warehouses", params={"sort": "-code"})).json()["items"]
    assert newest[0]["code"] == "B-NORTH"
    one = await client.get(f"/warehouses/{newest[0]['id']}")
    assert one.status_code == 200 and one.json()["code"] == "B-NORTH"
    assert (await client.get(f"/warehouses/{uuid.uuid4()}")).status_code == 404


async def test_a_receipt_is_a_move_a_balance_a_lot_and_an_event(
    client: httpx.AsyncClient,
) -> None:
    where = await warehouse(client)
    pump = await product(client)

    move = await receive(client, pump, where, 7, lot="L1")

    assert (move["quantity"], move["kind"], move["lot"]) == (7, "receipt", "L1")
    assert await levels(client, pump) == {where["id"]: (7, 0)}
    lots = (await client.get("/stock/lots", params={"product_id": pump["id"]})).json()["items"]
    assert lots == [
        {"product_id": pump["id"], "warehouse_id": where["id"], "lot": "L1", "on_hand": 7}
    ]
    [event] = await published(client, "StockLevelChanged")
    assert (event["on_hand"], event["reserved"], event["available"]) == (7, 0, 7)


async def test_adjustments_count_lots_and_never_go_below_what_is_reserved(
    client: httpx.AsyncClient,
) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 3, lot="OLD")
    await receive(client, pump, where, 3, lot="NEW")

    down = await client.post(
        "/stock/adjustments",
        json={
            "product_id": pump["id"],
            "warehouse_id": where["id"],
            "quantity": -4,
            "reason": "damaged",
        },
    )
    assert down.status_code == 201, down.text
    lots = (await client.get("/stock/lots", params={"product_id": pump["id"]})).json()["items"]
    assert [(x["lot"], x["on_hand"]) for x in lots] == [("NEW", 2)]
    too_far = await client.post(
        "/stock/adjustments",
        json={
            "product_id": pump["id"],
            "warehouse_id": where["id"],
            "quantity": -1,
            "reason": "lost",
            "lot": "OLD",
        },
    )
    assert too_far.status_code == 409
    assert too_far.json()["title"] == "Insufficient stock"
    zero = await client.post(
        "/stock/adjustments",
        json={"product_id": pump["id"], "warehouse_id": where["id"], "quantity": 0, "reason": "x"},
    )
    assert zero.status_code == 422
    assert await levels(client, pump) == {where["id"]: (2, 0)}


async def test_a_transfer_moves_lots_between_warehouses(client: httpx.AsyncClient) -> None:
    north, south = await warehouse(client), await warehouse(client)
    pump = await product(client)
    await receive(client, pump, north, 2, lot="A")
    await receive(client, pump, north, 4, lot="B")

    moves = created(
        await client.post(
            "/stock/transfers",
            json={
                "product_id": pump["id"],
                "from_warehouse_id": north["id"],
                "to_warehouse_id": south["id"],
                "quantity": 3,
            },
        )
    )

    assert sorted((m["warehouse_id"] == north["id"], m["lot"], m["quantity"]) for m in moves) == [
        (False, "A", 2),
        (False, "B", 1),
        (True, "A", -2),
        (True, "B", -1),
    ]
    assert {m["kind"] for m in moves} == {"transfer"}
    assert await levels(client, pump) == {north["id"]: (3, 0), south["id"]: (3, 0)}
    south_lots = (
        await client.get(
            "/stock/lots", params={"product_id": pump["id"], "warehouse_id": south["id"]}
        )
    ).json()["items"]
    assert sorted((x["lot"], x["on_hand"]) for x in south_lots) == [("A", 2), ("B", 1)]


async def test_bad_transfers_are_refused(client: httpx.AsyncClient) -> None:
    north, south = await warehouse(client), await warehouse(client)
    pump = await product(client)
    await receive(client, pump, north, 2)
    body = {"product_id": pump["id"], "from_warehouse_id": north["id"]}

    same = await client.post(
        "/stock/transfers", json=body | {"to_warehouse_id": north["id"], "quantity": 1}
    )
    too_many = await client.post(
        "/stock/transfers", json=body | {"to_warehouse_id": south["id"], "quantity": 3}
    )
    nowhere = await client.post(
        "/stock/transfers", json=body | {"to_warehouse_id": str(uuid.uuid4()), "quantity": 1}
    )
    negative = await client.post(
        "/stock/transfers", json=body | {"to_warehouse_id": south["id"], "quantity": -1}
    )

    assert same.status_code == 422
    assert same.json()["errors"][0]["field"] == "body.to_warehouse_id"
    assert too_many.status_code == 409
    assert nowhere.status_code == 404
    assert negative.status_code == 422
    assert await levels(client, pump) == {north["id"]: (2, 0)}


async def test_the_ledger_pages_and_filters(client: httpx.AsyncClient) -> None:
    where = await warehouse(client)
    pump = await product(client)
    for lot in ("A", "B", "C"):
        await receive(client, pump, where, 1, lot=lot)

    first = (await client.get("/stock/moves", params={"product_id": pump["id"], "limit": 2})).json()
    rest = (
        await client.get(
            "/stock/moves", params={"product_id": pump["id"], "cursor": first["next_cursor"]}
        )
    ).json()
    by_lot = await client.get("/stock/moves", params={"lot": "B", "product_id": pump["id"]})

    assert [m["lot"] for m in first["items"] + rest["items"]] == ["C", "B", "A"]
    assert rest["next_cursor"] is None
    assert [m["lot"] for m in by_lot.json()["items"]] == ["B"]
    assert (await client.get("/stock/moves", params={"cursor": "garbage"})).status_code == 422


async def test_receipts_of_unknown_things_are_refused(client: httpx.AsyncClient) -> None:
    where = await warehouse(client)
    pump = await product(client)
    unknown_product = await client.post(
        "/stock/receipts",
        json={"product_id": str(uuid.uuid4()), "warehouse_id": where["id"], "quantity": 1},
    )
    unknown_warehouse = await client.post(
        "/stock/receipts",
        json={"product_id": pump["id"], "warehouse_id": str(uuid.uuid4()), "quantity": 1},
    )
    zero = await client.post(
        "/stock/receipts",
        json={"product_id": pump["id"], "warehouse_id": where["id"], "quantity": 0},
    )
    assert (unknown_product.status_code, unknown_warehouse.status_code) == (404, 404)
    assert zero.status_code == 422


async def test_stock_writes_need_inventory_write(client: httpx.AsyncClient, keys) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/stock/transfers",
        json={
            "product_id": str(uuid.uuid4()),
            "from_warehouse_id": str(uuid.uuid4()),
            "to_warehouse_id": str(uuid.uuid4()),
            "quantity": 1,
        },
        headers=keys.headers("sales"),
    )
    assert response.status_code == 403
    assert (
        await client.get(
            "/stock/lots", params={"product_id": str(uuid.uuid4())}, headers=keys.headers("sales")
        )
    ).status_code == 200
