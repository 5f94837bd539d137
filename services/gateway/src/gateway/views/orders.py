import asyncio
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from contracts.http.auth import Principal
from contracts.http.problems import problem_response
from gateway.deps import require
from gateway.upstream import Part, Upstream

router = APIRouter(prefix="/api", tags=["composed views"])


def _missing(parts: dict[str, Part]) -> list[dict[str, Any]]:
    return [
        {"part": name, "status": p.status, "reason": p.error}
        for name, p in parts.items()
        if not p.ok
    ]


@router.get("/orders/{order_id}", summary="Order tracking: CRM's order with ERP's fulfilment")
async def track_order(
    order_id: uuid.UUID,
    request: Request,
    _: Annotated[Principal, Depends(require("orders:read"))],
) -> JSONResponse:
    crm: Upstream = request.app.state.crm
    erp: Upstream = request.app.state.erp
    authorization = request.headers.get("authorization")
    order, fulfilment = await asyncio.gather(
        crm.get(f"/orders/{order_id}", authorization),
        erp.get(f"/fulfilment/orders/{order_id}", authorization),
    )
    if not order.ok and order.status == 404:
        return problem_response(404, "Not found", f"order {order_id} does not exist")
    customer = Part(ok=False, status=0, error="order unavailable")
    if order.ok:
        customer = await crm.get(f"/accounts/{order.data['account_id']}", authorization)
    if not fulfilment.ok and fulfilment.status == 404:
        # Not a failure: ERP has not yet received the order (or it is still a draft).
        fulfilment = Part(ok=True, status=200, data=None)
    parts = {"order": order, "customer": customer, "fulfilment": fulfilment}
    body = {name: p.data if p.ok else None for name, p in parts.items()}
    body["missing"] = _missing(parts)
    return JSONResponse(body)
