"""The published catalog: every event type documented, exemplified, and its files up to date."""

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from contracts.catalog import ASYNCAPI_FILE, GENERATE_COMMAND, RELEASE_COMMAND, SCHEMAS_DIR
from contracts.catalog.compat import compare_catalogs
from contracts.catalog.examples import (
    draft_example,
    example_envelope,
    example_event,
    example_payload,
)
from contracts.catalog.files import current_catalog, released_catalog, stale_files
from contracts.catalog.schemas import ENVELOPE_PATH, published_event_classes, schema_path
from contracts.envelope import Event
from contracts.topics import TOPICS, topic

EVENTS = published_event_classes()


def _committed(path: str) -> dict[str, Any]:
    return json.loads((SCHEMAS_DIR / path).read_text())  # type: ignore[no-any-return]


def test_the_generated_files_are_up_to_date() -> None:
    stale = stale_files()
    assert not stale, f"stale contract files {stale}; regenerate them with: {GENERATE_COMMAND}"


def test_the_current_schemas_do_not_break_the_released_ones() -> None:
    verdict = compare_catalogs(released_catalog(), current_catalog())
    assert verdict.ok, (
        "breaking changes against contracts/released/catalog.json without a major version "
        f"bump: {[str(c) for c in verdict.breaking]}; make the change additive (optional "
        "field), or bump the event's major version and then run: " + RELEASE_COMMAND
    )


@pytest.mark.parametrize("event_cls", EVENTS, ids=lambda c: c.event_type)
def test_every_event_type_is_documented_and_has_a_valid_example(event_cls: type[Event]) -> None:
    assert (event_cls.__doc__ or "").strip(), "a docstring says what happened"
    assert event_cls.schema_version.count(".") == 1
    assert topic(event_cls.topic).producer in {"crm", "erp"}
    event = example_event(event_cls)
    payload = example_payload(event_cls)
    assert event.partition_key() in {str(v) for v in payload.values()}, "the key is a field"
    Draft202012Validator(_committed(schema_path(event_cls))).validate(payload)


@pytest.mark.parametrize("event_cls", EVENTS, ids=lambda c: c.event_type)
def test_the_generator_drafts_a_valid_example_for_a_new_event_type(
    event_cls: type[Event],
) -> None:
    event_cls.model_validate(draft_example(event_cls))


@pytest.mark.parametrize("event_cls", EVENTS, ids=lambda c: c.event_type)
def test_every_field_has_a_description(event_cls: type[Event]) -> None:
    schema = _committed(schema_path(event_cls))
    objects = [(event_cls.event_type, schema), *schema.get("$defs", {}).items()]
    undescribed = [
        f"{name}.{field}"
        for name, obj in objects
        for field, prop in obj.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert not undescribed, f"add Field(description=...) to {undescribed}"


def test_every_committed_schema_is_valid_json_schema() -> None:
    for path in SCHEMAS_DIR.rglob("*.json"):
        Draft202012Validator.check_schema(json.loads(path.read_text()))
    envelope = _committed(ENVELOPE_PATH)
    for event_cls in EVENTS:
        Draft202012Validator(envelope).validate(example_envelope(event_cls).model_dump(mode="json"))


# The AsyncAPI 3.0 structure: required fields and the fields each object may have.  No
# Python library validates AsyncAPI 3 and no package here ships the specification's JSON
# Schema, so this is written out from the specification (3.0.0, "Schema" section).
def _fixed(required: list[str], fields: str, **properties: Any) -> dict[str, Any]:
    """An AsyncAPI object: these fields only (plus ``x-`` extensions)."""
    return {
        "type": "object",
        "required": required,
        "properties": {name: properties.get(name, {}) for name in fields.split()},
        "patternProperties": {"^x-": {}},
        "additionalProperties": False,
    }


def _map_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": {"pattern": r"^[A-Za-z0-9_.\-]+$"},
        "additionalProperties": schema,
    }


_REF_OBJECT = {"type": "object", "required": ["$ref"]}
_CORRELATION_ID = _fixed(["location"], "description location")
_MESSAGE_EXAMPLE = _fixed([], "headers payload name summary")
_MESSAGE = _fixed(
    ["payload"],
    "headers payload correlationId contentType name title summary description tags "
    "externalDocs bindings examples traits",
    correlationId=_CORRELATION_ID,
    examples={"type": "array", "items": _MESSAGE_EXAMPLE},
)
_CHANNEL = _fixed(
    ["address", "messages"],
    "address messages title summary description servers parameters tags externalDocs bindings",
    address={"type": ["string", "null"]},
    messages=_map_of(_REF_OBJECT),
)
_OPERATION = _fixed(
    ["action", "channel"],
    "action channel title summary description security tags externalDocs bindings traits "
    "messages reply",
    action={"enum": ["send", "receive"]},
    channel=_REF_OBJECT,
    messages={"type": "array", "items": _REF_OBJECT},
)
_COMPONENTS = _fixed(
    [],
    "schemas servers channels operations messages securitySchemes serverVariables parameters "
    "correlationIds replies replyAddresses externalDocs tags operationTraits messageTraits "
    "serverBindings channelBindings operationBindings messageBindings",
    schemas=_map_of({"type": "object"}),
    messages=_map_of(_MESSAGE),
)
_ASYNCAPI_3 = _fixed(
    ["asyncapi", "info"],
    "asyncapi id info servers defaultContentType channels operations components",
    asyncapi={"const": "3.0.0"},
    info=_fixed(
        ["title", "version"],
        "title version description termsOfService contact license tags externalDocs",
    ),
    channels=_map_of(_CHANNEL),
    operations=_map_of(_OPERATION),
    components=_COMPONENTS,
)


def _asyncapi() -> dict[str, Any]:
    return json.loads(ASYNCAPI_FILE.read_text())  # type: ignore[no-any-return]


def _pointer(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_the_asyncapi_document_has_the_required_structure_and_every_ref_resolves() -> None:
    document = _asyncapi()
    Draft202012Validator(_ASYNCAPI_3).validate(document)
    for ref in _refs(document):
        _pointer(document, ref)


def test_the_asyncapi_document_describes_every_topic_message_key_and_producer() -> None:
    document = _asyncapi()
    for t in TOPICS:
        events = [e for e in EVENTS if e.topic == t.name]
        if not events:
            continue
        channel = document["channels"][t.name]
        assert channel["address"] == t.name and channel["x-producer"] == t.producer
        assert set(channel["messages"]) == {e.event_type for e in events}
        operation = document["operations"][f"{t.producer}.publish.{t.name}"]
        assert operation["action"] == "send"
    registry = Registry().with_resource("urn:asyncapi", DRAFT202012.create_resource(document))
    for event_cls in EVENTS:
        message = document["components"]["messages"][event_cls.event_type]
        assert message["bindings"]["kafka"]["key"]["type"] == "string"
        validator = Draft202012Validator(
            {"$ref": f"urn:asyncapi#/components/messages/{event_cls.event_type}/payload"},
            registry=registry,
        )
        for example in message["examples"]:
            validator.validate(example["payload"])


def test_the_structure_check_rejects_asyncapi_2_habits_and_missing_fields() -> None:
    document = _asyncapi()
    operation = next(iter(document["operations"].values()))
    broken = [
        {**document, "asyncapi": "2.6.0"},
        {**document, "info": {"title": "no version"}},
        {**document, "operations": {"x": {**operation, "action": "publish"}}},
        {**document, "channels": {"c": {"address": "c", "messages": {}, "publish": {}}}},
    ]
    for candidate in broken:
        assert list(Draft202012Validator(_ASYNCAPI_3).iter_errors(candidate)), candidate.keys()
