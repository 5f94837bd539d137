"""Fixtures of crm's own tests: the real app in-process on a throwaway database."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from devstack.testing import TestKeys, service_client


@pytest.fixture(scope="session")
def keys() -> TestKeys:
    return TestKeys()


@pytest.fixture
async def client(tmp_path: Path, keys: TestKeys) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("crm", tmp_path, keys) as client:
        client.headers.update(keys.headers("admin"))
        yield client
