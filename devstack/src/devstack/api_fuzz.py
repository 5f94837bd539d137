"""Schema-driven fuzzing of an app's OpenAPI operations, in-process and repeatable.

Schemathesis generates the requests from the app's own OpenAPI document (a fixed number per
operation, derandomized so every run sends the same ones); the requests go through an
``httpx.AsyncClient`` bound to the app, and each response is checked: never a server error,
and, unless the operation is listed as a known exception, conforming to its documented schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import response_schema_conformance


@dataclass
class FuzzReport:
    operations: list[str] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)
    cases: int = 0
    failures: list[str] = field(default_factory=list)

    def summary(self, name: str) -> str:
        line = f"{name}: fuzzed {len(self.operations)} operations with {self.cases} cases"
        return line + (
            f" ({len(self.not_sent)} not sent: {self.not_sent})" if self.not_sent else ""
        )


def generated_cases(operation: Any, max_examples: int) -> list[Case]:
    """The cases hypothesis draws for ``operation``, the same ones on every run."""
    drawn: list[Case] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def collect(case: Case) -> None:
        drawn.append(case)

    collect()
    return drawn


def _request_arguments(case: Case) -> dict[str, Any]:
    arguments = case.as_transport_kwargs(base_url="")
    request: dict[str, Any] = {
        "method": arguments["method"],
        "url": arguments["url"],
        "params": arguments.get("params") or None,
        "headers": {k: str(v) for k, v in (arguments.get("headers") or {}).items()},
    }
    if "json" in arguments:
        request["json"] = arguments["json"]
    elif arguments.get("data") is not None:
        data = arguments["data"]
        if isinstance(data, bytes | str):
            request["content"] = data
        else:
            request["data"] = data
    return request


async def fuzz_app(
    client: httpx.AsyncClient,
    openapi: Mapping[str, Any],
    *,
    headers: Mapping[str, str],
    max_examples: int,
    schema_exceptions: Mapping[str, str] | None = None,
    not_sent: Mapping[str, str] | None = None,
) -> FuzzReport:
    """Send every operation of ``openapi`` ``max_examples`` generated requests via ``client``.

    ``schema_exceptions`` maps "METHOD /path" to the reason its responses are not (yet)
    checked against the documented schema; they are still checked for server errors.
    ``not_sent`` maps "METHOD /path" to the reason no request is generated for it (e.g. an
    endless event stream, which an in-process transport would wait on forever).
    """
    schema = schemathesis.openapi.from_dict(dict(openapi))
    exceptions = dict(schema_exceptions or {})
    skipped = dict(not_sent or {})
    report = FuzzReport()
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if label in skipped:
            report.not_sent.append(label)
            continue
        report.operations.append(label)
        checks = [not_a_server_error]
        if label not in exceptions:
            checks.append(response_schema_conformance)
        for case in generated_cases(operation, max_examples):
            case.headers = {**(case.headers or {}), **headers}
            arguments = _request_arguments(case)
            report.cases += 1
            try:
                response = await client.request(**arguments)
            except Exception as crash:  # an unhandled error in the app: a server error
                shown = {k: v for k, v in arguments.items() if k != "headers"}
                report.failures.append(f"{label} crashed on {shown}: {crash!r}"[:2000])
                continue
            try:
                case.validate_response(response, checks=checks)
            except AssertionError as failure:
                report.failures.append(f"{label} -> {response.status_code}: {failure}"[:2000])
    unknown = (set(exceptions) - set(report.operations)) | (set(skipped) - set(report.not_sent))
    assert not unknown, f"schema exceptions name no operation: {sorted(unknown)}"
    return report
