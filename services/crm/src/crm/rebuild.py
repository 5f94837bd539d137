"""``python -m crm.rebuild catalog``: clear a read model so that a replay rebuilds it.

Then replay its source events from the producer, e.g. for the catalog::

    python -m erp.replay --type ProductPublished --type StockLevelChanged
"""

import argparse
import asyncio
import sys

from contracts.runtime.database import make_engine, make_sessions
from contracts.runtime.unit_of_work import Transactions
from crm.catalog.rebuild import CATALOG_EVENTS, clear_catalog
from crm.db import delivery_tables
from crm.settings import Settings


async def _clear_catalog(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        tx = Transactions(make_sessions(engine), delivery_tables, producer="crm")
        return await clear_catalog(tx)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm.rebuild", description=__doc__)
    parser.add_argument("read_model", choices=["catalog"])
    parser.add_argument("--database-url", default=Settings().database_url)
    args = parser.parse_args(argv)
    forgotten = asyncio.run(_clear_catalog(args.database_url))
    types = " ".join(f"--type {e.event_type}" for e in CATALOG_EVENTS)
    print(f"catalog cleared ({forgotten} inbox marks forgotten); now run on ERP's side:")
    print(f"  python -m erp.replay {types}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
