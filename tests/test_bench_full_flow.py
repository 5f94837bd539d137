"""The benchmark's full-flow driver, on a handful of orders: each one it creates must end
paid in CRM, having been shipped, invoiced and paid through the gateway on the way."""

import asyncio

import pytest

from devstack import Stack
from devstack.bench.flow import seed_catalog
from devstack.bench.full_flow import full_flow

pytestmark = pytest.mark.e2e


def test_every_order_of_the_full_flow_ends_paid_in_crm(stack: Stack) -> None:
    catalog = seed_catalog(stack, products=3, accounts=2, stock=100)

    run = asyncio.run(full_flow(stack, catalog, 8, concurrency=4, within=120))

    assert run.paid == 8, run.unfinished()
    assert not run.unfinished()
    for order in run.orders.values():
        assert order.shipments == 1 and len(order.invoices) == 1
        assert {"confirmed", "reserved", "paid"} <= order.history.keys()
    stages = run.stages()
    assert all(len(spans) == 8 for spans in stages.values()), stages
    assert all(span >= 0 for span in stages["create -> CRM paid"])
    assert 0 < run.orders_per_second
