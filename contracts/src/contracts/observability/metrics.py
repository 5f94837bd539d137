"""The Prometheus series every service exposes at ``/metrics``.

All series carry a ``service`` label, so that several apps in one process (tests) and several
services behind one Prometheus stay apart.  Counters and histograms move as work happens;
the gauges that describe the database (outbox backlog, pending dead letters) and the consumer
(lag) are read when Prometheus scrapes, so they are never stale.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram
from prometheus_client import generate_latest as _generate_latest

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

http_requests = Counter(
    "http_requests",
    "HTTP requests answered, by route template and status.",
    ["service", "method", "route", "status"],
)
http_request_duration = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by route template.",
    ["service", "method", "route"],
    buckets=_LATENCY_BUCKETS,
)
events_published = Counter(
    "events_published",
    "Events the outbox relay published to the broker, by type.",
    ["service", "event_type"],
)
events_consumed = Counter(
    "events_consumed",
    "Messages the consumer handled, by event type and outcome "
    "(applied, duplicate, dead_lettered, ignored).",
    ["service", "event_type", "outcome"],
)
event_handling_duration = Histogram(
    "event_handling_duration_seconds",
    "Time from receiving a message to its outcome, by event type.",
    ["service", "event_type"],
    buckets=_LATENCY_BUCKETS,
)
handler_failures = Counter(
    "event_handler_failures",
    "Handler attempts that raised (each retry counts), by event type.",
    ["service", "event_type"],
)
dead_lettered = Counter(
    "events_dead_lettered",
    "Messages this process parked on the dead-letter topic.",
    ["service"],
)
dead_letters_pending = Gauge(
    "dead_letters_pending",
    "Dead letters in the service's log that were not retried yet.",
    ["service"],
)
outbox_backlog = Gauge(
    "outbox_backlog",
    "Outbox rows committed but not yet published.",
    ["service"],
)
outbox_oldest_age = Gauge(
    "outbox_oldest_unpublished_age_seconds",
    "Age of the oldest unpublished outbox row (0 when none).",
    ["service"],
)
consumer_lag = Gauge(
    "consumer_lag",
    "Messages on a partition not yet handled by this service's consumer.",
    ["service", "topic", "partition"],
)
consumer_connected = Gauge(
    "consumer_connected",
    "1 when the consumer is connected to the broker.",
    ["service"],
)
relay_leader = Gauge(
    "outbox_relay_leader",
    "1 when this process holds the relay lease and publishes.",
    ["service"],
)

_lag_series: dict[str, set[tuple[str, str]]] = {}


def set_consumer_lag(service: str, lag: dict[str, int]) -> None:
    """Replace this service's lag series with ``{"topic/partition": lag}``."""
    current = set()
    for name, value in lag.items():
        topic, _, partition = name.rpartition("/")
        consumer_lag.labels(service, topic, partition).set(value)
        current.add((topic, partition))
    for topic, partition in _lag_series.get(service, set()) - current:
        consumer_lag.remove(service, topic, partition)
    _lag_series[service] = current


def exposition() -> tuple[bytes, str]:
    """The text exposition of every series, and its content type."""
    return _generate_latest(REGISTRY), CONTENT_TYPE_LATEST
