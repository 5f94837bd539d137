import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from crm.activities.domain import ActivityKind


class ActivityIn(BaseModel):
    """An activity; an email logged here also appears on the account's timeline."""

    model_config = ConfigDict(extra="forbid")

    kind: ActivityKind
    subject: str = Field(min_length=1, max_length=200)
    notes: str = Field(default="", max_length=10_000)
    account_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    owner: str | None = Field(default=None, max_length=100)
    due_at: AwareDatetime | None = None


class ActivityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    subject: str
    notes: str
    account_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    opportunity_id: uuid.UUID | None
    order_id: uuid.UUID | None
    owner: str | None
    due_at: datetime | None
    completed_at: datetime | None
    origin_key: str | None
    created_at: datetime
    version: int


class CompleteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(default="", max_length=2000)


class FollowUps(BaseModel):
    owner: str | None
    window_days: int
    overdue: list[ActivityOut]
    upcoming: list[ActivityOut]
