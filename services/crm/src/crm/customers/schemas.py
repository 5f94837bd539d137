import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field


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
    credit_limit: Decimal | None
    payment_terms_days: int
    created_at: datetime
    updated_at: datetime
    version: int
