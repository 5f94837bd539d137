"""Every operation of the gateway's merged OpenAPI document (its own, the composed views and
CRM's and ERP's under /api), fuzzed in-process with both services behind it: no server
errors, and responses as documented."""

import httpx
import pytest

from devstack.api_fuzz import fuzz_app
from devstack.testing import SigningKeys

# "METHOD /path" -> why its responses are not checked against the documented schema.
SCHEMA_EXCEPTIONS: dict[str, str] = {}
# "METHOD /path" -> why no request is generated for it.
NOT_SENT = {
    "GET /api/events/stream": (
        "an endless server-sent event stream: the in-process transport waits for the body to "
        "end; the live-stream tests cover it"
    ),
}


async def test_every_gateway_operation_survives_generated_requests(
    gateway: httpx.AsyncClient,
    gateway_keys: SigningKeys,
    capsys: pytest.CaptureFixture[str],
) -> None:
    openapi = (await gateway.get("/openapi.json")).json()
    report = await fuzz_app(
        gateway,
        openapi,
        headers=gateway_keys.headers("admin"),
        max_examples=10,
        schema_exceptions=SCHEMA_EXCEPTIONS,
        not_sent=NOT_SENT,
    )
    with capsys.disabled():
        print("\n" + report.summary("gateway"))
    documented = sum(len(methods) for methods in openapi["paths"].values())
    assert report.cases > 0
    assert len(report.operations) + len(report.not_sent) == documented
    assert not report.failures, "\n".join(report.failures)
