"""Import every area's models, so the metadata knows every table (for Alembic and tests)."""

from crm.catalog import models as catalog_models  # noqa: F401
from crm.customers import models as customer_models  # noqa: F401
from crm.sales import models as sales_models  # noqa: F401
