"""The OAuth2 token endpoint and the caller's own identity."""

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.access import permissions_of
from contracts.http.auth import Principal
from contracts.http.problems import problem_response
from gateway.auth import clients, service
from gateway.auth.models import User
from gateway.auth.tokens import redeem_refresh_token, token_pair
from gateway.deps import auth, sessions

router = APIRouter(tags=["auth"])

Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(sessions)]


class TokenOut(BaseModel):
    access_token: str = Field(examples=["eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9..."])
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds the access token is valid.", examples=[900])
    refresh_token: str | None = Field(
        default=None,
        description="Single use: redeem it once for a new pair (absent for API clients).",
    )


class MeOut(BaseModel):
    username: str = Field(examples=["anna.sales"])
    roles: list[str] = Field(examples=[["sales"]])
    account_id: str | None = Field(default=None, description="Set for customer callers.")
    permissions: list[str] = Field(examples=[["accounts:read", "orders:write"]])


@router.post(
    "/auth/token",
    response_model=TokenOut,
    summary="OAuth2 token endpoint (password, refresh_token and client_credentials grants)",
    description=(
        "Form-encoded, per RFC 6749.  `password`: username + password.  `refresh_token`: a "
        "refresh token, usable once (a reused one revokes its whole family).  "
        "`client_credentials`: client_id + client_secret, in the form or as HTTP Basic."
    ),
)
async def token(
    request: Request,
    db: Sessions,
    grant_type: Annotated[str, Form(pattern="^(password|refresh_token|client_credentials)$")],
    username: Annotated[str | None, Form(max_length=100)] = None,
    password: Annotated[str | None, Form(max_length=200)] = None,
    refresh_token: Annotated[str | None, Form(max_length=4000)] = None,
    client_id: Annotated[str | None, Form(max_length=100)] = None,
    client_secret: Annotated[str | None, Form(max_length=200)] = None,
) -> object:
    settings = request.app.state.settings
    async with db() as session, session.begin():
        try:
            if grant_type == "password":
                if not username or not password:
                    return _bad_request("username and password are required")
                user = await service.authenticate(session, username, password)
                return await token_pair(
                    session,
                    settings,
                    subject=user.username,
                    roles=list(user.roles),
                    account_id=user.account_id,
                )
            if grant_type == "client_credentials":
                client_id, client_secret = _basic(request) or (client_id, client_secret)
                if not client_id or not client_secret:
                    return _bad_request("client_id and client_secret are required")
                client = await clients.authenticate_client(session, client_id, client_secret)
                return await token_pair(
                    session,
                    settings,
                    subject=clients.subject_of(client),
                    roles=list(client.roles),
                    account_id=client.account_id,
                    with_refresh=False,
                )
            if not refresh_token:
                return _bad_request("refresh_token is required")
            record = await redeem_refresh_token(
                session, request.app.state.jwt_public_key, refresh_token
            )
            holder: User | None = None
            if record is not None:
                holder = await session.scalar(select(User).where(User.username == record.subject))
            if record is None or holder is None or not holder.active:
                # Commit (a replayed token's family was just revoked), then refuse.
                return _invalid_grant()
            return await token_pair(  # roles are re-read: a demoted user loses them here
                session,
                settings,
                subject=holder.username,
                roles=list(holder.roles),
                account_id=holder.account_id,
                family=record.family,
            )
        except service.BadCredentials:
            return _invalid_grant()


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return client_id, secret


def _invalid_grant() -> JSONResponse:
    return problem_response(
        400, "Invalid grant", "Wrong credentials or token.", type_slug="invalid-grant"
    )


def _bad_request(detail: str) -> JSONResponse:
    return problem_response(400, "Invalid request", detail, type_slug="invalid-request")


@router.get("/me", response_model=MeOut, summary="Who the token says the caller is")
async def me(caller: Annotated[Principal, Depends(auth.principal())]) -> MeOut:
    return MeOut(
        username=caller.subject,
        roles=list(caller.roles),
        account_id=str(caller.account_id) if caller.account_id else None,
        permissions=sorted(permissions_of(caller.roles)),
    )
