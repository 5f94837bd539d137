from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from delivery_support import delivery_metadata
from sqlalchemy import Table

from contracts.runtime import DeliveryTables, Transactions
from contracts.runtime.database import make_engine, make_sessions
from devstack.stack import Broker, free_port
from devstack.testing import empty_database


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    broker = Broker(free_port(), tmp_path_factory.mktemp("broker") / "broker.log")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    with empty_database("contracts", tmp_path) as url:
        yield url


@pytest.fixture
async def delivery(database_url: str) -> AsyncIterator[tuple[Transactions, DeliveryTables, Table]]:
    metadata, tables, effects = delivery_metadata()
    engine = make_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield Transactions(make_sessions(engine), tables, producer="test"), tables, effects
    await engine.dispose()
