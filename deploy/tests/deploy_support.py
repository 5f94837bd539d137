"""Helpers of the deployment checks: the manifests as files, and as kustomize renders them.

(A module of its own, not conftest.py: test modules import it, and pytest runs without
packages, where every conftest.py would be the module ``conftest``.)
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
SERVICES = ("crm", "erp", "gateway")
# The oldest Kubernetes the manifests target (the preStop sleep action needs 1.30).
KUBERNETES_VERSION = "1.30.0"

Document = dict[str, Any]


def load_documents(path: Path) -> list[Document]:
    with path.open() as f:
        return [d for d in yaml.safe_load_all(f) if d]


def manifest_files() -> Iterator[Path]:
    """Every YAML file kustomize reads under deploy/k8s (the kustomizations themselves aside)."""
    for path in sorted(K8S.rglob("*.yaml")):
        if path.name != "kustomization.yaml" and path.parent != K8S:
            yield path


@functools.cache
def base_documents() -> list[Document]:
    """The resources of deploy/k8s/base, file by file (read once; do not modify them)."""
    return [d for p in manifest_files() if "base" in p.parts for d in load_documents(p)]


def render(overlay: str) -> list[Document]:
    """``kubectl kustomize`` of an overlay; skipped, visibly, where kubectl is not installed."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip(
            "kubectl is not installed: rendering the overlays with `kubectl kustomize` was "
            "skipped (each base and overlay file is still checked on its own)"
        )
    result = subprocess.run(
        [kubectl, "kustomize", str(K8S / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def of_kind(documents: list[Document], kind: str) -> list[Document]:
    return [d for d in documents if d.get("kind") == kind]


def named(documents: list[Document], kind: str, name: str) -> Document:
    found = [d for d in of_kind(documents, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def pod_specs(documents: list[Document]) -> Iterator[tuple[Document, Document]]:
    """(workload, pod spec) for every Deployment and Job."""
    for doc in documents:
        if doc.get("kind") in ("Deployment", "Job"):
            yield doc, doc["spec"]["template"]["spec"]


def containers(pod: Document) -> list[Document]:
    return [*pod.get("initContainers", []), *pod["containers"]]
