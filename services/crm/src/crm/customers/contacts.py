"""Use cases on contacts, the people at customer accounts."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select

from contracts.errors import Conflict, InvalidRequest, NotFound, PreconditionFailed
from contracts.runtime import UnitOfWork
from crm.customers import timeline
from crm.customers.domain import email_key, person_key
from crm.customers.models import Contact
from crm.customers.schemas import ContactIn, ContactPatch, DuplicateCandidate
from crm.customers.service import get_account

_AUDITED = ("first_name", "last_name", "email", "phone", "title", "tags")


async def create_contact(
    uow: UnitOfWork, data: ContactIn, *, reject_duplicates: bool = False
) -> tuple[Contact, list[DuplicateCandidate]]:
    """Add a person to an account.  Contacts with the same email anywhere, or the same name
    at the same account, are returned as possible duplicates (or, with
    ``reject_duplicates``, refuse the creation with 409 naming them)."""
    account = await get_account(uow.session, data.account_id)
    if account.merged_into_id is not None:
        raise Conflict(f"account {account.id} was merged into {account.merged_into_id}")
    key, mail = person_key(data.first_name, data.last_name), email_key(data.email)
    same_person = Contact.name_key == key
    condition = or_(same_person, Contact.email == mail) if mail else same_person
    scope = (
        or_(Contact.account_id == account.id, Contact.email == mail)
        if mail
        else (Contact.account_id == account.id)
    )
    found = list(await uow.session.scalars(select(Contact).where(condition, scope).limit(20)))
    candidates = [
        DuplicateCandidate(
            id=c.id,
            kind="contact",
            name=f"{c.first_name} {c.last_name}",
            email=c.email,
            account_id=c.account_id,
            matched_on=[
                m
                for m, hit in (("email", mail and c.email == mail), ("name", c.name_key == key))
                if hit
            ],
        )
        for c in found
    ]
    if candidates and reject_duplicates:
        raise Conflict(
            "a contact like this one exists",
            errors=[
                {"field": "body." + "/".join(c.matched_on), "message": f"contact {c.id} ({c.name})"}
                for c in candidates
            ],
        )
    now = datetime.now(UTC)
    values = data.model_dump()
    values["email"] = mail
    contact = Contact(id=uuid.uuid4(), name_key=key, created_at=now, updated_at=now, **values)
    uow.session.add(contact)
    timeline.record(
        uow.session,
        account.id,
        "contact_added",
        f"{contact.first_name} {contact.last_name} added as a contact",
        subject_type="contact",
        subject_id=contact.id,
        at=now,
    )
    await uow.session.flush()
    await uow.audit("contact", contact.id, "created", after=data.model_dump(mode="json"))
    return contact, candidates


async def get_contact(uow_or_session: Any, contact_id: uuid.UUID) -> Contact:
    session = getattr(uow_or_session, "session", uow_or_session)
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"contact {contact_id} does not exist")
    return contact  # type: ignore[no-any-return]


async def update_contact(
    uow: UnitOfWork, contact_id: uuid.UUID, patch: ContactPatch, *, expected_version: int | None
) -> Contact:
    contact = await get_contact(uow, contact_id)
    if expected_version is not None and expected_version != contact.version:
        raise PreconditionFailed(f"contact is at version {contact.version}, not {expected_version}")
    before = {f: getattr(contact, f) for f in _AUDITED}
    changes = patch.model_dump(exclude_unset=True)
    for field in ("first_name", "last_name", "tags", "preferences"):
        if field in changes and changes[field] is None:
            raise InvalidRequest(
                f"{field} cannot be null", errors=[{"field": f"body.{field}", "message": "null"}]
            )
    if "email" in changes:
        changes["email"] = email_key(changes["email"])
    for field, value in changes.items():
        setattr(contact, field, value)
    contact.name_key = person_key(contact.first_name, contact.last_name)
    contact.updated_at = datetime.now(UTC)
    await uow.session.flush()
    after = {f: getattr(contact, f) for f in _AUDITED}
    await uow.audit("contact", contact.id, "updated", before=before, after=after)
    return contact
