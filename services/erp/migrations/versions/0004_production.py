"""production: BOMs, work orders, lot genealogy, MRP runs

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-27 03:37:13.870998
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import contracts.runtime.types  # noqa: F401  (column types of the models)


revision: str = '0004'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mrp_runs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('started_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('planned_work_orders', sa.Integer(), nullable=False),
    sa.Column('planned_requisitions', sa.Integer(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mrp_runs'))
    )
    with op.batch_alter_table('mrp_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mrp_runs_started_at'), ['started_at'], unique=False)

    op.create_table('boms',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_boms_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_boms')),
    sa.UniqueConstraint('product_id', name=op.f('uq_boms_product_id'))
    )
    with op.batch_alter_table('boms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_boms_created_at'), ['created_at'], unique=False)

    op.create_table('work_orders',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('lot', sa.String(length=64), nullable=True),
    sa.Column('mrp_run_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('released_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_work_orders_positive')),
    sa.ForeignKeyConstraint(['mrp_run_id'], ['mrp_runs.id'], name=op.f('fk_work_orders_mrp_run_id_mrp_runs')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_work_orders_product_id_products')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_work_orders_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_orders')),
    sa.UniqueConstraint('lot', name=op.f('uq_work_orders_lot')),
    sa.UniqueConstraint('number', name=op.f('uq_work_orders_number'))
    )
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_orders_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_orders_mrp_run_id'), ['mrp_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_orders_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_orders_status'), ['status'], unique=False)

    op.create_table('bom_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('bom_id', sa.Uuid(), nullable=False),
    sa.Column('component_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_bom_lines_positive')),
    sa.ForeignKeyConstraint(['bom_id'], ['boms.id'], name=op.f('fk_bom_lines_bom_id_boms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['component_id'], ['products.id'], name=op.f('fk_bom_lines_component_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bom_lines')),
    sa.UniqueConstraint('bom_id', 'component_id', name=op.f('uq_bom_lines_bom_id'))
    )
    with op.batch_alter_table('bom_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bom_lines_component_id'), ['component_id'], unique=False)

    op.create_table('lot_consumptions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('work_order_id', sa.Uuid(), nullable=False),
    sa.Column('finished_lot', sa.String(length=64), nullable=False),
    sa.Column('component_id', sa.Uuid(), nullable=False),
    sa.Column('lot', sa.String(length=64), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_lot_consumptions_positive')),
    sa.ForeignKeyConstraint(['component_id'], ['products.id'], name=op.f('fk_lot_consumptions_component_id_products')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_lot_consumptions_warehouse_id_warehouses')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_lot_consumptions_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_consumptions'))
    )
    with op.batch_alter_table('lot_consumptions', schema=None) as batch_op:
        batch_op.create_index('ix_lot_consumptions_component_lot', ['component_id', 'lot'], unique=False)
        batch_op.create_index(batch_op.f('ix_lot_consumptions_finished_lot'), ['finished_lot'], unique=False)
        batch_op.create_index(batch_op.f('ix_lot_consumptions_work_order_id'), ['work_order_id'], unique=False)

    op.create_table('work_order_components',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('work_order_id', sa.Uuid(), nullable=False),
    sa.Column('component_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_work_order_components_positive')),
    sa.ForeignKeyConstraint(['component_id'], ['products.id'], name=op.f('fk_work_order_components_component_id_products')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_work_order_components_work_order_id_work_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_order_components'))
    )
    with op.batch_alter_table('work_order_components', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_order_components_component_id'), ['component_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_order_components_work_order_id'), ['work_order_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('work_order_components', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_order_components_work_order_id'))
        batch_op.drop_index(batch_op.f('ix_work_order_components_component_id'))

    op.drop_table('work_order_components')
    with op.batch_alter_table('lot_consumptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_consumptions_work_order_id'))
        batch_op.drop_index(batch_op.f('ix_lot_consumptions_finished_lot'))
        batch_op.drop_index('ix_lot_consumptions_component_lot')

    op.drop_table('lot_consumptions')
    with op.batch_alter_table('bom_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bom_lines_component_id'))

    op.drop_table('bom_lines')
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_orders_status'))
        batch_op.drop_index(batch_op.f('ix_work_orders_product_id'))
        batch_op.drop_index(batch_op.f('ix_work_orders_mrp_run_id'))
        batch_op.drop_index(batch_op.f('ix_work_orders_created_at'))

    op.drop_table('work_orders')
    with op.batch_alter_table('boms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_boms_created_at'))

    op.drop_table('boms')
    with op.batch_alter_table('mrp_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mrp_runs_started_at'))

    op.drop_table('mrp_runs')
