"""Fixtures of crm's own tests: the real app in-process on a throwaway database."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from contracts.envelope import Envelope, Event
from crm.catalog.models import CatalogProduct
from crm.events import HANDLERS
from devstack.testing import SigningKeys, service_client


@pytest.fixture(scope="session")
def keys() -> SigningKeys:
    return SigningKeys()


@pytest.fixture
async def client(tmp_path: Path, keys: SigningKeys) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("crm", tmp_path, keys) as client:
        client.headers.update(keys.headers("admin"))
        yield client


@pytest.fixture
def catalog(client: httpx.AsyncClient) -> Callable[..., Awaitable[uuid.UUID]]:
    """Put a product into CRM's catalog read model, as ERP's events would."""

    async def add(
        price: str = "10.00", *, tax: str = "0.20", warranty_months: int = 0
    ) -> uuid.UUID:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        product_id = uuid.uuid4()
        async with runtime.transactions.begin() as uow:
            uow.session.add(
                CatalogProduct(
                    product_id=product_id,
                    sku=f"S-{product_id.hex[:6]}",
                    name="Valve",
                    unit="pcs",
                    list_price=Decimal(price),
                    currency="EUR",
                    tax_rate=Decimal(tax),
                    product_type="stocked",
                    warranty_months=warranty_months,
                    active=True,
                    revision=1,
                    on_hand=5,
                    available=5,
                    stock_revision=1,
                    updated_at=datetime.now(UTC),
                )
            )
        return product_id

    return add


@pytest.fixture
def deliver(client: httpx.AsyncClient) -> Callable[[Event], Awaitable[None]]:
    """Apply an ERP event with every CRM handler wired for it, in one unit of work: the
    consumer's own path, minus the broker and the inbox."""

    async def apply(event: Event) -> None:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        wired = HANDLERS[type(event)]
        handlers = wired if isinstance(wired, list) else [wired]
        envelope = Envelope.wrap(event, producer="erp")
        async with runtime.transactions.begin() as uow:
            for handler in handlers:
                await handler(uow, event, envelope)

    return apply


@pytest.fixture
def outbox(client: httpx.AsyncClient) -> Callable[[], Awaitable[list[str]]]:
    async def types() -> list[str]:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        table = runtime.tables.outbox
        async with runtime.transactions.read() as session:
            return list(await session.scalars(select(table.c.event_type).order_by(table.c.id)))

    return types


@pytest.fixture
def as_role(client: httpx.AsyncClient, keys: SigningKeys) -> Callable[..., dict[str, str]]:
    """Headers of another caller, e.g. as_role("customer", account_id=...)."""

    def headers(*roles: str, **claims: object) -> dict[str, str]:
        return keys.headers(*roles, **claims)

    return headers
