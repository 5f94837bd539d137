"""Shapes of the composed views, for the OpenAPI document and generated clients.

Each part is the owning service's own representation (see its operation under /api), or null
when it is missing, withheld or not offered.
"""

from typing import Any

from pydantic import BaseModel, Field


class MissingPart(BaseModel):
    part: str = Field(examples=["fulfilment"])
    status: int = Field(description="503/504: down or slow; otherwise the service's answer.")
    reason: str | None = Field(default=None, examples=["erp is unavailable (circuit open)"])


class ComposedView(BaseModel):
    missing: list[MissingPart] = Field(description="Parts that could not be fetched, and why.")
    withheld: list[str] = Field(description="Parts your roles do not grant.")
    not_offered: list[str] = Field(description="Parts the service does not offer (yet).")


class OrderTracking(ComposedView):
    order: Any = Field(description="CRM's order (GET /api/orders list items have this shape).")
    customer: Any = Field(description="CRM's account.")
    fulfilment: Any = Field(description="ERP's reservations, backorders and shipments.")
    purchase_orders: Any = Field(description="ERP's purchase orders that will satisfy it.")
    shipments: Any = Field(description="ERP's shipments of the order.")
    invoices: Any = Field(description="ERP's invoices of the order, with payment status.")


class Customer360(ComposedView):
    account: Any
    contacts: Any
    open_opportunities: Any
    cases: Any
    timeline: Any
    recent_orders: Any
    credit: Any = Field(description="ERP's credit limit, open and overdue AR, status.")
    invoices: Any
    fulfilment: dict[str, Any] = Field(description="ERP's fulfilment of each recent order.")


class Dashboard(ComposedView):
    pipeline: Any = Field(description="CRM's forecast grouped by stage.")
    profit_and_loss: Any = Field(description="ERP's P&L for the period: revenue and margin.")
    receivables: Any = Field(description="ERP's AR ageing: outstanding and overdue.")
    low_stock: list[dict[str, Any]] | None
    cases_at_risk: Any = Field(description="CRM's cases at risk of breaching their SLA.")
    period: dict[str, str] = Field(examples=[{"from": "2026-11-01", "to": "2026-11-27"}])


class LotOrigin(BaseModel):
    lot: str
    product_id: str | None
    origin: Any = Field(description="ERP's genealogy of the lot (GET /api/lots/{lot}/trace).")


class CaseTrace(ComposedView):
    case: Any
    order: Any = None
    shipments: Any = None
    lots: list[LotOrigin]
