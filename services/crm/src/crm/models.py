"""Import every area's models, so the metadata knows every table (for Alembic and tests)."""

from crm.activities import models as activity_models  # noqa: F401
from crm.catalog import models as catalog_models  # noqa: F401
from crm.customers import models as customer_models  # noqa: F401
from crm.marketing import models as marketing_models  # noqa: F401
from crm.pipeline import models as pipeline_models  # noqa: F401
from crm.sales import models as sales_models  # noqa: F401
from crm.sales import quote_models  # noqa: F401
from crm.service import models as service_models  # noqa: F401
