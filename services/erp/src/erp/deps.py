"""FastAPI dependencies shared by ERP's routers: the caller, and units of work."""

from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request

from contracts.http.auth import Authenticator, Principal
from contracts.runtime import Transactions
from erp.settings import Settings


@lru_cache
def settings() -> Settings:
    return Settings()


auth = Authenticator()
require = auth.require


def transactions(request: Request) -> Transactions:
    return request.app.state.runtime.transactions  # type: ignore[no-any-return]


Tx = Annotated[Transactions, Depends(transactions)]
Caller = Principal
