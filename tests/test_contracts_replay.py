"""Replay and rebuild: ERP's outbox history rebuilds CRM's read models (the product catalog,
the customers' financial summaries), idempotently.

Both services run in-process on their own databases; the events travel through a real broker.
ERP's relay is off: the operator's replay command is the only thing that publishes, which is
exactly the situation after a broker loss.
"""

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from contracts.envelope import Event
from contracts.events.erp import (
    CustomerCreditChanged,
    InvoiceIssued,
    InvoicePaid,
    InvoicePaymentApplied,
    StockLevelChanged,
)
from contracts.runtime import EventConsumer
from contracts.runtime.kafka import ensure_topics
from crm.catalog.models import CatalogProduct
from crm.catalog.rebuild import CATALOG_EVENTS, clear_catalog
from crm.customers.models import FinancialSummary, TimelineEntry
from crm.customers.rebuild import FINANCIAL_EVENTS
from crm.events import HANDLERS
from devstack.stack import Broker, free_port
from devstack.testing import SigningKeys as SigningKeys
from devstack.testing import created, service_client

_TYPES = [e.event_type for e in CATALOG_EVENTS]


@pytest.fixture(scope="module")
def replay_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    broker = Broker(free_port(), tmp_path_factory.mktemp("broker") / "broker.log")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
async def erp(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    keys = SigningKeys()
    async with service_client("erp", tmp_path, keys) as client:
        client.headers.update(keys.headers("admin"))
        yield client


@pytest.fixture
async def crm(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    keys = SigningKeys()
    async with service_client("crm", tmp_path, keys) as client:
        client.headers.update(keys.headers("admin"))
        yield client


def _runtime(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime  # type: ignore[attr-defined]


async def _erp_history(erp: httpx.AsyncClient) -> list[uuid.UUID]:
    """Three products, one price change, and stock news for two: several revisions each."""
    products = []
    for n in range(3):
        body = {
            "sku": f"SKU-{n}",
            "name": f"Pump {n}",
            "list_price": "100.00",
            "standard_cost": "60.00",
            "tax_rate": "0.23",
        }
        products.append(created(await erp.post("/products", json=body)))
    first = products[0]
    kept = ("sku", "name", "unit", "currency", "tax_rate", "standard_cost")
    changed = await erp.put(
        f"/products/{first['id']}",
        json={**{k: first[k] for k in kept}, "list_price": "120.00"},
        headers={"If-Match": f'"{first["version"]}"'},
    )
    assert changed.status_code == 200, changed.text
    # Stock news as ERP's inventory publishes it (its own use cases are tested in ERP).
    for product in products[:2]:
        for revision, on_hand in ((1, 5), (2, 12)):
            async with _runtime(erp).transactions.begin() as uow:
                await uow.publish(
                    StockLevelChanged(
                        product_id=product["id"],
                        sku=product["sku"],
                        on_hand=on_hand,
                        reserved=0,
                        available=on_hand,
                        revision=revision,
                    )
                )
    return [uuid.UUID(p["id"]) for p in products]


async def _catalog(crm: httpx.AsyncClient) -> dict[uuid.UUID, dict[str, Any]]:
    async with _runtime(crm).transactions.read() as session:
        rows = (await session.scalars(select(CatalogProduct))).all()
    return {
        row.product_id: {
            c: getattr(row, c) for c in CatalogProduct.__table__.columns.keys() if c != "updated_at"
        }
        for row in rows
    }


def _replay(
    erp: httpx.AsyncClient,
    broker: Broker,
    *extra: str,
    types: list[str] = _TYPES,
    as_service: bool = False,
) -> int:
    """The operator command, as a separate process against ERP's database: the generic one,
    or ERP's own (``python -m erp.replay``, configured like the service)."""
    url = _runtime(erp).engine.url.render_as_string(hide_password=False)
    selection = [*[a for t in types for a in ("--type", t)], *extra]
    if as_service:
        command = ["-m", "erp.replay", *selection]
        env = {
            **os.environ,
            "ERP_DATABASE_URL": url,
            "ERP_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        }
    else:
        command = ["-m", "contracts.runtime.replay", "--database-url", url,
                   "--bootstrap", broker.bootstrap, *selection]  # fmt: skip
        env = None
    done = subprocess.run(
        [sys.executable, *command], env=env, capture_output=True, text=True, check=True
    )
    return int(done.stdout.split()[1])


def _rebuild(crm: httpx.AsyncClient, read_model: str) -> int:
    """``python -m crm.rebuild``: clears the read model; returns the inbox marks forgotten."""
    url = _runtime(crm).engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "crm.rebuild", read_model, "--database-url", url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(done.stdout.split("(")[1].split()[0])


async def _until_handled(consumer: EventConsumer, count: int) -> None:
    """Wait until the consumer has applied or skipped ``count`` more events."""
    target = consumer.applied + consumer.duplicates + count
    while consumer.applied + consumer.duplicates < target:
        assert consumer.dead_lettered == 0, "a replayed event was dead-lettered"
        await asyncio.sleep(0.05)


async def test_a_replay_rebuilds_the_catalog_and_replaying_again_changes_nothing(
    replay_broker: Broker, erp: httpx.AsyncClient, crm: httpx.AsyncClient
) -> None:
    products = await _erp_history(erp)
    await ensure_topics(replay_broker.bootstrap, {e.topic for e in CATALOG_EVENTS})
    group = f"crm-{uuid.uuid4().hex[:8]}"
    consumer = EventConsumer(
        service="crm",
        group_id=group,
        bootstrap_servers=replay_broker.bootstrap,
        transactions=_runtime(crm).transactions,
        handlers={cls: HANDLERS[cls] for cls in CATALOG_EVENTS},
    )
    task = asyncio.create_task(consumer.run())
    try:
        # The broker lost everything: replaying ERP's history builds CRM's catalog.
        sent = _replay(erp, replay_broker)
        assert sent >= 3 + 4 + 1
        await asyncio.wait_for(_until_handled(consumer, sent), 60)
        built = await _catalog(crm)
        assert set(built) == set(products)
        assert built[products[0]]["list_price"] == 120 and built[products[0]]["on_hand"] == 12
        assert consumer.duplicates == 0

        # Rebuild: clear the read model and its inbox marks, replay; the same model results.
        assert await clear_catalog(_runtime(crm).transactions, consumer=group) == sent
        assert await _catalog(crm) == {}
        await asyncio.wait_for(_until_handled(consumer, _replay(erp, replay_broker)), 60)
        assert await _catalog(crm) == built

        # Replaying everything again is a no-op: every event is a known duplicate.
        before = consumer.applied
        await asyncio.wait_for(_until_handled(consumer, _replay(erp, replay_broker)), 60)
        assert consumer.applied == before
        assert await _catalog(crm) == built

        # A replay for one aggregate sends only that product's events.
        one = _replay(erp, replay_broker, "--key", str(products[2]))
        assert one == 1
        await asyncio.wait_for(_until_handled(consumer, one), 60)
        assert await _catalog(crm) == built
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _billing_history(erp: httpx.AsyncClient, account_id: uuid.UUID) -> None:
    """Two invoices, a payment settling the first, and two credit standings, as ERP's
    finance publishes them (its own use cases are tested in ERP)."""
    first, second = uuid.uuid4(), uuid.uuid4()
    invoice = {
        "order_id": None,
        "shipment_id": None,
        "account_id": account_id,
        "currency": "EUR",
        "net_amount": Decimal("100.00"),
        "tax_amount": Decimal("23.00"),
        "total": Decimal("123.00"),
        "issued_on": date(2026, 3, 1),
        "due_on": date(2026, 3, 31),
    }
    credit = {
        "account_id": account_id,
        "credit_limit": Decimal("200.00"),
        "overdue_receivables": Decimal("0.00"),
    }
    events: list[Event] = [
        InvoiceIssued(invoice_id=first, invoice_number="INV-1", **invoice),
        CustomerCreditChanged(
            **credit, open_receivables=Decimal("123.00"), credit_status="ok", revision=1
        ),
        InvoiceIssued(invoice_id=second, invoice_number="INV-2", **invoice),
        CustomerCreditChanged(
            **credit, open_receivables=Decimal("246.00"), credit_status="over_limit", revision=2
        ),
        InvoicePaymentApplied(
            invoice_id=first,
            payment_id=uuid.uuid4(),
            order_id=None,
            account_id=account_id,
            amount=Decimal("123.00"),
            balance_due=Decimal("0.00"),
            received_on=date(2026, 3, 10),
        ),
        InvoicePaid(
            invoice_id=first,
            invoice_number="INV-1",
            order_id=None,
            account_id=account_id,
            total=Decimal("123.00"),
            paid_on=date(2026, 3, 10),
        ),
    ]
    for event in events:
        async with _runtime(erp).transactions.begin() as uow:
            await uow.publish(event)


async def _financials(crm: httpx.AsyncClient) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """The summaries and the timeline entries ERP's facts wrote, without ids and clocks."""
    async with _runtime(crm).transactions.read() as session:
        summaries = (await session.scalars(select(FinancialSummary))).all()
        entries = (
            await session.scalars(select(TimelineEntry).where(TimelineEntry.source == "erp"))
        ).all()
    columns = [c for c in FinancialSummary.__table__.columns.keys() if c != "updated_at"]
    return (
        sorted(
            ({c: getattr(s, c) for c in columns} for s in summaries),
            key=lambda s: str(s["account_id"]),
        ),
        # A credit-status entry is stamped when CRM learnt it, not when it happened.
        sorted(
            (
                e.kind,
                e.subject_id,
                e.summary,
                None if e.kind == "credit_status" else e.at,
                e.details,
            )
            for e in entries
        ),
    )


async def test_a_replay_rebuilds_the_financial_summaries_and_replaying_again_changes_nothing(
    replay_broker: Broker, erp: httpx.AsyncClient, crm: httpx.AsyncClient
) -> None:
    account = created(await crm.post("/accounts", json={"name": "Northwind"}))
    await _billing_history(erp, uuid.UUID(account["id"]))
    types = [e.event_type for e in FINANCIAL_EVENTS]
    await ensure_topics(replay_broker.bootstrap, {e.topic for e in FINANCIAL_EVENTS})
    group = "crm"  # the inbox name the rebuild command clears; this test's broker is its own
    consumer = EventConsumer(
        service="crm",
        group_id=group,
        bootstrap_servers=replay_broker.bootstrap,
        transactions=_runtime(crm).transactions,
        handlers={cls: HANDLERS[cls] for cls in FINANCIAL_EVENTS},
    )
    task = asyncio.create_task(consumer.run())
    try:
        sent = _replay(erp, replay_broker, types=types, as_service=True)
        assert sent == 6
        await asyncio.wait_for(_until_handled(consumer, sent), 60)
        built = await _financials(crm)
        [summary] = built[0]
        assert (summary["total_invoiced"], summary["total_paid"]) == (246, 123)
        assert summary["outstanding"] == 123 and summary["credit_status"] == "over_limit"

        assert _rebuild(crm, "financials") == sent
        assert await _financials(crm) == ([], [])
        await asyncio.wait_for(
            _until_handled(consumer, _replay(erp, replay_broker, types=types, as_service=True)), 60
        )
        assert await _financials(crm) == built

        before = consumer.applied
        await asyncio.wait_for(
            _until_handled(consumer, _replay(erp, replay_broker, types=types, as_service=True)), 60
        )
        assert consumer.applied == before
        assert await _financials(crm) == built
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
