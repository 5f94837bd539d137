"""A write the database aborted for a concurrent one (deadlock) is run again, not a 500."""

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy.exc import DBAPIError

from contracts.http.conflict_retry import ConflictRetryMiddleware
from contracts.http.problems import install_problem_handlers

pytestmark = pytest.mark.asyncio


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def _app(failures: list[str]) -> tuple[FastAPI, list[bytes]]:
    """An endpoint that fails with the given SQLSTATEs, one per call, then succeeds."""
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(ConflictRetryMiddleware)
    bodies: list[bytes] = []

    @app.post("/things")
    async def write(request: Request) -> dict[str, int]:
        bodies.append(await request.body())
        if failures:
            raise DBAPIError("INSERT ...", {}, _DriverError(failures.pop(0)))
        return {"calls": len(bodies)}

    return app, bodies


async def _post(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/things", json={"name": "pump"})


async def test_a_deadlock_victim_is_run_again_with_the_same_body() -> None:
    app, bodies = _app(["40P01", "40001"])
    answer = await _post(app)
    assert answer.status_code == 200
    assert answer.json() == {"calls": 3}
    assert bodies == [b'{"name":"pump"}'] * 3


async def test_other_database_errors_are_not_retried() -> None:
    app, bodies = _app(["23505"])  # a unique violation is the request's own problem
    answer = await _post(app)
    assert answer.status_code == 500
    assert len(bodies) == 1


async def test_retries_are_bounded() -> None:
    app, bodies = _app(["40P01"] * 10)
    answer = await _post(app)
    assert answer.status_code == 500
    assert len(bodies) == 4
