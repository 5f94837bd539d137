"""``python -m devstack.bench [--postgres URL] [--json PATH] [--quick]``."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import uuid
from pathlib import Path

from devstack.bench import flow, growth, hop
from devstack.bench.full_flow import full_flow
from devstack.bench.load import hammer
from devstack.bench.stats import Results, Row, percentile, summary_ms
from devstack.stack import Service, Stack, StackConfig, free_port
from devstack.testing import empty_database


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def measure_hop(results: Results, stack: Stack, workdir: Path, n: int) -> None:
    with empty_database("bench", workdir) as url:
        bare = asyncio.run(hop.bare_round_trips(stack.broker.bootstrap, n))
        commit = asyncio.run(hop.commits(url, n))
        hops = asyncio.run(hop.event_hops(url, stack.broker.bootstrap, n))
    baseline = percentile(bare, 99) + percentile(commit, 99)
    results.raw["hop"] = {
        "bare": summary_ms(bare),
        "commit": summary_ms(commit),
        "hop": summary_ms(hops),
    }
    value = round(percentile(hops, 99) * 1000, 2)
    results.add(
        Row(
            "event hop p99 (outbox commit -> consumer effect)",
            value,
            "ms",
            round(baseline * 1000, 2),
            "bare aiokafka round trip p99 + commit p99",
            "<= 3x baseline",
            value <= 3 * baseline * 1000,
        )
    )


def measure_flow(results: Results, stack: Stack, catalog: flow.Catalog, quick: bool) -> None:
    n_rate = 200 if quick else 500
    ids, _ = asyncio.run(flow.confirm_orders(stack, catalog, n_rate, rate=50))
    reserved = flow.confirm_to_reserved(stack, ids)
    results.raw["reserved_at_50_per_s"] = summary_ms(reserved)
    p99 = round(percentile(reserved, 99) * 1000, 2)
    results.add(
        Row("confirm -> reserved p99 at 50 orders/s", p99, "ms", None, "", "< 200 ms", p99 < 200)
    )
    results.add(
        Row(
            "confirm -> reserved p50 at 50 orders/s",
            round(percentile(reserved, 50) * 1000, 2),
            "ms",
        )
    )
    n_fast = 300 if quick else 1000
    ids, elapsed = asyncio.run(flow.confirm_orders(stack, catalog, n_fast, rate=None))
    reserved = flow.confirm_to_reserved(stack, ids)
    results.raw["reserved_at_full_speed"] = summary_ms(reserved)
    results.add(
        Row("orders confirmed per second (full speed)", round(len(ids) / elapsed, 1), "orders/s")
    )
    results.add(
        Row(
            "confirm -> reserved p99 at full speed", round(percentile(reserved, 99) * 1000, 2), "ms"
        )
    )


def measure_full_flow(results: Results, stack: Stack, catalog: flow.Catalog, quick: bool) -> None:
    """Orders per second from the first order created to the last one CRM shows paid."""
    n = 200 if quick else 600
    run = asyncio.run(full_flow(stack, catalog, n))
    stages = run.stages()
    results.raw["full_flow"] = {
        "orders": n,
        "paid_in_crm": run.paid,
        "seconds": round(run.seconds, 2),
        "stages": {name: summary_ms(spans) for name, spans in stages.items()},
        "unfinished": dict(run.unfinished()),
        "retried": dict(run.retries),
    }
    rate = round(run.orders_per_second, 1)
    results.add(
        Row(
            "full order flow (confirmed -> paid in CRM)",
            rate,
            "orders/s",
            None,
            "",
            ">= 150 orders/s",
            rate >= 150 and run.paid == n,
        )
    )
    if run.paid < n:
        stuck = ", ".join(f"{count} {why}" for why, count in run.unfinished().most_common())
        results.notes.append(f"full order flow: {n - run.paid} of {n} orders not paid ({stuck})")
    if run.retries:
        again = ", ".join(f"{why} x{count}" for why, count in run.retries.most_common())
        results.notes.append(f"full order flow: requests sent again ({again})")
    for name in ("confirm -> reserved", "ship -> invoiced", "pay -> CRM paid"):
        for p in (50, 99):
            value = round(percentile(stages[name], p) * 1000, 2)
            results.add(Row(f"full flow: {name} p{p}", value, "ms"))


def measure_views(
    results: Results,
    stack: Stack,
    catalog: flow.Catalog,
    workdir: Path,
    seconds: float,
    order_id: str,
) -> None:
    bare = Service(
        "bare",
        "devstack.bench.bare_app:create_app",
        free_port(),
        {},
        workdir / "bare.log",
        quiet=True,
    )
    bare.start()
    bare.wait_healthy()
    headers = {"Authorization": f"Bearer {stack.token()}"}
    try:
        n, lat, _ = asyncio.run(
            hammer(lambda i: f"{bare.url}/bare", seconds=seconds, concurrency=16)
        )
        bare_rps = round(n / seconds, 1)
        results.add(Row("bare FastAPI endpoint", bare_rps, "req/s"))
        account = catalog.accounts[0]["id"]
        for name, path in (
            ("customer 360", f"/api/customers/{account}/360"),
            ("order tracking", f"/api/orders/{order_id}"),
        ):
            n, lat, errors = asyncio.run(
                hammer(
                    lambda i, p=path: f"{stack.gateway.url}{p}",
                    seconds=seconds,
                    concurrency=16,
                    headers=headers,
                )
            )
            rps = round(n / seconds, 1)
            target = "rps >= 15% of bare" if name == "customer 360" else ""
            met = rps >= 0.15 * bare_rps if name == "customer 360" else None
            if errors:
                results.notes.append(f"{name}: {errors} of {n} requests failed")
                met = False if met is not None else None
            results.add(
                Row(f"{name} view", rps, "req/s", bare_rps, "bare FastAPI endpoint", target, met)
            )
            results.add(Row(f"{name} view p99", round(percentile(lat, 99) * 1000, 2), "ms"))
    finally:
        bare.stop()


def measure_growth(
    results: Results, stack: Stack, catalog: flow.Catalog, order_id: str, quick: bool
) -> None:
    account = catalog.accounts[0]["id"]
    paths = {
        "orders list": "/api/orders?limit=50",
        "orders list (account)": f"/api/orders?limit=50&account_id={account}",
        "accounts list": "/api/accounts?limit=50",
        "customer 360": f"/api/customers/{account}/360",
        "order tracking": f"/api/orders/{order_id}",
    }
    small_target, big_target = 1_000, (20_000 if quick else 100_000)
    growth.grow(stack, customers=small_target, orders=small_target)
    small = growth.latencies(stack, paths)
    growth.grow(stack, customers=big_target - small_target, orders=big_target - small_target)
    big = growth.latencies(stack, paths)
    results.raw["growth"] = {"small": small, "big": big, "rows": [small_target, big_target]}
    for name in paths:
        a, b = small.get(f"{name} p50"), big.get(f"{name} p50")
        if a is None or b is None:
            continue
        results.add(
            Row(
                f"{name} p50 at {big_target:,} rows",
                b,
                "ms",
                a,
                f"the same at {small_target:,} rows",
                "<= 1.5x baseline",
                b <= 1.5 * a,
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.bench")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--json", type=Path, default=Path("bench-results/latest.json"))
    parser.add_argument("--quick", action="store_true", help="smaller counts (a smoke run)")
    args = parser.parse_args()
    results = Results(database="PostgreSQL" if args.postgres else "SQLite")
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        stack = Stack(
            StackConfig(
                workdir=workdir,
                postgres_url=args.postgres,
                database_prefix=f"bench_{uuid.uuid4().hex[:8]}",
            )
        )
        stack.start(fresh=True)
        try:
            print("event hop...", flush=True)
            measure_hop(results, stack, workdir, 100 if args.quick else 300)
            print("order flow...", flush=True)
            catalog = flow.seed_catalog(stack)
            measure_flow(results, stack, catalog, args.quick)
            print("full order flow...", flush=True)
            measure_full_flow(results, stack, catalog, args.quick)
            ids, _ = asyncio.run(flow.confirm_orders(stack, catalog, 1, rate=None))
            print("gateway views...", flush=True)
            measure_views(results, stack, catalog, workdir, 5 if args.quick else 10, ids[0])
            print("growth...", flush=True)
            measure_growth(results, stack, catalog, ids[0], args.quick)
            for name, service in stack.services.items():
                if service.proc:
                    rss = _rss_mb(service.proc.pid)
                    results.add(
                        Row(f"{name} resident memory", rss, "MB", None, "", "< 200 MB", rss < 200)
                    )
        finally:
            stack.stop()
            stack.drop_databases()
    results.print_table()
    results.write_json(args.json)
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
