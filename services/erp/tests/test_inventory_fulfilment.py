"""CRM's orders meet stock (in-process, the event handlers' use cases called directly)."""

import uuid

import httpx
from erp_stock_helpers import (
    cancel,
    confirm,
    created,
    levels,
    product,
    published,
    receive,
    warehouse,
)


async def test_an_order_is_reserved_in_the_warehouse_that_has_it_all(
    client: httpx.AsyncClient,
) -> None:
    north, south = await warehouse(client), await warehouse(client)
    pump = await product(client)
    await receive(client, pump, north, 2)
    await receive(client, pump, south, 5)

    order_id = await confirm(client, [(pump, 4)])

    assert await levels(client, pump) == {north["id"]: (2, 0), south["id"]: (5, 4)}
    [event] = await published(client, "StockReserved")
    assert event["lines"] == [{"product_id": pump["id"], "sku": pump["sku"], "quantity": 4}]
    view = (await client.get(f"/fulfilment/orders/{order_id}")).json()
    assert view["status"] == "reserved"
    assert view["shipments"] == [] and view["purchase_orders"] == []


async def test_backorders_are_filled_oldest_first_and_announced_when_complete(
    client: httpx.AsyncClient,
) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 1)
    older = await confirm(client, [(pump, 3)])
    newer = await confirm(client, [(pump, 2)])
    [failed_older, failed_newer] = await published(client, "StockReservationFailed")
    assert failed_older["shortages"][0] | {"product_id": None} == {
        "product_id": None,
        "sku": pump["sku"],
        "requested": 3,
        "reserved": 1,
        "missing": 2,
    }
    assert failed_newer["shortages"][0]["missing"] == 2

    await receive(client, pump, where, 3)

    assert (await client.get(f"/fulfilment/orders/{older}")).json()["status"] == "reserved"
    newer_view = (await client.get(f"/fulfilment/orders/{newer}")).json()
    assert newer_view["status"] == "backordered"
    assert [b["missing"] for b in newer_view["backorders"]] == [1]
    assert [e["order_id"] for e in await published(client, "StockReserved")] == [str(older)]
    assert await levels(client, pump) == {where["id"]: (4, 4)}


async def test_cancelling_releases_stock_to_the_next_waiting_order(
    client: httpx.AsyncClient,
) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 3)
    first = await confirm(client, [(pump, 3)])
    waiting = await confirm(client, [(pump, 2)])

    await cancel(client, first)
    await cancel(client, first)  # a re-delivered cancellation changes nothing

    [released] = await published(client, "StockReleased")
    assert released["lines"] == [{"product_id": pump["id"], "sku": pump["sku"], "quantity": 3}]
    assert (await client.get(f"/fulfilment/orders/{first}")).json()["status"] == "released"
    assert (await client.get(f"/fulfilment/orders/{waiting}")).json()["status"] == "reserved"
    assert await levels(client, pump) == {where["id"]: (3, 2)}
    refused = await client.post("/shipments", json={"order_id": str(first)})
    assert refused.status_code == 409


async def test_a_re_sent_confirmation_reserves_nothing_twice(client: httpx.AsyncClient) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 5)
    order_id = await confirm(client, [(pump, 2)])
    await confirm(client, [(pump, 2)], order_id=order_id)
    view = (await client.get(f"/fulfilment/orders/{order_id}")).json()
    assert len(view["reservations"]) == 1
    assert await levels(client, pump) == {where["id"]: (5, 2)}
    created(await client.post("/shipments", json={"order_id": str(order_id)}))
    assert await levels(client, pump) == {where["id"]: (3, 0)}


async def test_a_customer_sees_only_the_fulfilment_of_its_own_orders(
    client: httpx.AsyncClient,
    keys,  # type: ignore[no-untyped-def]
) -> None:
    where = await warehouse(client)
    pump = await product(client)
    await receive(client, pump, where, 5)
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    order_id = await confirm(client, [(pump, 1)], account_id=mine)
    created(await client.post("/shipments", json={"order_id": str(order_id)}))
    me = keys.headers("customer", account_id=mine)
    them = keys.headers("customer", account_id=theirs)

    assert (await client.get(f"/fulfilment/orders/{order_id}", headers=me)).status_code == 200
    assert (await client.get(f"/fulfilment/orders/{order_id}", headers=them)).status_code == 404
    assert (await client.get("/shipments", headers=them)).json()["items"] == []
    assert len((await client.get("/shipments", headers=me)).json()["items"]) == 1
    assert (await client.get(f"/fulfilment/orders/{uuid.uuid4()}")).status_code == 404


async def test_service_lines_need_no_stock(client: httpx.AsyncClient) -> None:
    where = await warehouse(client)
    pump = await product(client)
    installation = await product(client, product_type="service")
    await receive(client, pump, where, 1)

    order_id = await confirm(client, [(pump, 1), (installation, 1)])

    view = (await client.get(f"/fulfilment/orders/{order_id}")).json()
    assert view["status"] == "reserved" and view["backorders"] == []
    assert await published(client, "PurchaseOrderCreated") == []
