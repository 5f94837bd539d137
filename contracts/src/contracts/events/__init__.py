"""Every event type of the platform, grouped by producing service.

Importing this package registers them all with the envelope, so any subscriber can open any
event it receives.
"""

from contracts.events.crm import *  # noqa: F403
from contracts.events.erp import *  # noqa: F403
