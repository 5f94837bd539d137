"""Employees, commission rules and commission statements over HTTP."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from contracts.http.auth import Principal
from contracts.http.pagination import Page, Sort, paginate
from erp.deps import Tx, require
from erp.people import service
from erp.people.models import CommissionRule, Employee
from erp.people.schemas import (
    CommissionRuleIn,
    CommissionRuleOut,
    CommissionStatementOut,
    EmployeeIn,
    EmployeeOut,
)

router = APIRouter(tags=["people"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("/employees", status_code=201, response_model=EmployeeOut)
async def create_employee(
    body: EmployeeIn, tx: Tx, _: Annotated[Principal, Depends(require("people:write"))]
) -> Employee:
    async with tx.begin() as uow:
        return await service.create_employee(
            uow, username=body.username, name=body.name, email=body.email
        )


@router.get("/employees", response_model=Page[EmployeeOut])
async def list_employees(
    tx: Tx,
    _: Annotated[Principal, Depends(require("people:read"))],
    active: bool | None = None,
    sort: str = "username",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("username", "name", "created_at"))
    stmt = select(Employee)
    if active is not None:
        stmt = stmt.where(Employee.active == active)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(Employee, order.field),
            id_column=Employee.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/commission-rules", status_code=201, response_model=CommissionRuleOut)
async def create_rule(
    body: CommissionRuleIn, tx: Tx, _: Annotated[Principal, Depends(require("finance:write"))]
) -> CommissionRule:
    async with tx.begin() as uow:
        return await service.create_rule(
            uow, username=body.username, rate=body.rate, valid_from=body.valid_from
        )


@router.get("/commission-rules", response_model=Page[CommissionRuleOut])
async def list_rules(
    tx: Tx,
    _: Annotated[Principal, Depends(require("people:read"))],
    username: str | None = None,
    sort: str = "-created_at",
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict[str, object]:
    order = Sort.parse(sort, ("created_at",))
    stmt = select(CommissionRule)
    if username:
        stmt = stmt.where(CommissionRule.username == username)
    async with tx.read() as session:
        items, next_cursor = await paginate(
            session,
            stmt,
            sort_column=getattr(CommissionRule, order.field),
            id_column=CommissionRule.id,
            descending=order.descending,
            cursor=cursor,
            limit=limit,
        )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/commissions/statements", response_model=CommissionStatementOut)
async def commission_statement(
    tx: Tx,
    _: Annotated[Principal, Depends(require("people:read"))],
    employee: Annotated[str, Query(min_length=1, max_length=100)],
    period: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")],
) -> dict[str, Any]:
    """What the rep earned on their orders' invoices paid in full within the month."""
    async with tx.read() as session:
        return await service.statement(session, employee, period)
