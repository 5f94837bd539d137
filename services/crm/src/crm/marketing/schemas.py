import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from crm.marketing.domain import CampaignStatus, Trigger
from crm.money import Cents

Names = list[str]


class SegmentFilterIn(BaseModel):
    """Every condition given must hold; lists mean "any of". Lifetime value is the total
    invoiced, outstanding the open balance, both from ERP's billing events."""

    model_config = ConfigDict(extra="forbid")

    regions: Names = Field(default_factory=list, max_length=50, examples=[["north"]])
    industries: Names = Field(default_factory=list, max_length=50)
    tiers: Names = Field(default_factory=list, max_length=20)
    owners: Names = Field(default_factory=list, max_length=50)
    tags_all: Names = Field(default_factory=list, max_length=20)
    min_lifetime_value: Decimal | None = Field(default=None, ge=0, examples=["10000.00"])
    max_lifetime_value: Decimal | None = Field(default=None, ge=0)
    min_outstanding: Decimal | None = Field(default=None, ge=0)


class SegmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=500)
    filter: SegmentFilterIn


class SegmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str
    filter: dict[str, Any]
    created_at: datetime


class SegmentMember(BaseModel):
    account_id: uuid.UUID
    name: str
    region: str | None
    tier: str | None
    owner: str | None
    lifetime_value: Cents
    outstanding: Cents


class CampaignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    channel: str = Field(default="email", max_length=20)
    status: CampaignStatus = CampaignStatus.DRAFT
    segment_id: uuid.UUID | None = Field(
        default=None, description="Its current members are enrolled when the campaign is made."
    )
    owner: str | None = Field(default=None, max_length=100)


class CampaignStatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: CampaignStatus


class CampaignOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    status: str
    channel: str
    segment_id: uuid.UUID | None
    owner: str | None
    created_at: datetime


class CampaignMemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    account_id: uuid.UUID
    source: str
    joined_at: datetime


class AutomationRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    trigger: Trigger
    tag: str | None = Field(default=None, max_length=50, description="For tag_added.")
    segment_id: uuid.UUID | None = Field(default=None, description="For entered_segment.")
    campaign_id: uuid.UUID
    task_subject: str | None = Field(
        default=None, max_length=200, description="A task for the account's owner; none if empty."
    )
    task_due_days: int = Field(default=3, ge=0, le=365)

    @model_validator(mode="after")
    def _trigger_needs_its_subject(self) -> "AutomationRuleIn":
        if self.trigger is Trigger.TAG_ADDED and not self.tag:
            raise ValueError("a tag_added rule needs a tag")
        if self.trigger is Trigger.ENTERED_SEGMENT and self.segment_id is None:
            raise ValueError("an entered_segment rule needs a segment_id")
        return self


class AutomationRuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    trigger: str
    tag: str | None
    segment_id: uuid.UUID | None
    campaign_id: uuid.UUID
    task_subject: str | None
    task_due_days: int
    active: bool
    created_at: datetime
