"""``python -m crm.replay [--since ISO] [--until ISO] [--key ID] [--type T] [--topic T]``:
republish CRM's events from its outbox history, with CRM's settings as defaults."""

import sys

from contracts.runtime.replay import main
from crm.settings import Settings

if __name__ == "__main__":
    settings = Settings()
    sys.exit(
        main(
            prog="python -m crm.replay",
            database_url=settings.database_url,
            bootstrap_servers=settings.kafka_bootstrap_servers,
        )
    )
