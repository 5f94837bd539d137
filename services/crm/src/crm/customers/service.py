"""Use cases on accounts: open, change, find duplicates, merge."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, InvalidRequest, NotFound, PreconditionFailed
from contracts.events.crm import AccountRegistered, AccountsMerged
from contracts.runtime import UnitOfWork
from crm.customers import timeline
from crm.customers.domain import added_tags, email_key, name_key
from crm.customers.models import Account, Contact, FinancialSummary, TimelineEntry
from crm.customers.schemas import AccountIn, AccountPatch, DuplicateCandidate

_AUDITED = ("name", "email", "region", "industry", "tier", "owner", "tags", "credit_limit")


async def create_account(
    uow: UnitOfWork, data: AccountIn, *, reject_duplicates: bool = False
) -> tuple[Account, list[DuplicateCandidate]]:
    """Open a customer account and tell ERP about it (it invoices and checks credit).

    Accounts and contacts with the same email, or accounts with the same normalized name,
    are returned as possible duplicates; with ``reject_duplicates`` they refuse the
    creation instead (409 naming them).
    """
    candidates = await find_duplicates(uow.session, name=data.name, email=data.email)
    if candidates and reject_duplicates:
        raise Conflict(
            "an account like this one exists; merge it or create without reject_duplicates",
            errors=[
                {
                    "field": "body." + "/".join(c.matched_on),
                    "message": f"{c.kind} {c.id} ({c.name})",
                }
                for c in candidates
            ],
        )
    now = datetime.now(UTC)
    values = data.model_dump()
    values["email"] = email_key(data.email)
    account = Account(
        id=uuid.uuid4(), name_key=name_key(data.name), created_at=now, updated_at=now, **values
    )
    uow.session.add(account)
    await uow.session.flush()
    timeline.record(
        uow.session,
        account.id,
        "account_opened",
        f"Account {account.name} opened",
        subject_type="account",
        subject_id=account.id,
        at=now,
    )
    await uow.publish(_registered(account))
    await uow.audit("account", account.id, "created", after=data.model_dump(mode="json"))
    await _run_automation(uow, account, added=list(account.tags))
    return account, candidates


async def get_account(session: AsyncSession, account_id: uuid.UUID) -> Account:
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound(f"account {account_id} does not exist")
    return account


async def update_account(
    uow: UnitOfWork, account_id: uuid.UUID, patch: AccountPatch, *, expected_version: int | None
) -> Account:
    """Change an account's fields; ERP hears of it, automation sees new tags."""
    account = await get_account(uow.session, account_id)
    if account.merged_into_id is not None:
        raise Conflict(f"account {account_id} was merged into {account.merged_into_id}")
    if expected_version is not None and expected_version != account.version:
        raise PreconditionFailed(f"account is at version {account.version}, not {expected_version}")
    before = _snapshot(account)
    old_tags = list(account.tags)
    changes = patch.model_dump(exclude_unset=True)
    for field in ("name", "tags", "preferences", "payment_terms_days"):
        if field in changes and changes[field] is None:
            raise InvalidRequest(
                f"{field} cannot be null", errors=[{"field": f"body.{field}", "message": "null"}]
            )
    if "email" in changes:
        changes["email"] = email_key(changes["email"])
    for field, value in changes.items():
        setattr(account, field, value)
    if "name" in changes:
        account.name_key = name_key(account.name)
    account.updated_at = datetime.now(UTC)
    await uow.session.flush()
    await uow.publish(_registered(account))
    await uow.audit("account", account.id, "updated", before=before, after=_snapshot(account))
    await _run_automation(uow, account, added=added_tags(old_tags, list(account.tags)))
    return account


async def find_duplicates(
    session: AsyncSession, *, name: str | None, email: str | None
) -> list[DuplicateCandidate]:
    """Accounts and contacts with the same email, and accounts with the same normalized name."""
    key, mail = (name_key(name) if name else None), email_key(email)
    found: dict[uuid.UUID, DuplicateCandidate] = {}
    conditions = []
    if key:
        conditions.append(Account.name_key == key)
    if mail:
        conditions.append(Account.email == mail)
    if conditions:
        accounts = await session.scalars(
            select(Account).where(Account.merged_into_id.is_(None), or_(*conditions)).limit(20)
        )
        for a in accounts:
            matched = [
                m
                for m, hit in (
                    ("email", mail and a.email == mail),
                    ("name", key and a.name_key == key),
                )
                if hit
            ]
            found[a.id] = DuplicateCandidate(
                id=a.id,
                kind="account",
                name=a.name,
                email=a.email,
                account_id=a.id,
                matched_on=matched,
            )
    if mail:
        for c in await session.scalars(select(Contact).where(Contact.email == mail).limit(20)):
            found[c.id] = DuplicateCandidate(
                id=c.id,
                kind="contact",
                name=f"{c.first_name} {c.last_name}",
                email=c.email,
                account_id=c.account_id,
                matched_on=["email"],
            )
    return list(found.values())


async def merge_accounts(uow: UnitOfWork, survivor_id: uuid.UUID, merged_id: uuid.UUID) -> Account:
    """Fold ``merged_id`` into ``survivor_id``: everything that pointed at it moves over."""
    if survivor_id == merged_id:
        raise InvalidRequest(
            "an account cannot be merged into itself",
            errors=[{"field": "body.merged_id", "message": "same as the survivor"}],
        )
    session = uow.session
    survivor = await get_account(session, survivor_id)
    merged = await get_account(session, merged_id)
    if merged.merged_into_id == survivor_id:
        return survivor  # the same merge asked twice
    if survivor.merged_into_id or merged.merged_into_id:
        raise Conflict("one of the accounts was already merged into another")
    before = {"survivor": _snapshot(survivor), "merged": _snapshot(merged)}
    from crm.activities.models import Activity
    from crm.marketing.models import CampaignMember, SegmentEntry
    from crm.pipeline.models import Lead, Opportunity
    from crm.sales.models import SalesOrder
    from crm.sales.quote_models import Quote
    from crm.service.models import Case

    for model in (Contact, SalesOrder, Case, Activity, Quote, Opportunity, TimelineEntry):
        await session.execute(
            update(model).where(model.account_id == merged_id).values(account_id=survivor_id)
        )
    enrolled = select(CampaignMember.campaign_id).where(CampaignMember.account_id == survivor_id)
    await session.execute(
        delete(CampaignMember).where(
            CampaignMember.account_id == merged_id, CampaignMember.campaign_id.in_(enrolled)
        )
    )
    await session.execute(
        update(CampaignMember)
        .where(CampaignMember.account_id == merged_id)
        .values(account_id=survivor_id)
    )
    await session.execute(delete(SegmentEntry).where(SegmentEntry.account_id == merged_id))
    await session.execute(
        update(Lead)
        .where(Lead.converted_account_id == merged_id)
        .values(converted_account_id=survivor_id)
    )
    await _merge_financials(session, survivor_id, merged_id)
    survivor.tags = list(dict.fromkeys([*survivor.tags, *merged.tags]))
    for field in ("email", "region", "industry", "tier", "owner"):
        if getattr(survivor, field) is None:
            setattr(survivor, field, getattr(merged, field))
    now = datetime.now(UTC)
    survivor.updated_at = merged.updated_at = now
    merged.merged_into_id = survivor_id
    timeline.record(
        session,
        survivor_id,
        "accounts_merged",
        f"{merged.name} merged into this account",
        subject_type="account",
        subject_id=merged_id,
        at=now,
    )
    await session.flush()
    await uow.publish(AccountsMerged(survivor_id=survivor_id, merged_id=merged_id))
    await uow.audit(
        "account", survivor_id, "merged", before=before, after={"survivor": _snapshot(survivor)}
    )
    return survivor


async def _merge_financials(
    session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID
) -> None:
    gone = await session.get(FinancialSummary, merged_id)
    if gone is None:
        return
    kept = await session.get(FinancialSummary, survivor_id)
    if kept is None:
        kept = FinancialSummary(account_id=survivor_id, updated_at=datetime.now(UTC))
        for field in ("total_invoiced", "total_paid", "outstanding", "invoice_count"):
            setattr(kept, field, 0)
        session.add(kept)
    kept.total_invoiced += gone.total_invoiced
    kept.total_paid += gone.total_paid
    kept.outstanding += gone.outstanding
    kept.invoice_count += gone.invoice_count
    if gone.last_payment_on and (
        kept.last_payment_on is None or gone.last_payment_on > kept.last_payment_on
    ):
        kept.last_payment_on = gone.last_payment_on
        kept.last_payment_amount = gone.last_payment_amount
    await session.delete(gone)


async def _run_automation(uow: UnitOfWork, account: Account, *, added: list[str]) -> None:
    from crm.marketing.automation import on_account_changed

    await on_account_changed(uow, account, added_tags=added)


def _snapshot(account: Account) -> dict[str, Any]:
    return {f: getattr(account, f) for f in _AUDITED}


def _registered(account: Account) -> AccountRegistered:
    return AccountRegistered(
        account_id=account.id,
        name=account.name,
        email=account.email,
        region=account.region,
        owner=account.owner,
        credit_limit=account.credit_limit,
        payment_terms_days=account.payment_terms_days,
    )
