"""The event catalog as a Markdown page for people: ``python -m contracts.catalog.markdown``.

Printed to standard output; the repository keeps it as docs/events.md, and a test fails when
that copy is stale.
"""

from __future__ import annotations

from typing import Any

from contracts.envelope import Envelope, all_event_classes
from contracts.topics import TOPICS

DOC_COMMAND = "python -m contracts.catalog.markdown > docs/events.md"


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    kind = str(schema.get("type", "object"))
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else kind


def _fields(schema: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    rows = []
    for name, spec in schema.get("properties", {}).items():
        description = " ".join(str(spec.get("description", "")).split())
        rows.append(
            f"| `{name}` | {_type_of(spec)} | {'yes' if name in required else 'no'} "
            f"| {description} |"
        )
    return rows


def render() -> str:
    lines = [
        "# Event catalog",
        "",
        f"Generated from the models in `contracts/` by `{DOC_COMMAND}`; do not edit by hand.",
        "Machine-readable forms: JSON Schemas in `contracts/src/contracts/schemas/`, AsyncAPI 3",
        "in `contracts/src/contracts/asyncapi.json`. Delivery is at least once: deduplicate by",
        "`event_id`. Order is kept per key within a topic, never across topics.",
        "",
        "## Envelope",
        "",
        "| field | type | required | meaning |",
        "|---|---|---|---|",
        *_fields(Envelope.model_json_schema()),
        "",
        "## Topics",
        "",
        "| topic | producer | key | partitions | retention | what |",
        "|---|---|---|---|---|---|",
    ]
    for t in TOPICS:
        lines.append(
            f"| `{t.name}` | {t.producer} | `{t.key}` | {t.partitions} | "
            f"{t.retention_days} days | {t.description} |"
        )
    for cls in all_event_classes():
        if cls.topic.startswith(("test.", "bench.")):
            continue
        schema = cls.model_json_schema()
        doc = " ".join((cls.__doc__ or "").split())
        lines += [
            "",
            f"## {cls.event_type}",
            "",
            f"Topic `{cls.topic}`, version {cls.schema_version}. {doc}",
            "",
            "| field | type | required | meaning |",
            "|---|---|---|---|",
            *_fields(schema),
        ]
        for name, part in sorted(schema.get("$defs", {}).items()):
            lines += [
                "",
                f"`{name}`:",
                "",
                "| field | type | required | meaning |",
                "|---|---|---|---|",
                *_fields(part),
            ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
