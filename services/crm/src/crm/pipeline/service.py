"""Use cases of the pipeline: leads, their conversion, opportunities and their stages."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, NotFound
from contracts.runtime import UnitOfWork, current_actor
from crm.customers import contacts, timeline
from crm.customers import service as accounts
from crm.customers.models import Account, Contact
from crm.customers.schemas import AccountIn, ContactIn
from crm.pipeline.domain import (
    LeadStatus,
    Stage,
    check_convertible,
    check_lead_transition,
    check_stage_change,
    next_probability,
)
from crm.pipeline.models import Lead, Opportunity, OpportunityStageChange
from crm.pipeline.schemas import ConvertIn, LeadIn, OpportunityIn, StageChangeIn


async def create_lead(uow: UnitOfWork, data: LeadIn) -> Lead:
    now = datetime.now(UTC)
    values = data.model_dump()
    values["email"] = data.email.lower() if data.email else None
    lead = Lead(id=uuid.uuid4(), status=LeadStatus.NEW, created_at=now, updated_at=now, **values)
    uow.session.add(lead)
    await uow.session.flush()
    await uow.audit("lead", lead.id, "created", after=data.model_dump(mode="json"))
    return lead


async def load_lead(session: AsyncSession, lead_id: uuid.UUID) -> Lead:
    lead = await session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(f"lead {lead_id} does not exist")
    return lead


async def set_lead_status(uow: UnitOfWork, lead_id: uuid.UUID, status: LeadStatus) -> Lead:
    lead = await load_lead(uow.session, lead_id)
    before = lead.status
    check_lead_transition(LeadStatus(lead.status), status)
    lead.status = status
    lead.updated_at = datetime.now(UTC)
    await uow.session.flush()
    await uow.audit("lead", lead.id, "status", before={"status": before}, after={"status": status})
    return lead


async def convert_lead(
    uow: UnitOfWork, lead_id: uuid.UUID, data: ConvertIn
) -> tuple[Account, Contact, Opportunity]:
    """Account, contact and opportunity from a lead, in this one transaction.

    Converting again returns what the first conversion made.  A lead whose company looks
    like an existing account is refused (409 with the candidates) unless ``account_id``
    names the account to attach it to.
    """
    session = uow.session
    lead = await load_lead(session, lead_id)
    if lead.status == LeadStatus.CONVERTED:
        return await _conversion_of(session, lead)
    check_convertible(LeadStatus(lead.status))
    if data.account_id is not None:
        account = await accounts.get_account(session, data.account_id)
    else:
        account, _ = await accounts.create_account(
            uow,
            AccountIn(
                name=lead.company,
                email=lead.email,
                region=lead.region,
                industry=lead.industry,
                owner=lead.owner,
                tags=[f"source:{lead.source}"],
            ),
            reject_duplicates=True,
        )
    contact, _ = await contacts.create_contact(
        uow,
        ContactIn(
            account_id=account.id,
            first_name=lead.first_name,
            last_name=lead.last_name,
            email=lead.email,
            phone=lead.phone,
        ),
    )
    opportunity = await create_opportunity(
        uow,
        OpportunityIn(
            account_id=account.id,
            contact_id=contact.id,
            name=data.opportunity_name or f"{lead.company}: first order",
            stage=Stage.QUALIFICATION,
            amount=data.amount if data.amount is not None else lead.estimated_amount or Decimal(0),
            currency=data.currency,
            expected_close=data.expected_close or date.today() + timedelta(days=30),
            owner=lead.owner,
        ),
    )
    before = lead.status
    lead.status = LeadStatus.CONVERTED
    lead.converted_account_id, lead.converted_contact_id = account.id, contact.id
    lead.converted_opportunity_id = opportunity.id
    lead.converted_at = lead.updated_at = datetime.now(UTC)
    await session.flush()
    await uow.audit(
        "lead",
        lead.id,
        "converted",
        before={"status": before},
        after={
            "account_id": account.id,
            "contact_id": contact.id,
            "opportunity_id": opportunity.id,
        },
    )
    return account, contact, opportunity


async def _conversion_of(session: AsyncSession, lead: Lead) -> tuple[Account, Contact, Opportunity]:
    account = await session.get(Account, lead.converted_account_id)
    contact = await session.get(Contact, lead.converted_contact_id)
    opportunity = await session.get(Opportunity, lead.converted_opportunity_id)
    if account is None or contact is None or opportunity is None:
        raise Conflict(f"lead {lead.id} was converted but its records are gone")
    if account.merged_into_id is not None:
        account = await accounts.get_account(session, account.merged_into_id)
    return account, contact, opportunity


async def create_opportunity(uow: UnitOfWork, data: OpportunityIn) -> Opportunity:
    account = await accounts.get_account(uow.session, data.account_id)
    if account.merged_into_id is not None:
        raise Conflict(f"account {account.id} was merged into {account.merged_into_id}")
    now = datetime.now(UTC)
    probability = next_probability(data.stage, data.probability)
    values = data.model_dump(exclude={"probability"})
    values["owner"] = data.owner or account.owner
    opportunity = Opportunity(
        id=uuid.uuid4(),
        probability=probability,
        created_at=now,
        updated_at=now,
        closed_at=now if data.stage in (Stage.WON, Stage.LOST) else None,
        **values,
    )
    opportunity.history.append(
        OpportunityStageChange(
            from_stage=None,
            to_stage=data.stage,
            probability=probability,
            actor=current_actor(),
            at=now,
        )
    )
    uow.session.add(opportunity)
    timeline.record(
        uow.session,
        account.id,
        "opportunity_opened",
        f"Opportunity {opportunity.name}: {opportunity.amount} {opportunity.currency}",
        subject_type="opportunity",
        subject_id=opportunity.id,
        at=now,
    )
    await uow.session.flush()
    await uow.audit("opportunity", opportunity.id, "created", after=data.model_dump(mode="json"))
    return opportunity


async def load_opportunity(session: AsyncSession, opportunity_id: uuid.UUID) -> Opportunity:
    opportunity = await session.get(Opportunity, opportunity_id)
    if opportunity is None:
        raise NotFound(f"opportunity {opportunity_id} does not exist")
    return opportunity


async def change_stage(
    uow: UnitOfWork, opportunity_id: uuid.UUID, data: StageChangeIn
) -> Opportunity:
    """Move the opportunity to another stage (recorded in its history)."""
    opportunity = await load_opportunity(uow.session, opportunity_id)
    current = Stage(opportunity.stage)
    if current == data.stage and data.probability is None and data.amount is None:
        return opportunity
    check_stage_change(current, data.stage)
    before = {
        "stage": current,
        "probability": opportunity.probability,
        "amount": opportunity.amount,
    }
    now = datetime.now(UTC)
    opportunity.stage = data.stage
    opportunity.probability = next_probability(data.stage, data.probability)
    if data.amount is not None:
        opportunity.amount = data.amount
    if data.expected_close is not None:
        opportunity.expected_close = data.expected_close
    if data.stage in (Stage.WON, Stage.LOST):
        opportunity.closed_at = now
    opportunity.updated_at = now
    opportunity.history.append(
        OpportunityStageChange(
            from_stage=current,
            to_stage=data.stage,
            probability=opportunity.probability,
            actor=current_actor(),
            at=now,
        )
    )
    timeline.record(
        uow.session,
        opportunity.account_id,
        "opportunity_stage",
        f"Opportunity {opportunity.name}: {current} -> {data.stage}",
        subject_type="opportunity",
        subject_id=opportunity.id,
        at=now,
    )
    await uow.session.flush()
    after = {
        "stage": opportunity.stage,
        "probability": opportunity.probability,
        "amount": opportunity.amount,
    }
    await uow.audit("opportunity", opportunity.id, "stage", before=before, after=after)
    return opportunity
