"""One OpenAPI document for the whole API, and a passthrough owner for every resource."""

import httpx
from openapi_spec_validator import validate
from test_gateway_permission_matrix import api_routes

from gateway.passthrough import OWNERS
from gateway.upstream import Upstream

SERVICE_ONLY = {"healthz", "readyz", "metrics", "ops", "docs", "openapi.json", ""}


async def test_the_merged_document_is_valid_openapi_with_every_service_operation(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    validate(doc)
    assert doc["openapi"].startswith("3.")
    assert "x-missing" not in doc
    paths = doc["paths"]
    for path, method in [
        ("/auth/token", "post"),
        ("/admin/users", "post"),
        ("/api/orders/{order_id}", "get"),  # the composed view, not CRM's plain order
        ("/api/customers/{account_id}/360", "get"),
        ("/api/dashboard", "get"),
        ("/api/cases/{case_id}/trace", "get"),
        ("/api/events/stream", "get"),
        ("/api/orders", "post"),  # CRM's, under /api
        ("/api/orders/{order_id}/confirm", "post"),
        ("/api/accounts", "get"),
        ("/api/warehouses", "post"),  # ERP's
        ("/api/stock/levels", "get"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path} is not documented"
    assert paths["/api/orders/{order_id}"]["get"]["tags"] == ["composed views"]
    operation_ids = [
        op["operationId"] for item in paths.values() for op in item.values() if "operationId" in op
    ]
    assert len(operation_ids) == len(set(operation_ids))
    schemas = doc["components"]["schemas"]
    assert "Problem" in schemas and not {"CrmProblem", "ErpProblem"} & set(schemas)
    assert any(name.startswith("Crm") for name in schemas)
    assert any(name.startswith("Erp") for name in schemas)
    assert "/healthz" in paths and "/api/healthz" not in paths


async def test_the_document_says_which_service_is_missing(gateway: httpx.AsyncClient) -> None:
    state = gateway.app.state  # type: ignore[attr-defined]
    state.erp = Upstream("erp", "http://127.0.0.1:9", 1.0)  # nothing listens there
    doc = (await gateway.get("/openapi.json")).json()
    await state.erp.close()
    assert doc["x-missing"] == ["erp"]
    assert "/api/orders/{order_id}/confirm" in doc["paths"]  # CRM's part is still there


def test_every_resource_prefix_of_crm_and_erp_has_its_owner(gateway: httpx.AsyncClient) -> None:
    for service in ("crm", "erp"):
        app = getattr(gateway, service).app
        prefixes = {path.strip("/").split("/")[0] for path, _, _ in api_routes(app)}
        for prefix in sorted(prefixes - SERVICE_ONLY):
            assert OWNERS.get(prefix) == service, f"/api/{prefix}/... does not reach {service}"
