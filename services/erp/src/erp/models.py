"""Import every area's models, so the metadata knows every table (for Alembic and tests)."""

from erp.catalog import models as catalog_models  # noqa: F401
from erp.inventory import models as inventory_models  # noqa: F401
