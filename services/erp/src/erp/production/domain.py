"""Production rules: bills of materials, the work-order lifecycle, component shortages.

Plain Python, no I/O.  Products are identified by any hashable key, so the rules can be
tested with plain strings and used with UUIDs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from contracts.errors import Conflict, IllegalTransition

P = TypeVar("P", bound=Hashable)

# product -> {component: quantity per unit of the product}
BomGraph = Mapping[P, Mapping[P, int]]


class BomCycle(Conflict):
    title = "The bill of materials would contain itself"


class ComponentsShort(Conflict):
    title = "Components short"


class WorkOrderStatus(StrEnum):
    PLANNED = "planned"
    RELEASED = "released"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


TRANSITIONS: dict[WorkOrderStatus, frozenset[WorkOrderStatus]] = {
    WorkOrderStatus.PLANNED: frozenset({WorkOrderStatus.RELEASED, WorkOrderStatus.CANCELLED}),
    WorkOrderStatus.RELEASED: frozenset({WorkOrderStatus.COMPLETED, WorkOrderStatus.CANCELLED}),
    WorkOrderStatus.COMPLETED: frozenset(),
    WorkOrderStatus.CANCELLED: frozenset(),
}

# Work orders that will still bring goods in (open supply for planning).
OPEN_STATUSES = (WorkOrderStatus.PLANNED, WorkOrderStatus.RELEASED)


def check_transition(current: str, target: WorkOrderStatus) -> None:
    if target not in TRANSITIONS[WorkOrderStatus(current)]:
        raise IllegalTransition(f"a {current} work order cannot become {target}")


def find_cycle(graph: BomGraph[P], product: P, components: Iterable[P]) -> list[P] | None:
    """The path by which giving ``product`` these ``components`` would make it its own part.

    ``graph`` holds the other products' BOMs (``product``'s own current BOM is ignored, as it
    is being replaced).  None when the new BOM is acyclic.
    """
    for start in components:
        # Depth-first from each component, looking for the product itself.
        stack: list[tuple[P, list[P]]] = [(start, [product, start])]
        seen: set[P] = set()
        while stack:
            node, path = stack.pop()
            if node == product:
                return path
            if node in seen:
                continue
            seen.add(node)
            for child in graph.get(node) or {}:
                stack.append((child, [*path, child]))
    return None


def levels(graph: BomGraph[P]) -> dict[P, int]:
    """The low-level code of every product in ``graph``: the deepest level it is used at.

    Finished goods nobody uses are level 0; a part used by a level-n product is at least level
    n + 1.  Planning product by product in this order sees all of a part's dependent demand
    before netting it.  Raises BomCycle if the graph is not acyclic.
    """
    nodes: set[P] = set(graph)
    for components in graph.values():
        nodes.update(components)
    parents_left: dict[P, int] = dict.fromkeys(nodes, 0)
    for components in graph.values():
        for child in components:
            parents_left[child] += 1
    level: dict[P, int] = dict.fromkeys(nodes, 0)
    ready = [n for n in nodes if parents_left[n] == 0]
    done = 0
    while ready:
        node = ready.pop()
        done += 1
        for child in graph.get(node) or {}:
            level[child] = max(level[child], level[node] + 1)
            parents_left[child] -= 1
            if parents_left[child] == 0:
                ready.append(child)
    if done != len(nodes):
        raise BomCycle("the bills of materials contain a cycle")
    return level


def explode(graph: BomGraph[P], product: P, quantity: int) -> dict[P, int]:
    """Gross requirements of every part at every level to make ``quantity`` of ``product``.

    Intermediate assemblies are included (they must be made, or taken from stock); the product
    itself is not.
    """
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    order = sorted(levels(graph).items(), key=lambda item: item[1])
    needed: dict[P, int] = defaultdict(int)
    needed[product] = quantity
    for node, _level in order:
        if needed.get(node, 0) == 0:
            continue
        for child, per_unit in (graph.get(node) or {}).items():
            needed[child] += needed[node] * per_unit
    needed.pop(product)
    return {p: q for p, q in needed.items() if q > 0}


def requirements(components: Mapping[P, int], quantity: int) -> dict[P, int]:
    """What one level of a BOM needs to make ``quantity`` units."""
    return {p: per_unit * quantity for p, per_unit in components.items()}


@dataclass(frozen=True)
class Short(Generic[P]):
    product: P
    required: int
    available: int

    @property
    def missing(self) -> int:
        return self.required - self.available


def shortages(required: Mapping[P, int], available: Mapping[P, int]) -> list[Short[P]]:
    """Components of which fewer are available than required."""
    return [
        Short(p, q, max(available.get(p, 0), 0))
        for p, q in required.items()
        if available.get(p, 0) < q
    ]
