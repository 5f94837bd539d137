"""The fault harness: drive orders through the gateway while killing processes and freezing
the broker, then check that nothing was lost or applied twice.

    python -m devstack.chaos --orders 3000 --seconds 300      # make chaos
    python -m devstack.chaos --orders 150 --seconds 40        # the short run inside make test

Nothing here is a timed assertion: the pass condition is the invariants, checked after the
system has settled.  Every loop is bounded in count and time and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from devstack.chaos_invariants import Check, check_invariants
from devstack.stack import Stack, StackConfig


@dataclass
class Outage:
    target: str
    started: float
    ended: float = float("inf")


@dataclass
class ChaosReport:
    orders_requested: int = 0
    orders_created: int = 0
    orders_confirmed: int = 0
    orders_cancelled: int = 0
    orders_shipped: int = 0
    payments: int = 0
    kills: dict[str, int] = field(default_factory=dict)
    broker_pauses: int = 0
    client_retries: int = 0
    unexplained_5xx: list[str] = field(default_factory=list)
    settle_seconds: float = 0.0
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks) and not self.unexplained_5xx


class Monkey:
    """Kills a random service with SIGKILL (then restarts it), or freezes the broker."""

    def __init__(
        self, stack: Stack, rng: random.Random, report: ChaosReport, interval: tuple[float, float]
    ) -> None:
        self.stack = stack
        self.rng = rng
        self.report = report
        self.interval = interval
        self.outages: list[Outage] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, name="monkey", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=60)

    def down_at(self, target: str, moment: float) -> bool:
        """Was ``target`` (or the broker, which every write depends on) down around then?"""
        # A request in flight when the process died, or answered by the gateway's circuit
        # breaker, which stays open for its cooldown (5 s) after the last failure it saw.
        slack = 8.0
        with self._lock:
            return any(
                o.target in (target, "broker", "gateway")
                and o.started - slack <= moment <= o.ended + slack
                for o in self.outages
            )

    def _run(self) -> None:
        while not self._stop.wait(self.rng.uniform(*self.interval)):
            if self.rng.random() < 0.25:
                self._pause_broker()
            else:
                self._kill(self.rng.choice(["crm", "erp", "gateway"]))

    def _kill(self, name: str) -> None:
        outage = Outage(name, time.monotonic())
        with self._lock:
            self.outages.append(outage)
        service = self.stack.services[name]
        service.kill()
        self.report.kills[name] = self.report.kills.get(name, 0) + 1
        time.sleep(self.rng.uniform(0.2, 1.5))
        service.start()
        try:
            service.wait_healthy(60)
        finally:
            outage.ended = time.monotonic()

    def _pause_broker(self) -> None:
        outage = Outage("broker", time.monotonic())
        with self._lock:
            self.outages.append(outage)
        self.stack.broker.pause()
        self.report.broker_pauses += 1
        time.sleep(self.rng.uniform(2.0, 5.0))
        self.stack.broker.resume()
        outage.ended = time.monotonic()


class Driver:
    """A customer-facing client: retries with the same Idempotency-Key, as a real one would."""

    def __init__(self, stack: Stack, monkey: Monkey, report: ChaosReport) -> None:
        self.stack = stack
        self.monkey = monkey
        self.report = report
        self._token = stack.token()
        self._token_at = time.monotonic()
        self._lock = threading.Lock()

    def _headers(self) -> dict[str, str]:
        with self._lock:
            if time.monotonic() - self._token_at > 300:
                self._token = self.stack.token()
                self._token_at = time.monotonic()
            return {"Authorization": f"Bearer {self._token}"}

    def call(
        self, method: str, path: str, *, target: str, deadline: float, **kwargs: Any
    ) -> httpx.Response | None:
        """Retry until an answer below 500 or the deadline; count unexplained 5xx."""
        key = str(uuid.uuid4())
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            headers = {**self._headers(), "Idempotency-Key": key}
            try:
                response = httpx.request(
                    method, f"{self.stack.gateway.url}{path}", headers=headers, timeout=10, **kwargs
                )
            except httpx.HTTPError:
                response = None
            moment = time.monotonic()
            if response is not None and response.status_code < 500:
                return response
            if response is not None and not self.monkey.down_at(target, moment):
                self.report.unexplained_5xx.append(
                    f"{method} {path} -> {response.status_code}: {response.text[:200]}"
                )
            self.report.client_retries += 1
            time.sleep(min(0.2 * attempt, 2.0))
        return None


def _seed(
    stack: Stack, products: int, accounts: int, stock: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with httpx.Client(
        base_url=stack.gateway.url, timeout=30, headers={"Authorization": f"Bearer {stack.token()}"}
    ) as api:
        warehouse = api.post("/api/warehouses", json={"code": "CHAOS", "name": "Chaos"}).json()
        items = []
        for i in range(products):
            product = api.post(
                "/api/products",
                json={
                    "sku": f"CH-{i:03d}",
                    "name": f"Chaos part {i}",
                    "list_price": "10.00",
                    "standard_cost": "6.00",
                    "tax_rate": "0.20",
                },
            ).json()
            api.post(
                "/api/stock/receipts",
                json={
                    "product_id": product["id"],
                    "warehouse_id": warehouse["id"],
                    "quantity": stock,
                    "lot": f"CH-{i:03d}-A",
                },
            ).raise_for_status()
            items.append(product)
        customers = [
            api.post("/api/accounts", json={"name": f"Chaos customer {i}"}).json()
            for i in range(accounts)
        ]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # CRM must know the products before orders
            known = api.get("/api/catalog/products", params={"limit": 200})
            if known.status_code == 200 and len(known.json()["items"]) >= products:
                break
            time.sleep(0.2)
    return items, customers


def _one_order(
    driver: Driver,
    rng: random.Random,
    products: list[dict[str, Any]],
    accounts: list[dict[str, Any]],
    report: ChaosReport,
    start_at: float,
    deadline: float,
) -> None:
    time.sleep(max(0.0, start_at - time.monotonic()))  # a steady stream, not one burst
    lines = [
        {"product_id": p["id"], "quantity": rng.randint(1, 4)}
        for p in rng.sample(products, rng.randint(1, 3))
    ]
    created = driver.call(
        "POST",
        "/api/orders",
        target="crm",
        deadline=deadline,
        json={"account_id": rng.choice(accounts)["id"], "lines": lines},
    )
    if created is None or created.status_code != 201:
        return
    report.orders_created += 1
    order_id = created.json()["id"]
    confirmed = driver.call(
        "POST", f"/api/orders/{order_id}/confirm", target="crm", deadline=deadline
    )
    if confirmed is None or confirmed.status_code != 200:
        return
    report.orders_confirmed += 1
    if rng.random() < 0.1:
        cancelled = driver.call(
            "POST",
            f"/api/orders/{order_id}/cancel",
            target="crm",
            deadline=deadline,
            json={"reason": "chaos"},
        )
        if cancelled is not None and cancelled.status_code == 200:
            report.orders_cancelled += 1
        return
    if rng.random() < 0.5:
        _ship_and_pay(driver, order_id, report, deadline)


def _ship_and_pay(driver: Driver, order_id: str, report: ChaosReport, deadline: float) -> None:
    """Once reserved, ship the order; once invoiced, pay the invoices (all retried safely)."""
    status = ""
    while time.monotonic() < deadline and status not in ("reserved", "backordered"):
        tracked = driver.call("GET", f"/api/orders/{order_id}", target="crm", deadline=deadline)
        # The view answers 200 with "order": null while CRM is down: try again.
        order = (tracked.json().get("order") or {}) if tracked is not None else {}
        status = order.get("status", "")
        time.sleep(0.3)
    if status != "reserved":
        return
    shipped = driver.call(
        "POST", "/api/shipments", target="erp", deadline=deadline, json={"order_id": order_id}
    )
    if shipped is None or shipped.status_code not in (201, 409):  # 409: shipped already
        return
    report.orders_shipped += 1
    invoices: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not invoices:
        found = driver.call(
            "GET", "/api/invoices", target="erp", deadline=deadline, params={"order_id": order_id}
        )
        invoices = [i for i in found.json()["items"] if i["status"] != "paid"] if found else []
        time.sleep(0.3)
    for invoice in invoices:
        paid = driver.call(
            "POST",
            "/api/payments",
            target="erp",
            deadline=deadline,
            json={
                "account_id": invoice["account_id"],
                "amount": invoice["total"],
                "received_on": date.today().isoformat(),
                "allocations": [{"invoice_id": invoice["id"], "amount": invoice["total"]}],
            },
        )
        if paid is not None and paid.status_code == 201:
            report.payments += 1


def run(
    orders: int,
    seconds: float,
    seed: int,
    postgres_url: str | None,
    workdir: Path,
    workers: int = 48,
    fault_interval: tuple[float, float] = (2.0, 6.0),
) -> ChaosReport:
    """Drive ``orders`` orders within ``seconds`` while a fault strikes every
    ``fault_interval`` seconds (uniformly drawn); then settle and check the invariants.

    Each order holds one of ``workers`` client threads for its whole life (create, confirm,
    wait, ship, wait, pay), so the workers, not the services, can be what limits the rate.
    """
    rng = random.Random(seed)
    report = ChaosReport(orders_requested=orders)
    stack = Stack(
        StackConfig(
            workdir=workdir,
            postgres_url=postgres_url,
            database_prefix=f"chaos_{uuid.uuid4().hex[:8]}",
        )
    )
    stack.start(fresh=True)
    try:
        # Enough stock that most orders reserve, while the popular lines still run short.
        products, accounts = _seed(stack, products=20, accounts=10, stock=max(400, orders // 4))
        monkey = Monkey(stack, rng, report, interval=fault_interval)
        driver = Driver(stack, monkey, report)
        started = time.monotonic()
        deadline = started + seconds
        spacing = seconds * 0.8 / max(orders, 1)  # leave the last fifth for retries
        monkey.start()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(
                    _one_order,
                    driver,
                    random.Random(rng.random()),
                    products,
                    accounts,
                    report,
                    started + i * spacing,
                    deadline,
                )
                for i in range(orders)
            ]
            for future in futures:
                future.result()
        monkey.stop()
        stack.broker.resume()
        for service in stack.services.values():
            if service.proc is None or service.proc.poll() is not None:
                service.start()
                service.wait_healthy(60)
        settle_started = time.monotonic()
        report.checks = check_invariants(stack, settle_timeout=max(60.0, seconds))
        report.settle_seconds = round(time.monotonic() - settle_started, 1)
    finally:
        stack.stop()
        stack.drop_databases()
    return report


def print_report(report: ChaosReport) -> None:
    print()
    print(
        f"orders requested {report.orders_requested}, created {report.orders_created}, "
        f"confirmed {report.orders_confirmed}, cancelled {report.orders_cancelled}, "
        f"shipped {report.orders_shipped}, payments {report.payments}"
    )
    kills = ", ".join(f"{k} x{v}" for k, v in sorted(report.kills.items())) or "none"
    print(
        f"kills: {kills}; broker pauses: {report.broker_pauses}; "
        f"client retries: {report.client_retries}; settled in {report.settle_seconds}s"
    )
    width = max([len(c.name) for c in report.checks] + [9])
    print(f"\n{'invariant':<{width}}  result  detail")
    print(f"{'-' * width}  ------  {'-' * 40}")
    for c in report.checks:
        print(f"{c.name:<{width}}  {'PASS' if c.ok else 'FAIL':<6}  {c.detail}")
    ok_5xx = not report.unexplained_5xx
    print(
        f"{'no 5xx outside outages':<{width}}  {'PASS' if ok_5xx else 'FAIL':<6}  "
        f"{len(report.unexplained_5xx)} unexplained"
    )
    for line in report.unexplained_5xx[:10]:
        print(f"    {line}")
    print(f"\n{'PASSED' if report.passed else 'FAILED'}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.chaos")
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--postgres", default=None, help="PostgreSQL server URL")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--workers", type=int, default=48, help="client threads")
    parser.add_argument(
        "--fault-every",
        type=float,
        nargs=2,
        default=(2.0, 6.0),
        metavar=("MIN", "MAX"),
        help="seconds between faults, drawn uniformly",
    )
    args = parser.parse_args()
    print(
        f"chaos: {args.orders} orders within {args.seconds}s, {args.workers} clients, "
        f"a fault every {args.fault_every[0]}-{args.fault_every[1]}s, seed {args.seed}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
        report = run(
            args.orders,
            args.seconds,
            args.seed,
            args.postgres,
            Path(tmp),
            workers=args.workers,
            fault_interval=tuple(args.fault_every),
        )
        if not report.passed and args.json:  # keep the services' logs for the post-mortem
            shutil.copytree(Path(tmp) / "logs", args.json.parent / "chaos-logs", dirs_exist_ok=True)
    print_report(report)
    if args.json:
        args.json.write_text(
            json.dumps({**asdict(report), "passed": report.passed}, indent=2, default=str)
        )
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
