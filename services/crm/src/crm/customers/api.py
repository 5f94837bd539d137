import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from crm.customers import service
from crm.customers.models import Account
from crm.customers.schemas import AccountIn, AccountOut
from crm.deps import Tx, require

router = APIRouter(prefix="/accounts", tags=["accounts"])

SORTABLE = ("created_at", "name")


@router.post("", status_code=201, response_model=AccountOut)
async def create_account(
    body: AccountIn, tx: Tx, _: Annotated[Principal, Depends(require("accounts:write"))]
) -> Account:
    async with tx.begin() as uow:
        return await service.create_account(uow, body)


@router.get("", response_model=Page[AccountOut])
async def list_accounts(
    tx: Tx,
    caller: Annotated[Principal, Depends(require("accounts:read"))],
    region: str | None = None,
    owner: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Name contains")] = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, SORTABLE)
    stmt = select(Account)
    if caller.is_customer:
        stmt = stmt.where(Account.id == caller.account_id)
    if region:
        stmt = stmt.where(Account.region == region)
    if owner:
        stmt = stmt.where(Account.owner == owner)
    if q:
        stmt = stmt.where(Account.name.ilike(f"%{q}%"))
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Account, order.field),
            id_column=Account.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{account_id}", response_model=AccountOut)
async def get_account(
    account_id: uuid.UUID, tx: Tx, caller: Annotated[Principal, Depends(require("accounts:read"))]
) -> Account:
    if caller.is_customer and caller.account_id != account_id:
        raise NotFound(f"account {account_id} does not exist")
    async with tx.read() as session:
        return await service.get_account(session, account_id)
