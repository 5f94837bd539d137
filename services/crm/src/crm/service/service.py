"""Use cases on cases: open, change, respond; and which are at risk of breaching."""

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import InvalidRequest, NotFound, PreconditionFailed
from contracts.runtime import UnitOfWork
from crm.customers import timeline
from crm.customers.service import get_account
from crm.service.domain import (
    RESPONSE_SLA,
    CaseStatus,
    Priority,
    at_risk_from,
    check_case_transition,
    response_due,
    response_window,
)
from crm.service.models import Case
from crm.service.schemas import CaseIn, CasePatch

_AUDITED = ("subject", "priority", "status", "assignee", "response_due_at")
_DONE = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


async def open_case(uow: UnitOfWork, data: CaseIn) -> Case:
    """A new case; its response is due by its priority's SLA from now."""
    account = await get_account(uow.session, data.account_id)
    if data.order_id is not None:
        from crm.sales.models import SalesOrder

        order = await uow.session.get(SalesOrder, data.order_id)
        if order is None or order.account_id != account.id:
            raise InvalidRequest(
                "the order is not one of this account's",
                errors=[{"field": "body.order_id", "message": "unknown order for the account"}],
            )
    now = datetime.now(UTC)
    case = Case(
        id=uuid.uuid4(),
        number=f"CS-{now:%y%m%d}-{secrets.token_hex(3).upper()}",
        status=CaseStatus.OPEN,
        opened_at=now,
        updated_at=now,
        response_due_at=response_due(now, data.priority),
        **data.model_dump(),
    )
    uow.session.add(case)
    timeline.record(
        uow.session,
        account.id,
        "case_opened",
        f"Case {case.number} ({case.priority}): {case.subject}",
        subject_type="case",
        subject_id=case.id,
        at=now,
    )
    await uow.session.flush()
    await uow.audit("case", case.id, "created", after=data.model_dump(mode="json"))
    return case


async def load_case(session: AsyncSession, case_id: uuid.UUID) -> Case:
    case = await session.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} does not exist")
    return case


async def update_case(
    uow: UnitOfWork, case_id: uuid.UUID, patch: CasePatch, *, expected_version: int | None
) -> Case:
    """Change subject, priority (the response due time follows), status or assignee."""
    case = await load_case(uow.session, case_id)
    if expected_version is not None and expected_version != case.version:
        raise PreconditionFailed(f"case is at version {case.version}, not {expected_version}")
    before = _snapshot(case)
    changes = patch.model_dump(exclude_unset=True)
    for field in ("subject", "priority", "status"):
        if field in changes and changes[field] is None:
            raise InvalidRequest(
                f"{field} cannot be null", errors=[{"field": f"body.{field}", "message": "null"}]
            )
    now = datetime.now(UTC)
    if "status" in changes:
        target = CaseStatus(changes["status"])
        check_case_transition(CaseStatus(case.status), target)
        if target in _DONE and case.resolved_at is None:
            case.resolved_at = now
        elif target not in _DONE:
            case.resolved_at = None
    if "priority" in changes:
        case.response_due_at = response_due(case.opened_at, Priority(changes["priority"]))
    for field, value in changes.items():
        setattr(case, field, value)
    case.updated_at = now
    await uow.session.flush()
    after = _snapshot(case)
    if before["status"] != after["status"]:
        timeline.record(
            uow.session,
            case.account_id,
            "case_status",
            f"Case {case.number}: {before['status']} -> {after['status']}",
            subject_type="case",
            subject_id=case.id,
            at=now,
        )
    await uow.audit("case", case.id, "updated", before=before, after=after)
    return case


async def respond(uow: UnitOfWork, case_id: uuid.UUID, message: str) -> Case:
    """Answer the customer; the first answer is what the response SLA measures."""
    case = await load_case(uow.session, case_id)
    if case.status == CaseStatus.CLOSED:
        check_case_transition(CaseStatus.CLOSED, CaseStatus.IN_PROGRESS)
    before = _snapshot(case)
    now = datetime.now(UTC)
    first = case.first_response_at is None
    if first:
        case.first_response_at = now
    if case.status == CaseStatus.OPEN:
        case.status = CaseStatus.IN_PROGRESS
    case.updated_at = now
    timeline.record(
        uow.session,
        case.account_id,
        "case_response",
        f"Case {case.number} answered: {message[:200]}",
        subject_type="case",
        subject_id=case.id,
        at=now,
    )
    await uow.session.flush()
    await uow.audit(
        "case",
        case.id,
        "responded",
        before=before,
        after={**_snapshot(case), "first_response": first, "message": message[:500]},
    )
    return case


def at_risk_condition(now: datetime) -> ColumnElement[bool]:
    """Unanswered, unresolved cases breached or within the last quarter of their window."""
    by_priority = [
        and_(Case.priority == p, Case.response_due_at < at_risk_from(now, window))
        for p, window in RESPONSE_SLA.items()
    ]
    others = and_(
        Case.priority.not_in([str(p) for p in RESPONSE_SLA]),
        Case.response_due_at < at_risk_from(now, response_window(Priority.P3)),
    )
    return and_(
        Case.first_response_at.is_(None),
        Case.status.not_in([str(s) for s in _DONE]),
        or_(*by_priority, others),
    )


def _snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in _AUDITED}
