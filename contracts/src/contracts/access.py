"""Who may do what: the roles, the permissions, and the one matrix that joins them.

The gateway issues tokens carrying roles; CRM, ERP and the gateway each check, per endpoint,
that one of the caller's roles grants the endpoint's permission.  This module is the single
written-down matrix all three enforce, and the tests walk every endpoint against it.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SALES = "sales"
    SERVICE = "service"
    MARKETING = "marketing"
    FINANCE = "finance"
    WAREHOUSE = "warehouse"
    PURCHASING = "purchasing"
    CUSTOMER = "customer"  # self-service; every read is scoped to the token's account


# Permissions are "<area>:<read|write>".  An area is a group of resources that one team owns.
AREAS = (
    "accounts",  # accounts, contacts, timeline
    "sales",  # leads, opportunities, activities, quotes, forecast
    "orders",  # sales orders
    "service",  # cases
    "marketing",  # segments, campaigns
    "catalog",  # products (and CRM's copy of them)
    "inventory",  # warehouses, stock, reservations, shipments
    "purchasing",  # suppliers, requisitions, purchase orders, receipts
    "finance",  # ledger, invoices, payments, credit, reports, commissions
    "production",  # BOMs, work orders, MRP
    "people",  # employees
    "operations",  # outbox, consumers, dead letters, replay
    "users",  # gateway users and API clients
    "dashboard",  # the gateway's staff dashboard; each tile also needs its own area's read
)


def _rw(*areas: str) -> set[str]:
    return {f"{a}:{m}" for a in areas for m in ("read", "write")}


def _r(*areas: str) -> set[str]:
    return {f"{a}:read" for a in areas}


MATRIX: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(_rw(*AREAS)),
    Role.SALES: frozenset(
        _rw("accounts", "sales", "orders")
        | _r("service", "marketing", "catalog", "inventory")
        | {"finance:read", "dashboard:read"}
    ),
    Role.SERVICE: frozenset(
        _rw("service")
        | _r("accounts", "orders", "catalog", "inventory", "dashboard")
        | {"accounts:write"}
    ),
    Role.MARKETING: frozenset(_rw("marketing") | _r("accounts", "sales", "catalog", "dashboard")),
    Role.FINANCE: frozenset(
        _rw("finance")
        | _r("accounts", "orders", "catalog", "inventory", "purchasing", "people", "dashboard")
        | {"people:write"}
    ),
    Role.WAREHOUSE: frozenset(
        _rw("inventory", "production") | _r("catalog", "orders", "purchasing", "dashboard")
    ),
    Role.PURCHASING: frozenset(
        _rw("purchasing", "catalog") | _r("inventory", "production", "dashboard")
    ),
    Role.CUSTOMER: frozenset(
        _r("accounts", "orders", "service", "catalog", "finance") | {"service:write"}
    ),
}


def allows(roles: list[str] | tuple[str, ...] | set[str], permission: str) -> bool:
    for name in roles:
        try:
            if permission in MATRIX[Role(name)]:
                return True
        except ValueError:
            continue  # an unknown role grants nothing
    return False


def permissions_of(roles: list[str] | tuple[str, ...] | set[str]) -> frozenset[str]:
    """Every permission any of ``roles`` grants (unknown roles grant nothing)."""
    known = {r.value for r in Role}
    return frozenset(p for name in roles if name in known for p in MATRIX[Role(name)])
