"""The pods: hardened, probed, and wired only to settings, Secrets and peers that exist."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_support import (
    K8S,
    SERVICES,
    Document,
    base_documents,
    containers,
    named,
    of_kind,
    pod_specs,
)
from pydantic_settings import BaseSettings

# The keys CloudNativePG writes into the <cluster>-app Secret of every Cluster it bootstraps.
CNPG_APP_SECRET_KEYS = {"username", "user", "password", "dbname", "host", "port", "pgpass", "uri"}
CNPG_APP_SECRET_KEYS |= {"jdbc-uri"}
# Variables read by uvicorn itself rather than by a Settings class.
SERVER_VARIABLES = {"FORWARDED_ALLOW_IPS"}


def settings_fields(service: str) -> tuple[str, set[str]]:
    """(env prefix, the env names the service's Settings class reads)."""
    settings: type[BaseSettings] = importlib.import_module(f"{service}.settings").Settings
    prefix = str(settings.model_config.get("env_prefix", ""))
    return prefix, {f"{prefix}{name}".upper() for name in settings.model_fields}


def deployment(service: str) -> Document:
    return named(base_documents(), "Deployment", service)


@pytest.mark.parametrize("service", SERVICES)
def test_pods_run_unprivileged_on_a_read_only_root(service: str) -> None:
    pod = deployment(service)["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    for container in containers(pod):
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"] == {"drop": ["ALL"]}
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}
        assert {"/tmp"} <= {m["mountPath"] for m in container["volumeMounts"]}
        assert container["resources"]["requests"] and container["resources"]["limits"]
    tmp = [v for v in pod["volumes"] if v["name"] == "tmp"]
    assert tmp and "emptyDir" in tmp[0]


@pytest.mark.parametrize("service", SERVICES)
def test_probes_use_the_health_endpoints(service: str) -> None:
    [app] = deployment(service)["spec"]["template"]["spec"]["containers"]
    assert app["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert app["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert app["readinessProbe"]["httpGet"]["path"] == "/readyz"
    # /readyz waits up to ~2.5 s for the broker: the probe must wait longer than that.
    assert app["readinessProbe"]["timeoutSeconds"] >= 3


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_run_before_the_app_starts(service: str) -> None:
    pod = deployment(service)["spec"]["template"]["spec"]
    [migrate] = pod["initContainers"]
    assert migrate["image"] == pod["containers"][0]["image"]
    assert migrate["command"] == ["python", "/app/migrate.py", service, "/app/alembic.ini"]
    database = [e for e in migrate["env"] if e["name"] == f"{service.upper()}_DATABASE_URL"]
    assert database == [e for e in pod["containers"][0]["env"] if e["name"] == database[0]["name"]]


@pytest.mark.parametrize("service", SERVICES)
def test_every_setting_the_manifests_pass_exists_in_the_settings_class(service: str) -> None:
    prefix, known = settings_fields(service)
    docs = base_documents()
    pod = deployment(service)["spec"]["template"]["spec"]
    passed: set[str] = set()
    for container in containers(pod):
        passed |= {e["name"] for e in container.get("env", [])}
        for source in container.get("envFrom", []):
            config = named(docs, "ConfigMap", source["configMapRef"]["name"])
            passed |= set(config["data"])
    passed -= SERVER_VARIABLES
    assert passed, service
    assert all(name.startswith(prefix) for name in passed), passed
    assert passed - known == set(), f"{service} has no such settings"
    # What a service cannot start without is always set.
    assert {f"{prefix}DATABASE_URL", f"{prefix}KAFKA_BOOTSTRAP_SERVERS"} <= passed


def _secret_refs(pod: Document) -> list[tuple[str, str]]:
    refs = []
    for container in containers(pod):
        for env in container.get("env", []):
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                refs.append((ref["name"], ref["key"]))
    for volume in pod.get("volumes", []):
        if "secret" in volume:
            for item in volume["secret"]["items"]:
                refs.append((volume["secret"]["secretName"], item["key"]))
    return refs


def test_every_secret_key_referenced_is_provided() -> None:
    docs = base_documents()
    required: dict[str, Any] = yaml.safe_load((K8S / "required-secrets.yaml").read_text())
    provided = {name: set(spec["keys"]) for name, spec in required.items()}
    for cluster in of_kind(docs, "Cluster"):
        provided[f"{cluster['metadata']['name']}-app"] = CNPG_APP_SECRET_KEYS
    referenced = [ref for _, pod in pod_specs(docs) for ref in _secret_refs(pod)]
    assert referenced
    for name, key in referenced:
        assert key in provided.get(name, set()), f"Secret {name} has no key {key}"
    # Every declared Secret is used: the list stays the truth.
    assert set(required) <= {name for name, _ in referenced}


def test_every_config_map_referenced_exists() -> None:
    docs = base_documents()
    names = {c["metadata"]["name"] for c in of_kind(docs, "ConfigMap")}
    for _, pod in pod_specs(docs):
        for container in containers(pod):
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in names


def test_tls_secrets_of_the_ingress_come_from_cert_manager() -> None:
    for path in (K8S / "overlays").rglob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == "Ingress" and doc["spec"].get("tls"):
                assert "cert-manager.io/cluster-issuer" in doc["metadata"]["annotations"]


def _peers(rules: list[Document], direction: str) -> list[dict[str, str]]:
    return [
        peer.get("podSelector", {}).get("matchLabels", {})
        for rule in rules
        for peer in rule.get(direction, [])
    ]


def test_network_policies_deny_by_default_and_allow_only_the_designed_paths() -> None:
    docs = base_documents()
    deny = named(docs, "NetworkPolicy", "default-deny")
    assert deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}

    gateway = named(docs, "NetworkPolicy", "gateway")
    [from_outside] = gateway["spec"]["ingress"]
    [peer] = from_outside["from"]
    assert peer["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"
    }
    for service in ("crm", "erp"):
        policy = named(docs, "NetworkPolicy", service)
        callers = _peers(policy["spec"]["ingress"], "from")
        assert callers == [{"app.kubernetes.io/name": "gateway"}]
    for service in SERVICES:
        policy = named(docs, "NetworkPolicy", service)
        reached = _peers(policy["spec"]["egress"], "to")
        databases = {p["cnpg.io/cluster"] for p in reached if "cnpg.io/cluster" in p}
        assert databases == {f"{service}-db"}, f"{service} reaches {databases}"
        assert {"strimzi.io/cluster": "crmerp", "strimzi.io/kind": "Kafka"} in reached
        upstreams = {p.get("app.kubernetes.io/name") for p in reached} - {None}
        assert upstreams == ({"crm", "erp"} if service == "gateway" else set())
    for service in SERVICES:  # each database admits its own service only
        policy = named(docs, "NetworkPolicy", f"{service}-db")
        apps = {
            p["app.kubernetes.io/name"]
            for p in _peers(policy["spec"]["ingress"], "from")
            if "app.kubernetes.io/name" in p
        }
        assert apps == {service, "cloudnative-pg"}


def _exposed(path: str) -> bool:
    [ingress] = of_kind(base_documents(), "Ingress")
    for rule in ingress["spec"]["rules"]:
        for route in rule["http"]["paths"]:
            prefix = route["path"]
            if route["pathType"] == "Exact" and path == prefix:
                return True
            if route["pathType"] == "Prefix" and (path == prefix or path.startswith(prefix + "/")):
                return True
    return False


def test_the_ingress_routes_every_public_route_of_the_gateway_and_nothing_internal(
    tmp_path: Path,
) -> None:
    from devstack.testing import SigningKeys
    from gateway.app import create_app
    from gateway.settings import Settings

    keys = SigningKeys()
    app = create_app(
        Settings(jwt_private_key=keys.private_pem, database_url=f"sqlite:///{tmp_path}/gw.db")
    )
    internal = {"/healthz", "/readyz", "/metrics"}
    public = {p for p in app.openapi()["paths"] if p not in internal}
    public |= {"/docs", "/openapi.json", "/ops"}  # served outside the schema
    assert public
    assert [p for p in sorted(public) if not _exposed(p)] == []
    assert [p for p in sorted(internal) if _exposed(p)] == []


def test_only_prometheus_may_scrape_besides_the_designed_callers() -> None:
    policy = named(base_documents(), "NetworkPolicy", "metrics-scrape")
    selected = policy["spec"]["podSelector"]["matchExpressions"][0]
    assert (selected["key"], set(selected["values"])) == ("app.kubernetes.io/name", set(SERVICES))
    [rule] = policy["spec"]["ingress"]
    [peer] = rule["from"]
    assert peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "monitoring"}
    assert rule["ports"] == [{"port": 8000, "protocol": "TCP"}]
    assert policy["spec"]["policyTypes"] == ["Ingress"]
