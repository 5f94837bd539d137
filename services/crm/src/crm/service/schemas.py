import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from crm.service.domain import CaseStatus, Priority


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    contact_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10_000)
    priority: Priority = Field(
        default=Priority.P3, description="Response SLA: P1 4 hours, P2 8 hours, others 24 hours."
    )
    assignee: str | None = Field(default=None, max_length=100)


class CasePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(default=None, min_length=1, max_length=200)
    priority: Priority | None = None
    status: CaseStatus | None = None
    assignee: str | None = Field(default=None, max_length=100)


class RespondIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=10_000)


class CaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    account_id: uuid.UUID
    contact_id: uuid.UUID | None
    order_id: uuid.UUID | None
    subject: str
    description: str
    priority: str
    status: str
    assignee: str | None
    opened_at: datetime
    response_due_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    sla: str = Field(description="met, breached, at_risk or on_track (computed now)")
    version: int
