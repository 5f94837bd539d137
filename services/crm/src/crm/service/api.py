import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from contracts.errors import Forbidden, NotFound
from contracts.http.auth import Principal
from contracts.http.concurrency import IfMatch, etag, expected_version
from contracts.http.pagination import Page, Sort, paginate
from crm.deps import Tx, require
from crm.service import service
from crm.service.domain import CaseStatus, Priority
from crm.service.models import Case
from crm.service.schemas import CaseIn, CaseOut, CasePatch, RespondIn

router = APIRouter(prefix="/cases", tags=["cases"])
Read = Annotated[Principal, Depends(require("service:read"))]
Write = Annotated[Principal, Depends(require("service:write"))]
Limit = Annotated[int, Query(ge=1, le=200)]


def _visible(case: Case, caller: Principal) -> Case:
    if caller.is_customer and case.account_id != caller.account_id:
        raise NotFound(f"case {case.id} does not exist")
    return case


def _staff_only(caller: Principal) -> None:
    if caller.is_customer:
        raise Forbidden("customers open cases and read them; staff handle them")


@router.post("", status_code=201, response_model=CaseOut)
async def open_case(body: CaseIn, response: Response, tx: Tx, caller: Write) -> Case:
    """Customers may open cases for their own account only."""
    if caller.is_customer and body.account_id != caller.account_id:
        raise NotFound(f"account {body.account_id} does not exist")
    async with tx.begin() as uow:
        case = await service.open_case(uow, body)
    response.headers["ETag"] = etag(case.version)
    return case


@router.get("", response_model=Page[CaseOut])
async def list_cases(
    tx: Tx,
    caller: Read,
    account_id: uuid.UUID | None = None,
    status: CaseStatus | None = None,
    priority: Priority | None = None,
    assignee: str | None = None,
    sort: str = "-opened_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("opened_at", "response_due_at", "updated_at"))
    stmt = select(Case)
    if caller.is_customer:
        stmt = stmt.where(Case.account_id == caller.account_id)
    for column, value in (
        (Case.account_id, account_id),
        (Case.status, status),
        (Case.priority, priority),
        (Case.assignee, assignee),
    ):
        if value:
            stmt = stmt.where(column == value)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Case, order.field),
            id_column=Case.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/at-risk", response_model=Page[CaseOut])
async def cases_at_risk(
    tx: Tx,
    caller: Read,
    assignee: str | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    """Unanswered cases that breached their response SLA or have less than a quarter of
    the window left, the most urgent first (each item's ``sla`` says which)."""
    _staff_only(caller)
    stmt = select(Case).where(service.at_risk_condition(datetime.now(UTC)))
    if assignee:
        stmt = stmt.where(Case.assignee == assignee)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=Case.response_due_at,
            id_column=Case.id,
            descending=False,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{case_id}", response_model=CaseOut)
async def get_case(case_id: uuid.UUID, response: Response, tx: Tx, caller: Read) -> Case:
    async with tx.read() as session:
        case = _visible(await service.load_case(session, case_id), caller)
    response.headers["ETag"] = etag(case.version)
    return case


@router.patch("/{case_id}", response_model=CaseOut)
async def update_case(
    case_id: uuid.UUID,
    body: CasePatch,
    response: Response,
    tx: Tx,
    caller: Write,
    if_match: IfMatch = None,
) -> Case:
    _staff_only(caller)
    async with tx.begin() as uow:
        case = await service.update_case(
            uow, case_id, body, expected_version=expected_version(if_match)
        )
    response.headers["ETag"] = etag(case.version)
    return case


@router.post("/{case_id}/respond", response_model=CaseOut)
async def respond(case_id: uuid.UUID, body: RespondIn, tx: Tx, caller: Write) -> Case:
    _staff_only(caller)
    async with tx.begin() as uow:
        return await service.respond(uow, case_id, body.message)
