"""Import every area's models, so the metadata knows every table (for Alembic and tests)."""

from erp.catalog import models as catalog_models  # noqa: F401
from erp.finance.credit import models as credit_models  # noqa: F401
from erp.finance.ledger import models as ledger_models  # noqa: F401
from erp.finance.payables import models as payables_models  # noqa: F401
from erp.finance.receivables import models as receivables_models  # noqa: F401
from erp.inventory import models as inventory_models  # noqa: F401
from erp.people import models as people_models  # noqa: F401
from erp.production import models as production_models  # noqa: F401
from erp.purchasing import models as purchasing_models  # noqa: F401
from erp.shipping import models as shipping_models  # noqa: F401
