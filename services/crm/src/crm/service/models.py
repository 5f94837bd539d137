import uuid
from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from contracts.runtime.types import UtcDateTime
from crm.db import Base
from crm.service.domain import sla_state


class Case(Base):
    """A customer's support ticket, with the response time its priority promises."""

    __tablename__ = "cases"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(2), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    assignee: Mapped[str | None] = mapped_column(String(100), index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    response_due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def sla(self) -> str:
        return sla_state(
            opened_at=self.opened_at,
            due_at=self.response_due_at,
            responded_at=self.first_response_at,
            now=datetime.now(UTC),
        )
