"""stock lots, shipping and purchasing

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 03:37:26.683580
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import contracts.runtime.types  # noqa: F401  (column types of the models)


revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('suppliers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('code', name=op.f('uq_suppliers_code'))
    )
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suppliers_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_suppliers_name'), ['name'], unique=False)

    op.create_table('purchase_orders',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('expected_on', sa.Date(), nullable=True),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_orders_number'))
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_orders_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('shipments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('dispatched_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_shipments_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('number', name=op.f('uq_shipments_number'))
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipments_dispatched_at'), ['dispatched_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipments_order_id'), ['order_id'], unique=False)

    op.create_table('stock_lots',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=False),
    sa.Column('lot', sa.String(length=64), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.CheckConstraint('on_hand >= 0', name=op.f('ck_stock_lots_on_hand_not_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_lots_product_id_products')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_stock_lots_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('product_id', 'warehouse_id', 'lot', name=op.f('pk_stock_lots'))
    )
    with op.batch_alter_table('stock_lots', schema=None) as batch_op:
        batch_op.create_index('ix_stock_lots_fifo', ['product_id', 'warehouse_id', 'sequence'], unique=False)

    op.create_table('goods_receipts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('purchase_order_id', sa.Uuid(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('received_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_goods_receipts_purchase_order_id_purchase_orders')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_goods_receipts_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_receipts'))
    )
    with op.batch_alter_table('goods_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goods_receipts_purchase_order_id'), ['purchase_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goods_receipts_received_at'), ['received_at'], unique=False)

    op.create_table('purchase_order_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('purchase_order_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('unit_cost', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_purchase_order_lines_positive')),
    sa.CheckConstraint('received >= 0 AND received <= quantity', name=op.f('ck_purchase_order_lines_received_within')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_purchase_order_lines_product_id_products')),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_purchase_order_id_purchase_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_lines'))
    )
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_purchase_order_id'), ['purchase_order_id'], unique=False)

    op.create_table('purchase_order_links',
    sa.Column('purchase_order_id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_links_purchase_order_id_purchase_orders')),
    sa.PrimaryKeyConstraint('purchase_order_id', 'order_id', name=op.f('pk_purchase_order_links'))
    )
    with op.batch_alter_table('purchase_order_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_links_order_id'), ['order_id'], unique=False)

    op.create_table('purchase_requisitions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('purchase_order_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_purchase_requisitions_positive')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_purchase_requisitions_product_id_products')),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_requisitions_purchase_order_id_purchase_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_requisitions')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_requisitions_number'))
    )
    with op.batch_alter_table('purchase_requisitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_requisitions_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_purchase_requisitions_product_status', ['product_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_requisitions_status'), ['status'], unique=False)

    op.create_table('shipment_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('shipment_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=64), nullable=True),
    sa.Column('stock_move_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_shipment_lines_positive')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_shipment_lines_product_id_products')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_lines_shipment_id_shipments')),
    sa.ForeignKeyConstraint(['stock_move_id'], ['stock_moves.id'], name=op.f('fk_shipment_lines_stock_move_id_stock_moves')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_lines'))
    )
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipment_lines_lot'), ['lot'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipment_lines_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipment_lines_shipment_id'), ['shipment_id'], unique=False)

    op.create_table('goods_receipt_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('receipt_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=64), nullable=True),
    sa.Column('stock_move_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_goods_receipt_lines_positive')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_goods_receipt_lines_product_id_products')),
    sa.ForeignKeyConstraint(['receipt_id'], ['goods_receipts.id'], name=op.f('fk_goods_receipt_lines_receipt_id_goods_receipts')),
    sa.ForeignKeyConstraint(['stock_move_id'], ['stock_moves.id'], name=op.f('fk_goods_receipt_lines_stock_move_id_stock_moves')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_receipt_lines'))
    )
    with op.batch_alter_table('goods_receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goods_receipt_lines_lot'), ['lot'], unique=False)
        batch_op.create_index(batch_op.f('ix_goods_receipt_lines_receipt_id'), ['receipt_id'], unique=False)
    # Stock booked before lots were tracked: one lot balance per lot number seen in the ledger
    # (stock without a number goes to the empty lot), oldest receipt first.
    op.execute(
        "INSERT INTO stock_lots (product_id, warehouse_id, lot, on_hand, sequence) "
        "SELECT product_id, warehouse_id, COALESCE(lot, ''), SUM(quantity), MIN(id) "
        "FROM stock_moves GROUP BY product_id, warehouse_id, COALESCE(lot, '') "
        "HAVING SUM(quantity) > 0"
    )


def downgrade() -> None:
    with op.batch_alter_table('goods_receipt_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goods_receipt_lines_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_goods_receipt_lines_lot'))

    op.drop_table('goods_receipt_lines')
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipment_lines_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_shipment_lines_product_id'))
        batch_op.drop_index(batch_op.f('ix_shipment_lines_lot'))

    op.drop_table('shipment_lines')
    with op.batch_alter_table('purchase_requisitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_requisitions_status'))
        batch_op.drop_index('ix_purchase_requisitions_product_status')
        batch_op.drop_index(batch_op.f('ix_purchase_requisitions_created_at'))

    op.drop_table('purchase_requisitions')
    with op.batch_alter_table('purchase_order_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_links_order_id'))

    op.drop_table('purchase_order_links')
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_purchase_order_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_product_id'))

    op.drop_table('purchase_order_lines')
    with op.batch_alter_table('goods_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goods_receipts_received_at'))
        batch_op.drop_index(batch_op.f('ix_goods_receipts_purchase_order_id'))

    op.drop_table('goods_receipts')
    with op.batch_alter_table('stock_lots', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_lots_fifo')

    op.drop_table('stock_lots')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_order_id'))
        batch_op.drop_index(batch_op.f('ix_shipments_dispatched_at'))

    op.drop_table('shipments')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_orders_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_status'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_created_at'))

    op.drop_table('purchase_orders')
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suppliers_name'))
        batch_op.drop_index(batch_op.f('ix_suppliers_created_at'))

    op.drop_table('suppliers')
