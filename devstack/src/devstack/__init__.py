"""The local stack: the embedded Kafka-compatible broker plus CRM, ERP and gateway processes.

Used by ``make run`` and by the end-to-end tests, so both exercise the same real processes.
"""

from devstack.stack import Stack, StackConfig

__all__ = ["Stack", "StackConfig"]
