"""The gateway's own database: users, API clients and idempotency records."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from contracts.runtime.database import NAMING_CONVENTION

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    metadata = metadata
