"""``python -m contracts.catalog generate|check|compat|release``.

- generate: rewrite the JSON Schemas and the AsyncAPI document from the models (and draft an
  example for any event type without one).
- check: fail if a generated file is stale or an example is missing.
- compat: fail if the current schemas break the released ones without a major version bump.
- release: snapshot the current schemas as the released contract (after ``compat`` passes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from contracts.catalog import GENERATE_COMMAND, RELEASE_COMMAND, RELEASED_FILE
from contracts.catalog.compat import compare_catalogs
from contracts.catalog.files import (
    current_catalog,
    generate,
    missing_examples,
    release,
    released_catalog,
    stale_files,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m contracts.catalog",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["generate", "check", "compat", "release"])
    args = parser.parse_args(argv)
    if args.command == "generate":
        for path in generate():
            print(
                f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}"
            )
        missing = missing_examples()
        return 1 if missing else 0
    if args.command == "check":
        stale, missing = stale_files(), missing_examples()
        for name in stale:
            print(f"stale: {name}")
        for name in missing:
            print(f"no example: {name}")
        if stale or missing:
            print(f"run: {GENERATE_COMMAND}")
            return 1
        return 0
    if not RELEASED_FILE.exists():
        if args.command == "compat":
            print(f"no released catalog yet; make the first release with: {RELEASE_COMMAND}")
            return 1
        print(f"first release: {_shown(release())}")
        return 0
    verdict = compare_catalogs(released_catalog(), current_catalog())
    for change in verdict.breaking:
        print(f"BREAKING {change}")
    for change in verdict.allowed:
        print(f"breaking, allowed by a major version bump: {change}")
    for change in verdict.additive:
        print(f"additive: {change}")
    if args.command == "compat":
        if verdict.ok:
            print("compatible with the released catalog")
            return 0
        print(
            "make the change additive (a new optional field) or bump the event's major "
            f"version, then release the new contract: {RELEASE_COMMAND}"
        )
        return 1
    if not verdict.ok:
        print("not released: fix the breaking changes or bump the event's major version")
        return 1
    print(f"released: {_shown(release())}; commit it")
    return 0


def _shown(path: Path) -> Path:
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


if __name__ == "__main__":
    sys.exit(main())
