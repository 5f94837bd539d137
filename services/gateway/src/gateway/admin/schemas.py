import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from contracts.access import Role

ROLE_NAMES = [r.value for r in Role]


class UserIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"username": "anna.sales", "password": "a long passphrase", "roles": ["sales"]}
            ]
        },
    )

    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9._@\-]+$")
    password: str = Field(min_length=10, max_length=200)
    roles: list[str] = Field(min_length=1, max_length=8, description=f"Of {ROLE_NAMES}.")
    account_id: uuid.UUID | None = Field(default=None, description="Required for customers.")


class UserChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: list[str] | None = Field(default=None, min_length=1, max_length=8)
    account_id: uuid.UUID | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    roles: list[str]
    account_id: uuid.UUID | None
    active: bool
    created_at: datetime


class ClientIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"client_id": "webshop", "name": "Web shop", "roles": ["sales"]}]
        },
    )

    client_id: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9._\-]+$")
    name: str = Field(min_length=1, max_length=200)
    roles: list[str] = Field(min_length=1, max_length=8)
    account_id: uuid.UUID | None = None


class ClientChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: list[str] | None = Field(default=None, min_length=1, max_length=8)
    active: bool | None = None
    rotate_secret: bool = False


class ClientOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    client_id: str
    name: str
    roles: list[str]
    account_id: uuid.UUID | None
    active: bool
    created_at: datetime


class ClientWithSecret(ClientOut):
    client_secret: str | None = Field(
        default=None, description="Shown only now; store it, the gateway keeps only a hash."
    )


class RoleOut(BaseModel):
    role: str
    permissions: list[str]
