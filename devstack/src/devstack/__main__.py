"""``python -m devstack run``: the whole platform on this machine, with demo data."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from devstack.stack import REPO, Stack, StackConfig


def _run(args: argparse.Namespace) -> int:
    config = StackConfig(
        workdir=Path(args.workdir),
        postgres_url=args.postgres,
        admin_password=args.admin_password,
        gateway_port=args.port,
        crm_port=args.port + 1,
        erp_port=args.port + 2,
        broker_port=args.broker_port,
    )
    stack = Stack(config)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    print("Starting the broker, migrating the databases, starting CRM, ERP and gateway...")
    try:
        stack.start(fresh=args.fresh)
        if not args.no_demo:
            from devstack.demo_data import seed

            seed(stack)
        gw = stack.gateway.url
        print(
            f"""
The platform is running.
  Gateway API      {gw}            (OpenAPI: {gw}/docs)
  CRM (internal)   {stack.services["crm"].url}   ERP (internal) {stack.services["erp"].url}
  Kafka broker     {stack.broker.bootstrap}
  Operations page  {gw}/ops
  Log in           POST {gw}/auth/token  username=admin  password={config.admin_password}
  The story        run `make demo` in another terminal
  Logs             {stack.logs}
Press Ctrl-C to stop.""",
            flush=True,
        )
        while not stopping:
            for service in stack.services.values():
                if service.proc and service.proc.poll() is not None:
                    print(f"{service.name} exited; see {service.log_path}", file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping...", flush=True)
        stack.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start everything and wait for Ctrl-C")
    run.add_argument("--workdir", default=str(REPO / ".run"))
    run.add_argument(
        "--postgres",
        default=os.environ.get("DEV_POSTGRES_URL"),
        help="a PostgreSQL server URL (default: SQLite files in the workdir)",
    )
    run.add_argument("--port", type=int, default=8000, help="gateway port (CRM +1, ERP +2)")
    run.add_argument("--broker-port", type=int, default=9092)
    run.add_argument("--admin-password", default="admin-password")
    run.add_argument("--fresh", action="store_true", help="start from empty databases")
    run.add_argument("--no-demo", action="store_true", help="do not seed demo data")
    args = parser.parse_args()
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
