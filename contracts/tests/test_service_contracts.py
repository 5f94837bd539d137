"""Each service keeps its side of the contract.

- What it publishes validates against the committed JSON Schemas: the real apps run
  in-process through a few writes (API calls, and the other service's events applied by the
  service's own handlers), and every outbox envelope is checked.
- What it consumes is something a service publishes: every event type in its HANDLERS map
  is registered, on a topic another (or the same) service produces, and constructed
  somewhere in that producer's code.
"""

import importlib
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from contracts.catalog import SCHEMAS_DIR
from contracts.catalog.schemas import ENVELOPE_PATH, schema_path
from contracts.envelope import Envelope, Event, event_class
from contracts.topics import topic
from devstack.testing import SigningKeys as SigningKeys
from devstack.testing import created, service_client

SERVICES = ("crm", "erp")
SOURCES = {svc: Path(importlib.import_module(svc).__file__ or "").parent for svc in SERVICES}


async def _app(service: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    keys = SigningKeys()
    async with service_client(service, tmp_path, keys) as client:
        client.headers.update(keys.headers("admin"))
        yield client


@pytest.fixture
async def crm_app(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _app("crm", tmp_path):
        yield client


@pytest.fixture
async def erp_app(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _app("erp", tmp_path):
        yield client


def _runtime(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime  # type: ignore[attr-defined]


async def _outbox(client: httpx.AsyncClient) -> list[tuple[str, str, str]]:
    runtime = _runtime(client)
    outbox = runtime.tables.outbox
    async with runtime.transactions.read() as session:
        rows = await session.execute(
            select(outbox.c.topic, outbox.c.key, outbox.c.envelope).order_by(outbox.c.id)
        )
        return [(r.topic, r.key, r.envelope) for r in rows]


def _validator(path: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS_DIR / path).read_text()))


def _assert_valid(producer: str, rows: list[tuple[str, str, str]]) -> set[str]:
    envelope_schema = _validator(ENVELOPE_PATH)
    seen = set()
    for topic_name, key, text in rows:
        document = json.loads(text)
        envelope_schema.validate(document)
        envelope = Envelope.model_validate(document)
        event_cls = event_class(envelope.event_type)
        assert envelope.producer == producer == topic(topic_name).producer
        assert topic_name == event_cls.topic and key == envelope.key
        assert envelope.schema_version == event_cls.schema_version
        _validator(schema_path(event_cls)).validate(envelope.payload)
        seen.add(envelope.event_type)
    return seen


async def test_what_crm_publishes_validates_against_the_schemas(
    crm_app: httpx.AsyncClient,
) -> None:
    from crm.catalog.models import CatalogProduct

    product_id = uuid.uuid4()
    async with _runtime(crm_app).transactions.begin() as uow:
        uow.session.add(
            CatalogProduct(
                product_id=product_id, sku="PUMP-1", name="Pump", unit="pcs",
                list_price=Decimal("10.00"), currency="EUR", tax_rate=Decimal("0.23"),
                product_type="stocked", warranty_months=0, active=True, revision=1,
                on_hand=5, available=5, stock_revision=1, updated_at=datetime.now(UTC),
            )
        )  # fmt: skip
    account = created(await crm_app.post("/accounts", json={"name": "Northwind"}))
    line = {"product_id": str(product_id), "quantity": 2}
    for _ in range(2):
        order = created(
            await crm_app.post("/orders", json={"account_id": account["id"], "lines": [line]})
        )
        confirmed = await crm_app.post(f"/orders/{order['id']}/confirm")
        assert confirmed.status_code == 200, confirmed.text
    cancelled = await crm_app.post(f"/orders/{order['id']}/cancel", json={"reason": "changed"})
    assert cancelled.status_code == 200, cancelled.text
    seen = _assert_valid("crm", await _outbox(crm_app))
    assert {"AccountRegistered", "OrderConfirmed", "OrderCancelled"} <= seen


async def _as_erp_consumer_would(erp_app: httpx.AsyncClient, event: Event) -> None:
    """Apply a CRM event with ERP's own handlers, in one unit of work, as its consumer does."""
    from erp.events import HANDLERS

    handlers = HANDLERS[type(event)]
    envelope = Envelope.wrap(event, producer="crm")
    async with _runtime(erp_app).transactions.begin() as uow:
        for handler in handlers if isinstance(handlers, list) else [handlers]:
            await handler(uow, event, envelope)


async def test_what_erp_publishes_validates_against_the_schemas(
    erp_app: httpx.AsyncClient,
) -> None:
    from contracts.events.common import OrderLine
    from contracts.events.crm import AccountRegistered, OrderCancelled, OrderConfirmed

    body = {
        "sku": "PUMP-1",
        "name": "Pump",
        "list_price": "10.00",
        "standard_cost": "6.00",
        "tax_rate": "0.23",
    }
    product = created(await erp_app.post("/products", json=body))
    changed = await erp_app.put(
        f"/products/{product['id']}",
        json={**body, "list_price": "12.00", "warranty_months": 24},
        headers={"If-Match": f'"{product["version"]}"'},
    )
    assert changed.status_code == 200, changed.text
    warehouse = created(await erp_app.post("/warehouses", json={"code": "W1", "name": "Main"}))
    receipt = {"product_id": product["id"], "warehouse_id": warehouse["id"], "quantity": 3}
    created(await erp_app.post("/stock/receipts", json=receipt))

    account_id = uuid.uuid4()
    await _as_erp_consumer_would(erp_app, AccountRegistered(account_id=account_id, name="N"))
    for quantity in (5, 2):  # the first is short (and then cancelled), the second fits
        order_id = uuid.uuid4()
        line = OrderLine(
            product_id=product["id"], sku="PUMP-1", quantity=quantity, unit_price=Decimal("12")
        )
        confirmed = OrderConfirmed(
            order_id=order_id, order_number=f"SO-{quantity}", account_id=account_id,
            currency="EUR", lines=[line], total=Decimal(12 * quantity),
            confirmed_at=datetime.now(UTC),
        )  # fmt: skip
        await _as_erp_consumer_would(erp_app, confirmed)
        if quantity == 5:
            cancelled = OrderCancelled(order_id=order_id, account_id=account_id)
            await _as_erp_consumer_would(erp_app, cancelled)
    seen = _assert_valid("erp", await _outbox(erp_app))
    assert {
        "ProductPublished",
        "StockLevelChanged",
        "StockReservationFailed",
        "StockReleased",
        "StockReserved",
    } <= seen


def _consumed(service: str) -> list[type[Event]]:
    return list(importlib.import_module(f"{service}.events").HANDLERS)


@pytest.mark.parametrize("service", SERVICES)
def test_every_consumed_event_type_is_published_by_some_service(service: str) -> None:
    for event_cls in _consumed(service):
        assert event_class(event_cls.event_type) is event_cls, "registered in contracts"
        producer = topic(event_cls.topic).producer
        assert producer in SERVICES, f"{event_cls.event_type}: nobody produces {event_cls.topic}"
        assert (SCHEMAS_DIR / schema_path(event_cls)).exists(), "its schema is published"
        constructed = f"{event_cls.event_type}("
        assert any(constructed in path.read_text() for path in SOURCES[producer].rglob("*.py")), (
            f"{service} consumes {event_cls.event_type}, but {producer} never publishes it"
        )
