"""Money in API replies: stored with four places, shown as the currency shows it (cents)."""

from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer

from crm.sales.domain import to_cents

Cents = Annotated[Decimal, PlainSerializer(lambda d: str(to_cents(d)), return_type=str)]
