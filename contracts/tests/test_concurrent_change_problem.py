"""A write refused by optimistic locking answers 409 with a problem body, not a 500."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.orm.exc import StaleDataError

from contracts.http.problems import install_problem_handlers

pytestmark = pytest.mark.asyncio


async def test_a_stale_write_is_a_retryable_conflict() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def change() -> None:
        raise StaleDataError("UPDATE statement on table 'things' expected to update 1 row(s)")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.post("/things")
    assert answer.status_code == 409
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"].endswith("concurrent-change")
    assert answer.headers["retry-after"] == "1"
