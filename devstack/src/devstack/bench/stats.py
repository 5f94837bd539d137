"""Percentiles and the result table."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds of samples given in seconds."""
    return {f"p{p}": round(percentile(samples, p) * 1000, 2) for p in (50, 95, 99)}


@dataclass
class Row:
    measure: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return round(self.value / self.baseline, 3)  # type: ignore[operator]


@dataclass
class Results:
    database: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  {row.measure}: {row.value} {row.unit}", flush=True)

    def print_table(self) -> None:
        w = max(len(r.measure) for r in self.rows) if self.rows else 10
        print(f"\nBenchmark on {self.database}\n")
        print(
            f"{'measure':<{w}}  {'value':>10} {'unit':<8} {'baseline':>10}  {'ratio':>7}  "
            f"{'target':<28} met"
        )
        for r in self.rows:
            base = "" if r.baseline is None else f"{r.baseline:>10}"
            ratio = "" if r.ratio is None else f"{r.ratio:>7}"
            met = "" if r.met is None else ("yes" if r.met else "NO")
            print(
                f"{r.measure:<{w}}  {r.value:>10} {r.unit:<8} {base:>10}  {ratio:>7}  "
                f"{r.target:<28} {met}"
            )
            if r.baseline_name:
                print(f"{'':<{w}}    baseline: {r.baseline_name}")
        for note in self.notes:
            print(f"note: {note}")

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {
                    "database": self.database,
                    "rows": [{**asdict(r), "ratio": r.ratio} for r in self.rows],
                    "notes": self.notes,
                    "raw": self.raw,
                },
                indent=2,
                default=str,
            )
        )
