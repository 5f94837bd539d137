"""Kafka through Strimzi: a KRaft cluster, and a KafkaTopic for every topic in contracts."""

from __future__ import annotations

import ast
import importlib.util
from types import ModuleType

from deploy_support import K8S, REPO, Document, base_documents, load_documents, named, of_kind

from contracts.topics import TOPICS, dead_letter_topic

DAY_MS = 24 * 60 * 60 * 1000


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deploy_k8s_topics", K8S / "topics.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def consuming_services() -> set[str]:
    """Services whose events.py declares a non-empty HANDLERS map (read, not imported)."""
    found = set()
    for events in (REPO / "services").glob("*/src/*/events.py"):
        for node in ast.walk(ast.parse(events.read_text())):
            target = getattr(node, "target", None) or next(iter(getattr(node, "targets", [])), None)
            if isinstance(target, ast.Name) and target.id == "HANDLERS":
                value = getattr(node, "value", None)
                if isinstance(value, ast.Dict) and value.keys:
                    found.add(events.parent.name)
    return found


def topics() -> dict[str, Document]:
    return {t["spec"]["topicName"]: t for t in load_documents(K8S / "base/kafka/topics.yaml")}


def test_the_topic_manifests_are_what_the_generator_writes_from_contracts() -> None:
    written = (K8S / "base/kafka/topics.yaml").read_text()
    assert written == generator().render(), "run: python deploy/k8s/topics.py"


def test_every_topic_in_contracts_has_a_kafka_topic_with_its_partitions_and_retention() -> None:
    manifests = topics()
    for topic in TOPICS:
        spec = manifests[topic.name]["spec"]
        assert spec["partitions"] == topic.partitions
        assert spec["config"]["retention.ms"] == topic.retention_days * DAY_MS
        assert spec["replicas"] >= 3 and spec["config"]["min.insync.replicas"] == 2


def test_every_consuming_service_has_its_dead_letter_topic_and_nothing_else_is_there() -> None:
    consumers = consuming_services()
    assert consumers == set(generator().CONSUMING_SERVICES)
    expected = {t.name for t in TOPICS} | {dead_letter_topic(s) for s in consumers}
    assert set(topics()) == expected


def test_the_kafka_cluster_runs_in_kraft_mode_with_a_node_pool() -> None:
    docs = base_documents()
    kafka = named(docs, "Kafka", "crmerp")
    assert "zookeeper" not in kafka["spec"]
    listener = kafka["spec"]["kafka"]["listeners"][0]
    assert (listener["port"], listener["type"], listener["tls"]) == (9092, "internal", False)
    [pool] = of_kind(docs, "KafkaNodePool")
    assert pool["metadata"]["labels"]["strimzi.io/cluster"] == "crmerp"
    assert set(pool["spec"]["roles"]) == {"controller", "broker"}
    assert pool["spec"]["replicas"] >= 3
    for topic in of_kind(docs, "KafkaTopic"):
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "crmerp"
    # The services find the brokers at the bootstrap Service Strimzi names after the cluster.
    for config in of_kind(docs, "ConfigMap"):
        servers = [v for k, v in config["data"].items() if k.endswith("KAFKA_BOOTSTRAP_SERVERS")]
        assert servers == ["crmerp-kafka-bootstrap:9092"]


def test_each_service_has_its_own_postgresql_cluster_and_database() -> None:
    for service in ("crm", "erp", "gateway"):
        cluster = named(base_documents(), "Cluster", f"{service}-db")
        assert cluster["spec"]["bootstrap"]["initdb"] == {"database": service, "owner": service}
        assert cluster["spec"]["instances"] >= 3 and cluster["spec"]["storage"]["size"]


# Field names of the custom resources, as the operators' API references define them (the
# subset this deployment may use).  Their CRD schemas are not available offline, so this at
# least catches a misspelt field, which an operator would otherwise ignore or reject late.
CUSTOM_FIELDS: dict[tuple[str, str], set[str]] = {
    ("KafkaTopic", "spec"): {"partitions", "replicas", "config", "topicName"},
    ("KafkaNodePool", "spec"): {
        "replicas",
        "roles",
        "storage",
        "resources",
        "jvmOptions",
        "template",
    },
    ("KafkaNodePool", "spec.storage"): {"type", "volumes"},
    ("KafkaNodePool", "spec.storage.volumes"): {
        "id",
        "type",
        "size",
        "class",
        "deleteClaim",
        "kraftMetadata",
        "selector",
        "overrides",
    },
    ("Kafka", "spec"): {"kafka", "entityOperator", "cruiseControl", "kafkaExporter"},
    ("Kafka", "spec.kafka"): {
        "version",
        "metadataVersion",
        "listeners",
        "config",
        "authorization",
        "rack",
        "template",
    },
    ("Kafka", "spec.kafka.listeners"): {
        "name",
        "port",
        "type",
        "tls",
        "authentication",
        "configuration",
        "networkPolicyPeers",
    },
    ("Kafka", "spec.entityOperator"): {"topicOperator", "userOperator", "template"},
    ("Cluster", "spec"): {
        "instances",
        "imageName",
        "primaryUpdateStrategy",
        "storage",
        "bootstrap",
        "resources",
        "postgresql",
        "backup",
        "monitoring",
        "affinity",
        "walStorage",
    },
    ("Cluster", "spec.storage"): {"size", "storageClass", "pvcTemplate", "resizeInUseVolumes"},
    ("Cluster", "spec.bootstrap"): {"initdb", "recovery", "pg_basebackup"},
    ("Cluster", "spec.bootstrap.initdb"): {
        "database",
        "owner",
        "secret",
        "encoding",
        "dataChecksums",
    },
}


def _at(doc: Document, path: str) -> list[Document]:
    nodes: list[Document] = [doc]
    for part in path.split("."):
        found: list[Document] = []
        for node in nodes:
            value = node.get(part)
            if isinstance(value, list):
                found.extend(value)
            elif isinstance(value, dict):
                found.append(value)
        nodes = found
    return nodes


def test_custom_resources_use_only_documented_fields() -> None:
    overlay_patches = [
        doc
        for path in (K8S / "overlays").rglob("*.yaml")
        if path.name != "kustomization.yaml"
        for doc in load_documents(path)
    ]
    checked = 0
    for doc in [*base_documents(), *overlay_patches]:
        for (kind, path), allowed in CUSTOM_FIELDS.items():
            if doc.get("kind") != kind:
                continue
            for node in _at(doc, path):
                assert set(node) <= allowed, f"{kind} {path}: {set(node) - allowed}"
                checked += 1
    assert checked >= len(TOPICS) + 10
