"""Order tracking: CRM's order with everything ERP did about it."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from contracts.http.auth import Principal
from contracts.http.problems import problem_response
from gateway.deps import require
from gateway.upstream import Part
from gateway.views.parts import Source, compose, fetch
from gateway.views.schemas import OrderTracking

router = APIRouter(prefix="/api", tags=["composed views"])

EXAMPLE = {
    "order": {"id": "6f1c...", "status": "reserved", "account_id": "9b2e..."},
    "customer": {"id": "9b2e...", "name": "Nordwind GmbH"},
    "fulfilment": {"status": "reserved", "reservations": [], "backorders": []},
    "purchase_orders": {"items": []},
    "shipments": {"items": []},
    "invoices": {"items": []},
    "missing": [{"part": "shipments", "status": 503, "reason": "erp is unavailable"}],
    "withheld": [],
    "not_offered": [],
}


@router.get(
    "/orders/{order_id}",
    response_model=OrderTracking,
    summary="Order tracking: CRM's order with ERP's fulfilment, purchasing, shipping, billing",
    description=(
        "Parts are fetched concurrently, each with a timeout.  A part that could not be fetched "
        "is null and listed in `missing`; parts the caller's roles do not grant are listed in "
        "`withheld`.  Invoices carry their payment status."
    ),
    responses={200: {"content": {"application/json": {"example": EXAMPLE}}}},
)
async def track_order(
    order_id: uuid.UUID,
    request: Request,
    caller: Annotated[Principal, Depends(require("orders:read"))],
) -> JSONResponse:
    sources = {
        "order": Source("crm", f"/orders/{order_id}", "orders:read"),
        "fulfilment": Source("erp", f"/fulfilment/orders/{order_id}", "orders:read"),
        "purchase_orders": Source(
            "erp", "/purchase-orders", "purchasing:read", {"for_order_id": str(order_id)}, True
        ),
        "shipments": Source(
            "erp", "/shipments", "inventory:read", {"order_id": str(order_id)}, True
        ),
        "invoices": Source("erp", "/invoices", "finance:read", {"order_id": str(order_id)}, True),
    }
    parts = await fetch(request, caller, sources)
    order = parts["order"]
    if order.status == 404 or (
        order.ok and caller.is_customer and order.data["account_id"] != str(caller.account_id)
    ):
        return problem_response(404, "Not found", f"order {order_id} does not exist")
    if parts["fulfilment"].status == 404:
        # Not a failure: ERP has not yet received the order (or it is still a draft).
        parts["fulfilment"] = Part(ok=True, status=200, data=None)
    account = {
        "customer": Source(
            "crm",
            f"/accounts/{order.data['account_id']}" if order.ok else "/accounts/-",
            "accounts:read",
        )
    }
    if order.ok:
        parts.update(await fetch(request, caller, account))
    else:
        parts["customer"] = Part(ok=False, status=0, error="order unavailable")
    return JSONResponse(compose({**sources, **account}, parts))
