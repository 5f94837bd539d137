import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from contracts.errors import NotFound
from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from crm.customers import contacts
from crm.customers.models import Contact
from crm.customers.schemas import ContactCreated, ContactIn, ContactOut, ContactPatch
from crm.deps import Tx, require

router = APIRouter(prefix="/contacts", tags=["contacts"])


@router.post(
    "",
    status_code=201,
    response_model=ContactCreated,
    description=(
        "Duplicate detection: contacts with the same email anywhere, or the same normalized "
        "name at the same account, are reported in `possible_duplicates`; with "
        "`?reject_duplicates=true` the creation is refused with 409 naming them instead."
    ),
)
async def create_contact(
    body: ContactIn,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("accounts:write"))],
    reject_duplicates: bool = False,
) -> ContactCreated:
    async with tx.begin() as uow:
        contact, candidates = await contacts.create_contact(
            uow, body, reject_duplicates=reject_duplicates
        )
        reply = ContactCreated.model_validate(contact)
    response.headers["ETag"] = etag(contact.version)
    return reply.model_copy(update={"possible_duplicates": candidates})


@router.get("", response_model=Page[ContactOut])
async def list_contacts(
    tx: Tx,
    caller: Annotated[Principal, Depends(require("accounts:read"))],
    account_id: uuid.UUID | None = None,
    email: Annotated[str | None, Query(max_length=254)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Name contains")] = None,
    sort: str = "last_name",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("last_name", "created_at"))
    stmt = select(Contact)
    if caller.is_customer:
        stmt = stmt.where(Contact.account_id == caller.account_id)
    if account_id:
        stmt = stmt.where(Contact.account_id == account_id)
    if email:
        stmt = stmt.where(Contact.email == email.strip().lower())
    if q:
        stmt = stmt.where(Contact.name_key.ilike(f"%{q.lower()}%"))
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Contact, order.field),
            id_column=Contact.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{contact_id}", response_model=ContactOut)
async def get_contact(
    contact_id: uuid.UUID,
    response: Response,
    tx: Tx,
    caller: Annotated[Principal, Depends(require("accounts:read"))],
) -> Contact:
    async with tx.read() as session:
        contact = await contacts.get_contact(session, contact_id)
    if caller.is_customer and contact.account_id != caller.account_id:
        raise NotFound(f"contact {contact_id} does not exist")
    response.headers["ETag"] = etag(contact.version)
    return contact


@router.patch("/{contact_id}", response_model=ContactOut)
async def update_contact(
    contact_id: uuid.UUID,
    body: ContactPatch,
    response: Response,
    tx: Tx,
    _: Annotated[Principal, Depends(require("accounts:write"))],
    if_match: IfMatch = None,
) -> Contact:
    async with tx.begin() as uow:
        contact = await contacts.update_contact(
            uow, contact_id, body, expected_version=expected_version(if_match)
        )
    response.headers["ETag"] = etag(contact.version)
    return contact
