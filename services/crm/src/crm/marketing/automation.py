"""Automation rules at work: a tag added, or a segment entered, enrolls the account in a
campaign and gives its owner a task.  Called from the use cases that change what rules see
(account writes, ERP's money facts), inside their unit of work."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from contracts.runtime import UnitOfWork
from crm.activities import service as activities
from crm.activities.domain import ActivityKind
from crm.customers.models import Account, FinancialSummary
from crm.marketing.domain import CampaignStatus, SegmentFilter, Trigger
from crm.marketing.models import AutomationRule, Campaign, Segment, SegmentEntry
from crm.marketing.service import enroll, facts_of


async def on_account_changed(uow: UnitOfWork, account: Account, *, added_tags: list[str]) -> None:
    rules = list(
        await uow.session.scalars(select(AutomationRule).where(AutomationRule.active.is_(True)))
    )
    if not rules:
        return
    for rule in rules:
        if rule.trigger == Trigger.TAG_ADDED and rule.tag in added_tags:
            await _fire(uow, rule, account, cause=f"tag {rule.tag}")
    await _segment_rules(uow, account, [r for r in rules if r.trigger == Trigger.ENTERED_SEGMENT])


async def on_financials_changed(uow: UnitOfWork, account_id: uuid.UUID) -> None:
    account = await uow.session.get(Account, account_id)
    if account is None:
        return
    rules = list(
        await uow.session.scalars(
            select(AutomationRule).where(
                AutomationRule.active.is_(True),
                AutomationRule.trigger == Trigger.ENTERED_SEGMENT,
            )
        )
    )
    await _segment_rules(uow, account, rules)


async def _segment_rules(uow: UnitOfWork, account: Account, rules: list[AutomationRule]) -> None:
    """Fire the rules of each segment the account entered since it was last looked at."""
    if not rules or account.merged_into_id is not None:
        return
    summary = await uow.session.get(FinancialSummary, account.id)
    facts = facts_of(account, summary)
    for segment_id in {r.segment_id for r in rules if r.segment_id}:
        segment = await uow.session.get(Segment, segment_id)
        if segment is None:
            continue
        inside = SegmentFilter.from_saved(segment.filter).matches(facts)
        entry = await uow.session.scalar(
            select(SegmentEntry).where(
                SegmentEntry.segment_id == segment_id, SegmentEntry.account_id == account.id
            )
        )
        if inside and entry is None:
            uow.session.add(
                SegmentEntry(
                    segment_id=segment_id, account_id=account.id, entered_at=datetime.now(UTC)
                )
            )
            for rule in rules:
                if rule.segment_id == segment_id:
                    await _fire(uow, rule, account, cause=f"entered segment {segment.name}")
        elif not inside and entry is not None:
            # Leaving lets a later re-entry count as entering again.
            await uow.session.execute(delete(SegmentEntry).where(SegmentEntry.id == entry.id))


async def _fire(uow: UnitOfWork, rule: AutomationRule, account: Account, *, cause: str) -> None:
    campaign = await uow.session.get(Campaign, rule.campaign_id)
    if campaign is None or campaign.status == CampaignStatus.COMPLETED:
        return
    joined = await enroll(uow, campaign, account.id, f"rule:{rule.name}")
    if joined and rule.task_subject:
        await activities.schedule(
            uow,
            kind=ActivityKind.TASK,
            subject=rule.task_subject,
            notes=f"Automation rule {rule.name!r}: {cause}; enrolled in {campaign.name}.",
            account_id=account.id,
            owner=account.owner,
            due_at=datetime.now(UTC) + timedelta(days=rule.task_due_days),
        )
    await uow.audit(
        "automation_rule",
        rule.id,
        "fired",
        after={"account_id": str(account.id), "cause": cause, "enrolled": bool(joined)},
    )
