"""The aiokafka example of contracts/README.md runs, against the real broker, as written."""

import asyncio
import re
import uuid
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer

from contracts.catalog.examples import example_payload
from contracts.envelope import Envelope, Event
from contracts.events.erp import ProductPublished
from contracts.runtime.kafka import ensure_topics
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
