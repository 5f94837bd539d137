"""The permission matrix, enforced: every endpoint of CRM, ERP and the gateway, every role.

Each endpoint declares its permission with ``require(...)``; this walks the apps' routes,
finds it, and calls the endpoint with a token of each role: the answer is the matrix's 403
exactly when contracts.access denies the permission, and never 401/403 when it allows it.
"""

import re
import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from contracts.access import AREAS, Role, allows
from devstack import testing

# Endpoints anyone may call.
PUBLIC = {("GET", "/healthz"), ("GET", "/readyz"), ("POST", "/auth/token")}
PUBLIC |= {("GET", "/openapi.json"), ("GET", "/docs")}
# The Prometheus scrape endpoint (kept off the public network by deployment) and the static
# operations console page, whose data calls go to the ops API with the operator's token.
PUBLIC |= {("GET", "/metrics"), ("GET", "/ops"), ("GET", "/ops/assets/{name}")}
# Endpoints any valid token may call, because what they show is filtered per caller, or the
# owning service checks the permission itself (the passthrough).
AUTHENTICATED = {
    ("gateway", "GET", "/me"),
    ("gateway", "GET", "/api/events/stream"),
    *(("gateway", m, "/api/{path:path}") for m in ("GET", "POST", "PUT", "PATCH", "DELETE")),
}
DENIED = "Your roles do not grant"
PERMISSIONS = {f"{a}:{m}" for a in AREAS for m in ("read", "write")}


def permission_of(dependant: Dependant) -> str | None:
    for dependency in dependant.dependencies:
        found = getattr(dependency.call, "permission", None) or permission_of(dependency)
        if found:
            return str(found)
    return None


def api_routes(app: FastAPI) -> list[tuple[str, set[str], Dependant]]:
    """(path, methods, dependant) of every API route, with the prefixes of included routers."""
    try:  # newer FastAPI keeps included routers lazily; this flattens them
        from fastapi.routing import iter_route_contexts  # type: ignore[attr-defined]
    except ImportError:
        return [
            (r.path, set(r.methods), r.dependant) for r in app.routes if isinstance(r, APIRoute)
        ]
    out = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            dependant = getattr(context, "dependant", None) or context.original_route.dependant
            out.append((context.path, set(context.methods or ()), dependant))
    return out


def endpoints(app: FastAPI) -> list[tuple[str, str, str | None]]:
    return [
        (method, path, permission_of(dependant))
        for path, methods, dependant in api_routes(app)
        for method in sorted(methods)
    ]


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


async def call(client: httpx.AsyncClient, method: str, path: str, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "If-Match": '"0"'}
    body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
    return await client.request(method, concrete(path), json=body, headers=headers)


async def test_every_endpoint_declares_a_permission_and_enforces_the_matrix(
    gateway: httpx.AsyncClient, gateway_keys: testing.SigningKeys
) -> None:
    clients = {
        "crm": gateway.crm,  # type: ignore[attr-defined]
        "erp": gateway.erp,  # type: ignore[attr-defined]
        "gateway": gateway,
    }
    tokens = {
        role: gateway_keys.token(
            role.value,
            subject=f"matrix-{role.value}",
            account_id=uuid.uuid4() if role is Role.CUSTOMER else None,
        )
        for role in Role
    }
    undeclared, unknown, violations = [], [], []
    checked = 0
    for service, client in clients.items():
        for method, path, permission in endpoints(client.app):
            if (method, path) in PUBLIC or (service, method, path) in AUTHENTICATED:
                continue
            if permission is None:
                undeclared.append(f"{service} {method} {path}")
                continue
            if permission not in PERMISSIONS:
                unknown.append(f"{service} {method} {path}: {permission}")
                continue
            for role, token in tokens.items():
                response = await call(client, method, path, token)
                refused = response.status_code == 403 and DENIED in response.text
                expected_refusal = not allows([role.value], permission)
                if response.status_code == 401 or refused != expected_refusal:
                    violations.append(
                        f"{service} {method} {path} ({permission}) as {role.value}: "
                        f"{response.status_code} {response.text[:120]}"
                    )
                checked += 1
    assert not undeclared, "endpoints without require(...):\n" + "\n".join(undeclared)
    assert not unknown, "permissions outside contracts.access:\n" + "\n".join(unknown)
    assert not violations, "matrix not enforced:\n" + "\n".join(violations)
    assert checked >= len(Role) * 20  # the walk really found the services' endpoints


async def test_the_authenticated_only_endpoints_still_need_a_valid_token(
    gateway: httpx.AsyncClient,
) -> None:
    for _, method, path in AUTHENTICATED:
        target = "/api/orders" if "{path:path}" in path else path
        response = await gateway.request(method, target)
        assert response.status_code == 401, (method, path, response.status_code)
