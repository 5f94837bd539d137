"""The Dockerfiles, checked statically (no Docker engine is needed to run these tests).

Each is parsed with dockerfile-parse and held to what the deployment relies on: a multi-stage
build on a slim Python base, a non-root user, a HEALTHCHECK on /healthz that needs no curl,
the app and migration runner where the manifests expect them, no secrets, and COPY sources
that exist and that .dockerignore lets into the build context (the repository root).
"""

from __future__ import annotations

import fnmatch
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import PurePosixPath

import pytest
from deploy_support import REPO, SERVICES
from dockerfile_parse import DockerfileParser

SECRETISH = re.compile(r"(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY)", re.I)


def parse(service: str) -> DockerfileParser:
    return DockerfileParser(str(REPO / "services" / service / "Dockerfile"))


def instructions(dockerfile: DockerfileParser, name: str) -> list[str]:
    return [i["value"] for i in dockerfile.structure if i["instruction"] == name]


def final_stage(dockerfile: DockerfileParser) -> list[dict[str, str]]:
    starts = [n for n, i in enumerate(dockerfile.structure) if i["instruction"] == "FROM"]
    return dockerfile.structure[starts[-1] :]


def ignored(path: str, patterns: list[str]) -> bool:
    """.dockerignore semantics, closely enough: the last matching pattern wins, ``!`` re-admits,
    and a pattern matching a directory matches everything below it."""
    parts = PurePosixPath(path).parts
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    verdict = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        if any(fnmatch.fnmatchcase(c, pattern) for c in candidates):
            verdict = not negate
    return verdict


def dockerignore() -> list[str]:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("service", SERVICES)
def test_the_image_is_built_in_stages_on_a_slim_python(service: str) -> None:
    dockerfile = parse(service)
    assert dockerfile.is_multistage
    froms = instructions(dockerfile, "FROM")
    assert len(froms) == 2 and froms[0].endswith("AS build") and froms[1].endswith("AS runtime")
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", dockerfile.baseimage or "")
    runtime = final_stage(dockerfile)
    copies = [i["value"] for i in runtime if i["instruction"] == "COPY"]
    assert "--from=build /opt/venv /opt/venv" in copies
    assert not any("pip install" in i["value"] for i in runtime if i["instruction"] == "RUN")


@pytest.mark.parametrize("service", SERVICES)
def test_the_app_runs_as_a_non_root_user_on_port_8000(service: str) -> None:
    runtime = final_stage(parse(service))
    users = [i["value"] for i in runtime if i["instruction"] == "USER"]
    assert users, "the runtime stage must switch user"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000  # numeric: runAsNonRoot can verify it
    [cmd] = [json.loads(i["value"]) for i in runtime if i["instruction"] == "CMD"]
    assert cmd[:3] == ["uvicorn", f"{service}.app:create_app", "--factory"]
    assert cmd[cmd.index("--port") + 1] == "8000"
    assert "PYTHONDONTWRITEBYTECODE=1" in " ".join(instructions(parse(service), "ENV"))


@pytest.mark.parametrize("service", SERVICES)
def test_the_healthcheck_asks_healthz_with_the_standard_library(service: str) -> None:
    [healthcheck] = instructions(parse(service), "HEALTHCHECK")
    options, _, command = healthcheck.partition("CMD")
    assert "--interval=" in options and "--timeout=" in options
    argv = json.loads(command)
    assert argv[:2] == ["python", "-c"]
    assert "urllib.request" in argv[2] and "127.0.0.1:8000/healthz" in argv[2]
    compile(argv[2], "healthcheck", "exec")  # it is valid Python
    assert "curl" not in healthcheck and "wget" not in healthcheck


@pytest.mark.parametrize("service", SERVICES)
def test_the_image_holds_the_migrations_where_the_manifests_run_them(service: str) -> None:
    runtime = final_stage(parse(service))
    [workdir] = [i["value"] for i in runtime if i["instruction"] == "WORKDIR"]
    copies = {tuple(i["value"].split()) for i in runtime if i["instruction"] == "COPY"}
    assert workdir == "/app"
    assert (f"services/{service}/alembic.ini", "alembic.ini") in copies
    assert (f"services/{service}/migrations/", "migrations/") in copies
    assert ("deploy/docker/migrate.py", "migrate.py") in copies


@pytest.mark.parametrize("service", SERVICES)
def test_no_secret_is_baked_into_the_image(service: str) -> None:
    dockerfile = parse(service)
    for name in [*dockerfile.envs, *dockerfile.args]:
        assert not SECRETISH.search(name), name
    for copy in instructions(dockerfile, "COPY"):
        assert ".pem" not in copy and ".env" not in copy


@pytest.mark.parametrize("service", SERVICES)
def test_every_copy_source_exists_and_is_in_the_build_context(service: str) -> None:
    patterns = dockerignore()
    sources = [
        value.split()[0]
        for value in instructions(parse(service), "COPY")
        if not value.startswith("--from")
    ]
    assert sources
    for source in sources:
        path = REPO / source
        assert path.exists(), source
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        sent = [p for p in files if not ignored(str(p.relative_to(REPO)), patterns)]
        assert sent, f"{source}: .dockerignore keeps all of it out of the build context"
    needed = [
        "contracts/pyproject.toml",
        f"services/{service}/pyproject.toml",
        f"services/{service}/src/{service}/app.py",
        f"services/{service}/migrations/env.py",
        "deploy/docker/migrate.py",
    ]
    assert [n for n in needed if ignored(n, patterns)] == []


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    patterns = dockerignore()
    for path in (
        ".venv/bin/python",
        ".git/HEAD",
        ".env",
        "services/crm/.env",
        "crm.db",
        "keys/jwt-private.pem",
        "services/crm/tests/test_x.py",
        "README.md",
        "services/crm/src/crm/__pycache__/app.cpython-311.pyc",
    ):
        assert ignored(path, patterns), path


def test_the_build_stage_installs_contracts_and_the_service_from_the_tree() -> None:
    for service in SERVICES:
        runs = " ".join(instructions(parse(service), "RUN"))
        assert f'pip install "./contracts[runtime,http]" ./services/{service}' in runs


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_the_healthcheck_passes_on_200_and_fails_otherwise(status: int, healthy: bool) -> None:
    [healthcheck] = instructions(parse("crm"), "HEALTHCHECK")
    code = json.loads(healthcheck.partition("CMD")[2])[2]

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    with http.server.HTTPServer(("127.0.0.1", 0), Health) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        local = code.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        result = subprocess.run([sys.executable, "-c", local], capture_output=True, timeout=30)
        server.shutdown()
    assert (result.returncode == 0) is healthy, result.stderr
