"""CRM's and ERP's resource APIs under /api, with the caller's token and correlation id.

Each resource collection belongs to one service; the first path segment says which.
"""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request, Response

from contracts.http.auth import Principal
from contracts.http.problems import problem_response
from gateway.deps import auth
from gateway.upstream import Upstream

OWNERS: dict[str, str] = {
    # CRM: the front office
    "accounts": "crm",
    "contacts": "crm",
    "leads": "crm",
    "opportunities": "crm",
    "activities": "crm",
    "quotes": "crm",
    "orders": "crm",
    "cases": "crm",
    "segments": "crm",
    "campaigns": "crm",
    "catalog": "crm",
    "forecast": "crm",
    "timeline": "crm",
    # ERP: the back office
    "products": "erp",
    "warehouses": "erp",
    "stock": "erp",
    "fulfilment": "erp",
    "shipments": "erp",
    "suppliers": "erp",
    "requisitions": "erp",
    "purchase-orders": "erp",
    "receipts": "erp",
    "invoices": "erp",
    "payments": "erp",
    "customers": "erp",
    "ledger": "erp",
    "reports": "erp",
    "supplier-bills": "erp",
    "boms": "erp",
    "work-orders": "erp",
    "mrp": "erp",
    "lots": "erp",
    "employees": "erp",
    "commissions": "erp",
}

FORWARDED_REQUEST_HEADERS = ("content-type", "accept", "if-match", "idempotency-key")
FORWARDED_RESPONSE_HEADERS = ("content-type", "etag", "location")

router = APIRouter(prefix="/api", tags=["passthrough"])


@router.api_route(
    "/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
async def passthrough(
    path: str, request: Request, _: Annotated[Principal, Depends(auth.principal())]
) -> Response:
    segment = path.split("/", 1)[0]
    owner = OWNERS.get(segment)
    if owner is None:
        return problem_response(404, "Not found", f"no API resource is called {segment!r}")
    upstream: Upstream = getattr(request.app.state, owner)
    headers = {h: request.headers[h] for h in FORWARDED_REQUEST_HEADERS if h in request.headers}
    try:
        reply = await upstream.forward(
            request.method,
            "/" + path,
            authorization=request.headers.get("authorization"),
            headers=headers,
            params=request.query_params.multi_items(),
            content=await request.body(),
        )
    except httpx.HTTPError:
        return problem_response(
            503,
            "Service unavailable",
            f"{owner.upper()} is not answering; try again shortly.",
            type_slug="upstream-unavailable",
            headers={"Retry-After": "5"},
        )
    out = {h: reply.headers[h] for h in FORWARDED_RESPONSE_HEADERS if h in reply.headers}
    return Response(reply.content, status_code=reply.status_code, headers=out)
