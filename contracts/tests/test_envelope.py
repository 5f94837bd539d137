"""The envelope and the schema registry: no broker, no database."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from contracts.envelope import Envelope, IncompatibleEvent, UnknownEvent, all_event_classes
from contracts.events.common import OrderLine
from contracts.events.crm import OrderConfirmed


def _confirmed() -> OrderConfirmed:
    return OrderConfirmed(
        order_id=uuid.uuid4(),
        order_number="SO-1",
        account_id=uuid.uuid4(),
        currency="EUR",
        total=Decimal("12.30"),
        confirmed_at=datetime.now(UTC),
        lines=[
            OrderLine(product_id=uuid.uuid4(), sku="A", quantity=1, unit_price=Decimal("12.30"))
        ],
    )


def test_an_event_survives_the_round_trip_through_json() -> None:
    event = _confirmed()
    envelope = Envelope.wrap(event, producer="crm", correlation_id="req-1")
    again = Envelope.model_validate_json(envelope.model_dump_json())
    assert again.open() == event
    assert again.key == str(event.order_id)
    assert again.event_type == "OrderConfirmed"
    assert again.correlation_id == "req-1"
    assert again.occurred_at.tzinfo is not None


def test_a_reader_of_version_n_reads_n_plus_one_with_new_fields() -> None:
    envelope = Envelope.wrap(_confirmed(), producer="crm")
    newer = envelope.model_copy(
        update={
            "schema_version": "1.7",
            "payload": {**envelope.payload, "delivery_window": "morning"},
        }
    )
    assert isinstance(newer.open(), OrderConfirmed)


def test_a_new_major_version_is_refused_rather_than_misread() -> None:
    envelope = Envelope.wrap(_confirmed(), producer="crm")
    with pytest.raises(IncompatibleEvent):
        envelope.model_copy(update={"schema_version": "2.0"}).open()


def test_an_unknown_event_type_is_reported() -> None:
    envelope = Envelope.wrap(_confirmed(), producer="crm")
    with pytest.raises(UnknownEvent):
        envelope.model_copy(update={"event_type": "NoSuchThing"}).open()


def test_a_payload_that_breaks_its_schema_is_refused() -> None:
    envelope = Envelope.wrap(_confirmed(), producer="crm")
    broken = envelope.model_copy(update={"payload": {**envelope.payload, "lines": []}})
    with pytest.raises(ValidationError):
        broken.open()


def test_every_event_type_names_a_topic_of_the_catalog() -> None:
    from contracts.topics import TOPICS

    names = {t.name for t in TOPICS}
    for cls in all_event_classes():
        if cls.topic.startswith("test."):
            continue
        assert cls.topic in names, cls.__name__
        assert cls.topic.split(".")[0] in ("crm", "erp")
