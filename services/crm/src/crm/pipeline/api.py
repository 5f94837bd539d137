import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from crm.customers.schemas import AccountOut, ContactOut
from crm.deps import Tx, require
from crm.pipeline import service
from crm.pipeline.domain import OPEN_STAGES, LeadStatus, PipelineItem, Stage, forecast
from crm.pipeline.models import Lead, Opportunity
from crm.pipeline.schemas import (
    Conversion,
    ConvertIn,
    ForecastOut,
    ForecastRowOut,
    LeadIn,
    LeadOut,
    LeadStatusIn,
    OpportunityIn,
    OpportunityOut,
    StageChangeIn,
)

router = APIRouter(tags=["pipeline"])
Read = Annotated[Principal, Depends(require("sales:read"))]
Write = Annotated[Principal, Depends(require("sales:write"))]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("/leads", status_code=201, response_model=LeadOut)
async def create_lead(body: LeadIn, tx: Tx, _: Write) -> Lead:
    async with tx.begin() as uow:
        return await service.create_lead(uow, body)


@router.get("/leads", response_model=Page[LeadOut])
async def list_leads(
    tx: Tx,
    _: Read,
    status: LeadStatus | None = None,
    source: str | None = None,
    owner: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Company contains")] = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "company"))
    stmt = select(Lead)
    for column, value in ((Lead.status, status), (Lead.source, source), (Lead.owner, owner)):
        if value:
            stmt = stmt.where(column == value)
    if q:
        stmt = stmt.where(Lead.company.ilike(f"%{q}%"))
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Lead, order.field),
            id_column=Lead.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/leads/{lead_id}", response_model=LeadOut)
async def get_lead(lead_id: uuid.UUID, tx: Tx, _: Read) -> Lead:
    async with tx.read() as session:
        return await service.load_lead(session, lead_id)


@router.post("/leads/{lead_id}/status", response_model=LeadOut)
async def set_lead_status(lead_id: uuid.UUID, body: LeadStatusIn, tx: Tx, _: Write) -> Lead:
    async with tx.begin() as uow:
        return await service.set_lead_status(uow, lead_id, body.status)


@router.post("/leads/{lead_id}/convert", response_model=Conversion)
async def convert_lead(lead_id: uuid.UUID, body: ConvertIn, tx: Tx, _: Write) -> Conversion:
    """Account, contact and opportunity in one transaction; converting again returns the
    same three.  409 when the company looks like an existing account: pass its id as
    ``account_id`` to attach the lead to it."""
    async with tx.begin() as uow:
        account, contact, opportunity = await service.convert_lead(uow, lead_id, body)
        return Conversion(
            account=AccountOut.model_validate(account),
            contact=ContactOut.model_validate(contact),
            opportunity=OpportunityOut.model_validate(opportunity),
        )


@router.post("/opportunities", status_code=201, response_model=OpportunityOut)
async def create_opportunity(body: OpportunityIn, tx: Tx, _: Write) -> Opportunity:
    async with tx.begin() as uow:
        return await service.create_opportunity(uow, body)


@router.get("/opportunities", response_model=Page[OpportunityOut])
async def list_opportunities(
    tx: Tx,
    _: Read,
    stage: Stage | None = None,
    status: Annotated[
        Literal["open", "closed"] | None, Query(description="open: not yet won or lost")
    ] = None,
    owner: str | None = None,
    account_id: uuid.UUID | None = None,
    sort: str = "expected_close",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("expected_close", "created_at", "amount"))
    stmt = select(Opportunity)
    if status:
        open_stages = Opportunity.stage.in_([str(s) for s in OPEN_STAGES])
        stmt = stmt.where(open_stages if status == "open" else ~open_stages)
    for column, value in (
        (Opportunity.stage, stage),
        (Opportunity.owner, owner),
        (Opportunity.account_id, account_id),
    ):
        if value:
            stmt = stmt.where(column == value)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Opportunity, order.field),
            id_column=Opportunity.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/opportunities/{opportunity_id}", response_model=OpportunityOut)
async def get_opportunity(opportunity_id: uuid.UUID, tx: Tx, _: Read) -> Opportunity:
    async with tx.read() as session:
        return await service.load_opportunity(session, opportunity_id)


@router.post("/opportunities/{opportunity_id}/stage", response_model=OpportunityOut)
async def change_stage(
    opportunity_id: uuid.UUID, body: StageChangeIn, tx: Tx, _: Write
) -> Opportunity:
    async with tx.begin() as uow:
        return await service.change_stage(uow, opportunity_id, body)


@router.get("/forecast", response_model=ForecastOut)
async def weighted_forecast(
    tx: Tx,
    _: Read,
    group_by: str = "month",
    owner: str | None = None,
    close_from: date | None = Query(default=None, alias="from"),
    close_to: date | None = Query(default=None, alias="to"),
) -> ForecastOut:
    """Open opportunities' amount x probability, by month of expected close, owner or
    stage; won and lost ones are out of the pipeline."""
    stmt = select(Opportunity).where(Opportunity.stage.in_([str(s) for s in OPEN_STAGES]))
    if owner:
        stmt = stmt.where(Opportunity.owner == owner)
    if close_from:
        stmt = stmt.where(Opportunity.expected_close >= close_from)
    if close_to:
        stmt = stmt.where(Opportunity.expected_close <= close_to)
    async with tx.read() as session:
        items = [
            PipelineItem(
                stage=Stage(o.stage),
                owner=o.owner,
                expected_close=o.expected_close,
                amount=o.amount,
                probability=o.probability,
            )
            for o in await session.scalars(stmt)
        ]
    rows = forecast(items, group_by)
    return ForecastOut(
        group_by=group_by,
        rows=[
            ForecastRowOut(key=r.key, count=r.count, amount=r.amount, weighted=r.weighted)
            for r in rows
        ],
        total_amount=sum((r.amount for r in rows), Decimal(0)),
        total_weighted=sum((r.weighted for r in rows), Decimal(0)),
    )
