"""Customer 360: everything front and back office know about one account."""

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from contracts.http.auth import Principal
from contracts.http.problems import problem_response
from gateway.deps import require
from gateway.upstream import Part, Upstream
from gateway.views.parts import Source, compose, fetch, items
from gateway.views.schemas import Customer360

router = APIRouter(prefix="/api", tags=["composed views"])

RECENT_ORDERS = 5


@router.get(
    "/customers/{account_id}/360",
    response_model=Customer360,
    summary="Customer 360: account, contacts, opportunities, cases, timeline, AR and fulfilment",
    description=(
        "CRM's account, contacts, open opportunities, cases and timeline, with ERP's credit "
        "standing (balance, overdue, status), invoices, and the fulfilment of the most recent "
        "orders.  Parts that could not be fetched are null and listed in `missing`.  A "
        "customer may only ask about its own account."
    ),
)
async def customer_360(
    account_id: uuid.UUID,
    request: Request,
    caller: Annotated[Principal, Depends(require("accounts:read"))],
) -> JSONResponse:
    if caller.is_customer and caller.account_id != account_id:
        return problem_response(404, "Not found", f"account {account_id} does not exist")
    a = str(account_id)
    sources = {
        "account": Source("crm", f"/accounts/{a}", "accounts:read"),
        "contacts": Source("crm", "/contacts", "accounts:read", {"account_id": a}, True),
        "open_opportunities": Source(
            "crm", "/opportunities", "sales:read", {"account_id": a, "status": "open"}, True
        ),
        "cases": Source("crm", "/cases", "service:read", {"account_id": a}, True),
        "timeline": Source("crm", f"/accounts/{a}/timeline", "accounts:read", {}, True),
        "recent_orders": Source(
            "crm", "/orders", "orders:read", {"account_id": a, "limit": RECENT_ORDERS}, True
        ),
        "credit": Source("erp", f"/customers/{a}", "finance:read", {}, True),
        "invoices": Source("erp", "/invoices", "finance:read", {"account_id": a}, True),
    }
    parts = await fetch(request, caller, sources)
    if parts["account"].status == 404:
        return problem_response(404, "Not found", f"account {account_id} does not exist")
    body = compose(sources, parts)
    body["fulfilment"] = await _fulfilment(request, caller, items(parts["recent_orders"]), body)
    return JSONResponse(body)


async def _fulfilment(
    request: Request, caller: Principal, orders: list[dict[str, object]], body: dict[str, object]
) -> dict[str, object]:
    """ERP's fulfilment of each recent order, keyed by order id."""
    if not caller.may("orders:read") or not orders:
        return {}
    erp: Upstream = request.app.state.erp
    authorization = request.headers.get("authorization")
    timeout = request.app.state.settings.upstream_timeout_seconds
    ids = [str(o["id"]) for o in orders if o.get("status") != "draft"]
    found: list[Part] = await asyncio.gather(
        *(erp.get(f"/fulfilment/orders/{i}", authorization, None, timeout) for i in ids)
    )
    missing = body["missing"]
    assert isinstance(missing, list)
    out: dict[str, object] = {}
    for order_id, part in zip(ids, found, strict=True):
        if part.ok or part.status == 404:
            out[order_id] = part.data if part.ok else None
        else:
            missing.append(
                {"part": f"fulfilment.{order_id}", "status": part.status, "reason": part.error}
            )
    return out
