"""Case rules: statuses, and the response SLA each priority promises.  No I/O."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from contracts.errors import IllegalTransition


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class CaseStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"


RESPONSE_SLA = {Priority.P1: timedelta(hours=4), Priority.P2: timedelta(hours=8)}
DEFAULT_RESPONSE_SLA = timedelta(hours=24)
# A case is at risk once less than this share of its response window is left.
AT_RISK_SHARE = 0.25

CASE_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.WAITING, CaseStatus.RESOLVED}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.WAITING, CaseStatus.RESOLVED}),
    CaseStatus.WAITING: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED}),
    CaseStatus.RESOLVED: frozenset({CaseStatus.CLOSED, CaseStatus.IN_PROGRESS}),
    CaseStatus.CLOSED: frozenset(),
}


def response_window(priority: Priority) -> timedelta:
    return RESPONSE_SLA.get(priority, DEFAULT_RESPONSE_SLA)


def response_due(opened_at: datetime, priority: Priority) -> datetime:
    return opened_at + response_window(priority)


def check_case_transition(current: CaseStatus, target: CaseStatus) -> None:
    if current != target and target not in CASE_TRANSITIONS[current]:
        raise IllegalTransition(f"a case that is {current} cannot become {target}")


class SlaState(StrEnum):
    MET = "met"  # answered in time
    BREACHED = "breached"  # answered late, or still unanswered past the due time
    AT_RISK = "at_risk"  # unanswered, less than a quarter of the window left
    ON_TRACK = "on_track"


def sla_state(
    *,
    opened_at: datetime,
    due_at: datetime,
    responded_at: datetime | None,
    now: datetime,
) -> SlaState:
    if responded_at is not None:
        return SlaState.MET if responded_at <= due_at else SlaState.BREACHED
    if now > due_at:
        return SlaState.BREACHED
    if due_at - now < (due_at - opened_at) * AT_RISK_SHARE:
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


def at_risk_from(now: datetime, window: timedelta) -> datetime:
    """Unanswered cases of this window due before the returned time are at risk (or late)."""
    return now + window * AT_RISK_SHARE
