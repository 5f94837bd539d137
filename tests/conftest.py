"""End-to-end fixtures: one real stack (broker + CRM + ERP + gateway processes) per session."""

import uuid
from collections.abc import Iterator

import httpx
import pytest

from devstack import Stack, StackConfig
from devstack.testing import postgres_url


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(
        StackConfig(
            workdir=tmp_path_factory.mktemp("stack"),
            postgres_url=postgres_url(),
            database_prefix=f"e2e_{uuid.uuid4().hex[:8]}",
        )
    )
    stack.start(fresh=True)
    try:
        yield stack
    finally:
        stack.stop()
        stack.drop_databases()


@pytest.fixture(scope="session")
def api(stack: Stack) -> Iterator[httpx.Client]:
    """An admin's client of the gateway."""
    with httpx.Client(
        base_url=stack.gateway.url, timeout=15, headers={"Authorization": f"Bearer {stack.token()}"}
    ) as client:
        yield client
