"""One OpenAPI document for the whole public API: the gateway's own operations plus CRM's
and ERP's, as the gateway exposes them under /api.

The services' documents are fetched and merged on request (cached for a while): paths get the
/api prefix, operation ids and schema names get the service's namespace (schemas identical to
the gateway's own, such as Problem, are shared), and the gateway's composed views win where
they replace a service's operation.  A service that is down is listed in ``x-missing``.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.upstream import Upstream

SERVICES = ("crm", "erp")
SKIPPED_PATHS = ("/healthz", "/readyz")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REF = "#/components/schemas/"

router = APIRouter(include_in_schema=False)


def _rewrite_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF):
                out[key] = REF + names.get(value.removeprefix(REF), value.removeprefix(REF))
            else:
                out[key] = _rewrite_refs(value, names)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, names) for v in node]
    return node


def merge(gateway: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The gateway's document with each service's operations added under /api."""
    doc = copy.deepcopy(gateway)
    paths: dict[str, Any] = doc.setdefault("paths", {})
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    tags: list[dict[str, Any]] = doc.setdefault("tags", [])
    for service, spec in services.items():
        prefix = service.capitalize()
        theirs = spec.get("components", {}).get("schemas", {})
        names = {
            name: name if schemas.get(name) == schema else f"{prefix}{name}"
            for name, schema in theirs.items()
        }
        for name, schema in theirs.items():
            schemas.setdefault(names[name], _rewrite_refs(schema, names))
        for path, item in spec.get("paths", {}).items():
            if path in SKIPPED_PATHS:
                continue
            target = paths.setdefault("/api" + path, {})
            for method, operation in item.items():
                if method not in METHODS or method in target:
                    continue  # the gateway's own operation (a composed view) wins
                operation = _rewrite_refs(operation, names)
                if "operationId" in operation:
                    operation["operationId"] = f"{service}_{operation['operationId']}"
                tags_of = operation.get("tags") or []
                operation["tags"] = [f"{service}: {t}" for t in tags_of] or [service]
                target[method] = operation
        seen = {t["name"] for t in tags}
        for tag in spec.get("tags", []):
            name = f"{service}: {tag['name']}"
            if name not in seen:
                tags.append({**tag, "name": name})
    return doc


class OpenApiDocument:
    def __init__(self, app: FastAPI, cache_seconds: float) -> None:
        self.app = app
        self.cache_seconds = cache_seconds
        self._doc: dict[str, Any] | None = None
        self._at = 0.0

    async def get(self) -> dict[str, Any]:
        if self._doc is not None and time.monotonic() - self._at < self.cache_seconds:
            return self._doc
        found: dict[str, dict[str, Any]] = {}
        missing: list[str] = []
        for service in SERVICES:
            upstream: Upstream = getattr(self.app.state, service)
            part = await upstream.get("/openapi.json", None)
            if part.ok and isinstance(part.data, dict):
                found[service] = part.data
            else:
                missing.append(service)
        doc = merge(self.app.openapi(), found)
        if missing:
            doc["x-missing"] = missing  # not cached: the next request tries again
            return doc
        self._doc, self._at = doc, time.monotonic()
        return doc


@router.get("/openapi.json")
async def openapi_document(request: Request) -> JSONResponse:
    document: OpenApiDocument = request.app.state.openapi_document
    return JSONResponse(await document.get())


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{request.app.title} docs")
