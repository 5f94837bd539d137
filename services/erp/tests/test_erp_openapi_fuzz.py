"""Every operation of ERP's OpenAPI document, fuzzed in-process: no server errors, and
responses as documented."""

import httpx
import pytest

from devstack.api_fuzz import fuzz_app
from devstack.testing import SigningKeys

# "METHOD /path" -> why its responses are not checked against the documented schema.
SCHEMA_EXCEPTIONS: dict[str, str] = {}


async def test_every_erp_operation_survives_generated_requests(
    client: httpx.AsyncClient, keys: SigningKeys, capsys: pytest.CaptureFixture[str]
) -> None:
    openapi = client.app.openapi()  # type: ignore[attr-defined]
    report = await fuzz_app(
        client,
        openapi,
        headers=keys.headers("admin"),
        max_examples=15,
        schema_exceptions=SCHEMA_EXCEPTIONS,
    )
    with capsys.disabled():
        print("\n" + report.summary("erp"))
    documented = sum(len(methods) for methods in openapi["paths"].values())
    assert report.cases > 0 and len(report.operations) == documented
    assert not report.failures, "\n".join(report.failures)
