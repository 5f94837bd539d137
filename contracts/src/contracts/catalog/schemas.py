"""JSON Schemas of the envelope and of every event payload, as subscribers see them.

Schemas are in pydantic's validation mode: ``required`` lists the fields a reader cannot do
without.  Producers always send every field, defaults included.
"""

from __future__ import annotations

import json
from typing import Any

from contracts.envelope import Envelope, Event, all_event_classes
from contracts.topics import topic as topic_info

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_MAJOR = 1
_URN = "urn:crmerp:schema"  # a stable name for each schema, wherever its file is served


def published_event_classes() -> list[type[Event]]:
    """Every event type of the platform (test-only ``test.*`` topics left out)."""
    return [c for c in all_event_classes() if not c.topic.startswith("test.")]


def schema_path(event_cls: type[Event]) -> str:
    """Where an event type's schema lives, relative to the schemas directory."""
    return f"{event_cls.topic}/{event_cls.event_type}.v{event_cls.major_version()}.json"


ENVELOPE_PATH = f"envelope.v{ENVELOPE_MAJOR}.json"


def event_schema(event_cls: type[Event]) -> dict[str, Any]:
    """The JSON Schema of one event type's payload, with its catalog facts as ``x-`` keys."""
    info = topic_info(event_cls.topic)
    body = event_cls.model_json_schema(mode="validation")
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"{_URN}:{event_cls.topic}:{event_cls.event_type}:v{event_cls.major_version()}",
        **body,
        "x-event-type": event_cls.event_type,
        "x-schema-version": event_cls.schema_version,
        "x-topic": event_cls.topic,
        "x-key": info.key,
        "x-producer": info.producer,
    }


def envelope_schema() -> dict[str, Any]:
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"{_URN}:envelope:v{ENVELOPE_MAJOR}",
        **Envelope.model_json_schema(mode="validation"),
        "x-schema-version": f"{ENVELOPE_MAJOR}.0",
    }


def render(document: dict[str, Any]) -> str:
    """The one canonical text of a generated file, so that staleness is a plain comparison."""
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def schema_files() -> dict[str, str]:
    """Every schema file's path (relative to the schemas directory) and its content."""
    files = {ENVELOPE_PATH: render(envelope_schema())}
    for event_cls in published_event_classes():
        files[schema_path(event_cls)] = render(event_schema(event_cls))
    return files
