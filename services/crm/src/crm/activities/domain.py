"""Activity rules: kinds, follow-up windows, and when a warranty reminder falls due."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

WARRANTY_REMINDER_LEAD = timedelta(days=90)


class ActivityKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    TASK = "task"
    NOTE = "note"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def warranty_reminder_due(shipped_at: datetime, warranty_months: int) -> datetime:
    """90 days before the warranty (which starts when the goods ship) ends."""
    ends = add_months(shipped_at.date(), warranty_months)
    return datetime.combine(ends, shipped_at.timetz()) - WARRANTY_REMINDER_LEAD


@dataclass(frozen=True)
class FollowUpWindow:
    now: datetime
    days: int

    @property
    def horizon(self) -> datetime:
        return self.now + timedelta(days=self.days)

    def classify(self, due_at: datetime | None, completed: bool) -> str | None:
        """ "overdue", "upcoming", or None for what needs no follow-up in this window."""
        if completed or due_at is None:
            return None
        if due_at < self.now:
            return "overdue"
        if due_at <= self.horizon:
            return "upcoming"
        return None
