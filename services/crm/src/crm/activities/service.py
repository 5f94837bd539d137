"""Use cases on activities, including the ones the system schedules by itself."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, InvalidRequest, NotFound
from contracts.runtime import UnitOfWork
from crm.activities.domain import ActivityKind
from crm.activities.models import Activity
from crm.activities.schemas import ActivityIn
from crm.customers import timeline
from crm.customers.models import Account


async def log_activity(uow: UnitOfWork, data: ActivityIn) -> Activity:
    """Record a call, email, meeting, task or note (and put it on the account's timeline)."""
    if data.kind is ActivityKind.TASK and data.due_at is None:
        raise InvalidRequest(
            "a task needs a due date", errors=[{"field": "body.due_at", "message": "required"}]
        )
    if data.account_id is not None:
        account = await uow.session.get(Account, data.account_id)
        if account is None:
            raise InvalidRequest(
                "no such account", errors=[{"field": "body.account_id", "message": "unknown"}]
            )
    activity = await schedule(uow, **data.model_dump())
    await uow.audit("activity", activity.id, "created", after=data.model_dump(mode="json"))
    return activity


async def schedule(uow: UnitOfWork, *, origin_key: str | None = None, **fields: object) -> Activity:
    """Add an activity; one with an ``origin_key`` already scheduled is returned as it is."""
    if origin_key is not None:
        existing = await uow.session.scalar(
            select(Activity).where(Activity.origin_key == origin_key)
        )
        if existing is not None:
            return existing
    now = datetime.now(UTC)
    activity = Activity(
        id=uuid.uuid4(), origin_key=origin_key, created_at=now, updated_at=now, **fields
    )
    activity.notes = activity.notes or ""
    uow.session.add(activity)
    if activity.account_id is not None:
        due = f" (due {activity.due_at:%Y-%m-%d})" if activity.due_at else ""
        timeline.record(
            uow.session,
            activity.account_id,
            f"activity_{activity.kind}",
            f"{activity.kind.capitalize()}: {activity.subject}{due}",
            subject_type="activity",
            subject_id=activity.id,
            at=now,
            details={"owner": activity.owner},
        )
    await uow.session.flush()
    return activity


async def load_activity(session: AsyncSession, activity_id: uuid.UUID) -> Activity:
    activity = await session.get(Activity, activity_id)
    if activity is None:
        raise NotFound(f"activity {activity_id} does not exist")
    return activity


async def complete_activity(uow: UnitOfWork, activity_id: uuid.UUID, outcome: str) -> Activity:
    activity = await load_activity(uow.session, activity_id)
    if activity.completed_at is not None:
        raise Conflict(f"activity {activity_id} was completed at {activity.completed_at}")
    now = datetime.now(UTC)
    activity.completed_at = now
    activity.updated_at = now
    if outcome:
        activity.notes = f"{activity.notes}\n{outcome}".strip()
    if activity.account_id is not None:
        timeline.record(
            uow.session,
            activity.account_id,
            "activity_completed",
            f"Done: {activity.subject}" + (f" ({outcome})" if outcome else ""),
            subject_type="activity",
            subject_id=activity.id,
            at=now,
        )
    await uow.session.flush()
    await uow.audit(
        "activity",
        activity.id,
        "completed",
        before={"completed_at": None},
        after={"completed_at": now.isoformat(), "outcome": outcome},
    )
    return activity
