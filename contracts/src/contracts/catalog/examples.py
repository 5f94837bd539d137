"""One example payload per event type, kept by hand in ``examples/<EventType>.json``.

``draft_example`` writes a first draft for a new event type from its schema (plausible values
by field name and type); a person should then make it tell a true little story.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from contracts.catalog import EXAMPLES_DIR
from contracts.envelope import Envelope, Event
from contracts.topics import topic

_IDS = uuid.UUID("6f1c2b9e-3d4a-4e8b-9a1f-0c2d3e4f5a6b")
EXAMPLE_TIME = "2026-03-02T09:30:00Z"


def example_path(event_cls: type[Event]) -> Path:
    return EXAMPLES_DIR / f"{event_cls.event_type}.json"


def example_payload(event_cls: type[Event]) -> dict[str, Any]:
    """The committed example payload of an event type (raises FileNotFoundError if none)."""
    return json.loads(example_path(event_cls).read_text())  # type: ignore[no-any-return]


def example_event(event_cls: type[Event]) -> Event:
    """The example, validated by the model it illustrates."""
    return event_cls.model_validate(example_payload(event_cls))


def example_envelope(event_cls: type[Event]) -> Envelope:
    """The example as it travels: wrapped with fixed ids and time, so generated files are
    stable."""
    event = example_event(event_cls)
    return Envelope.wrap(
        event,
        producer=topic(event_cls.topic).producer,
        event_id=uuid.uuid5(_IDS, f"event:{event_cls.event_type}"),
        occurred_at=datetime.fromisoformat(EXAMPLE_TIME),
        correlation_id="req-7f3a9c",
    )


def draft_example(event_cls: type[Event]) -> dict[str, Any]:
    """A first draft of an example payload, from the event type's JSON Schema."""
    schema = event_cls.model_json_schema(mode="validation")
    return _draft_object(schema, schema.get("$defs", {}))


def _draft_object(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    return {
        name: _draft_value(name, prop, defs) for name, prop in schema.get("properties", {}).items()
    }


def _draft_value(name: str, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _draft_value(name, defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "default" in schema and schema["default"] not in (None, [], ""):
        return schema["default"]
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        kinds = [b.get("type") for b in branches]
        if "number" in kinds and "string" in kinds:
            return "0.23" if "rate" in name else "249.00"
        non_null = [b for b in branches if b.get("type") != "null"]
        return _draft_value(name, non_null[0], defs) if non_null else None
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return _draft_object(schema, defs)
    if kind == "array":
        item = _draft_value(name.removesuffix("s"), schema.get("items", {}), defs)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        wanted = max(schema.get("minimum", 1), 3 if name == "revision" else 5)
        return min(wanted, schema.get("maximum", wanted))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return _draft_string(name, schema)


def _draft_string(name: str, schema: dict[str, Any]) -> str:
    fmt = schema.get("format")
    if fmt == "uuid":
        return str(uuid.uuid5(_IDS, name))
    if fmt == "date-time":
        return EXAMPLE_TIME
    if fmt == "date":
        return EXAMPLE_TIME[:10]
    if schema.get("pattern") == "^[A-Z]{3}$":
        return "EUR"
    if name == "sku":
        return "PUMP-200"
    if name.endswith("number"):
        return "DOC-1042"
    if name == "email":
        return "buyer@example.com"
    text = f"example {name.replace('_', ' ')}"
    return text[: schema.get("maxLength", len(text))]
