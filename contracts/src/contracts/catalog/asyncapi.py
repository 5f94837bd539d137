"""The AsyncAPI 3.0 document of the platform, generated from the event models and topics.

One channel per topic, one message per event type (its Kafka value is the envelope, its key
the aggregate id), one ``send`` operation per producing service and topic.  Payload schemas
are the same as the per-event JSON Schema files, gathered under ``components/schemas``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from contracts.catalog import CATALOG_VERSION
from contracts.catalog.examples import example_envelope
from contracts.catalog.schemas import ENVELOPE_MAJOR, published_event_classes
from contracts.envelope import Envelope, Event
from contracts.topics import TOPICS, Topic

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
_REF = "#/components/schemas/{model}"


def _headers() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Kafka record headers set by the outbox relay (for routing without "
        "parsing the value; the envelope is authoritative).",
        "properties": {
            "event_type": {"type": "string", "description": "Same as the envelope's event_type."},
            "correlation_id": {
                "type": "string",
                "description": "Same as the envelope's correlation_id; absent when it is null.",
            },
            "traceparent": {
                "type": "string",
                "description": "W3C trace context of the request that raised the event, when it "
                "was traced; absent on replayed messages.",
            },
            "tracestate": {"type": "string", "description": "W3C trace state, with traceparent."},
        },
        "required": ["event_type"],
    }


def _message(event_cls: type[Event], topic: Topic) -> dict[str, Any]:
    doc = (event_cls.__doc__ or event_cls.event_type).strip()
    major = event_cls.major_version()
    example = example_envelope(event_cls)
    return {
        "name": event_cls.event_type,
        "title": event_cls.event_type,
        "summary": " ".join(doc.split("\n\n")[0].split()),
        "description": doc,
        "contentType": "application/json",
        "headers": {"$ref": "#/components/schemas/KafkaHeaders"},
        "payload": {
            "description": "The Kafka record value: the envelope, whose payload is "
            f"{event_cls.event_type} {event_cls.schema_version}.",
            "allOf": [
                {"$ref": "#/components/schemas/Envelope"},
                {
                    "type": "object",
                    "properties": {
                        "event_type": {"const": event_cls.event_type},
                        "schema_version": {"type": "string", "pattern": rf"^{major}\.\d+$"},
                        "producer": {"const": topic.producer},
                        "payload": {"$ref": f"#/components/schemas/{event_cls.event_type}"},
                    },
                },
            ],
        },
        "correlationId": {
            "description": "The request or flow that led to the event.",
            "location": "$message.payload#/correlation_id",
        },
        "bindings": {
            "kafka": {
                "key": {
                    "type": "string",
                    "description": f"The {topic.key} (the envelope's key); "
                    "one aggregate's events share a partition and keep their order.",
                },
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
        "examples": [
            {
                "name": f"{event_cls.event_type}Example",
                "headers": {"event_type": event_cls.event_type, "correlation_id": "req-7f3a9c"},
                "payload": example.model_dump(mode="json"),
            }
        ],
        "x-schema-version": event_cls.schema_version,
        "x-key": topic.key,
    }


def _channel(topic: Topic, events: list[type[Event]]) -> dict[str, Any]:
    return {
        "address": topic.name,
        "title": topic.name,
        "description": f"{topic.description} Published by {topic.producer}; "
        f"the message key is the {topic.key}.",
        "messages": {
            e.event_type: {"$ref": f"#/components/messages/{e.event_type}"} for e in events
        },
        "bindings": {
            "kafka": {
                "topic": topic.name,
                "partitions": topic.partitions,
                "topicConfiguration": {
                    "cleanup.policy": ["delete"],
                    "retention.ms": topic.retention_days * 24 * 3600 * 1000,
                },
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
        "x-producer": topic.producer,
        "x-key": topic.key,
    }


def _operation(topic: Topic, events: list[type[Event]]) -> dict[str, Any]:
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{topic.name}"},
        "title": f"{topic.producer} publishes {topic.name}",
        "summary": f"{topic.producer} publishes these events from its outbox, at least once, "
        f"in order per {topic.key}.",
        "messages": [{"$ref": f"#/channels/{topic.name}/messages/{e.event_type}"} for e in events],
        "x-producer": topic.producer,
    }


def _schemas(events: list[type[Event]]) -> dict[str, Any]:
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(Envelope, "validation")]
    models += [(e, "validation") for e in events]
    _, top = models_json_schema(models, ref_template=_REF)
    schemas: dict[str, Any] = dict(sorted(top.get("$defs", {}).items()))
    schemas["KafkaHeaders"] = _headers()
    return schemas


def asyncapi_document() -> dict[str, Any]:
    events = published_event_classes()
    topics = {t.name: t for t in TOPICS}
    by_topic = {t.name: [e for e in events if e.topic == t.name] for t in TOPICS}
    used = [t for t in TOPICS if by_topic[t.name]]
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:crmerp:events",
        "info": {
            "title": "CRM and ERP events",
            "version": CATALOG_VERSION,
            "description": "Every event the CRM and ERP services publish. Each Kafka record's "
            "value is a JSON envelope (event_id, event_type, schema_version, occurred_at, "
            "producer, key, correlation_id, causation_id, payload); its key is the envelope's "
            "key. Delivery is at least once: deduplicate by event_id. Order holds per key "
            f"within a topic, not across topics. Envelope schema major version {ENVELOPE_MAJOR}.",
        },
        "defaultContentType": "application/json",
        "channels": {t.name: _channel(t, by_topic[t.name]) for t in used},
        "operations": {
            f"{t.producer}.publish.{t.name}": _operation(t, by_topic[t.name]) for t in used
        },
        "components": {
            "schemas": _schemas(events),
            "messages": {e.event_type: _message(e, topics[e.topic]) for e in events},
        },
    }
