"""Two instances of ERP on one database and one broker: what a Deployment with replicas: 2 runs.

Shows that scaling out is safe by design:

- the instances share the consumer group's partitions, and every event is applied once;
- the outbox relay publishes every row exactly once although both instances write rows and
  both run a relay (one holds the lease).
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import Engine, create_engine, text

from contracts.runtime.database import sync_url
from devstack import Stack, StackConfig
from devstack.stack import Service
from devstack.testing import created, eventually, postgres_url

pytestmark = pytest.mark.e2e

ORDERS = 200
WORKERS = 4

# aiokafka reports each instance's share of the group at INFO; nothing else is made louder.
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
    "loggers": {
        "aiokafka.consumer.group_coordinator": {"level": "INFO", "handlers": ["stderr"]},
    },
}
ASSIGNED = re.compile(r"Setting newly assigned partitions (.*) for group erp$", re.M)
PARTITION = re.compile(r"TopicPartition\(topic='([^']+)', partition=(\d+)\)")


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, list[Service]]]:
    workdir = tmp_path_factory.mktemp("two-replicas")
    log_config = workdir / "logging.json"
    log_config.write_text(json.dumps(LOG_CONFIG))
    stack = Stack(
        StackConfig(
            workdir=workdir,
            postgres_url=postgres_url(),
            database_prefix=f"scale_{uuid.uuid4().hex[:8]}",
            # This test is about correctness under scale-out, not latency: on a busy machine
            # a SQLite write may queue for longer than the gateway's default 3 s.
            extra_env={"GATEWAY_UPSTREAM_TIMEOUT_SECONDS": "30"},
        )
    )
    stack.services["erp"].extra_args = ["--log-config", str(log_config)]
    stack.start(fresh=True)
    try:
        second = stack.start_replica("erp")
        yield stack, [stack.services["erp"], second]
    finally:
        stack.stop()
        stack.drop_databases()


def _assignment(service: Service) -> set[tuple[str, int]]:
    """The partitions the instance holds now: the last assignment its log reports."""
    found = ASSIGNED.findall(service.log_path.read_text(errors="replace"))
    return {(t, int(p)) for t, p in PARTITION.findall(found[-1])} if found else set()


def _group_members(bootstrap: str) -> int:
    async def describe() -> int:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            response = (await admin.describe_consumer_groups(["erp"]))[0]
            return len(response.groups[0][5])  # (error, group, state, type, protocol, members)
        finally:
            await admin.close()

    return asyncio.run(describe())


def _read_topics(bootstrap: str, topics: set[str]) -> Counter[str]:
    """Event ids of every message on ``topics``, from the beginning to the end, with counts."""

    async def read() -> Counter[str]:
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        await consumer.start()
        try:
            partitions = [
                TopicPartition(t, p)
                for t in sorted(topics)
                for p in sorted(consumer.partitions_for_topic(t) or ())
            ]
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            end = await consumer.end_offsets(partitions)
            seen: Counter[str] = Counter()

            async def behind() -> bool:
                return any([await consumer.position(tp) < end[tp] for tp in partitions])

            while await behind():
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    for record in records:
                        assert record.value is not None
                        seen[json.loads(record.value)["event_id"]] += 1
            return seen
        finally:
            await consumer.stop()

    return asyncio.run(read())


def _drive_orders(api: httpx.Client, count: int) -> list[str]:
    warehouse = created(api.post("/api/warehouses", json={"code": "SCALE", "name": "Scale"}))
    product = created(
        api.post(
            "/api/products",
            json={
                "sku": f"SCALE-{uuid.uuid4().hex[:6]}",
                "name": "Valve",
                "list_price": "10.00",
                "standard_cost": "6.00",
                "tax_rate": "0.20",
            },
        )
    )
    receipt = {"product_id": product["id"], "warehouse_id": warehouse["id"], "quantity": count}
    created(api.post("/api/stock/receipts", json=receipt))
    eventually(lambda: api.get(f"/api/catalog/products/{product['id']}").status_code == 200)
    accounts = [
        created(api.post("/api/accounts", json={"name": f"Scale {n}", "region": "north"}))
        for n in range(WORKERS)
    ]

    def order(n: int) -> str:
        lines = [{"product_id": product["id"], "quantity": 1}]
        body = {"account_id": accounts[n % WORKERS]["id"], "lines": lines}
        new = created(api.post("/api/orders", json=body))
        confirmed = api.post(f"/api/orders/{new['id']}/confirm")
        assert confirmed.status_code == 200, confirmed.text
        return str(new["id"])

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(order, range(count)))


def _every_stock_level(api: httpx.Client) -> list[dict[str, Any]]:
    """All of ERP's stock levels, page after page."""
    levels: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 200}
    while True:
        response = api.get("/api/stock/levels", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        levels += page["items"]
        if not page["next_cursor"]:
            return levels
        params["cursor"] = page["next_cursor"]


def _scalar(engine: Engine, sql: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def test_two_replicas_share_the_work_and_publish_each_event_once(
    scaled: tuple[Stack, list[Service]],
) -> None:
    stack, instances = scaled
    erp = create_engine(sync_url(stack.database_urls["erp"]))
    try:
        _check(stack, instances, erp)
    finally:
        erp.dispose()


def _check(stack: Stack, instances: list[Service], erp: Engine) -> None:
    # Both instances joined the one group and hold disjoint, non-empty shares of crm.orders.
    assert eventually(lambda: _group_members(stack.broker.bootstrap) == 2, timeout=30)

    def split() -> tuple[set[tuple[str, int]], ...] | None:
        shares = tuple(_assignment(i) for i in instances)
        orders = [{p for t, p in share if t == "crm.orders"} for share in shares]
        ok = all(orders) and not shares[0] & shares[1]
        return shares if ok and len(orders[0] | orders[1]) == 6 else None

    first, second = eventually(split, timeout=30)

    token = stack.token()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=stack.gateway.url, timeout=30, headers=headers) as api:
        order_ids = _drive_orders(api, ORDERS)

        # (a) Every confirmation was applied once: the stock covers all orders, so each is
        # reserved, and ERP reserved exactly one unit per order.
        def all_reserved() -> bool:
            return sum(row["reserved"] for row in _every_stock_level(api)) == ORDERS

        eventually(all_reserved, timeout=120, interval=0.5)

    confirmations = _scalar(erp, "SELECT count(*) FROM inbox WHERE event_type = 'OrderConfirmed'")
    assert confirmations == ORDERS
    with erp.connect() as conn:
        per_event = conn.execute(
            text("SELECT event_id, count(*) FROM inbox GROUP BY event_id HAVING count(*) > 1")
        ).all()
        reservations: dict[Any, int] = {
            order_id: int(n)
            for order_id, n in conn.execute(
                text("SELECT order_id, count(*) FROM reservations GROUP BY order_id")
            )
        }
        applied_from = {
            int(p)
            for (p,) in conn.execute(
                text("SELECT DISTINCT partition FROM inbox WHERE topic = 'crm.orders'")
            )
        }
    assert per_event == []
    assert len(reservations) == ORDERS and set(reservations.values()) == {1}
    assert {str(uuid.UUID(str(o))) for o in reservations} == set(order_ids)
    # Events from both instances' partitions were applied: the work was split.
    for share in (first, second):
        assert applied_from & {p for t, p in share if t == "crm.orders"}

    # (b) The relay: one lease, every outbox row published, each exactly once on the topic.
    eventually(
        lambda: _scalar(erp, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0,
        timeout=60,
    )
    assert _scalar(erp, "SELECT count(*) FROM relay_lease") == 1
    with erp.connect() as conn:
        rows = conn.execute(text("SELECT event_id, topic FROM outbox")).all()
    written = {str(uuid.UUID(str(event_id))) for event_id, _ in rows}
    assert len(written) >= ORDERS  # at least one fulfilment event per order
    on_topics = _read_topics(stack.broker.bootstrap, {topic for _, topic in rows})
    assert set(on_topics) == written  # none lost, none invented
    assert [e for e, n in on_topics.items() if n > 1] == []  # none published twice
