"""``python -m crm.rebuild catalog|financials``: clear a read model so a replay rebuilds it.

Then replay its source events from the producer, e.g. for the catalog::

    python -m erp.replay --type ProductPublished --type StockLevelChanged
"""

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable

from contracts.envelope import Event
from contracts.runtime.database import make_engine, make_sessions
from contracts.runtime.unit_of_work import Transactions
from crm.catalog.rebuild import CATALOG_EVENTS, clear_catalog
from crm.customers.rebuild import FINANCIAL_EVENTS, clear_financials
from crm.db import delivery_tables
from crm.settings import Settings

READ_MODELS: dict[str, tuple[Callable[[Transactions], Awaitable[int]], tuple[type[Event], ...]]] = {
    "catalog": (clear_catalog, CATALOG_EVENTS),
    "financials": (clear_financials, FINANCIAL_EVENTS),
}


async def _clear(read_model: str, database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        tx = Transactions(make_sessions(engine), delivery_tables, producer="crm")
        return await READ_MODELS[read_model][0](tx)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm.rebuild", description=__doc__)
    parser.add_argument("read_model", choices=sorted(READ_MODELS))
    parser.add_argument("--database-url", default=Settings().database_url)
    args = parser.parse_args(argv)
    forgotten = asyncio.run(_clear(args.read_model, args.database_url))
    types = " ".join(f"--type {e.event_type}" for e in READ_MODELS[args.read_model][1])
    print(f"{args.read_model} cleared ({forgotten} inbox marks forgotten); now run on ERP's side:")
    print(f"  python -m erp.replay {types}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
