"""Value types shared by finance's request and response schemas."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field

Cents = Annotated[
    Decimal,
    Field(ge=0, max_digits=16, decimal_places=2, description='Amount in cents, e.g. "12.30".'),
]
PositiveCents = Annotated[
    Decimal,
    Field(gt=0, max_digits=16, decimal_places=2, description='Amount in cents, e.g. "12.30".'),
]
