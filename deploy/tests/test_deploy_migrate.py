"""The migration runner of the images: pods that start together migrate once, in turn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from deploy_support import REPO
from sqlalchemy import create_engine, text

from contracts.runtime.database import sync_url
from devstack.testing import empty_database

MIGRATE = REPO / "deploy" / "docker" / "migrate.py"
SERVICE = "crm"
INI = REPO / "services" / SERVICE / "alembic.ini"


def start_migrator(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(MIGRATE), SERVICE, str(INI)],
        env={**os.environ, f"{SERVICE.upper()}_DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_pods_starting_together_both_succeed_and_the_schema_is_at_its_heads(
    tmp_path: Path,
) -> None:
    heads = set(ScriptDirectory.from_config(Config(str(INI))).get_heads())
    with empty_database(SERVICE, tmp_path) as url:
        migrators = [start_migrator(url), start_migrator(url)]
        outputs = [m.communicate(timeout=120)[0] for m in migrators]
        assert [m.returncode for m in migrators] == [0, 0], "\n".join(outputs)
        engine = create_engine(sync_url(url))
        try:
            with engine.connect() as conn:
                applied = {
                    r for (r,) in conn.execute(text("SELECT version_num FROM alembic_version"))
                }
        finally:
            engine.dispose()
    assert applied == heads


def test_a_missing_database_url_is_reported_not_guessed() -> None:
    env = {k: v for k, v in os.environ.items() if k != f"{SERVICE.upper()}_DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, str(MIGRATE), SERVICE, str(INI)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"{SERVICE.upper()}_DATABASE_URL is not set" in result.stderr
