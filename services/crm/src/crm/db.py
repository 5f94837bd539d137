"""CRM's database: the declarative base, and the delivery tables of its event runtime."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from contracts.runtime import DeliveryTables
from contracts.runtime.database import NAMING_CONVENTION

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    metadata = metadata


delivery_tables = DeliveryTables(metadata)
