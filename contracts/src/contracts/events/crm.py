"""Events published by CRM, the front office."""

from datetime import datetime
from uuid import UUID

from pydantic import Field

from contracts.envelope import Event
from contracts.events.common import Currency, Money, OrderLine

__all__ = ["AccountRegistered", "OrderCancelled", "OrderConfirmed"]


class AccountRegistered(Event, topic="crm.accounts", version="1.0"):
    """A customer account exists in CRM (created or its billing facts changed).

    ERP keeps a customer record from it for invoicing and credit control.
    """

    account_id: UUID = Field(description="The customer account (CRM's account id).")
    name: str = Field(description="The customer's legal or trading name.")
    email: str | None = Field(default=None, description="Billing contact e-mail, if known.")
    region: str | None = Field(default=None, description="Sales region, if set.")
    owner: str | None = Field(default=None, description="Username of the owning sales rep.")
    credit_limit: Money | None = Field(default=None, description="None: no limit set.")
    payment_terms_days: int = Field(default=30, ge=0, description="Days from invoice to due date.")

    def partition_key(self) -> str:
        return str(self.account_id)


class AccountsMerged(Event, topic="crm.accounts", version="1.0"):
    """Two accounts were one customer: ``merged_id`` is gone, everything now belongs to
    ``survivor_id`` (ERP re-points invoices, open AR and orders)."""

    survivor_id: UUID = Field(description="The account that remains (the message key).")
    merged_id: UUID = Field(description="The account that no longer exists.")

    def partition_key(self) -> str:
        return str(self.survivor_id)


class OrderConfirmed(Event, topic="crm.orders", version="1.0"):
    """A customer committed to a sales order; ERP should reserve its stock."""

    order_id: UUID = Field(description="The sales order (CRM's order id).")
    order_number: str = Field(description="The order's human-readable number, e.g. SO-1042.")
    account_id: UUID = Field(description="The customer account (CRM's account id).")
    owner: str | None = Field(default=None, description="Username of the owning sales rep.")
    currency: Currency
    lines: list[OrderLine] = Field(min_length=1, description="What was ordered, at least one line.")
    total: Money
    confirmed_at: datetime = Field(description="When the customer committed, UTC.")

    def partition_key(self) -> str:
        return str(self.order_id)


class OrderCancelled(Event, topic="crm.orders", version="1.0"):
    """A confirmed order was cancelled; ERP releases whatever it reserved."""

    order_id: UUID = Field(description="The sales order (CRM's order id).")
    account_id: UUID = Field(description="The customer account (CRM's account id).")
    reason: str = Field(
        default="", description="Why the order was cancelled, as the user typed it."
    )

    def partition_key(self) -> str:
        return str(self.order_id)
