"""Hostile values at ERP's API: each is refused with a 4xx problem and writes nothing; SQL
and odd unicode in free text are stored verbatim and harm nothing."""

from typing import Any

import httpx
from erp_stock_helpers import product, warehouse

from devstack.hostile import (
    FORTY_DIGITS,
    NUL_TEXT,
    ODD_TEXT,
    SQL_FRAGMENT,
    assert_refused,
    deeply_nested,
    row_counts,
    with_raw_number,
)

TABLES = ("products", "warehouses", "stock_moves", "stock_levels", "outbox", "audit_log")
JSON = {"content-type": "application/json"}
PRODUCT = {
    "sku": "HOSTILE-1",
    "name": "Pump",
    "list_price": "100.00",
    "standard_cost": "60.00",
    "tax_rate": "0.23",
}


def refusals(stock: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(what, method, path, request keyword arguments), given a real product and warehouse."""

    def receipt(quantity: Any) -> dict[str, Any]:
        return {"json": stock | {"quantity": quantity}}

    return [
        ("NUL byte in a name", "POST", "/products", {"json": PRODUCT | {"name": NUL_TEXT}}),
        ("NUL byte in a filter", "GET", "/products", {"params": {"q": NUL_TEXT}}),
        ("SQL in a SKU", "POST", "/products", {"json": PRODUCT | {"sku": SQL_FRAGMENT}}),
        (
            "1e309 list price",
            "POST",
            "/products",
            {"content": with_raw_number(PRODUCT, "list_price", "1e309"), "headers": JSON},
        ),
        ("40-digit price", "POST", "/products", {"json": PRODUCT | {"list_price": FORTY_DIGITS}}),
        ("NaN price", "POST", "/products", {"json": PRODUCT | {"list_price": "NaN"}}),
        ("negative cost", "POST", "/products", {"json": PRODUCT | {"standard_cost": "-1"}}),
        (
            "10**30 reorder point",
            "POST",
            "/products",
            {"json": PRODUCT | {"reorder_point": 10**30}},
        ),
        ("price of the wrong type", "POST", "/products", {"json": PRODUCT | {"list_price": [1]}}),
        ("an unknown field", "POST", "/products", {"json": PRODUCT | {"is_admin": True}}),
        (
            "5000 levels of nesting",
            "POST",
            "/products",
            {"content": deeply_nested(), "headers": JSON},
        ),
        ("not JSON at all", "POST", "/warehouses", {"content": b"\xff{", "headers": JSON}),
        ("10**30 quantity", "POST", "/stock/receipts", receipt(10**30)),
        ("negative quantity", "POST", "/stock/receipts", receipt(-5)),
        ("zero quantity", "POST", "/stock/receipts", receipt(0)),
        (
            "1e309 quantity",
            "POST",
            "/stock/receipts",
            {"content": with_raw_number(stock, "quantity", "1e309"), "headers": JSON},
        ),
        ("quantity as text", "POST", "/stock/receipts", receipt("ten")),
        ("SQL in an id", "GET", f"/products/{SQL_FRAGMENT}", {}),
        ("SQL in a sort", "GET", "/products", {"params": {"sort": SQL_FRAGMENT}}),
    ]


async def test_hostile_values_are_refused_and_change_nothing(client: httpx.AsyncClient) -> None:
    pump = await product(client)
    where = await warehouse(client)
    stock = {"product_id": pump["id"], "warehouse_id": where["id"]}
    before = await row_counts(client.app, TABLES)  # type: ignore[attr-defined]
    failures = []
    for what, method, path, arguments in refusals(stock):
        try:
            assert_refused(await client.request(method, path, **arguments))
        except Exception as failure:
            failures.append(f"{what}: {failure!r}"[:300])
    assert not failures, "\n".join(failures)
    assert await row_counts(client.app, TABLES) == before  # type: ignore[attr-defined]


async def test_sql_and_odd_unicode_in_names_are_stored_verbatim(client: httpx.AsyncClient) -> None:
    for number, name in enumerate((SQL_FRAGMENT, ODD_TEXT)):
        response = await client.post(
            "/products", json=PRODUCT | {"sku": f"ODD-{number}", "name": name}
        )
        assert response.status_code == 201, response.text
        fetched = (await client.get(f"/products/{response.json()['id']}")).json()
        assert fetched["name"] == name
    assert await row_counts(client.app, ("products",)) == {"products": 2}  # type: ignore[attr-defined]
