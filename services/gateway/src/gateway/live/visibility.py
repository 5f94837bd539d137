"""Who may see which event: staff by the areas their roles read, customers by their account."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from contracts.http.auth import Principal

# The area whose read permission shows a topic's events to staff.
TOPIC_AREAS: dict[str, str] = {
    "crm.accounts": "accounts",
    "crm.orders": "orders",
    "erp.catalog": "catalog",
    "erp.inventory": "inventory",
    "erp.fulfilment": "orders",
    "erp.purchasing": "purchasing",
    "erp.billing": "finance",
    "erp.customers": "finance",
    "erp.production": "production",
}

# A customer sees its own orders, shipments and invoices, nothing else.
CUSTOMER_TOPICS = frozenset({"crm.orders", "erp.fulfilment", "erp.billing"})


class OrderAccounts:
    """Which account each recent order belongs to, learned from the events that say so.

    Fulfilment events name only the order; this lets a customer's stream include them.
    """

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._accounts: OrderedDict[str, str] = OrderedDict()

    def learn(self, payload: dict[str, Any]) -> None:
        order, account = payload.get("order_id"), payload.get("account_id")
        if order and account:
            self._accounts[str(order)] = str(account)
            self._accounts.move_to_end(str(order))
            if len(self._accounts) > self.capacity:
                self._accounts.popitem(last=False)

    def account_of(self, payload: dict[str, Any]) -> str | None:
        if payload.get("account_id"):
            return str(payload["account_id"])
        order = payload.get("order_id")
        return self._accounts.get(str(order)) if order else None


def visible(caller: Principal, topic: str, account_id: str | None) -> bool:
    if caller.is_customer:
        return (
            topic in CUSTOMER_TOPICS
            and caller.account_id is not None
            and account_id == str(caller.account_id)
        )
    area = TOPIC_AREAS.get(topic)
    return area is not None and caller.may(f"{area}:read")
