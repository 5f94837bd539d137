"""The full order flow as a pipeline, all of it through the gateway: orders are created and
confirmed, shipped once CRM shows them reserved, paid once ERP has invoiced them, and done
when CRM shows them paid.

Each order moves on as soon as the step before it has happened.  One watcher reads CRM's
order history (reserved: ship it; paid: done); another follows ERP's open invoices through
the gateway (pay each one of ours).  A single pool of workers makes every write, taking
payments and shipments before new orders, so the figure is the rate the system sustains from
order to cash rather than the rate it accepts orders.  Every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import httpx
from sqlalchemy import Engine, bindparam, create_engine, text

from contracts.runtime.database import sync_url
from devstack.bench.flow import Catalog, as_utc
from devstack.stack import Stack

# Lower runs first: finish the orders in flight before starting new ones.
PAY, SHIP, CREATE = 0, 1, 2
Job = Callable[[], Awaitable[None]]
RETRY_FOR = 15.0  # how long a write is sent again before the order is given up


class WriteFailed(Exception):
    pass


@dataclass
class OrderTrack:
    """One order's way through the flow, as the client saw it and as CRM recorded it."""

    account_id: str
    created: datetime
    shipping: bool = False
    ship_sent: datetime | None = None
    shipments: int = 0
    invoices: dict[str, datetime] = field(default_factory=dict)  # id -> ERP's created_at
    pay_sent: datetime | None = None
    history: dict[str, datetime] = field(default_factory=dict)  # CRM status -> when
    error: str | None = None

    @property
    def paid(self) -> bool:
        return "paid" in self.history

    @property
    def awaiting_invoice(self) -> bool:
        return self.shipments > 0 and len(self.invoices) < self.shipments and not self.error


@dataclass
class FullFlowResult:
    requested: int
    started: datetime
    ended: datetime
    orders: dict[str, OrderTrack]
    failures: Counter[str]
    retries: Counter[str]

    @property
    def paid(self) -> int:
        return sum(1 for o in self.orders.values() if o.paid)

    @property
    def seconds(self) -> float:
        return (self.ended - self.started).total_seconds()

    @property
    def orders_per_second(self) -> float:
        return self.paid / self.seconds if self.seconds > 0 else 0.0

    def stages(self) -> dict[str, list[float]]:
        """Seconds each paid order spent in each step, from CRM's history and ERP's invoices."""
        spans: dict[str, list[float]] = {
            "confirm -> reserved": [],
            "reserved -> ship request": [],
            "ship -> invoiced": [],
            "invoiced -> pay request": [],
            "pay -> CRM paid": [],
            "create -> CRM paid": [],
        }
        for o in self.orders.values():
            if not (o.paid and o.ship_sent and o.pay_sent and o.invoices):
                continue
            invoiced = max(o.invoices.values())
            h = o.history
            if "confirmed" in h and "reserved" in h:
                spans["confirm -> reserved"].append(_between(h["confirmed"], h["reserved"]))
            if "reserved" in h:
                spans["reserved -> ship request"].append(_between(h["reserved"], o.ship_sent))
            spans["ship -> invoiced"].append(_between(o.ship_sent, invoiced))
            spans["invoiced -> pay request"].append(_between(invoiced, o.pay_sent))
            spans["pay -> CRM paid"].append(_between(o.pay_sent, h["paid"]))
            spans["create -> CRM paid"].append(_between(o.created, h["paid"]))
        return spans

    def unfinished(self) -> Counter[str]:
        """Where the orders that did not reach paid in CRM stopped."""
        stuck: Counter[str] = Counter()
        for o in self.orders.values():
            if o.paid:
                continue
            if o.error:
                stuck[o.error] += 1
            elif "reserved" not in o.history:
                stuck["never reserved"] += 1
            elif o.awaiting_invoice or not o.shipments:
                stuck["never invoiced"] += 1
            else:
                stuck["paid in ERP, never in CRM"] += 1
        return stuck + self.failures


def _between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds()


class Pipeline:
    def __init__(
        self,
        stack: Stack,
        catalog: Catalog,
        n: int,
        *,
        concurrency: int,
        within: float,
        poll: float,
    ) -> None:
        self.stack = stack
        self.catalog = catalog
        self.n = n
        self.concurrency = concurrency
        self.within = within
        self.poll = poll
        self.orders: dict[str, OrderTrack] = {}
        self.failures: Counter[str] = Counter()  # orders lost before they had an id; faults
        self.retries: Counter[str] = Counter()
        self.creates_done = 0
        self.jobs: asyncio.PriorityQueue[tuple[int, int, Job]] = asyncio.PriorityQueue()
        self.order_of_jobs = itertools.count()
        self.paying: set[str] = set()
        self.finished = asyncio.Event()
        self.client: httpx.AsyncClient

    async def run(self) -> FullFlowResult:
        engine = create_engine(sync_url(self.stack.database_urls["crm"]))
        headers = {"Authorization": f"Bearer {self.stack.token()}"}
        try:
            first_row = await asyncio.to_thread(_last_history_row, engine)
            async with httpx.AsyncClient(
                base_url=self.stack.gateway.url,
                headers=headers,
                timeout=30,
                limits=httpx.Limits(max_connections=self.concurrency + 2),
            ) as client:
                self.client = client
                started = datetime.now(UTC)
                for i in range(self.n):
                    self._put(CREATE, partial(self._create, i))
                tasks = [asyncio.create_task(self._work()) for _ in range(self.concurrency)]
                tasks.append(asyncio.create_task(self._watch_crm(engine, first_row)))
                tasks.append(asyncio.create_task(self._follow_invoices()))
                try:
                    await asyncio.wait_for(self.finished.wait(), self.within)
                except TimeoutError:
                    pass
                finally:
                    for task in tasks:
                        task.cancel()
                    await asyncio.gather(*tasks, return_exceptions=True)
            gave_up = datetime.now(UTC)
            # The final word on every order, its confirmation included, from CRM's history.
            self._apply(await asyncio.to_thread(_history, engine, first_row, None))
        finally:
            engine.dispose()
        paid_at = [o.history["paid"] for o in self.orders.values() if o.paid]
        # Done early (every order paid or failed): the clock stops at the last one paid.
        ended = max(paid_at) if paid_at and self.finished.is_set() else gave_up
        return FullFlowResult(self.n, started, ended, self.orders, self.failures, self.retries)

    def _put(self, priority: int, job: Job) -> None:
        self.jobs.put_nowait((priority, next(self.order_of_jobs), job))

    def _check_done(self) -> None:
        if self.creates_done == self.n and all(o.paid or o.error for o in self.orders.values()):
            self.finished.set()

    async def _work(self) -> None:
        while True:
            _, _, job = await self.jobs.get()
            try:
                await job()
            except Exception as exc:  # a fault of this driver: show it, keep the worker
                self.failures[f"driver fault: {exc!r}"] += 1
            self._check_done()

    async def _write(
        self,
        step: str,
        path: str,
        body: dict[str, Any] | None = None,
        applied: Callable[[], Awaitable[Any]] | None = None,
    ) -> Any:
        """POST until it takes effect, as a careful client would.  Sent again after a 500 (the
        service rolled it back) or no answer (503/504 or a dropped connection: the gateway
        gave up waiting, but the service may still commit); a refusal after no answer is
        checked with ``applied``, which returns the result if the write did happen after all.
        Every retry is counted, and the time it takes stays in the figure."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRY_FOR
        unsure = False
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self.client.post(path, json=body)
            except httpx.HTTPError as exc:
                status, why = None, f"{step}: {type(exc).__name__}"
            else:
                status, why = response.status_code, f"{step} answered {response.status_code}"
                if status < 400:
                    return response.json()
                if status < 500:
                    if unsure and applied is not None and (done := await applied()) is not None:
                        return done
                    raise WriteFailed(why)
            if loop.time() > deadline:
                raise WriteFailed(f"{why}, still after {RETRY_FOR:.0f}s")
            unsure = unsure or status != 500
            self.retries[why] += 1
            await asyncio.sleep(min(0.05 * 2**attempt, 1.0))

    async def _found(self, path: str, **params: Any) -> Any:
        try:
            answer = await self.client.get(path, params=params)
        except httpx.HTTPError:
            return None
        return answer.json() if answer.status_code == 200 else None

    async def _create(self, i: int) -> None:
        product = self.catalog.products[i % len(self.catalog.products)]
        account = self.catalog.accounts[i % len(self.catalog.accounts)]
        created_at = datetime.now(UTC)
        try:
            created = await self._write(
                "create",
                "/api/orders",
                {
                    "account_id": account["id"],
                    "lines": [{"product_id": product["id"], "quantity": 1}],
                },
            )
        except WriteFailed as exc:
            self.failures[str(exc)] += 1
            return
        finally:
            self.creates_done += 1
        order_id = str(created["id"])
        track = self.orders[order_id] = OrderTrack(str(account["id"]), created_at)

        async def confirmed() -> Any:
            found = await self._found(f"/api/orders/{order_id}")
            order = (found or {}).get("order") or {}
            return order if order.get("status", "draft") != "draft" else None

        try:
            await self._write("confirm", f"/api/orders/{order_id}/confirm", applied=confirmed)
        except WriteFailed as exc:
            track.error = str(exc)

    async def _ship(self, order_id: str) -> None:
        track = self.orders[order_id]
        track.ship_sent = datetime.now(UTC)

        async def shipped() -> Any:
            found = await self._found("/api/shipments", order_id=order_id)
            return found["items"] if found and found["items"] else None

        try:
            shipments = await self._write(
                "ship", "/api/shipments", {"order_id": order_id}, applied=shipped
            )
        except WriteFailed as exc:
            track.error = str(exc)
            return
        track.shipments = len(shipments)

    async def _pay(self, invoice: dict[str, Any]) -> None:
        track = self.orders[str(invoice["order_id"])]
        track.pay_sent = datetime.now(UTC)
        amount = invoice["balance_due"]

        async def paid() -> Any:
            found = await self._found(f"/api/invoices/{invoice['id']}")
            return found if found and found["status"] == "paid" else None

        try:
            await self._write(
                "pay",
                "/api/payments",
                {
                    "account_id": invoice["account_id"],
                    "amount": amount,
                    "received_on": date.today().isoformat(),
                    "reference": f"bench {invoice['number']}",
                    "allocations": [{"invoice_id": invoice["id"], "amount": amount}],
                },
                applied=paid,
            )
        except WriteFailed as exc:
            track.error = str(exc)

    async def _watch_crm(self, engine: Engine, first_row: int) -> None:
        """Ship what CRM shows reserved; an order is done when CRM shows it paid."""
        while True:
            await asyncio.sleep(self.poll)
            self._apply(await asyncio.to_thread(_history, engine, first_row, ("reserved", "paid")))
            for order_id, track in self.orders.items():
                if "reserved" in track.history and not track.shipping and not track.error:
                    track.shipping = True
                    self._put(SHIP, partial(self._ship, order_id))
            self._check_done()

    def _apply(self, history: list[tuple[str, str, datetime]]) -> None:
        for order_id, status, at in history:
            track = self.orders.get(order_id)
            if track is not None:
                track.history.setdefault(status, at)

    async def _follow_invoices(self) -> None:
        """Pay every open invoice of ours, oldest first, as ERP issues them."""
        while True:
            await asyncio.sleep(self.poll)
            if not any(o.awaiting_invoice for o in self.orders.values()):
                continue
            cursor: str | None = None
            while True:
                params: dict[str, Any] = {"status": "open", "sort": "created_at", "limit": 200}
                if cursor:
                    params["cursor"] = cursor
                try:
                    page = await self.client.get("/api/invoices", params=params)
                except httpx.HTTPError:
                    break  # look again on the next round
                if page.status_code != 200:
                    break
                body = page.json()
                for invoice in body["items"]:
                    self._invoice_issued(invoice)
                cursor = body["next_cursor"]
                if not cursor:
                    break

    def _invoice_issued(self, invoice: dict[str, Any]) -> None:
        track = self.orders.get(str(invoice["order_id"]))
        if track is None or invoice["id"] in self.paying or track.error:
            return
        self.paying.add(invoice["id"])
        track.invoices[invoice["id"]] = as_utc(invoice["created_at"])
        self._put(PAY, partial(self._pay, invoice))


def _last_history_row(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM order_status_changes")).one()[0]
        )


def _history(
    engine: Engine, first_row: int, statuses: tuple[str, ...] | None
) -> list[tuple[str, str, datetime]]:
    """CRM's order history since the run began: (order id, status, when)."""
    # All of it every time: on PostgreSQL a row with a lower id can commit after one with a
    # higher id, so a cursor moving along the ids could step over it.
    query = "SELECT order_id, to_status, at FROM order_status_changes WHERE id > :first"
    stmt = text(query + (" AND to_status IN :statuses" if statuses else "")).bindparams(
        first=first_row
    )
    if statuses:
        stmt = stmt.bindparams(bindparam("statuses", list(statuses), expanding=True))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    # SQLite keeps UUIDs as bare hex.
    return [(str(uuid.UUID(str(order_id))), status, as_utc(at)) for order_id, status, at in rows]


async def full_flow(
    stack: Stack,
    catalog: Catalog,
    n: int,
    *,
    concurrency: int = 16,
    within: float = 300,
    poll: float = 0.2,
) -> FullFlowResult:
    """Take ``n`` orders from creation to paid in CRM, each moving on as soon as it can;
    give up on the ones not paid ``within`` seconds."""
    pipeline = Pipeline(stack, catalog, n, concurrency=concurrency, within=within, poll=poll)
    return await pipeline.run()
