"""The log format, and readiness that explains itself without flapping."""

import json
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from delivery_support import Ticked, delivery_metadata
from fastapi import FastAPI

from contracts.http.app import service_app
from contracts.observability.logs import JsonFormatter, TextFormatter, configure_logging
from contracts.runtime.context import request_context
from contracts.runtime.service import EventRuntime
from devstack.testing import SigningKeys


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord({"name": "t", "levelno": logging.INFO, "levelname": "INFO"})
    record.msg = message
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_json_line_carries_the_flow_and_the_extra_fields() -> None:
    with request_context(correlation_id="req-42", actor="alice"):
        line = JsonFormatter("crm").format(_record("request", route="/orders/{order_id}"))
    fields = json.loads(line)
    assert fields["service"] == "crm"
    assert fields["message"] == "request"
    assert fields["correlation_id"] == "req-42"
    assert fields["actor"] == "alice"
    assert fields["route"] == "/orders/{order_id}"
    assert fields["level"] == "INFO"
    assert fields["ts"].endswith("+00:00")


def test_explicit_correlation_id_and_service_win_over_the_process_defaults() -> None:
    with request_context(correlation_id="outer"):
        line = JsonFormatter("erp").format(
            _record("event handled", correlation_id="inner", service="crm")
        )
    assert json.loads(line)["correlation_id"] == "inner"
    assert json.loads(line)["service"] == "crm"


def test_an_exception_is_one_json_value() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()
    fields = json.loads(JsonFormatter("crm").format(record))
    assert "ValueError: boom" in fields["exception"]


def test_the_text_format_reads_on_one_line() -> None:
    with request_context(correlation_id="req-7"):
        line = TextFormatter("crm").format(_record("request", status=201))
    assert "request" in line and "correlation_id=req-7" in line and "status=201" in line
    assert "\n" not in line


def test_logging_is_set_up_once_and_takes_over_uvicorn() -> None:
    root = logging.getLogger()
    configure_logging("crm", level="INFO")
    configure_logging("crm", level="INFO", fmt="text")
    ours = [h for h in root.handlers if h.get_name() == "contracts.observability"]
    assert len(ours) == 1
    assert isinstance(ours[0].formatter, TextFormatter)
    assert logging.getLogger("uvicorn.error").propagate
    assert not logging.getLogger("uvicorn.access").propagate
    configure_logging("crm", level="INFO")  # back to the default for the other tests


@pytest.fixture
async def unreachable_broker(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A service whose broker does not exist (port 9 refuses), on a working database."""
    metadata, tables, _ = delivery_metadata()
    runtime = EventRuntime(
        service=f"lonely{uuid.uuid4().hex[:6]}",
        database_url=f"sqlite:///{tmp_path / 'lonely.db'}",
        bootstrap_servers="127.0.0.1:9",
        metadata=metadata,
        tables=tables,
        handlers={Ticked: _ignore},
    )
    app: FastAPI = service_app(
        title="lonely",
        description="",
        version="0",
        runtime=runtime,
        routers=(),
        jwt_public_key=SigningKeys().public_pem,
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def _ignore(*_: object) -> None:
    return None


async def test_a_missing_broker_degrades_readiness_but_keeps_the_pod_in_service(
    unreachable_broker: httpx.AsyncClient,
) -> None:
    reply = await unreachable_broker.get("/readyz")
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["status"] == "degraded"
    checks = body["checks"]
    assert checks["database"] == "ok"
    assert checks["broker"].startswith("degraded: unreachable")
    assert checks["consumer"].startswith("degraded: not connected")


async def test_an_unreachable_database_takes_the_pod_out_of_service(tmp_path: Path) -> None:
    metadata, tables, _ = delivery_metadata()
    runtime = EventRuntime(
        service="nodb",
        database_url=f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}",
        bootstrap_servers="127.0.0.1:9",
        metadata=metadata,
        tables=tables,
        run_relay=False,
        run_consumer=False,
    )
    app = service_app(
        title="nodb",
        description="",
        version="0",
        runtime=runtime,
        routers=(),
        jwt_public_key=SigningKeys().public_pem,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        reply = await client.get("/readyz")
    assert reply.status_code == 503
    assert reply.json()["status"] == "not ready"
    assert reply.json()["checks"]["database"].startswith("unreachable:")
    await runtime.engine.dispose()
