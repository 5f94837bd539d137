"""contracts/README.md tells the truth: its aiokafka example runs against the real broker as
written, and its topic table lists every topic and event type."""

import asyncio
import re
import uuid
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer

from contracts.catalog.examples import example_payload
from contracts.catalog.schemas import published_event_classes
from contracts.envelope import Envelope, Event
from contracts.events.erp import ProductPublished
from contracts.runtime.kafka import ensure_topics
from contracts.topics import TOPICS
from devstack.stack import Broker

README = Path(__file__).resolve().parent.parent / "README.md"


def _guide_example() -> str:
    text = README.read_text()
    match = re.search(r"<!-- consume-example:.*?-->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, "the README's consume example is missing"
    return match.group(1)


async def test_the_readme_consumer_applies_each_event_once(broker: Broker) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(_guide_example(), str(README), "exec"), namespace)
    await ensure_topics(broker.bootstrap, [ProductPublished.topic])
    product_id = uuid.uuid4()
    payload = {**example_payload(ProductPublished), "product_id": str(product_id)}
    first = Envelope.wrap(_product(payload, 1), producer="erp")
    second = Envelope.wrap(_product(payload, 2), producer="erp")
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for envelope in (first, first, second):  # the first one delivered twice
            await producer.send_and_wait(
                ProductPublished.topic,
                key=envelope.key.encode(),
                value=envelope.model_dump_json().encode(),
            )
    finally:
        await producer.stop()

    mine: list[Event] = []

    def handle(event: Event) -> None:
        if getattr(event, "product_id", None) == product_id:
            mine.append(event)

    task = asyncio.create_task(namespace["consume"](broker.bootstrap, set(), handle))

    async def both_seen() -> None:
        while len(mine) < 2:
            await asyncio.sleep(0.05)

    try:
        await asyncio.wait_for(both_seen(), 60)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [e.revision for e in mine] == [1, 2]  # type: ignore[attr-defined]


def _product(payload: dict[str, Any], revision: int) -> ProductPublished:
    return ProductPublished.model_validate({**payload, "revision": revision})


def test_the_guide_lists_every_topic_with_its_producer_key_and_events() -> None:
    rows = {
        cells[0].strip("` "): cells
        for line in README.read_text().splitlines()
        if line.startswith("| `") and len(cells := line.strip("|").split("|")) == 4
    }
    for t in TOPICS:
        events = [e.event_type for e in published_event_classes() if e.topic == t.name]
        if not events:
            continue
        assert t.name in rows, f"contracts/README.md: add the topic {t.name} to the table"
        _, producer, key, listed = (cell.strip() for cell in rows[t.name])
        assert (producer, key) == (t.producer, t.key)
        missing = set(events) - {name.strip() for name in listed.split(",")}
        assert not missing, f"contracts/README.md: add {sorted(missing)} to the row of {t.name}"
