import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from crm.money import Cents


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, examples=["Nordwind Logistics"])
    email: EmailStr | None = Field(default=None, examples=["purchasing@nordwind.example"])
    region: str | None = Field(default=None, max_length=50, examples=["north"])
    industry: str | None = Field(default=None, max_length=100)
    tier: str | None = Field(default=None, max_length=20, examples=["gold"])
    owner: str | None = Field(default=None, max_length=100, examples=["sara.sales"])
    tags: list[str] = Field(default_factory=list, max_length=50)
    preferences: dict[str, Any] = Field(default_factory=dict)
    credit_limit: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    payment_terms_days: int = Field(default=30, ge=0, le=365)


class AccountPatch(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = None
    region: str | None = Field(default=None, max_length=50)
    industry: str | None = Field(default=None, max_length=100)
    tier: str | None = Field(default=None, max_length=20)
    owner: str | None = Field(default=None, max_length=100)
    tags: list[str] | None = Field(default=None, max_length=50)
    preferences: dict[str, Any] | None = None
    credit_limit: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    payment_terms_days: int | None = Field(default=None, ge=0, le=365)


class AccountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    email: str | None
    region: str | None
    industry: str | None
    tier: str | None
    owner: str | None
    tags: list[str]
    preferences: dict[str, Any]
    credit_limit: Cents | None
    payment_terms_days: int
    merged_into_id: uuid.UUID | None = None
    created_at: datetime
    updated_at: datetime
    version: int


class DuplicateCandidate(BaseModel):
    id: uuid.UUID
    kind: str = Field(description="account or contact")
    name: str
    email: str | None
    account_id: uuid.UUID
    matched_on: list[str] = Field(description="email and/or name")


class AccountCreated(AccountOut):
    possible_duplicates: list[DuplicateCandidate] = Field(
        default_factory=list,
        description="Existing accounts/contacts with the same email or normalized name.",
    )


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    merged_id: uuid.UUID = Field(description="The account that disappears into this one.")


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=50)
    title: str | None = Field(default=None, max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=50)
    preferences: dict[str, Any] = Field(default_factory=dict)


class ContactPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=50)
    title: str | None = Field(default=None, max_length=100)
    tags: list[str] | None = Field(default=None, max_length=50)
    preferences: dict[str, Any] | None = None


class ContactOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    account_id: uuid.UUID
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    title: str | None
    tags: list[str]
    preferences: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    version: int


class ContactCreated(ContactOut):
    possible_duplicates: list[DuplicateCandidate] = Field(default_factory=list)


class TimelineEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    at: datetime
    kind: str
    summary: str
    subject_type: str
    subject_id: uuid.UUID | None
    source: str = Field(description="crm, or erp for facts learnt from ERP's events")
    details: dict[str, Any]


class FinancialsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    account_id: uuid.UUID
    total_invoiced: Cents
    total_paid: Cents
    outstanding: Cents
    invoice_count: int
    last_payment_on: date | None
    last_payment_amount: Cents | None
    credit_status: str
    credit_limit: Cents | None
    open_receivables: Cents | None
    overdue_receivables: Cents | None
