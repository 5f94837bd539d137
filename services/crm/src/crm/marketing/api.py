import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from crm.deps import Tx, require
from crm.marketing import service
from crm.marketing.models import AutomationRule, Campaign, CampaignMember, Segment
from crm.marketing.schemas import (
    AutomationRuleIn,
    AutomationRuleOut,
    CampaignIn,
    CampaignMemberOut,
    CampaignOut,
    CampaignStatusIn,
    SegmentIn,
    SegmentMember,
    SegmentOut,
)

router = APIRouter(tags=["marketing"])
Read = Annotated[Principal, Depends(require("marketing:read"))]
Write = Annotated[Principal, Depends(require("marketing:write"))]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("/segments", status_code=201, response_model=SegmentOut)
async def create_segment(body: SegmentIn, tx: Tx, _: Write) -> Segment:
    async with tx.begin() as uow:
        return await service.create_segment(uow, body)


@router.get("/segments", response_model=Page[SegmentOut])
async def list_segments(
    tx: Tx,
    _: Read,
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: str = "name",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("name", "created_at"))
    stmt = select(Segment)
    if q:
        stmt = stmt.where(Segment.name.ilike(f"%{q}%"))
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Segment, order.field),
            id_column=Segment.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/segments/{segment_id}", response_model=SegmentOut)
async def get_segment(segment_id: uuid.UUID, tx: Tx, _: Read) -> Segment:
    async with tx.read() as session:
        return await service.load_segment(session, segment_id)


@router.get("/segments/{segment_id}/members", response_model=Page[SegmentMember])
async def segment_members(
    segment_id: uuid.UUID, tx: Tx, _: Read, cursor: str | None = None, limit: Limit = 50
) -> dict[str, object]:
    """The accounts the segment selects right now (computed on each request), by name."""
    async with tx.read() as session:
        segment = await service.load_segment(session, segment_id)
        items, next_cursor = await service.segment_members(
            session, segment, cursor=cursor, limit=limit
        )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/campaigns", status_code=201, response_model=CampaignOut)
async def create_campaign(body: CampaignIn, tx: Tx, _: Write) -> Campaign:
    async with tx.begin() as uow:
        return await service.create_campaign(uow, body)


@router.get("/campaigns", response_model=Page[CampaignOut])
async def list_campaigns(
    tx: Tx,
    _: Read,
    status: str | None = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "name"))
    stmt = select(Campaign)
    if status:
        stmt = stmt.where(Campaign.status == status)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Campaign, order.field),
            id_column=Campaign.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/campaigns/{campaign_id}", response_model=CampaignOut)
async def get_campaign(campaign_id: uuid.UUID, tx: Tx, _: Read) -> Campaign:
    async with tx.read() as session:
        return await service.load_campaign(session, campaign_id)


@router.post("/campaigns/{campaign_id}/status", response_model=CampaignOut)
async def change_campaign_status(
    campaign_id: uuid.UUID, body: CampaignStatusIn, tx: Tx, _: Write
) -> Campaign:
    """draft -> active <-> paused -> completed; automation never enrolls into a completed one."""
    async with tx.begin() as uow:
        return await service.change_campaign_status(uow, campaign_id, body.status)


@router.get("/campaigns/{campaign_id}/members", response_model=Page[CampaignMemberOut])
async def campaign_members(
    campaign_id: uuid.UUID,
    tx: Tx,
    _: Read,
    source: str | None = None,
    sort: str = "joined_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("joined_at",))
    stmt = select(CampaignMember).where(CampaignMember.campaign_id == campaign_id)
    if source:
        stmt = stmt.where(CampaignMember.source == source)
    async with tx.read() as session:
        await service.load_campaign(session, campaign_id)
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=CampaignMember.joined_at,
            id_column=CampaignMember.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/automation-rules", status_code=201, response_model=AutomationRuleOut)
async def create_rule(body: AutomationRuleIn, tx: Tx, _: Write) -> AutomationRule:
    async with tx.begin() as uow:
        return await service.create_rule(uow, body)


@router.get("/automation-rules", response_model=Page[AutomationRuleOut])
async def list_rules(
    tx: Tx,
    _: Read,
    trigger: str | None = None,
    campaign_id: uuid.UUID | None = None,
    sort: str = "created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "name"))
    stmt = select(AutomationRule)
    if trigger:
        stmt = stmt.where(AutomationRule.trigger == trigger)
    if campaign_id:
        stmt = stmt.where(AutomationRule.campaign_id == campaign_id)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(AutomationRule, order.field),
            id_column=AutomationRule.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}
