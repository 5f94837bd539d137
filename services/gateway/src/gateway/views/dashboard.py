"""The staff dashboard: pipeline, revenue and margin, receivables, low stock, cases at risk."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from contracts.http.auth import Principal
from gateway.deps import require
from gateway.views.parts import Source, compose, fetch, items
from gateway.views.schemas import Dashboard

router = APIRouter(prefix="/api", tags=["composed views"])


@router.get(
    "/dashboard",
    response_model=Dashboard,
    summary="Dashboard: pipeline by stage, P&L this month, AR, low stock, cases at risk",
    description=(
        "Each tile is fetched concurrently with its own timeout and shown only if the caller's "
        "roles grant its area (others are listed in `withheld`).  Tiles that failed are null "
        "and listed in `missing`."
    ),
)
async def dashboard(
    request: Request,
    caller: Annotated[Principal, Depends(require("dashboard:read"))],
    low_stock_below: Annotated[
        int, Query(ge=0, le=1_000_000, description="Available quantity counted as low")
    ] = 5,
) -> JSONResponse:
    today = datetime.now(UTC).date()
    period_start = today.replace(day=1)
    sources = {
        "pipeline": Source("crm", "/forecast", "sales:read", {"group_by": "stage"}, True),
        "profit_and_loss": Source(
            "erp",
            "/reports/profit-and-loss",
            "finance:read",
            {"from": period_start.isoformat(), "to": today.isoformat()},
            True,
        ),
        "receivables": Source(
            "erp", "/reports/ar-aging", "finance:read", {"as_of": today.isoformat()}, True
        ),
        "stock_levels": Source(
            "erp",
            "/stock/levels",
            "inventory:read",
            {"available_at_most": low_stock_below, "limit": 200},  # one page of the low ones
            True,
        ),
        "cases_at_risk": Source("crm", "/cases/at-risk", "service:read", {}, True),
    }
    parts = await fetch(request, caller, sources)
    body = compose(sources, parts)
    levels = body.pop("stock_levels")
    body["low_stock"] = (
        None if levels is None else _low(items(parts["stock_levels"]), low_stock_below)
    )
    body["period"] = {"from": period_start.isoformat(), "to": today.isoformat()}
    for entry in body["missing"]:
        if entry["part"] == "stock_levels":
            entry["part"] = "low_stock"
    body["withheld"] = ["low_stock" if n == "stock_levels" else n for n in body["withheld"]]
    return JSONResponse(body)


def _low(levels: list[dict[str, Any]], below: int) -> list[dict[str, Any]]:
    """Levels at or under their reorder point when ERP states one, else under ``below``."""
    low = []
    for level in levels:
        threshold = level.get("reorder_point")
        limit = int(threshold) if threshold is not None else below
        if int(level.get("available", 0)) <= limit:
            low.append(level)
    return sorted(low, key=lambda lv: int(lv.get("available", 0)))
