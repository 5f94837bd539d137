"""docker-compose.yml, checked for structure (no Docker engine or compose plugin needed)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import yaml
from deploy_support import REPO, SERVICES

STARTED_BEFORE_SERVICES = ("kafka", "postgres")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return loaded


def test_the_broker_is_apache_kafka_in_kraft_mode(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert not any("ZOOKEEPER" in name for name in env)


def test_every_long_running_service_has_a_healthcheck(compose: dict[str, Any]) -> None:
    for name in (*STARTED_BEFORE_SERVICES, *SERVICES):
        check = compose["services"][name]["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL") and check["retries"] > 0, name
    for service in SERVICES:
        probe = " ".join(compose["services"][service]["healthcheck"]["test"])
        assert "urllib.request" in probe and "/readyz" in probe  # no curl in the images


def test_services_start_after_their_migrations_broker_and_keys(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for service in SERVICES:
        depends = services[service]["depends_on"]
        assert depends[f"{service}-migrate"] == {"condition": "service_completed_successfully"}
        assert depends["keygen"] == {"condition": "service_completed_successfully"}
        assert depends["kafka"] == {"condition": "service_healthy"}
        migrate = services[f"{service}-migrate"]
        assert migrate["command"] == ["python", "/app/migrate.py", service, "/app/alembic.ini"]
        assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert migrate["restart"] == "no"
    gateway = services["gateway"]["depends_on"]
    assert gateway["crm"] == gateway["erp"] == {"condition": "service_healthy"}
    every = {d for s in services.values() for d in s.get("depends_on", {})}
    assert every <= set(services)


def test_the_services_run_hardened_from_images_built_here(compose: dict[str, Any]) -> None:
    for service in SERVICES:
        for name in (service, f"{service}-migrate"):
            spec = compose["services"][name]
            assert spec["image"] == f"crmerp/{service}:dev"
            assert spec["build"] == {"context": ".", "dockerfile": f"services/{service}/Dockerfile"}
            assert (REPO / spec["build"]["dockerfile"]).exists()
            assert spec["read_only"] is True and spec["tmpfs"] == ["/tmp"]
            assert spec["user"] == "10001:10001" and spec["cap_drop"] == ["ALL"]
    published = {name for name, spec in compose["services"].items() if spec.get("ports")}
    assert published == {"gateway"}  # the one way in, as in Kubernetes


def test_every_setting_passed_exists_in_the_service_settings(compose: dict[str, Any]) -> None:
    for service in SERVICES:
        settings = importlib.import_module(f"{service}.settings").Settings
        prefix = settings.model_config["env_prefix"]
        known = {f"{prefix}{name}".upper() for name in settings.model_fields}
        for name in (service, f"{service}-migrate"):
            passed = set(compose["services"][name]["environment"])
            assert passed and passed <= known, f"{name}: {passed - known}"


def test_only_the_gateway_gets_the_private_key(compose: dict[str, Any]) -> None:
    def volumes(name: str) -> set[str]:
        return {v.split(":")[0] for v in compose["services"][name].get("volumes", [])}

    assert "jwt-private" in volumes("gateway")
    assert {"jwt-private"} & (volumes("crm") | volumes("erp")) == set()
    for mount in (
        compose["services"]["keygen"]["volumes"] + compose["services"]["postgres"]["volumes"]
    ):
        source = mount.split(":")[0]
        if source.startswith("./"):
            assert (REPO / source).exists(), source
    assert set(compose["volumes"]) >= {"jwt-private", "jwt-public", "kafka-data", "postgres-data"}
