"""Shipments in-process: picking lots first in first out, the event, shipping once."""

import asyncio
import uuid

import httpx
from erp_stock_helpers import confirm, created, levels, product, published, receive, warehouse


async def test_a_shipment_picks_the_oldest_lots_and_announces_them(
    client: httpx.AsyncClient,
) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 3, lot="L-OLD")
    await receive(client, pump, where, 5, lot="L-NEW")
    order_id = await confirm(client, [(pump, 4)])

    shipments = created(await client.post("/shipments", json={"order_id": str(order_id)}))

    assert len(shipments) == 1
    shipment = shipments[0]
    assert shipment["warehouse_id"] == where["id"]
    assert [(x["lot"], x["quantity"]) for x in shipment["lines"]] == [("L-OLD", 3), ("L-NEW", 1)]
    assert await levels(client, pump) == {where["id"]: (4, 0)}
    lots = (await client.get("/stock/lots", params={"product_id": pump["id"]})).json()["items"]
    assert [(x["lot"], x["on_hand"]) for x in lots] == [("L-NEW", 4)]
    moves = (
        await client.get("/stock/moves", params={"product_id": pump["id"], "kind": "shipment"})
    ).json()["items"]
    assert sorted((m["lot"], m["quantity"]) for m in moves) == [("L-NEW", -1), ("L-OLD", -3)]
    [event] = await published(client, "ShipmentDispatched")
    assert event["order_id"] == str(order_id)
    assert event["shipment_number"] == shipment["number"]
    assert event["lines"] == [
        {
            "product_id": pump["id"],
            "sku": pump["sku"],
            "quantity": 4,
            "lots": [{"lot": "L-OLD", "quantity": 3}, {"lot": "L-NEW", "quantity": 1}],
        }
    ]
    view = (await client.get(f"/fulfilment/orders/{order_id}")).json()
    assert view["status"] == "shipped"
    assert [s["number"] for s in view["shipments"]] == [shipment["number"]]
    assert {r["status"] for r in view["reservations"]} == {"shipped"}


async def test_an_order_ships_once(client: httpx.AsyncClient) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 5)
    order_id = await confirm(client, [(pump, 2)])
    created(await client.post("/shipments", json={"order_id": str(order_id)}))

    again = await client.post("/shipments", json={"order_id": str(order_id)})

    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert await levels(client, pump) == {where["id"]: (3, 0)}
    assert len(await published(client, "ShipmentDispatched")) == 1


async def test_two_requests_racing_to_ship_an_order_ship_it_once(
    client: httpx.AsyncClient,
) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 5)
    order_id = await confirm(client, [(pump, 3)])

    responses = await asyncio.gather(
        *(client.post("/shipments", json={"order_id": str(order_id)}) for _ in range(3))
    )

    assert sorted(r.status_code for r in responses) == [201, 409, 409]
    assert await levels(client, pump) == {where["id"]: (2, 0)}
    assert len(await published(client, "ShipmentDispatched")) == 1


async def test_each_warehouse_ships_its_own_parcel(client: httpx.AsyncClient) -> None:
    north, south = await warehouse(client), await warehouse(client)
    pump = await product(client)
    await receive(client, pump, north, 2)
    await receive(client, pump, south, 3)
    order_id = await confirm(client, [(pump, 5)])

    shipments = created(await client.post("/shipments", json={"order_id": str(order_id)}))

    assert sorted((s["warehouse_id"], s["lines"][0]["quantity"]) for s in shipments) == sorted(
        [(north["id"], 2), (south["id"], 3)]
    )
    assert len(await published(client, "ShipmentDispatched")) == 2


async def test_a_backordered_order_ships_what_is_reserved_and_the_rest_later(
    client: httpx.AsyncClient,
) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 2, lot="A")
    order_id = await confirm(client, [(pump, 5)])

    first = created(await client.post("/shipments", json={"order_id": str(order_id)}))
    view = (await client.get(f"/fulfilment/orders/{order_id}")).json()
    assert view["status"] == "partially_shipped"
    await receive(client, pump, where, 10, lot="B")
    second = created(await client.post("/shipments", json={"order_id": str(order_id)}))

    assert [x["quantity"] for x in first[0]["lines"]] == [2]
    assert [(x["lot"], x["quantity"]) for x in second[0]["lines"]] == [("B", 3)]
    assert (await client.get(f"/fulfilment/orders/{order_id}")).json()["status"] == "shipped"
    assert await levels(client, pump) == {where["id"]: (7, 0)}


async def test_shipments_are_listed_by_order_and_found_by_id(client: httpx.AsyncClient) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 5)
    order_id = await confirm(client, [(pump, 1)])
    other_id = await confirm(client, [(pump, 1)])
    [mine] = created(await client.post("/shipments", json={"order_id": str(order_id)}))
    created(await client.post("/shipments", json={"order_id": str(other_id)}))

    page = (await client.get("/shipments", params={"order_id": str(order_id)})).json()
    one = await client.get(f"/shipments/{mine['id']}")

    assert [s["id"] for s in page["items"]] == [mine["id"]]
    assert one.status_code == 200 and one.json()["number"] == mine["number"]
    everything = (await client.get("/shipments", params={"limit": 1})).json()
    assert len(everything["items"]) == 1 and everything["next_cursor"]


async def test_bad_shipment_requests_get_problems(client: httpx.AsyncClient) -> None:
    unknown = await client.post("/shipments", json={"order_id": str(uuid.uuid4())})
    malformed = await client.post("/shipments", json={"order_id": "x", "extra": 1})
    missing = await client.get(f"/shipments/{uuid.uuid4()}")
    bad_sort = await client.get("/shipments", params={"sort": "secret"})

    assert unknown.status_code == 404
    assert malformed.status_code == 422
    assert {e["field"] for e in malformed.json()["errors"]} >= {"body.order_id", "body.extra"}
    assert missing.status_code == 404
    assert bad_sort.status_code == 422


async def test_shipping_needs_inventory_write(client: httpx.AsyncClient, keys) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/shipments", json={"order_id": str(uuid.uuid4())}, headers=keys.headers("sales")
    )
    assert response.status_code == 403
