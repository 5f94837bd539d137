"""indexes for paging stock levels, stock lots and goods receipts

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-27 06:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Stock levels sorted by warehouse (or one warehouse's, by product); by product is the key.
    op.create_index(
        "ix_stock_levels_warehouse_product", "stock_levels", ["warehouse_id", "product_id"]
    )
    # Lots oldest receipt first across products, and lots by number.
    op.create_index("ix_stock_lots_sequence", "stock_lots", ["sequence"])
    op.create_index("ix_stock_lots_lot", "stock_lots", ["lot", "sequence"])
    # One purchase order's receipts in arrival order.
    op.create_index(
        "ix_goods_receipts_purchase_order_received",
        "goods_receipts",
        ["purchase_order_id", "received_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_goods_receipts_purchase_order_received", table_name="goods_receipts")
    op.drop_index("ix_stock_lots_lot", table_name="stock_lots")
    op.drop_index("ix_stock_lots_sequence", table_name="stock_lots")
    op.drop_index("ix_stock_levels_warehouse_product", table_name="stock_levels")
