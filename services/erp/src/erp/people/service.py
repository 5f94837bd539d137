"""Employees, commission rules, and the commission statement finance pays from."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, InvalidRequest, NotFound
from contracts.runtime import UnitOfWork
from erp.finance.receivables.models import Invoice
from erp.people import domain
from erp.people.models import CommissionRule, Employee


async def create_employee(
    uow: UnitOfWork, *, username: str, name: str, email: str | None
) -> Employee:
    if await uow.session.scalar(select(Employee.id).where(Employee.username == username)):
        raise Conflict(
            f"employee {username} exists",
            errors=[{"field": "body.username", "message": "already used"}],
        )
    employee = Employee(
        id=uuid.uuid4(),
        username=username,
        name=name,
        email=email,
        active=True,
        created_at=datetime.now(UTC),
    )
    uow.session.add(employee)
    await uow.session.flush()
    await uow.audit("employee", employee.id, "created", after={"username": username})
    return employee


async def create_rule(
    uow: UnitOfWork, *, username: str | None, rate: Decimal, valid_from: date
) -> CommissionRule:
    if not Decimal(0) <= rate <= 1:
        raise InvalidRequest(
            "a commission rate is a fraction between 0 and 1",
            errors=[{"field": "body.rate", "message": "0 <= rate <= 1"}],
        )
    if username is not None and not await uow.session.scalar(
        select(Employee.id).where(Employee.username == username)
    ):
        raise InvalidRequest(
            f"employee {username} does not exist",
            errors=[{"field": "body.username", "message": "unknown employee"}],
        )
    rule = CommissionRule(
        id=uuid.uuid4(),
        username=username,
        rate=rate,
        valid_from=valid_from,
        created_at=datetime.now(UTC),
    )
    uow.session.add(rule)
    await uow.session.flush()
    await uow.audit(
        "commission_rule",
        rule.id,
        "created",
        after={"username": username, "rate": rate, "valid_from": valid_from.isoformat()},
    )
    return rule


async def statement(session: AsyncSession, username: str, period: str) -> dict[str, object]:
    """What the rep earned on invoices (of orders they own) paid in full in the period."""
    first, last = domain.period_bounds(period)
    employee = await session.scalar(select(Employee).where(Employee.username == username))
    if employee is None:
        raise NotFound(f"employee {username} does not exist")
    rules = [
        domain.Rule(r.username, r.rate, r.valid_from)
        for r in (
            await session.scalars(
                select(CommissionRule).where(
                    (CommissionRule.username == username) | CommissionRule.username.is_(None)
                )
            )
        ).all()
    ]
    invoices = (
        await session.scalars(
            select(Invoice)
            .where(
                Invoice.owner == username,
                Invoice.status == "paid",
                Invoice.paid_on >= first,
                Invoice.paid_on <= last,
            )
            .order_by(Invoice.paid_on, Invoice.number)
        )
    ).all()
    lines = []
    total_net = total_commission = Decimal("0.00")
    for invoice in invoices:
        assert invoice.paid_on is not None
        rate = domain.rate_for(rules, username, invoice.paid_on)
        earned = domain.commission(invoice.net_amount, rate)
        total_net += invoice.net_amount
        total_commission += earned
        lines.append(
            {
                "invoice_id": invoice.id,
                "invoice_number": invoice.number,
                "order_id": invoice.order_id,
                "account_id": invoice.account_id,
                "paid_on": invoice.paid_on,
                "net_revenue": invoice.net_amount,
                "rate": rate,
                "commission": earned,
            }
        )
    return {
        "employee": username,
        "period": period,
        "lines": lines,
        "total_net_revenue": total_net,
        "total_commission": total_commission,
    }
