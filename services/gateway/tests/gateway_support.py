"""Helpers of the gateway's tests (a uniquely named module: every conftest is 'conftest')."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

ADMIN_PASSWORD = "bootstrap-admin-password"

GatewayFactory = Callable[..., Awaitable[httpx.AsyncClient]]


async def password_token(client: httpx.AsyncClient, username: str, password: str) -> dict[str, Any]:
    response = await client.post(
        "/auth/token", data={"grant_type": "password", "username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]
