"""Admin endpoints: users, API clients, and the role matrix they are given from."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.access import MATRIX
from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from gateway.admin.schemas import (
    ClientChange,
    ClientIn,
    ClientOut,
    ClientWithSecret,
    RoleOut,
    UserChange,
    UserIn,
    UserOut,
)
from gateway.auth import clients, service
from gateway.auth.models import ApiClient, User
from gateway.deps import require, sessions

router = APIRouter(prefix="/admin", tags=["admin"])

Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(sessions)]
Reader = Annotated[Principal, Depends(require("users:read"))]
Writer = Annotated[Principal, Depends(require("users:write"))]


@router.get("/roles", response_model=list[RoleOut], summary="The roles and what each grants")
async def list_roles(_: Reader) -> list[RoleOut]:
    return [RoleOut(role=r.value, permissions=sorted(p)) for r, p in MATRIX.items()]


@router.get("/users", response_model=Page[UserOut])
async def list_users(
    db: Sessions,
    _: Reader,
    role: str | None = None,
    active: bool | None = None,
    sort: Annotated[
        str, Query(description="username or created_at; - for descending")
    ] = "username",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> object:
    order = Sort.parse(sort, ("username", "created_at"))
    stmt = select(User)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    async with db() as session:
        rows, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(User, order.field),
            id_column=User.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    if role:  # roles are a JSON list: filtered here rather than with dialect-specific SQL
        rows = [u for u in rows if role in u.roles]
    return {"items": rows, "next_cursor": next_cursor}


@router.post("/users", status_code=201, response_model=UserOut)
async def create_user(body: UserIn, db: Sessions, _: Writer) -> object:
    async with db() as session, session.begin():
        return await service.create_user(
            session,
            username=body.username,
            password=body.password,
            roles=body.roles,
            account_id=body.account_id,
        )


@router.get("/users/{user_id}", response_model=UserOut)
async def get_user(user_id: uuid.UUID, db: Sessions, _: Reader) -> object:
    async with db() as session:
        return await service.get_user(session, user_id)


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    summary="Change roles, account, password or deactivate; ends the user's refresh tokens",
)
async def change_user(user_id: uuid.UUID, body: UserChange, db: Sessions, _: Writer) -> object:
    async with db() as session, session.begin():
        return await service.change_user(session, user_id, **body.model_dump(exclude_unset=True))


@router.get("/clients", response_model=Page[ClientOut])
async def list_clients(
    db: Sessions,
    _: Reader,
    active: bool | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> object:
    stmt = select(ApiClient)
    if active is not None:
        stmt = stmt.where(ApiClient.active.is_(active))
    async with db() as session:
        rows, next_cursor = await paginate(
            session,
            stmt,
            sort_column=ApiClient.client_id,
            id_column=ApiClient.id,
            descending=False,
            cursor=cursor,
            limit=limit,
        )
    return {"items": rows, "next_cursor": next_cursor}


@router.post(
    "/clients",
    status_code=201,
    response_model=ClientWithSecret,
    summary="Register an API client; the answer holds its secret, shown only this once",
)
async def create_client(body: ClientIn, db: Sessions, _: Writer) -> object:
    async with db() as session, session.begin():
        client, secret = await clients.create_client(session, **body.model_dump())
        out = ClientWithSecret.model_validate(client)
        out.client_secret = secret
        return out


@router.patch("/clients/{id}", response_model=ClientWithSecret)
async def change_client(id: uuid.UUID, body: ClientChange, db: Sessions, _: Writer) -> object:
    async with db() as session, session.begin():
        client, secret = await clients.change_client(
            session, id, **body.model_dump(exclude_unset=True)
        )
        out = ClientWithSecret.model_validate(client)
        out.client_secret = secret
        return out
