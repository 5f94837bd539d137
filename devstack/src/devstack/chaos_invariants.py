"""What must be true after any amount of crashing, once the system has settled.

Read straight from each service's database (read-only queries), because the point is to
check the services, not to trust their APIs.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from contracts.runtime.database import sync_url
from devstack.stack import Stack

# CRM order status -> the ERP fulfilment statuses that agree with it.
AGREEING_STATES: dict[str, set[str | None]] = {
    "reserved": {"reserved"},
    "backordered": {"backordered"},
    "cancelled": {"released", None},
    "credit_hold": {"credit_hold", "held"},
    "shipped": {"shipped"},
    "invoiced": {"shipped"},
    "paid": {"shipped"},
}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def _engine(url: str) -> Engine:
    return create_engine(sync_url(url))


def _rows(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


def _scalar(engine: Engine, sql: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def _settled(crm: Engine, erp: Engine) -> bool:
    pending = _scalar(crm, "SELECT count(*) FROM sales_orders WHERE status = 'confirmed'")
    backlog = sum(
        _scalar(e, "SELECT count(*) FROM outbox WHERE published_at IS NULL") for e in (crm, erp)
    )
    # Published is not yet applied: ERP invoices a shipment when its consumer, which may just
    # have been restarted and be rejoining its group, reads the ShipmentDispatched.  An event
    # that was lost would keep this above zero until the settle timeout, and the run fails.
    uninvoiced = _scalar(
        erp,
        "SELECT count(*) FROM shipments s WHERE NOT EXISTS "
        "(SELECT 1 FROM invoices i WHERE i.shipment_id = s.id)",
    )
    return pending == 0 and backlog == 0 and uninvoiced == 0


def wait_until_settled(crm: Engine, erp: Engine, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _settled(crm, erp):
            time.sleep(2.0)  # let the last facts (stock levels, releases) land
            if _settled(crm, erp):
                return True
        time.sleep(0.5)
    return False


def check_invariants(stack: Stack, settle_timeout: float) -> list[Check]:
    crm = _engine(stack.database_urls["crm"])
    erp = _engine(stack.database_urls["erp"])
    try:
        settled = wait_until_settled(crm, erp, settle_timeout)
        checks = [
            Check(
                "system settled",
                settled,
                "no order waiting for ERP, no shipment for its invoice, outboxes drained"
                if settled
                else f"not settled within {settle_timeout:.0f}s",
            )
        ]
        for check in (
            _orders_agree,
            _stock_ledger,
            _reservations,
            _applied_once,
            _outboxes_drained,
            _dead_letters_empty,
        ):
            checks.append(check(crm, erp))
        checks.append(_dead_letter_topics_empty(stack))
        checks.extend(_finance_checks(erp))
        return checks
    finally:
        crm.dispose()
        erp.dispose()


def _orders_agree(crm: Engine, erp: Engine) -> Check:
    crm_orders = dict(_rows(crm, "SELECT id, status FROM sales_orders WHERE status <> 'draft'"))
    erp_orders = dict(_rows(erp, "SELECT order_id, status FROM fulfilment_orders"))
    erp_by_id = {_uuid(k): v for k, v in erp_orders.items()}
    wrong = []
    for order_id, status in crm_orders.items():
        theirs = erp_by_id.get(_uuid(order_id))
        if theirs not in AGREEING_STATES.get(status, {status}):
            wrong.append(f"{order_id}: CRM {status} / ERP {theirs}")
    unknown = set(erp_by_id) - {_uuid(k) for k in crm_orders}
    ok = not wrong and not unknown
    detail = f"{len(crm_orders)} confirmed orders compared"
    if wrong:
        detail += f"; {len(wrong)} disagree, e.g. {wrong[0]}"
    if unknown:
        detail += f"; {len(unknown)} ERP orders CRM never confirmed"
    return Check("every confirmed order same state in CRM and ERP", ok, detail)


def _stock_ledger(crm: Engine, erp: Engine) -> Check:
    levels = {
        (str(p), str(w)): (on_hand, reserved)
        for p, w, on_hand, reserved in _rows(
            erp, "SELECT product_id, warehouse_id, on_hand, reserved FROM stock_levels"
        )
    }
    moves = {
        (str(p), str(w)): int(q)
        for p, w, q in _rows(
            erp,
            "SELECT product_id, warehouse_id, sum(quantity) FROM stock_moves "
            "GROUP BY product_id, warehouse_id",
        )
    }
    wrong = [k for k in set(levels) | set(moves) if levels.get(k, (0, 0))[0] != moves.get(k, 0)]
    negative = [k for k, (on_hand, _) in levels.items() if on_hand < 0]
    return Check(
        "on hand = sum of receipts, shipments and adjustments",
        not wrong and not negative,
        f"{len(levels)} balances; {len(wrong)} differ from the ledger, {len(negative)} negative",
    )


def _reservations(crm: Engine, erp: Engine) -> Check:
    levels = {
        (str(p), str(w)): (on_hand, reserved)
        for p, w, on_hand, reserved in _rows(
            erp, "SELECT product_id, warehouse_id, on_hand, reserved FROM stock_levels"
        )
    }
    open_res = {
        (str(p), str(w)): int(q)
        for p, w, q in _rows(
            erp,
            "SELECT product_id, warehouse_id, sum(quantity) FROM reservations "
            "WHERE status = 'open' GROUP BY product_id, warehouse_id",
        )
    }
    wrong = [k for k, (_, reserved) in levels.items() if reserved != open_res.get(k, 0)]
    over = [k for k, (on_hand, reserved) in levels.items() if reserved > on_hand]
    return Check(
        "reserved = open reservations <= on hand",
        not wrong and not over,
        f"{len(wrong)} balances disagree with reservations, {len(over)} over-reserved",
    )


def _applied_once(crm: Engine, erp: Engine) -> Check:
    """Each confirmed, uncancelled order's lines are reserved + backordered exactly once."""
    ordered: dict[tuple[uuid.UUID, uuid.UUID], int] = defaultdict(int)
    for order_id, product_id, quantity in _rows(
        crm,
        "SELECT l.order_id, l.product_id, l.quantity FROM sales_order_lines l "
        "JOIN sales_orders o ON o.id = l.order_id "
        "WHERE o.status NOT IN ('draft', 'cancelled')",
    ):
        ordered[(_uuid(order_id), _uuid(product_id))] += int(quantity)
    covered: dict[tuple[uuid.UUID, uuid.UUID], int] = defaultdict(int)
    for order_id, product_id, quantity in _rows(
        erp,
        "SELECT order_id, product_id, quantity FROM reservations "
        "WHERE status IN ('open', 'shipped')",
    ):
        covered[(_uuid(order_id), _uuid(product_id))] += int(quantity)
    for order_id, product_id, missing in _rows(
        erp, "SELECT order_id, product_id, missing FROM backorders WHERE status = 'open'"
    ):
        covered[(_uuid(order_id), _uuid(product_id))] += int(missing)
    wrong = [k for k in ordered if covered.get(k, 0) != ordered[k]]
    inbox_dupes = sum(
        int(
            _scalar(
                e,
                "SELECT count(*) - count(DISTINCT consumer || ':' || "
                "CAST(event_id AS VARCHAR(64))) FROM inbox",
            )
        )
        for e in (crm, erp)
    )
    return Check(
        "no event applied twice",
        not wrong and inbox_dupes == 0,
        f"{len(ordered)} order lines: {len(wrong)} reserved/backordered != ordered; "
        f"{inbox_dupes} duplicate inbox rows",
    )


def _outboxes_drained(crm: Engine, erp: Engine) -> Check:
    backlog = {
        name: _scalar(e, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
        for name, e in (("crm", crm), ("erp", erp))
    }
    return Check(
        "every outbox row published",
        sum(backlog.values()) == 0,
        ", ".join(f"{k}: {v} unpublished" for k, v in backlog.items()),
    )


def _dead_letters_empty(crm: Engine, erp: Engine) -> Check:
    parked = {
        name: _scalar(e, "SELECT count(*) FROM dead_letters")
        for name, e in (("crm", crm), ("erp", erp))
    }
    return Check(
        "no message dead-lettered (tables)",
        sum(parked.values()) == 0,
        ", ".join(f"{k}: {v}" for k, v in parked.items()),
    )


def _dead_letter_topic_count(bootstrap: str, topics: list[str]) -> int:
    async def count() -> int:
        consumer = AIOKafkaConsumer(
            *topics,
            bootstrap_servers=bootstrap,
            group_id=f"dlq-check-{uuid.uuid4()}",
            auto_offset_reset="earliest",
            fetch_max_wait_ms=20,
        )
        await consumer.start()
        try:
            n, idle = 0, 0
            while idle < 5:
                batch = await consumer.getmany(timeout_ms=200)
                idle = idle + 1 if not batch else 0
                n += sum(len(v) for v in batch.values())
            return n
        finally:
            await consumer.stop()

    return asyncio.run(count())


def _dead_letter_topics_empty(stack: Stack) -> Check:
    topics = ["crm.dead-letter", "erp.dead-letter"]
    try:
        n = _dead_letter_topic_count(stack.broker.bootstrap, topics)
    except Exception as exc:
        return Check("dead-letter topics empty", False, f"could not read them: {exc}")
    return Check("dead-letter topics empty", n == 0, f"{n} messages on {', '.join(topics)}")


def _finance_checks(erp: Engine) -> list[Check]:
    """Checks of shipping and finance, when those areas exist in this ERP database."""
    tables = set(inspect(erp).get_table_names())
    checks: list[Check] = []
    for name, needs, run in FINANCE_CHECKS:
        if needs <= tables:
            checks.append(run(erp))
        else:
            checks.append(Check(name, False, f"tables {sorted(needs - tables)} do not exist"))
    return checks


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _shipments_invoiced_once(erp: Engine) -> Check:
    shipments = _scalar(erp, "SELECT count(*) FROM shipments")
    per_shipment = _rows(
        erp,
        "SELECT shipment_id, count(*) FROM invoices "
        "WHERE shipment_id IS NOT NULL GROUP BY shipment_id",
    )
    twice = sum(1 for _, n in per_shipment if n > 1)
    missing = shipments - len(per_shipment)
    return Check(
        "every shipment invoiced exactly once",
        twice == 0 and missing == 0,
        f"{shipments} shipments: {missing} without invoice, {twice} invoiced twice",
    )


def _ledger_balances(erp: Engine) -> Check:
    debit, credit = _rows(
        erp, "SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) FROM journal_lines"
    )[0]
    unbalanced = _scalar(
        erp,
        "SELECT count(*) FROM (SELECT entry_id FROM journal_lines "
        "GROUP BY entry_id HAVING sum(debit) <> sum(credit)) u",
    )
    return Check(
        "the ledger balances",
        debit == credit and unbalanced == 0,
        f"{_scalar(erp, 'SELECT count(*) FROM journal_entries')} entries; {unbalanced} unbalanced",
    )


def _receivables_match_invoices(erp: Engine) -> Check:
    # Both sides are read raw, in the same storage unit, so no rounding enters the comparison.
    ledger = _scalar(
        erp,
        "SELECT coalesce(sum(debit) - sum(credit), 0) FROM journal_lines "
        "WHERE account_code = '1100'",
    )
    unpaid = _scalar(erp, "SELECT coalesce(sum(total - amount_paid), 0) FROM invoices")
    return Check(
        "AR in the ledger = unpaid invoices",
        ledger == unpaid,
        f"ledger {ledger} vs invoices {unpaid} (storage units)",
    )


FINANCE_CHECKS: list[tuple[str, set[str], Callable[[Engine], Check]]] = [
    ("every shipment invoiced exactly once", {"shipments", "invoices"}, _shipments_invoiced_once),
    ("the ledger balances", {"journal_lines", "journal_entries"}, _ledger_balances),
    (
        "AR in the ledger = unpaid invoices",
        {"journal_lines", "invoices"},
        _receivables_match_invoices,
    ),
]
