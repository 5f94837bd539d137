"""Fixtures of erp's own tests: the real app in-process on a throwaway database."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from devstack.testing import SigningKeys, service_client


@pytest.fixture(scope="session")
def keys() -> SigningKeys:
    return SigningKeys()


@pytest.fixture
async def client(tmp_path: Path, keys: SigningKeys) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("erp", tmp_path, keys) as client:
        client.headers.update(keys.headers("admin"))
        yield client
