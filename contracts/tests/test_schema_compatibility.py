"""The compatibility checker on synthetic before/after pairs of one event's schema."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.catalog.compat import compare_catalogs


class Line(BaseModel):
    sku: str
    quantity: int


class V1(BaseModel):
    order_id: UUID
    total: Decimal
    lines: list[Line]
    note: str | None = None


def _catalog(model: type[BaseModel], version: str = "1.0") -> dict[str, Any]:
    schema = {"$defs": {}, "properties": {}}  # a trivial envelope: not under test here
    return {
        "envelope": schema,
        "events": {"OrderPlaced": {"schema_version": version, "schema": model.model_json_schema()}},
    }


def _kinds(before: type[BaseModel], after: type[BaseModel], version: str = "1.0") -> list[str]:
    verdict = compare_catalogs(_catalog(before), _catalog(after, version))
    return sorted(f"{c.kind}:{c.path}" for c in verdict.breaking)


def test_the_same_schema_is_compatible() -> None:
    assert _kinds(V1, V1) == []


def test_a_removed_field_is_breaking() -> None:
    class NoNote(BaseModel):
        order_id: UUID
        total: Decimal
        lines: list[Line]

    assert _kinds(V1, NoNote) == ["removed-field:note"]


def test_a_retyped_field_is_breaking() -> None:
    class IntTotal(BaseModel):
        order_id: UUID
        total: int
        lines: list[Line]
        note: str | None = None

    assert _kinds(V1, IntTotal) == ["retyped-field:total"]


def test_a_retyped_field_inside_a_nested_part_is_breaking() -> None:
    class TextQuantity(BaseModel):
        sku: str
        quantity: str

    class NestedChange(BaseModel):
        order_id: UUID
        total: Decimal
        lines: list[TextQuantity]
        note: str | None = None

    assert _kinds(V1, NestedChange) == ["retyped-field:lines[].quantity"]


def test_a_new_required_field_is_breaking() -> None:
    class WithCurrency(V1):
        currency: str

    assert _kinds(V1, WithCurrency) == ["new-required-field:currency"]


def test_a_required_field_made_optional_is_breaking() -> None:
    class OptionalTotal(BaseModel):
        order_id: UUID
        total: Decimal | None = None
        lines: list[Line]
        note: str | None = None

    assert "required-field-made-optional:total" in _kinds(V1, OptionalTotal)


def test_a_removed_event_type_is_breaking() -> None:
    verdict = compare_catalogs(_catalog(V1), {**_catalog(V1), "events": {}})
    assert [c.kind for c in verdict.breaking] == ["removed-event"]


def test_a_new_optional_field_and_new_documentation_are_additive() -> None:
    class Richer(BaseModel):
        order_id: UUID = Field(description="Now documented.")
        total: Decimal
        lines: list[Line]
        note: str | None = None
        channel: str = "web"
        coupon: str | None = None

    verdict = compare_catalogs(_catalog(V1), _catalog(Richer, "1.1"))
    assert verdict.ok and not verdict.allowed
    assert sorted(c.path for c in verdict.additive) == ["channel", "coupon"]

    unbumped = compare_catalogs(_catalog(V1), _catalog(Richer, "1.0"))
    assert unbumped.ok, "a forgotten minor bump is reported, not fatal"
    assert "minor-not-bumped" in {c.kind for c in unbumped.additive}


def test_a_new_event_type_is_additive() -> None:
    current = _catalog(V1)
    current["events"]["OrderShipped"] = {"schema_version": "1.0", "schema": {}}
    verdict = compare_catalogs(_catalog(V1), current)
    assert verdict.ok and [c.kind for c in verdict.additive] == ["new-event"]


def test_a_major_version_bump_allows_breaking_changes() -> None:
    class V2(BaseModel):
        order_id: UUID
        total_cents: int
        lines: list[Line]

    verdict = compare_catalogs(_catalog(V1), _catalog(V2, "2.0"))
    assert verdict.ok
    assert {c.kind for c in verdict.allowed} == {"removed-field", "new-required-field"}


def test_a_major_version_going_back_is_breaking() -> None:
    verdict = compare_catalogs(_catalog(V1, "2.0"), _catalog(V1, "1.0"))
    assert [c.kind for c in verdict.breaking] == ["version-went-back"]
