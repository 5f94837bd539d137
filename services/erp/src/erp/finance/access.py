"""Who sees what in finance, beyond the permission matrix."""

import uuid

from contracts.errors import Forbidden, NotFound
from contracts.http.auth import Principal


def staff_only(caller: Principal) -> None:
    """The books are for staff: a customer token sees only its own invoices and balance."""
    if caller.is_customer:
        raise Forbidden("customers may see only their own invoices, payments and balance")


def own_account(caller: Principal, account_id: uuid.UUID, what: str) -> None:
    """Customers learn nothing about other accounts, not even that they exist."""
    if caller.is_customer and caller.account_id != account_id:
        raise NotFound(f"{what} does not exist")
