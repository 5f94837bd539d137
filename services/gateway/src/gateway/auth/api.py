import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.http.auth import Principal
from contracts.http.problems import problem_response
from gateway.auth import service
from gateway.deps import auth, require, sessions

router = APIRouter(tags=["auth"])

Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(sessions)]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str


@router.post(
    "/auth/token",
    response_model=TokenOut,
    summary="OAuth2 token endpoint (password and refresh_token grants)",
)
async def token(
    request: Request,
    db: Sessions,
    grant_type: Annotated[str, Form(pattern="^(password|refresh_token)$")],
    username: Annotated[str | None, Form(max_length=100)] = None,
    password: Annotated[str | None, Form(max_length=200)] = None,
    refresh_token: Annotated[str | None, Form(max_length=4000)] = None,
) -> object:
    async with db() as session:
        try:
            if grant_type == "password":
                if not username or not password:
                    return _bad_request("username and password are required")
                user = await service.authenticate(session, username, password)
                return service.token_pair(request.app.state.settings, user)
            if not refresh_token:
                return _bad_request("refresh_token is required")
            return await service.refresh(
                session,
                request.app.state.settings,
                request.app.state.jwt_public_key,
                refresh_token,
            )
        except service.BadCredentials:
            return problem_response(
                400, "Invalid grant", "Wrong credentials or token.", type_slug="invalid-grant"
            )


def _bad_request(detail: str) -> object:
    return problem_response(400, "Invalid request", detail, type_slug="invalid-request")


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9._@\-]+$")
    password: str = Field(min_length=10, max_length=200)
    roles: list[str] = Field(min_length=1, max_length=8)
    account_id: uuid.UUID | None = None


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    roles: list[str]
    account_id: uuid.UUID | None
    active: bool
    created_at: datetime


@router.post("/admin/users", status_code=201, response_model=UserOut, tags=["admin"])
async def create_user(
    body: UserIn, db: Sessions, _: Annotated[Principal, Depends(require("users:write"))]
) -> object:
    async with db() as session, session.begin():
        return await service.create_user(
            session,
            username=body.username,
            password=body.password,
            roles=body.roles,
            account_id=body.account_id,
        )


@router.get("/me", tags=["auth"])
async def me(caller: Annotated[Principal, Depends(auth.principal())]) -> dict[str, object]:
    return {
        "username": caller.subject,
        "roles": list(caller.roles),
        "account_id": str(caller.account_id) if caller.account_id else None,
    }
