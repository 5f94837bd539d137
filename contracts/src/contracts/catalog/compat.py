"""Is the current catalog compatible with the last released one?

A change is *breaking* when a reader or a stored message of the released contract can no
longer be understood: a removed event type, a removed field, a retyped field (type, format,
const/enum or constraint changed), a new required field, or a required field made optional.
Breaking changes are allowed only with a new major version of that event type.  Everything
else (new event types, new optional fields, documentation) is additive; a new field without a
minor version bump is reported, not refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Keywords compared at a leaf: the value's type and constraints.  Everything else (title,
# description, examples, default) only documents, and may change freely.
_SHAPE = {
    "type", "format", "const", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "multipleOf",
}  # fmt: skip


@dataclass(frozen=True)
class Change:
    subject: str  # "OrderConfirmed", or "envelope"
    path: str  # dotted field path, "" for the event type as a whole
    kind: str  # removed-event, removed-field, retyped-field, new-required-field, ...
    detail: str

    def __str__(self) -> str:
        where = f"{self.subject}.{self.path}" if self.path else self.subject
        return f"{where}: {self.kind} ({self.detail})"


@dataclass(frozen=True)
class Verdict:
    breaking: list[Change]
    allowed: list[Change]  # breaking changes made acceptable by a major version bump
    additive: list[Change]

    @property
    def ok(self) -> bool:
        return not self.breaking


def compare_catalogs(released: dict[str, Any], current: dict[str, Any]) -> Verdict:
    """Compare two catalogs shaped like the release snapshot:
    ``{"envelope": schema, "events": {EventType: {"schema_version": ..., "schema": ...}}}``."""
    breaking: list[Change] = []
    allowed: list[Change] = []
    additive: list[Change] = []
    breaking += compare_schemas("envelope", released["envelope"], current["envelope"])
    for name, old in sorted(released["events"].items()):
        new = current["events"].get(name)
        if new is None:
            breaking.append(Change(name, "", "removed-event", "the event type is gone"))
            continue
        comparison = _Comparison(name, old["schema"], new["schema"])
        changes = comparison.changes
        old_major, new_major = _major(old["schema_version"]), _major(new["schema_version"])
        additive += comparison.additions
        if comparison.additions and new["schema_version"] == old["schema_version"]:
            additive.append(Change(name, "", "minor-not-bumped", f"still {new['schema_version']}"))
        if new_major > old_major:
            allowed += changes
        elif new_major < old_major:
            went = f"{old['schema_version']} -> {new['schema_version']}"
            breaking.append(Change(name, "", "version-went-back", went))
        else:
            breaking += changes
    for name in sorted(set(current["events"]) - set(released["events"])):
        additive.append(Change(name, "", "new-event", current["events"][name]["schema_version"]))
    return Verdict(breaking, allowed, additive)


def _major(schema_version: str) -> int:
    return int(schema_version.split(".")[0])


def compare_schemas(subject: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The breaking differences between two JSON Schemas of one payload."""
    return _Comparison(subject, old, new).changes


class _Comparison:
    """Walks two schemas of one payload: ``changes`` break readers, ``additions`` do not."""

    def __init__(self, subject: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.subject = subject
        self.old_defs = old.get("$defs", {})
        self.new_defs = new.get("$defs", {})
        self.changes: list[Change] = []
        self.additions: list[Change] = []
        self.schema(old, new, "")

    def _resolve(self, schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def _add(self, path: str, kind: str, detail: str) -> None:
        self.changes.append(Change(self.subject, path, kind, detail))

    def schema(self, old: dict[str, Any], new: dict[str, Any], path: str) -> list[Change]:
        old, new = self._resolve(old, self.old_defs), self._resolve(new, self.new_defs)
        if "properties" in old or "properties" in new:
            self._object(old, new, path)
        elif old.get("type") == "array" and new.get("type") == "array":
            self._leaf(old, new, path)
            self.schema(old.get("items", {}), new.get("items", {}), f"{path}[]")
        elif "anyOf" in old or "anyOf" in new:
            self._union(old, new, path)
        else:
            self._leaf(old, new, path)
        return self.changes

    def _object(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_req, new_req = set(old.get("required", [])), set(new.get("required", []))
        for name, old_prop in old_props.items():
            field = f"{path}.{name}" if path else name
            if name not in new_props:
                self._add(field, "removed-field", "readers of the released schema need it")
                continue
            if name in old_req and name not in new_req:
                self._add(field, "required-field-made-optional", "readers rely on it")
            self.schema(old_prop, new_props[name], field)
        for name in sorted(new_props.keys() - old_props.keys()):
            field = f"{path}.{name}" if path else name
            if name in new_req:
                self._add(field, "new-required-field", "stored messages do not have it")
            else:
                self.additions.append(Change(self.subject, field, "new-optional-field", "minor"))

    def _union(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_branches, new_branches = old.get("anyOf"), new.get("anyOf")
        if not old_branches or not new_branches or len(old_branches) != len(new_branches):
            self._add(path, "retyped-field", f"{_shape(old)} -> {_shape(new)}")
            return
        for a, b in zip(old_branches, new_branches, strict=True):
            self.schema(a, b, path)

    def _leaf(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        if _shape(old) != _shape(new):
            self._add(path, "retyped-field", f"{_shape(old)} -> {_shape(new)}")


def _shape(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(schema.items()) if k in _SHAPE}
