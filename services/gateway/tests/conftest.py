"""Fixtures of the gateway's own tests: the gateway in-process, with CRM and ERP in-process
behind it (each on its own throwaway database), so every call crosses the real apps."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway_support import ADMIN_PASSWORD, GatewayFactory, password_token

from devstack.testing import SigningKeys, service_client, throwaway_database
from gateway.app import create_app
from gateway.settings import Settings


@pytest.fixture(scope="session")
def gateway_keys() -> SigningKeys:
    return SigningKeys()


@pytest.fixture
async def gateway_factory(
    tmp_path: Path, gateway_keys: SigningKeys
) -> AsyncIterator[GatewayFactory]:
    """Build a gateway client with chosen settings; CRM and ERP run in-process behind it."""
    async with AsyncExitStack() as stack:
        crm = await stack.enter_async_context(service_client("crm", tmp_path, gateway_keys))
        erp = await stack.enter_async_context(service_client("erp", tmp_path, gateway_keys))

        async def build(**overrides: Any) -> httpx.AsyncClient:
            url = stack.enter_context(throwaway_database("gateway", tmp_path))
            values: dict[str, Any] = {
                "database_url": url,
                "jwt_private_key": gateway_keys.private_pem,
                "bootstrap_admin_password": ADMIN_PASSWORD,
                "run_event_stream": False,
                "rate_limit_per_minute": 0,
            }
            settings = Settings(**(values | overrides))
            app = create_app(
                settings,
                crm_transport=httpx.ASGITransport(app=crm.app),  # type: ignore[attr-defined]
                erp_transport=httpx.ASGITransport(app=erp.app),  # type: ignore[attr-defined]
            )
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")
            client.app = app  # type: ignore[attr-defined]
            client.crm = crm  # type: ignore[attr-defined]
            client.erp = erp  # type: ignore[attr-defined]
            await stack.enter_async_context(client)
            return client

        yield build


@pytest.fixture
async def gateway(gateway_factory: GatewayFactory) -> httpx.AsyncClient:
    """The gateway with default settings (rate limiting off); no token set."""
    return await gateway_factory()


@pytest.fixture
async def admin_headers(gateway: httpx.AsyncClient) -> dict[str, str]:
    token = await password_token(gateway, "admin", ADMIN_PASSWORD)
    return {"Authorization": f"Bearer {token['access_token']}"}
