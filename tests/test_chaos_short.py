"""The short fault run: orders through the gateway while processes die and the broker
freezes; the invariants must hold once the system settles.  (`make chaos` runs the long one.)"""

from pathlib import Path

import pytest

from devstack.chaos import print_report, run
from devstack.testing import postgres_url

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_nothing_is_lost_or_applied_twice_under_faults(tmp_path: Path) -> None:
    report = run(
        orders=150, seconds=35, seed=20261127, postgres_url=postgres_url(), workdir=tmp_path
    )
    print_report(report)
    assert sum(report.kills.values()) + report.broker_pauses >= 3, "too few faults to matter"
    assert report.orders_confirmed > 0
    failed = [f"{c.name}: {c.detail}" for c in report.checks if not c.ok]
    assert not failed, failed
    assert not report.unexplained_5xx, report.unexplained_5xx[:5]
