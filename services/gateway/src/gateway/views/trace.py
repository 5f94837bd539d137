"""Complaint trace: a case, its order, the lots shipped for it, and where each lot came from."""

import asyncio
import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from contracts.http.auth import Principal
from contracts.http.problems import problem_response
from gateway.deps import require
from gateway.upstream import Upstream
from gateway.views.parts import Source, compose, fetch, items
from gateway.views.schemas import CaseTrace

router = APIRouter(prefix="/api", tags=["composed views"])


@router.get(
    "/cases/{case_id}/trace",
    response_model=CaseTrace,
    summary="Complaint trace: the case's order, the shipped lots, and each lot's origin",
    description=(
        "Follows a case to its order (CRM), the order's shipments and their lots (ERP), and "
        "each lot's origin: its goods receipt and supplier, or the work order that made it."
    ),
)
async def trace_case(
    case_id: uuid.UUID,
    request: Request,
    caller: Annotated[Principal, Depends(require("service:read"))],
) -> JSONResponse:
    case_source = {"case": Source("crm", f"/cases/{case_id}", "service:read")}
    first = await fetch(request, caller, case_source)
    case = first["case"]
    if case.status == 404:
        return problem_response(404, "Not found", f"case {case_id} does not exist")
    order_id = case.data.get("order_id") if case.ok and isinstance(case.data, dict) else None
    sources: dict[str, Source] = dict(case_source)
    parts = dict(first)
    if order_id:
        sources |= {
            "order": Source("crm", f"/orders/{order_id}", "orders:read"),
            "shipments": Source(
                "erp", "/shipments", "inventory:read", {"order_id": str(order_id)}, True
            ),
        }
        parts |= await fetch(request, caller, {k: sources[k] for k in ("order", "shipments")})
    body = compose(sources, parts)
    shipped = items(parts["shipments"]) if "shipments" in parts else []
    body["lots"] = await _origins(request, _shipped_lots(shipped), body)
    return JSONResponse(body)


def _shipped_lots(shipments: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """(lot, product id) of every lot shipped, in order, each once."""
    lots: list[tuple[str, str | None]] = []
    for shipment in shipments:
        for line in shipment.get("lines", []):
            # A line names its lot, or (as in ShipmentDispatched) the lots it drew from.
            named = [line.get("lot")] + [part.get("lot") for part in line.get("lots", [])]
            for lot in named:
                if lot and (lot, line.get("product_id")) not in lots:
                    lots.append((lot, line.get("product_id")))
    return lots


async def _origins(
    request: Request, lots: list[tuple[str, str | None]], body: dict[str, Any]
) -> list[dict[str, Any]]:
    if not lots:
        return []
    erp: Upstream = request.app.state.erp
    authorization = request.headers.get("authorization")
    timeout = request.app.state.settings.upstream_timeout_seconds
    found = await asyncio.gather(
        *(
            erp.get(
                f"/lots/{quote(lot, safe='')}/trace",
                authorization,
                {"product_id": product} if product else None,
                timeout,
            )
            for lot, product in lots
        )
    )
    out = []
    for (lot, product), part in zip(lots, found, strict=True):
        out.append({"lot": lot, "product_id": product, "origin": part.data if part.ok else None})
        if not part.ok:
            body["missing"].append(
                {"part": f"lots.{lot}", "status": part.status, "reason": part.error}
            )
    return out
