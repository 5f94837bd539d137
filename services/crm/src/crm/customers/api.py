import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from contracts.errors import InvalidRequest, NotFound
from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from crm.customers import financials, service
from crm.customers.models import Account, FinancialSummary, TimelineEntry
from crm.customers.schemas import (
    AccountCreated,
    AccountIn,
    AccountOut,
    AccountPatch,
    DuplicateCandidate,
    FinancialsOut,
    MergeIn,
    TimelineEntryOut,
)
from crm.deps import Tx, require

router = APIRouter(prefix="/accounts", tags=["accounts"])

# What a customer sees of their own timeline: their business with us, not our sales notes.
CUSTOMER_VISIBLE_KINDS = (
    "account_opened",
    "order_created",
    "order_status",
    "shipment_dispatched",
    "goods_ordered",
    "goods_received",
    "invoice_issued",
    "payment_received",
    "invoice_paid",
    "quote_issued",
    "quote_accepted",
    "case_opened",
    "case_status",
    "case_response",
    "credit_released",
)

SORTABLE = ("created_at", "name", "updated_at")


def _own(caller: Principal, account_id: uuid.UUID) -> None:
    """Customer tokens only ever see their own account; others' look absent."""
    if caller.is_customer and caller.account_id != account_id:
        raise NotFound(f"account {account_id} does not exist")


@router.post(
    "",
    status_code=201,
    response_model=AccountCreated,
    description=(
        "Duplicate detection: existing accounts with the same email or the same normalized "
        "name (case, accents, punctuation and legal form ignored), and contacts with the "
        "same email, are reported in `possible_duplicates`; the account is created anyway, "
        "so the caller can merge (POST /accounts/{id}/merge). With `?reject_duplicates=true` "
        "such a creation is refused with 409 instead, the problem's `errors` naming each "
        "candidate. GET /accounts/duplicates checks before creating."
    ),
)
async def create_account(
    body: AccountIn,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("accounts:write"))],
    reject_duplicates: bool = False,
) -> AccountCreated:
    async with tx.begin() as uow:
        account, candidates = await service.create_account(
            uow, body, reject_duplicates=reject_duplicates
        )
        reply = AccountCreated.model_validate(account)
    response.headers["ETag"] = etag(account.version)
    response.headers["Location"] = f"/accounts/{account.id}"
    return reply.model_copy(update={"possible_duplicates": candidates})


@router.get("", response_model=Page[AccountOut])
async def list_accounts(
    tx: Tx,
    caller: Annotated[Principal, Depends(require("accounts:read"))],
    region: str | None = None,
    owner: str | None = None,
    industry: str | None = None,
    tier: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Name contains")] = None,
    include_merged: bool = False,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, SORTABLE)
    stmt = select(Account)
    if caller.is_customer:
        stmt = stmt.where(Account.id == caller.account_id)
    if not include_merged:
        stmt = stmt.where(Account.merged_into_id.is_(None))
    for column, value in (
        (Account.region, region),
        (Account.owner, owner),
        (Account.industry, industry),
        (Account.tier, tier),
    ):
        if value:
            stmt = stmt.where(column == value)
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


@router.get("/duplicates", response_model=list[DuplicateCandidate])
async def find_duplicates(
    tx: Tx,
    _: Annotated[Principal, Depends(require("accounts:write"))],
    name: Annotated[str | None, Query(max_length=200)] = None,
    email: Annotated[str | None, Query(max_length=254)] = None,
) -> list[DuplicateCandidate]:
    """Accounts (same email or normalized name) and contacts (same email) that look alike."""
    if not name and not email:
        raise InvalidRequest(
            "give a name or an email",
            errors=[{"field": "query.name", "message": "name or email is required"}],
        )
    async with tx.read() as session:
        return await service.find_duplicates(session, name=name, email=email)


@router.get("/{account_id}", response_model=AccountOut)
async def get_account(
    account_id: uuid.UUID,
    response: Response,
    tx: Tx,
    caller: Annotated[Principal, Depends(require("accounts:read"))],
) -> Account:
    _own(caller, account_id)
    async with tx.read() as session:
        account = await service.get_account(session, account_id)
    response.headers["ETag"] = etag(account.version)
    return account


@router.patch("/{account_id}", response_model=AccountOut)
async def update_account(
    account_id: uuid.UUID,
    body: AccountPatch,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("accounts:write"))],
    if_match: IfMatch = None,
) -> Account:
    async with tx.begin() as uow:
        account = await service.update_account(
            uow, account_id, body, expected_version=expected_version(if_match)
        )
    response.headers["ETag"] = etag(account.version)
    return account


@router.post("/{account_id}/merge", response_model=AccountOut)
async def merge_accounts(
    account_id: uuid.UUID,
    body: MergeIn,
    tx: Tx,
    _: Annotated[Principal, Depends(require("accounts:write"))],
) -> Account:
    """Move contacts, orders, quotes, opportunities, cases, activities and the timeline of
    `merged_id` to this account; ERP hears of it through AccountsMerged."""
    async with tx.begin() as uow:
        return await service.merge_accounts(uow, account_id, body.merged_id)


@router.get("/{account_id}/timeline", response_model=Page[TimelineEntryOut])
async def account_timeline(
    account_id: uuid.UUID,
    tx: Tx,
    caller: Annotated[Principal, Depends(require("accounts:read"))],
    kind: str | None = None,
    source: str | None = None,
    sort: str = "-at",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    """Everything that happened with the customer, newest first: activities, emails,
    orders and their status changes, quotes, cases, and ERP's shipments, invoices and
    payments.  Customer tokens see their business with us, not sales activities."""
    _own(caller, account_id)
    order = Sort.parse(sort, ("at",))
    stmt = select(TimelineEntry).where(TimelineEntry.account_id == account_id)
    if caller.is_customer:
        stmt = stmt.where(TimelineEntry.kind.in_(CUSTOMER_VISIBLE_KINDS))
    if kind:
        stmt = stmt.where(TimelineEntry.kind == kind)
    if source:
        stmt = stmt.where(TimelineEntry.source == source)
    async with tx.read() as session:
        await service.get_account(session, account_id)
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=TimelineEntry.at,
            id_column=TimelineEntry.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{account_id}/financials", response_model=FinancialsOut)
async def account_financials(
    account_id: uuid.UUID,
    tx: Tx,
    caller: Annotated[Principal, Depends(require("accounts:read"))],
) -> FinancialSummary:
    """Total invoiced, paid, outstanding, last payment and credit standing, as ERP's
    billing and credit events reported them."""
    _own(caller, account_id)
    async with tx.read() as session:
        await service.get_account(session, account_id)
        return await financials.summary_for(session, account_id)
