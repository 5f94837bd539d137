"""Value types shared by several events."""

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

Money = Annotated[Decimal, Field(description="Amount in the event's currency, as a string.")]
Quantity = Annotated[int, Field(ge=0, description="A count of units.")]
Currency = Annotated[str, Field(pattern="^[A-Z]{3}$", description="ISO 4217 code.")]


class Part(BaseModel):
    """A value object inside an event; like events, it tolerates unknown fields."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class OrderLine(Part):
    product_id: UUID = Field(description="The product (ERP's product id).")
    sku: str = Field(description="The product's stock-keeping unit code.")
    quantity: Quantity
    unit_price: Money


class ProductQuantity(Part):
    product_id: UUID = Field(description="The product (ERP's product id).")
    sku: str = Field(description="The product's stock-keeping unit code.")
    quantity: Quantity
