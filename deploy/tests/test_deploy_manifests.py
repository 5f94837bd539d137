"""The Kubernetes manifests: they render, validate against the API schemas, and hang together."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from deploy_support import (
    K8S,
    KUBERNETES_VERSION,
    REPO,
    SERVICES,
    Document,
    base_documents,
    containers,
    load_documents,
    manifest_files,
    of_kind,
    pod_specs,
)

# The kinds kustomize and the Kubernetes API know; anything else is a custom resource.
CUSTOM_GROUPS = ("kafka.strimzi.io/", "postgresql.cnpg.io/")


def validate_core(doc: Document) -> None:
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def is_custom(doc: Document) -> bool:
    return str(doc.get("apiVersion", "")).startswith(CUSTOM_GROUPS)


def test_each_overlay_renders_every_part_of_the_platform(
    rendered: tuple[str, list[Document]],
) -> None:
    overlay, docs = rendered
    namespace = {"dev": "crmerp-dev", "prod": "crmerp"}[overlay]
    kinds = {d["kind"] for d in docs}
    assert {
        "Namespace",
        "Deployment",
        "Service",
        "ConfigMap",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "Ingress",
        "Kafka",
        "KafkaNodePool",
        "KafkaTopic",
        "Cluster",
    } <= kinds
    namespaced = [d for d in docs if d["kind"] != "Namespace"]
    assert {d["metadata"].get("namespace") for d in namespaced} == {namespace}
    assert {d["metadata"]["name"] for d in of_kind(docs, "Deployment")} == set(SERVICES)


def test_rendered_core_resources_validate_against_the_kubernetes_schemas(
    rendered: tuple[str, list[Document]],
) -> None:
    _, docs = rendered
    core = [d for d in docs if not is_custom(d)]
    assert core
    for doc in core:
        validate_core(doc)


@pytest.mark.parametrize(
    "path", [p for p in manifest_files() if "base" in p.parts], ids=lambda p: p.name
)
def test_each_base_file_is_valid_on_its_own(path: Path) -> None:
    for doc in load_documents(path):
        if is_custom(doc):
            assert doc["metadata"]["name"] and doc["spec"], path
        else:
            validate_core(doc)


@pytest.mark.parametrize(
    "path", [p for p in manifest_files() if "overlays" in p.parts], ids=lambda p: p.name
)
def test_each_overlay_file_is_a_resource_or_patches_one_in_the_base(path: Path) -> None:
    base = {(d["kind"], d["metadata"]["name"]) for d in base_documents()}
    for doc in load_documents(path):
        if doc["kind"] == "Namespace":
            validate_core(doc)
        else:  # a strategic-merge patch: it must name a resource of the base
            assert (doc["kind"], doc["metadata"]["name"]) in base, path


@pytest.mark.parametrize(
    "kustomization", sorted(K8S.rglob("kustomization.yaml")), ids=lambda p: p.parent.name
)
def test_every_kustomization_names_files_that_exist_and_every_file_is_used(
    kustomization: Path,
) -> None:
    spec = yaml.safe_load(kustomization.read_text())
    folder = kustomization.parent
    listed = [
        *spec.get("resources", []),
        *(p["path"] for p in spec.get("patches", []) if "path" in p),
    ]
    for entry in listed:
        assert (folder / entry).exists(), f"{kustomization}: {entry} does not exist"
    unused = {p.name for p in folder.glob("*.yaml") if p.name != "kustomization.yaml"} - set(listed)
    assert not unused, f"{kustomization}: files kustomize never reads: {unused}"


def test_every_image_is_one_of_ours_built_by_a_dockerfile_here() -> None:
    built = {p.parent.name for p in (REPO / "services").glob("*/Dockerfile")}
    images = {c["image"] for _, pod in pod_specs(base_documents()) for c in containers(pod)}
    assert images == {f"crmerp/{svc}" for svc in SERVICES}
    assert {image.split("/")[-1] for image in images} <= built


def test_rendered_images_are_ours_with_a_tag(rendered: tuple[str, list[Document]]) -> None:
    _, docs = rendered
    built = {p.parent.name for p in (REPO / "services").glob("*/Dockerfile")}
    for _, pod in pod_specs(docs):
        for container in containers(pod):
            path, _, tag = container["image"].rpartition(":")
            assert tag and path.split("/")[-2:][0] == "crmerp", container["image"]
            assert path.split("/")[-1] in built, container["image"]


def test_each_service_has_its_service_autoscaler_and_disruption_budget() -> None:
    docs = base_documents()
    for deployment in of_kind(docs, "Deployment"):
        name = deployment["metadata"]["name"]
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert "replicas" not in deployment["spec"], "the HPA owns the replica count"

        def selects(selector: dict[str, str], labels: dict[str, str] = pod_labels) -> bool:
            return selector.items() <= labels.items()

        services = [s for s in of_kind(docs, "Service") if selects(s["spec"]["selector"])]
        budgets = [
            b
            for b in of_kind(docs, "PodDisruptionBudget")
            if selects(b["spec"]["selector"]["matchLabels"])
        ]
        scalers = [
            h
            for h in of_kind(docs, "HorizontalPodAutoscaler")
            if h["spec"]["scaleTargetRef"]
            == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        ]
        assert len(services) == len(budgets) == len(scalers) == 1, name
        assert scalers[0]["apiVersion"] == "autoscaling/v2"
        assert scalers[0]["spec"]["minReplicas"] >= 2  # base: survive a pod's loss


def test_only_the_gateway_is_exposed_by_the_ingress() -> None:
    [ingress] = of_kind(base_documents(), "Ingress")
    backends = {
        p["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for p in rule["http"]["paths"]
    }
    assert backends == {"gateway"}


def test_the_data_plane_can_be_applied_before_the_services(
    rendered: tuple[str, list[Document]],
) -> None:
    """deploy/README.md applies `-l app.kubernetes.io/component=data-plane` first."""
    _, docs = rendered

    def first(doc: Document) -> bool:
        labels = doc["metadata"].get("labels", {})
        return bool(labels.get("app.kubernetes.io/component") == "data-plane")

    early = {d["kind"] for d in docs if first(d)}
    assert {"Kafka", "KafkaNodePool", "KafkaTopic", "Cluster", "NetworkPolicy"} <= early
    assert all(first(d) for d in docs if d["kind"] in ("Kafka", "KafkaTopic", "Cluster"))
    assert not any(first(d) for d in docs if d["kind"] in ("Deployment", "ConfigMap", "Service"))
