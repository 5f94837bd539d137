"""Use cases of marketing: segments, their computed members, campaigns and rules."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, InvalidRequest, NotFound
from contracts.http.pagination import decode_cursor, encode_cursor
from contracts.runtime import UnitOfWork
from crm.customers import timeline
from crm.customers.models import Account, FinancialSummary
from crm.marketing.domain import (
    AccountFacts,
    CampaignStatus,
    SegmentFilter,
    check_campaign_transition,
)
from crm.marketing.models import AutomationRule, Campaign, CampaignMember, Segment
from crm.marketing.schemas import AutomationRuleIn, CampaignIn, SegmentIn, SegmentMember


def facts_of(account: Account, summary: FinancialSummary | None) -> AccountFacts:
    return AccountFacts(
        region=account.region,
        industry=account.industry,
        tier=account.tier,
        owner=account.owner,
        tags=frozenset(account.tags or ()),
        lifetime_value=summary.total_invoiced if summary else Decimal(0),
        outstanding=summary.outstanding if summary else Decimal(0),
    )


async def create_segment(uow: UnitOfWork, data: SegmentIn) -> Segment:
    exists = await uow.session.scalar(select(Segment.id).where(Segment.name == data.name))
    if exists is not None:
        raise Conflict(f"a segment named {data.name!r} exists")
    segment = Segment(
        id=uuid.uuid4(),
        name=data.name,
        description=data.description,
        filter=data.filter.model_dump(mode="json", exclude_defaults=True),
        created_at=datetime.now(UTC),
    )
    uow.session.add(segment)
    await uow.session.flush()
    await uow.audit("segment", segment.id, "created", after=data.model_dump(mode="json"))
    return segment


async def load_segment(session: AsyncSession, segment_id: uuid.UUID) -> Segment:
    segment = await session.get(Segment, segment_id)
    if segment is None:
        raise NotFound(f"segment {segment_id} does not exist")
    return segment


async def segment_members(
    session: AsyncSession, segment: Segment, *, cursor: str | None = None, limit: int = 200
) -> tuple[list[SegmentMember], str | None]:
    """The accounts the segment's filter selects now, by name; keyset-paged like lists.

    Scalar conditions narrow the query; tags and money are checked on each candidate,
    since they live in JSON and in the financial summary.
    """
    rule = SegmentFilter.from_saved(segment.filter)
    stmt = (
        select(Account, FinancialSummary)
        .outerjoin(FinancialSummary, FinancialSummary.account_id == Account.id)
        .where(Account.merged_into_id.is_(None))
        .order_by(Account.name, Account.id)
    )
    for column, allowed in (
        (Account.region, rule.regions),
        (Account.industry, rule.industries),
        (Account.tier, rule.tiers),
        (Account.owner, rule.owners),
    ):
        if allowed:
            stmt = stmt.where(column.in_(allowed))
    if cursor:
        # Keyset in SQL, so the database's collation orders pages as it orders names.
        name, row_id = decode_cursor(cursor)
        try:
            last_id = uuid.UUID(row_id)
        except ValueError:
            raise InvalidRequest(
                "the cursor is not one this API issued",
                errors=[{"field": "query.cursor", "message": "invalid cursor"}],
            ) from None
        stmt = stmt.where(
            or_(Account.name > name, and_(Account.name == name, Account.id > last_id))
        )
    members: list[SegmentMember] = []
    next_cursor = None
    for account, summary in (await session.execute(stmt)).all():
        facts = facts_of(account, summary)
        if not rule.matches(facts):
            continue
        if len(members) == limit:
            last = members[-1]
            next_cursor = encode_cursor(last.name, last.account_id)
            break
        members.append(
            SegmentMember(
                account_id=account.id,
                name=account.name,
                region=account.region,
                tier=account.tier,
                owner=account.owner,
                lifetime_value=facts.lifetime_value,
                outstanding=facts.outstanding,
            )
        )
    return members, next_cursor


async def create_campaign(uow: UnitOfWork, data: CampaignIn) -> Campaign:
    """A campaign; with a segment, the segment's members now are enrolled at once."""
    segment = await load_segment(uow.session, data.segment_id) if data.segment_id else None
    now = datetime.now(UTC)
    campaign = Campaign(id=uuid.uuid4(), created_at=now, updated_at=now, **data.model_dump())
    uow.session.add(campaign)
    await uow.session.flush()
    enrolled = 0
    if segment is not None:
        cursor: str | None = None
        while True:
            members, cursor = await segment_members(uow.session, segment, cursor=cursor)
            for member in members:
                enrolled += await enroll(
                    uow, campaign, member.account_id, f"segment:{segment.name}"
                )
            if cursor is None:
                break
    await uow.audit(
        "campaign",
        campaign.id,
        "created",
        after={**data.model_dump(mode="json"), "enrolled": enrolled},
    )
    return campaign


async def enroll(uow: UnitOfWork, campaign: Campaign, account_id: uuid.UUID, source: str) -> int:
    """Add the account to the campaign; 1 if it joined now, 0 if it was a member already."""
    member = await uow.session.scalar(
        select(CampaignMember).where(
            CampaignMember.campaign_id == campaign.id, CampaignMember.account_id == account_id
        )
    )
    if member is not None:
        return 0
    now = datetime.now(UTC)
    uow.session.add(
        CampaignMember(campaign_id=campaign.id, account_id=account_id, source=source, joined_at=now)
    )
    timeline.record(
        uow.session,
        account_id,
        "campaign_enrolled",
        f"Enrolled in campaign {campaign.name}",
        subject_type="campaign",
        subject_id=campaign.id,
        at=now,
        details={"source": source},
    )
    try:
        await uow.session.flush()
    except IntegrityError as exc:  # a concurrent enrollment won; same outcome
        raise Conflict("the account joined the campaign concurrently; retry") from exc
    return 1


async def load_campaign(session: AsyncSession, campaign_id: uuid.UUID) -> Campaign:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"campaign {campaign_id} does not exist")
    return campaign


async def change_campaign_status(
    uow: UnitOfWork, campaign_id: uuid.UUID, status: CampaignStatus
) -> Campaign:
    """Start, pause, resume or complete a campaign; rules stop enrolling into completed ones."""
    campaign = await load_campaign(uow.session, campaign_id)
    before = campaign.status
    check_campaign_transition(CampaignStatus(campaign.status), status)
    campaign.status = status
    campaign.updated_at = datetime.now(UTC)
    await uow.session.flush()
    await uow.audit(
        "campaign", campaign.id, "status", before={"status": before}, after={"status": status}
    )
    return campaign


async def create_rule(uow: UnitOfWork, data: AutomationRuleIn) -> AutomationRule:
    if await uow.session.get(Campaign, data.campaign_id) is None:
        raise InvalidRequest(
            "no such campaign", errors=[{"field": "body.campaign_id", "message": "unknown"}]
        )
    if data.segment_id and await uow.session.get(Segment, data.segment_id) is None:
        raise InvalidRequest(
            "no such segment", errors=[{"field": "body.segment_id", "message": "unknown"}]
        )
    rule = AutomationRule(
        id=uuid.uuid4(), created_at=datetime.now(UTC), active=True, **data.model_dump()
    )
    uow.session.add(rule)
    await uow.session.flush()
    await uow.audit("automation_rule", rule.id, "created", after=data.model_dump(mode="json"))
    return rule
