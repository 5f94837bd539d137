"""The docs' examples work as written: the frontend guide's shell blocks run, in order, as one
script against a running stack, and the runbook's commands accept the flags it shows."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from devstack import Stack
from devstack.testing import created, eventually

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[1] / "docs"


def shell_blocks(markdown: Path) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", markdown.read_text(), flags=re.S)


def test_the_frontend_guide_examples_run_against_the_stack(stack: Stack, api: httpx.Client) -> None:
    # The guide orders a product from the catalog: make sure CRM knows one.
    warehouse = created(api.post("/api/warehouses", json={"code": "DOCS", "name": "Docs"}))
    product = created(
        api.post(
            "/api/products",
            json={
                "sku": "DOCS-1",
                "name": "Guide item",
                "list_price": "5.00",
                "standard_cost": "2.00",
                "tax_rate": "0.20",
            },
        )
    )
    created(
        api.post(
            "/api/stock/receipts",
            json={"product_id": product["id"], "warehouse_id": warehouse["id"], "quantity": 10},
        )
    )
    eventually(lambda: api.get(f"/api/catalog/products/{product['id']}").status_code == 200)

    blocks = shell_blocks(DOCS / "frontend-guide.md")
    assert len(blocks) >= 8
    script = "set -euo pipefail\n" + "\n".join(blocks)
    result = subprocess.run(
        ["bash", "-c", script],
        env={"GW": stack.gateway.url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "one order:" in result.stdout
    assert "412" in result.stdout
    assert "body.account_id" in result.stdout
    assert "x-request-id: guide-123" in result.stdout.lower()


def test_the_runbook_commands_accept_the_flags_it_shows() -> None:
    commands = [
        line.split("#")[0].strip()
        for block in shell_blocks(DOCS / "operations.md")
        for line in block.splitlines()
        if line.startswith("python -m ")
    ]
    assert commands
    for command in commands:
        words = shlex.split(command)
        module, flags = words[2], [w for w in words[3:] if w.startswith("--")]
        shown = subprocess.run(
            [sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=60
        )
        assert shown.returncode == 0, shown.stderr
        for flag in flags:
            assert flag in shown.stdout, f"{module} has no {flag}"
