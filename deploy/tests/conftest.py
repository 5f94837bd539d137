"""Fixtures of the deployment checks (helpers live in deploy_support.py)."""

from __future__ import annotations

import pytest
from deploy_support import OVERLAYS, Document, render


@pytest.fixture(scope="session", params=OVERLAYS)
def rendered(request: pytest.FixtureRequest) -> tuple[str, list[Document]]:
    """(overlay name, its rendered resources); skipped, saying why, without kubectl."""
    return request.param, render(request.param)
