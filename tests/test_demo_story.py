"""`make demo` tells the whole story and exits 0 only if every step happened."""

import subprocess
import sys

import pytest

from devstack.stack import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_the_demo_story_happens_end_to_end() -> None:
    # Nothing listens on this port, so the demo starts (and stops) a stack of its own.
    result = subprocess.run(
        [sys.executable, "-m", "devstack.demo", "--gateway", f"http://127.0.0.1:{free_port()}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    for fact in (
        "backordered",
        "purchase order",
        "goods receipt",
        "dispatched with lots",
        "invoice",
        "payment",
        "case",
        "lot",
        "The whole story happened",
    ):
        assert fact in result.stdout, fact
