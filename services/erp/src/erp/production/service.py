"""Use cases on bills of materials: define, replace, explode."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import Conflict, InvalidRequest, NotFound, PreconditionFailed
from contracts.runtime import UnitOfWork
from erp.catalog.models import Product
from erp.production.domain import BomCycle, explode, find_cycle
from erp.production.models import Bom, BomLine
from erp.production.schemas import BomIn, BomLinesIn

MANUFACTURED = "manufactured"


async def bom_graph(session: AsyncSession) -> dict[uuid.UUID, dict[uuid.UUID, int]]:
    """Every BOM as product -> {component: quantity per unit}."""
    rows = await session.execute(
        select(Bom.product_id, BomLine.component_id, BomLine.quantity).join(
            BomLine, BomLine.bom_id == Bom.id
        )
    )
    graph: dict[uuid.UUID, dict[uuid.UUID, int]] = defaultdict(dict)
    for product_id, component_id, quantity in rows.all():
        graph[product_id][component_id] = quantity
    return dict(graph)


async def products_by_id(
    session: AsyncSession, ids: list[uuid.UUID] | set[uuid.UUID]
) -> dict[uuid.UUID, Product]:
    if not ids:
        return {}
    found = await session.scalars(select(Product).where(Product.id.in_(list(ids))))
    return {p.id: p for p in found}


async def get_bom(session: AsyncSession, bom_id: uuid.UUID) -> Bom:
    bom = await session.get(Bom, bom_id)
    if bom is None:
        raise NotFound(f"BOM {bom_id} does not exist")
    return bom


async def bom_of(session: AsyncSession, product_id: uuid.UUID) -> Bom | None:
    return await session.scalar(select(Bom).where(Bom.product_id == product_id))


async def _check_lines(
    session: AsyncSession, product: Product, data: BomLinesIn
) -> dict[uuid.UUID, int]:
    """The components, if each is a physical product and none of them contains ``product``."""
    components = {line.component_id: line.quantity for line in data.lines}
    known = await products_by_id(session, set(components))
    errors = []
    for i, line in enumerate(data.lines):
        found = known.get(line.component_id)
        if found is None:
            errors.append({"field": f"body.lines.{i}.component_id", "message": "unknown product"})
        elif found.product_type == "service":
            errors.append(
                {"field": f"body.lines.{i}.component_id", "message": "a service is not a part"}
            )
    if errors:
        raise InvalidRequest("some components cannot be used", errors=errors)
    cycle = find_cycle(await bom_graph(session), product.id, components)
    if cycle:
        skus = await products_by_id(session, set(cycle))
        path = " -> ".join(skus[p].sku for p in cycle)
        raise BomCycle(f"{product.sku} would contain itself: {path}")
    return components


async def create_bom(uow: UnitOfWork, data: BomIn) -> Bom:
    """Say how a manufactured product is made (one BOM per product)."""
    session = uow.session
    product = await session.get(Product, data.product_id)
    if product is None:
        raise InvalidRequest(
            f"product {data.product_id} does not exist",
            errors=[{"field": "body.product_id", "message": "unknown product"}],
        )
    if product.product_type != MANUFACTURED:
        raise InvalidRequest(
            f"{product.sku} is {product.product_type}, not manufactured",
            errors=[{"field": "body.product_id", "message": "not a manufactured product"}],
        )
    if await bom_of(session, product.id) is not None:
        raise Conflict(
            f"{product.sku} already has a BOM; replace its lines instead",
            errors=[{"field": "body.product_id", "message": "has a BOM"}],
        )
    components = await _check_lines(session, product, data)
    now = datetime.now(UTC)
    bom = Bom(id=uuid.uuid4(), product_id=product.id, created_at=now, updated_at=now)
    bom.lines = [BomLine(component_id=c, quantity=q) for c, q in components.items()]
    session.add(bom)
    await session.flush()
    await uow.audit("bom", bom.id, "created", after=data.model_dump(mode="json"))
    return bom


async def replace_bom_lines(
    uow: UnitOfWork, bom_id: uuid.UUID, data: BomLinesIn, expected_version: int | None
) -> Bom:
    """New components for a BOM.  Work orders already created keep the BOM they were made with."""
    session = uow.session
    bom = await get_bom(session, bom_id)
    if expected_version is not None and expected_version != bom.version:
        raise PreconditionFailed(f"BOM {bom_id} changed since version {expected_version}")
    product = await session.get(Product, bom.product_id)
    assert product is not None  # a foreign key
    components = await _check_lines(session, product, data)
    before = [{"component_id": str(x.component_id), "quantity": x.quantity} for x in bom.lines]
    bom.lines.clear()
    await session.flush()
    bom.lines.extend(BomLine(component_id=c, quantity=q) for c, q in components.items())
    bom.updated_at = datetime.now(UTC)
    await session.flush()
    await uow.audit(
        "bom",
        bom.id,
        "lines_replaced",
        before={"lines": before},
        after=data.model_dump(mode="json"),
    )
    return bom


async def explode_bom(
    session: AsyncSession, bom_id: uuid.UUID, quantity: int
) -> list[tuple[Product, int, bool]]:
    """Every part, at every level, needed for ``quantity`` units: (product, units, has BOM)."""
    bom = await get_bom(session, bom_id)
    graph = await bom_graph(session)
    needed = explode(graph, bom.product_id, quantity)
    products = await products_by_id(session, set(needed))
    return sorted(((products[p], q, p in graph) for p, q in needed.items()), key=lambda r: r[0].sku)
