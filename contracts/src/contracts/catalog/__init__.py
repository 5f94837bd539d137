"""The published event catalog, generated from the event models.

Subscribers read the files, not this code: a JSON Schema per event type (``schemas/``), one
AsyncAPI 3.0 document (``asyncapi.json``) and one example payload per event type
(``examples/``).  ``python -m contracts.catalog generate`` rewrites the generated files,
``check`` fails when they are stale, ``release`` snapshots the schemas as the last released
contract, and ``compat`` compares the current schemas with that snapshot.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = PACKAGE_DIR / "schemas"
EXAMPLES_DIR = PACKAGE_DIR / "examples"
ASYNCAPI_FILE = PACKAGE_DIR / "asyncapi.json"
# The released snapshot lives beside the package, in the repository only: it is the
# reference the compatibility check compares against, not something subscribers install.
RELEASED_FILE = PACKAGE_DIR.parent.parent / "released" / "catalog.json"

# The version of the catalog as a whole (AsyncAPI info.version); each event type carries
# its own schema version.
CATALOG_VERSION = "1.0.0"

GENERATE_COMMAND = ".venv/bin/python -m contracts.catalog generate"
RELEASE_COMMAND = ".venv/bin/python -m contracts.catalog release"
