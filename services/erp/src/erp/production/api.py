"""Production over HTTP: bills of materials, MRP runs and lot traces.

Work orders have their own router (``work_order_api``).
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Response
from sqlalchemy import select

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from erp.deps import Tx, require
from erp.production import mrp, service, traceability
from erp.production.models import Bom, BomLine, MrpRun
from erp.production.schemas import (
    BomIn,
    BomLinesIn,
    BomOut,
    ExplosionOut,
    LotTraceOut,
    MrpRunIn,
    MrpRunOut,
)

router = APIRouter(tags=["production"])
Read = Annotated[Principal, Depends(require("production:read"))]
Write = Annotated[Principal, Depends(require("production:write"))]


@router.post("/boms", status_code=201, response_model=BomOut)
async def create_bom(body: BomIn, response: Response, tx: Tx, _: Write) -> Bom:
    """Say how a manufactured product is made; a BOM that would contain itself is refused."""
    async with tx.begin() as uow:
        bom = await service.create_bom(uow, body)
    response.headers["ETag"] = etag(bom.version)
    response.headers["Location"] = f"/boms/{bom.id}"
    return bom


@router.get("/boms", response_model=Page[BomOut])
async def list_boms(
    tx: Tx,
    _: Read,
    product_id: uuid.UUID | None = None,
    component_id: Annotated[
        uuid.UUID | None, Query(description="Only BOMs using this component (where-used).")
    ] = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "updated_at"))
    stmt = select(Bom)
    if product_id:
        stmt = stmt.where(Bom.product_id == product_id)
    if component_id:
        stmt = stmt.where(
            Bom.id.in_(select(BomLine.bom_id).where(BomLine.component_id == component_id))
        )
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Bom, order.field),
            id_column=Bom.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/boms/{bom_id}", response_model=BomOut)
async def get_bom(bom_id: uuid.UUID, response: Response, tx: Tx, _: Read) -> Bom:
    async with tx.read() as session:
        bom = await service.get_bom(session, bom_id)
    response.headers["ETag"] = etag(bom.version)
    return bom


@router.put("/boms/{bom_id}/lines", response_model=BomOut)
async def replace_bom_lines(
    bom_id: uuid.UUID,
    body: BomLinesIn,
    response: Response,
    tx: Tx,
    _: Write,
    if_match: IfMatch = None,
) -> Bom:
    """New components (If-Match: the ETag read); open work orders keep their old needs."""
    async with tx.begin() as uow:
        bom = await service.replace_bom_lines(uow, bom_id, body, expected_version(if_match))
    response.headers["ETag"] = etag(bom.version)
    return bom


@router.get("/boms/{bom_id}/explosion", response_model=ExplosionOut)
async def explode_bom(
    bom_id: uuid.UUID,
    tx: Tx,
    _: Read,
    quantity: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> dict[str, object]:
    """Every part at every level needed to make ``quantity`` units."""
    async with tx.read() as session:
        bom = await service.get_bom(session, bom_id)
        rows = await service.explode_bom(session, bom_id, quantity)
    return {
        "product_id": bom.product_id,
        "quantity": quantity,
        "requirements": [
            {"product_id": p.id, "sku": p.sku, "quantity": q, "manufactured": made}
            for p, q, made in rows
        ],
    }


@router.post("/mrp/runs", status_code=201, response_model=MrpRunOut)
async def run_mrp(tx: Tx, _: Write, body: Annotated[MrpRunIn | None, Body()] = None) -> MrpRun:
    """Plan: planned work orders for what is made, requisitions for what is bought."""
    async with tx.begin() as uow:
        return await mrp.run_mrp(uow, (body or MrpRunIn()).warehouse_id)


@router.get("/mrp/runs", response_model=Page[MrpRunOut])
async def list_mrp_runs(
    tx: Tx,
    _: Read,
    sort: str = "-started_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("started_at",))
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            select(MrpRun),
            sort_column=MrpRun.started_at,
            id_column=MrpRun.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/mrp/runs/{run_id}", response_model=MrpRunOut)
async def get_mrp_run(run_id: uuid.UUID, tx: Tx, _: Read) -> MrpRun:
    async with tx.read() as session:
        run = await session.get(MrpRun, run_id)
    if run is None:
        raise NotFound(f"MRP run {run_id} does not exist")
    return run


# ``:path``: lot numbers from suppliers may contain a slash (sent as %2F).
@router.get("/lots/{lot:path}/trace", response_model=LotTraceOut)
async def trace_lot(
    lot: Annotated[str, Path(max_length=64)],
    tx: Tx,
    _: Annotated[Principal, Depends(require("inventory:read"))],
    product_id: Annotated[
        uuid.UUID | None, Query(description="Needed only if the lot number is ambiguous.")
    ] = None,
) -> dict[str, Any]:
    """Where the lot came from (work order, component lots, supplier receipts, recursively)
    and where it went (shipments, work orders that used it)."""
    async with tx.read() as session:
        return await traceability.trace_lot(session, lot, product_id)
