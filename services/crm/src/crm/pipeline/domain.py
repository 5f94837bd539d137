"""Pipeline rules: lead statuses, opportunity stages and the weighted forecast.  No I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from contracts.errors import IllegalTransition, InvalidRequest
from crm.sales.domain import to_cents


class LeadStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


LEAD_TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.NEW: frozenset(
        {LeadStatus.CONTACTED, LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED}
    ),
    LeadStatus.CONTACTED: frozenset({LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED}),
    LeadStatus.QUALIFIED: frozenset({LeadStatus.CONTACTED, LeadStatus.DISQUALIFIED}),
    LeadStatus.DISQUALIFIED: frozenset({LeadStatus.NEW}),
    LeadStatus.CONVERTED: frozenset(),
}


def check_lead_transition(current: LeadStatus, target: LeadStatus) -> None:
    if target == LeadStatus.CONVERTED:
        raise IllegalTransition("a lead is converted with POST /leads/{id}/convert")
    if target not in LEAD_TRANSITIONS[current]:
        raise IllegalTransition(f"a lead that is {current} cannot become {target}")


def check_convertible(status: LeadStatus) -> None:
    if status == LeadStatus.DISQUALIFIED:
        raise IllegalTransition("a disqualified lead cannot be converted")


class Stage(StrEnum):
    PROSPECTING = "prospecting"
    QUALIFICATION = "qualification"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


OPEN_STAGES = (Stage.PROSPECTING, Stage.QUALIFICATION, Stage.PROPOSAL, Stage.NEGOTIATION)
CLOSED_STAGES = frozenset({Stage.WON, Stage.LOST})

DEFAULT_PROBABILITY = {
    Stage.PROSPECTING: 10,
    Stage.QUALIFICATION: 20,
    Stage.PROPOSAL: 50,
    Stage.NEGOTIATION: 75,
    Stage.WON: 100,
    Stage.LOST: 0,
}


def next_probability(target: Stage, requested: int | None) -> int:
    """The stage's default unless the rep gave one; closed stages are certain."""
    if target in CLOSED_STAGES:
        if requested is not None and requested != DEFAULT_PROBABILITY[target]:
            raise InvalidRequest(
                f"a {target} opportunity has probability {DEFAULT_PROBABILITY[target]}",
                errors=[{"field": "body.probability", "message": "fixed for closed stages"}],
            )
        return DEFAULT_PROBABILITY[target]
    return DEFAULT_PROBABILITY[target] if requested is None else requested


def check_stage_change(current: Stage, target: Stage) -> None:
    """Open opportunities move freely between open stages or close; closed ones stay shut."""
    if current in CLOSED_STAGES:
        raise IllegalTransition(f"the opportunity is {current}; it cannot move to {target}")


@dataclass(frozen=True)
class PipelineItem:
    stage: Stage
    owner: str | None
    expected_close: date
    amount: Decimal
    probability: int


@dataclass(frozen=True)
class ForecastRow:
    key: str
    count: int
    amount: Decimal
    weighted: Decimal


GROUPINGS = ("month", "owner", "stage")


def forecast(items: Iterable[PipelineItem], group_by: str) -> list[ForecastRow]:
    """Weighted pipeline of the open opportunities: amount x probability, grouped and
    rounded to the cent per group (not per item, so groups add up to the total)."""
    if group_by not in GROUPINGS:
        raise InvalidRequest(
            f"cannot group by {group_by!r}",
            errors=[{"field": "query.group_by", "message": f"one of {', '.join(GROUPINGS)}"}],
        )
    groups: dict[str, tuple[int, Decimal, Decimal]] = {}
    for item in items:
        if item.stage not in OPEN_STAGES:
            continue
        key = {
            "month": f"{item.expected_close:%Y-%m}",
            "owner": item.owner or "(unassigned)",
            "stage": str(item.stage),
        }[group_by]
        count, amount, weighted = groups.get(key, (0, Decimal(0), Decimal(0)))
        groups[key] = (
            count + 1,
            amount + item.amount,
            weighted + item.amount * item.probability / Decimal(100),
        )
    order = list(OPEN_STAGES) if group_by == "stage" else None
    keys = sorted(groups, key=lambda k: order.index(Stage(k)) if order else k)
    return [
        ForecastRow(
            key=k,
            count=groups[k][0],
            amount=to_cents(groups[k][1]),
            weighted=to_cents(groups[k][2]),
        )
        for k in keys
    ]
