import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from crm.activities import service
from crm.activities.domain import ActivityKind, FollowUpWindow
from crm.activities.models import Activity
from crm.activities.schemas import ActivityIn, ActivityOut, CompleteIn, FollowUps
from crm.deps import Tx, require

router = APIRouter(prefix="/activities", tags=["activities"])


@router.post("", status_code=201, response_model=ActivityOut)
async def log_activity(
    body: ActivityIn, tx: Tx, _: Annotated[Principal, Depends(require("sales:write"))]
) -> Activity:
    async with tx.begin() as uow:
        return await service.log_activity(uow, body)


@router.get("", response_model=Page[ActivityOut])
async def list_activities(
    tx: Tx,
    _: Annotated[Principal, Depends(require("sales:read"))],
    owner: str | None = None,
    account_id: uuid.UUID | None = None,
    kind: ActivityKind | None = None,
    open: bool | None = Query(default=None, description="true: not completed; false: done"),
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at", "updated_at"))
    stmt = select(Activity)
    if owner:
        stmt = stmt.where(Activity.owner == owner)
    if account_id:
        stmt = stmt.where(Activity.account_id == account_id)
    if kind:
        stmt = stmt.where(Activity.kind == kind)
    if open is not None:
        done = Activity.completed_at.is_(None)
        stmt = stmt.where(done if open else ~done)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Activity, order.field),
            id_column=Activity.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/follow-ups", response_model=FollowUps)
async def follow_ups(
    tx: Tx,
    _: Annotated[Principal, Depends(require("sales:read"))],
    owner: Annotated[str | None, Query(max_length=100)] = None,
    window_days: Annotated[int, Query(ge=1, le=365)] = 7,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> FollowUps:
    """Open activities of ``owner`` (everyone's when omitted) that are overdue or due
    within ``window_days``, earliest first; each list holds at most ``limit`` items."""
    window = FollowUpWindow(now=datetime.now(UTC), days=window_days)
    stmt = select(Activity).where(
        Activity.completed_at.is_(None),
        Activity.due_at.is_not(None),
        Activity.due_at <= window.horizon,
    )
    if owner:
        stmt = stmt.where(Activity.owner == owner)
    async with tx.read() as session:
        rows = list(await session.scalars(stmt.order_by(Activity.due_at, Activity.id)))
    buckets: dict[str, list[ActivityOut]] = {"overdue": [], "upcoming": []}
    for activity in rows:
        bucket = window.classify(activity.due_at, completed=False)
        if bucket and len(buckets[bucket]) < limit:
            buckets[bucket].append(ActivityOut.model_validate(activity))
    return FollowUps(owner=owner, window_days=window_days, **buckets)


@router.get("/{activity_id}", response_model=ActivityOut)
async def get_activity(
    activity_id: uuid.UUID, tx: Tx, _: Annotated[Principal, Depends(require("sales:read"))]
) -> Activity:
    async with tx.read() as session:
        return await service.load_activity(session, activity_id)


@router.post("/{activity_id}/complete", response_model=ActivityOut)
async def complete_activity(
    activity_id: uuid.UUID,
    body: CompleteIn,
    tx: Tx,
    _: Annotated[Principal, Depends(require("sales:write"))],
) -> Activity:
    async with tx.begin() as uow:
        return await service.complete_activity(uow, activity_id, body.outcome)
