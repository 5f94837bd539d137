"""Writing the customer timeline: every use case and handler that changes something a
customer's people should see adds one entry here, in the same unit of work."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from crm.customers.models import TimelineEntry


def record(
    session: AsyncSession,
    account_id: uuid.UUID,
    kind: str,
    summary: str,
    *,
    subject_type: str,
    subject_id: uuid.UUID | None,
    at: datetime | None = None,
    source: str = "crm",
    details: dict[str, Any] | None = None,
) -> TimelineEntry:
    entry = TimelineEntry(
        id=uuid.uuid4(),
        account_id=account_id,
        at=at or datetime.now(UTC),
        kind=kind,
        summary=summary[:500],
        subject_type=subject_type,
        subject_id=subject_id,
        source=source,
        details=details or {},
    )
    session.add(entry)
    return entry


async def resolve_account(session: AsyncSession, account_id: uuid.UUID) -> uuid.UUID | None:
    """The account that now stands for ``account_id`` (its survivor if merged), or None."""
    from crm.customers.models import Account

    account = await session.get(Account, account_id)
    if account is None:
        return None
    return account.merged_into_id or account.id
