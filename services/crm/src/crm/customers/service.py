"""Use cases on accounts."""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import NotFound
from contracts.events.crm import AccountRegistered
from contracts.runtime import UnitOfWork
from crm.customers.models import Account
from crm.customers.schemas import AccountIn


async def create_account(uow: UnitOfWork, data: AccountIn) -> Account:
    """Open a customer account and tell ERP about it (it invoices and checks credit)."""
    now = datetime.now(UTC)
    account = Account(id=uuid.uuid4(), created_at=now, updated_at=now, **data.model_dump())
    uow.session.add(account)
    await uow.session.flush()
    await uow.publish(_registered(account))
    await uow.audit("account", account.id, "created", after=data.model_dump(mode="json"))
    return account


async def get_account(session: AsyncSession, account_id: uuid.UUID) -> Account:
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound(f"account {account_id} does not exist")
    return account


def _registered(account: Account) -> AccountRegistered:
    return AccountRegistered(
        account_id=account.id,
        name=account.name,
        region=account.region,
        owner=account.owner,
        credit_limit=account.credit_limit,
        payment_terms_days=account.payment_terms_days,
    )
