"""Security headers, CORS from settings, the request size limit and per-client rate limits."""

import httpx
from gateway_support import GatewayFactory

from devstack import testing


async def test_api_and_docs_answer_with_security_headers(gateway: httpx.AsyncClient) -> None:
    api = await gateway.get("/healthz")
    assert api.headers["strict-transport-security"].startswith("max-age=")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.headers["x-frame-options"] == "DENY"
    assert api.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in api.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in api.headers["content-security-policy"]
    docs = await gateway.get("/docs")
    assert docs.status_code == 200
    assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    refused = await gateway.get("/me")  # problems carry them too
    assert refused.status_code == 401 and refused.headers["x-frame-options"] == "DENY"


async def test_cors_allows_only_the_configured_origins(gateway_factory: GatewayFactory) -> None:
    gateway = await gateway_factory(cors_origins=["https://app.example.com"])
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = await gateway.options(
        "/api/orders", headers={"Origin": "https://app.example.com", **preflight}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    other = await gateway.options(
        "/api/orders", headers={"Origin": "https://evil.example.com", **preflight}
    )
    assert "access-control-allow-origin" not in other.headers


async def test_a_body_over_the_limit_is_refused_with_413(
    gateway_factory: GatewayFactory, gateway_keys: testing.SigningKeys
) -> None:
    gateway = await gateway_factory(max_request_bytes=1000)
    headers = gateway_keys.headers("admin")
    declared = await gateway.post("/api/warehouses", content=b"x" * 2000, headers=headers)
    assert declared.status_code == 413
    assert declared.headers["content-type"] == "application/problem+json"

    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(5):
            yield b"y" * 400

    streamed = await gateway.post("/api/warehouses", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    small = await gateway.post(
        "/api/warehouses", json={"code": "W1", "name": "Main"}, headers=headers
    )
    assert small.status_code == 201


async def test_each_client_has_its_own_rate_limit(
    gateway_factory: GatewayFactory, gateway_keys: testing.SigningKeys
) -> None:
    gateway = await gateway_factory(rate_limit_per_minute=3)
    alice = gateway_keys.headers("sales", subject="alice")
    codes = [(await gateway.get("/me", headers=alice)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = await gateway.get("/me", headers=alice)
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["retry-after"]) >= 1
    bob = gateway_keys.headers("sales", subject="bob")
    assert (await gateway.get("/me", headers=bob)).status_code == 200
    # Anonymous callers share their IP's budget; a forged token does not name a client.
    forged = {"Authorization": f"Bearer {testing.SigningKeys().token('admin', subject='bob')}"}
    anonymous = [(await gateway.get("/me", headers=forged)).status_code for _ in range(4)]
    assert anonymous == [401, 401, 401, 429]
    assert (await gateway.get("/healthz")).status_code == 200  # probes are never limited
