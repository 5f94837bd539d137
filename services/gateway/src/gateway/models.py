"""Import every area's models, so the metadata knows every table (for Alembic and tests)."""

from gateway.auth import models as auth_models  # noqa: F401
from gateway.idempotency import models as idempotency_models  # noqa: F401
