"""Growth: the same calls with 1,000 and with 100,000 orders and customers in the databases.

Rows are cloned from real rows the services wrote (with fresh ids and unique values), so the
bulk data has exactly the shape the services produce, whatever columns the schemas grow.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import MetaData, Table, create_engine, func, insert, select, text
from sqlalchemy.engine import Engine

from contracts.runtime.database import sync_url
from devstack.bench.stats import percentile
from devstack.stack import Stack

BATCH = 2000


def _unique_columns(table: Table) -> set[str]:
    names = {c.name for c in table.columns if c.unique or c.primary_key}
    for constraint in table.constraints:
        if getattr(constraint, "columns", None) is not None and constraint.__class__.__name__ in (
            "UniqueConstraint",
            "PrimaryKeyConstraint",
        ):
            names |= {c.name for c in constraint.columns}
    for index in table.indexes:
        if index.unique:
            names |= {c.name for c in index.columns}
    return names


def _fresh(value: Any, n: int) -> Any:
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if isinstance(value, str):
        try:
            uuid.UUID(value)
            return str(uuid.uuid4())
        except ValueError:
            return f"{value[:30]}-{uuid.uuid4().hex[:10]}"
    if isinstance(value, int):
        return None  # let an autoincrement key choose
    return value


class Cloner:
    """Inserts copies of template rows with new ids, remapping foreign references."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.metadata = MetaData()
        self.metadata.reflect(engine)

    def table(self, name: str) -> Table:
        return self.metadata.tables[name]

    def count(self, name: str) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(select(func.count()).select_from(self.table(name))).scalar() or 0
            )

    def template(self, name: str, **where: Any) -> dict[str, Any]:
        table = self.table(name)
        stmt = select(table).limit(1)
        for column, value in where.items():
            stmt = stmt.where(table.c[column] == value)
        with self.engine.connect() as conn:
            row = conn.execute(stmt).mappings().first()
        if row is None:
            raise RuntimeError(f"no row in {name} to clone")
        return dict(row)

    def clone(
        self,
        name: str,
        template: dict[str, Any],
        n: int,
        overrides: list[dict[str, Any]] | None = None,
    ) -> list[dict[str, Any]]:
        table = self.table(name)
        unique = _unique_columns(table)
        rows = []
        for i in range(n):
            row = dict(template)
            for column in unique:
                if column in row and row[column] is not None:
                    fresh = _fresh(row[column], i)
                    if fresh is None:
                        row.pop(column)
                    else:
                        row[column] = fresh
            if overrides:
                row.update(overrides[i])
            rows.append(row)
        with self.engine.begin() as conn:
            for start in range(0, len(rows), BATCH):
                conn.execute(insert(table), rows[start : start + BATCH])
        return rows


def grow(stack: Stack, customers: int, orders: int) -> None:
    """Add ``customers`` accounts and ``orders`` orders (CRM) with their fulfilment (ERP)."""
    crm = create_engine(sync_url(stack.database_urls["crm"]))
    erp = create_engine(sync_url(stack.database_urls["erp"]))
    try:
        c, e = Cloner(crm), Cloner(erp)
        account = c.template("accounts")
        new_accounts = c.clone(
            "accounts", account, customers, [_spread(account, i) for i in range(customers)]
        )
        account_ids = [a["id"] for a in new_accounts] or [account["id"]]
        order = c.template("sales_orders", status="reserved")
        line = c.template("sales_order_lines", order_id=order["id"])
        fulfilment = e.template("fulfilment_orders", order_id=order["id"])
        overrides = [
            {"account_id": account_ids[i % len(account_ids)], **_spread(order, i)}
            for i in range(orders)
        ]
        new_orders = c.clone("sales_orders", order, orders, overrides)
        c.clone("sales_order_lines", line, orders, [{"order_id": o["id"]} for o in new_orders])
        e.clone(
            "fulfilment_orders",
            fulfilment,
            orders,
            [
                {"order_id": o["id"], "account_id": o["account_id"], "order_number": o["number"]}
                for o in new_orders
            ],
        )
        # A live database keeps its planner statistics current (autovacuum); right after a
        # bulk load they are stale, and plans would be judged on statistics nobody runs with.
        for engine in (crm, erp):
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
    finally:
        crm.dispose()
        erp.dispose()


def _spread(template: dict[str, Any], i: int) -> dict[str, Any]:
    """Creation times one second apart into the past, as a real history would have."""
    created = template.get("created_at")
    if created is None or isinstance(created, str):
        return {}
    return {"created_at": created - timedelta(seconds=i + 1)}


def latencies(stack: Stack, paths: dict[str, str], requests: int = 150) -> dict[str, float]:
    """p50 and p99 (ms) of sequential GETs of each path through the gateway."""
    out: dict[str, float] = {}
    with httpx.Client(
        base_url=stack.gateway.url, timeout=30, headers={"Authorization": f"Bearer {stack.token()}"}
    ) as api:
        for name, path in paths.items():
            samples = []
            status = 0
            for _ in range(requests):
                started = time.perf_counter()
                status = api.get(path).status_code
                samples.append(time.perf_counter() - started)
            if status >= 400:
                out[f"{name} status"] = float(status)
            out[f"{name} p50"] = round(percentile(samples, 50) * 1000, 2)
            out[f"{name} p99"] = round(percentile(samples, 99) * 1000, 2)
    return out
