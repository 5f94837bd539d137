"""Writing and checking the generated files, and taking a release snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contracts.catalog import ASYNCAPI_FILE, RELEASED_FILE, SCHEMAS_DIR
from contracts.catalog.asyncapi import asyncapi_document
from contracts.catalog.examples import draft_example, example_path
from contracts.catalog.schemas import (
    envelope_schema,
    event_schema,
    published_event_classes,
    render,
    schema_files,
)


def expected_files() -> dict[Path, str]:
    """Every generated file and the content it should have now."""
    files = {SCHEMAS_DIR / rel: text for rel, text in schema_files().items()}
    files[ASYNCAPI_FILE] = render(asyncapi_document())
    return files


def stale_files() -> list[str]:
    """Generated files that are missing, outdated or no longer generated."""
    expected = expected_files()
    stale = [
        str(path.relative_to(SCHEMAS_DIR.parent))
        for path, text in expected.items()
        if not path.exists() or path.read_text() != text
    ]
    if SCHEMAS_DIR.exists():
        stale += [
            f"{path.relative_to(SCHEMAS_DIR.parent)} (no longer generated)"
            for path in sorted(SCHEMAS_DIR.rglob("*.json"))
            if path not in expected
        ]
    return stale


def missing_examples() -> list[str]:
    return [e.event_type for e in published_event_classes() if not example_path(e).exists()]


def draft_missing_examples() -> list[Path]:
    """Write a draft example for each event type that has none yet."""
    written = []
    for event_cls in published_event_classes():
        path = example_path(event_cls)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(draft_example(event_cls)))
            written.append(path)
    return written


def generate() -> list[Path]:
    """Rewrite every generated file (drafting missing examples first); the changed ones."""
    draft_missing_examples()
    if SCHEMAS_DIR.exists():
        expected = expected_files()
        for path in SCHEMAS_DIR.rglob("*.json"):
            if path not in expected:
                path.unlink()
    changed = []
    for path, text in expected_files().items():
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            changed.append(path)
    return changed


def current_catalog() -> dict[str, Any]:
    """The catalog in the shape of a release snapshot."""
    return {
        "envelope": envelope_schema(),
        "events": {
            e.event_type: {
                "topic": e.topic,
                "schema_version": e.schema_version,
                "schema": event_schema(e),
            }
            for e in published_event_classes()
        },
    }


def released_catalog(path: Path = RELEASED_FILE) -> dict[str, Any]:
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def release(path: Path = RELEASED_FILE) -> Path:
    """Snapshot the current schemas as the released contract."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(current_catalog()))
    return path
