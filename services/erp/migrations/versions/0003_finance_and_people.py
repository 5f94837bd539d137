"""finance and people

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-27 03:36:57.025705
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import contracts.runtime.types

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "closed_periods",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("closed_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_closed_periods")),
    )
    op.create_table(
        "commission_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("rate", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("created_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rate >= 0", name=op.f("ck_commission_rules_rate_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_rules")),
    )
    with op.batch_alter_table("commission_rules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commission_rules_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commission_rules_username"), ["username"], unique=False
        )
    op.create_table(
        "credit_holds",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column(
            "order_total", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column(
            "open_receivables",
            contracts.runtime.types.Amount(precision=18, scale=4),
            nullable=False,
        ),
        sa.Column(
            "credit_limit", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("held_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("released_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("release_reason", sa.String(length=200), nullable=True),
        sa.Column("released_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_credit_holds")),
    )
    with op.batch_alter_table("credit_holds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credit_holds_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_credit_holds_held_at"), ["held_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_credit_holds_status"), ["status"], unique=False)
    op.create_table(
        "customer_orders",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("order_number", sa.String(length=30), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "confirmed_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_customer_orders")),
    )
    with op.batch_alter_table("customer_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_orders_account_id"), ["account_id"], unique=False
        )
    op.create_table(
        "customers",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column(
            "credit_limit", contracts.runtime.types.Amount(precision=18, scale=4), nullable=True
        ),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("merged_into", sa.Uuid(), nullable=True),
        sa.Column("credit_revision", sa.Integer(), nullable=False),
        sa.Column("created_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "credit_limit IS NULL OR credit_limit >= 0",
            name=op.f("ck_customers_limit_not_negative"),
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_customers")),
    )
    op.create_table(
        "employees",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employees")),
        sa.UniqueConstraint("username", name=op.f("uq_employees_username")),
    )
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employees_created_at"), ["created_at"], unique=False)
    op.create_table(
        "invoice_sequences",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_invoice_sequences")),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("shipment_id", sa.Uuid(), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "net_amount", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column(
            "tax_amount", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column("total", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
        sa.Column(
            "amount_paid", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("created_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount_paid >= 0 AND amount_paid <= total", name=op.f("ck_invoices_paid_within_total")
        ),
        sa.CheckConstraint(
            "total = net_amount + tax_amount", name=op.f("ck_invoices_total_is_net_plus_tax")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_invoices_number")),
        sa.UniqueConstraint("shipment_id", name=op.f("uq_invoices_shipment_id")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoices_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_issued_on"), ["issued_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_paid_on"), ["paid_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_status"), ["status"], unique=False)
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column(
            "total_debit", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column(
            "total_credit", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("posted_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "total_debit = total_credit AND total_debit > 0",
            name=op.f("ck_journal_entries_balanced"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["journal_entries.id"],
            name=op.f("fk_journal_entries_reverses_id_journal_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entries")),
        sa.UniqueConstraint("source", "source_id", name=op.f("uq_journal_entries_source")),
    )
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_journal_entries_entry_date"), ["entry_date"], unique=False
        )
    op.create_table(
        "ledger_accounts",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("system", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('asset', 'liability', 'equity', 'revenue', 'expense')",
            name=op.f("ck_ledger_accounts_kind"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_ledger_accounts")),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("amount", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("created_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_account_id"), ["account_id"], unique=False)
    op.create_table(
        "supplier_bills",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_reference", sa.String(length=100), nullable=False),
        sa.Column("purchase_order_id", sa.Uuid(), nullable=True),
        sa.Column("amount", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
        sa.Column(
            "amount_paid", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("bill_date", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_supplier_bills_positive")),
        sa.CheckConstraint(
            "amount_paid >= 0 AND amount_paid <= amount",
            name=op.f("ck_supplier_bills_paid_within_amount"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_bills")),
        sa.UniqueConstraint(
            "supplier_id", "supplier_reference", name=op.f("uq_supplier_bills_supplier_id")
        ),
    )
    with op.batch_alter_table("supplier_bills", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supplier_bills_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supplier_bills_purchase_order_id"), ["purchase_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_supplier_bills_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_supplier_bills_supplier_id"), ["supplier_id"], unique=False
        )
    op.create_table(
        "customer_order_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column(
            "unit_price", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["customer_orders.order_id"],
            name=op.f("fk_customer_order_lines_order_id_customer_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_order_lines")),
    )
    with op.batch_alter_table("customer_order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_order_lines_order_id"), ["order_id"], unique=False
        )
    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column(
            "unit_price", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column(
            "tax_rate", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column(
            "net_amount", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column(
            "tax_amount", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.Column(
            "unit_cost", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_lines_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_lines")),
    )
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_lines_invoice_id"), ["invoice_id"], unique=False
        )
    op.create_table(
        "journal_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("account_code", sa.String(length=10), nullable=False),
        sa.Column("debit", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
        sa.Column("credit", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
        sa.CheckConstraint(
            "(debit > 0 AND credit = 0) OR (debit = 0 AND credit > 0)",
            name=op.f("ck_journal_lines_one_side"),
        ),
        sa.ForeignKeyConstraint(
            ["account_code"],
            ["ledger_accounts.code"],
            name=op.f("fk_journal_lines_account_code_ledger_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entries.id"],
            name=op.f("fk_journal_lines_entry_id_journal_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_lines")),
    )
    with op.batch_alter_table("journal_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_journal_lines_account", ["account_code", "entry_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_journal_lines_entry_id"), ["entry_id"], unique=False)
    op.create_table(
        "payment_allocations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("amount", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_allocations_positive")),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_payment_allocations_invoice_id_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_allocations_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_allocations")),
        sa.UniqueConstraint(
            "payment_id", "invoice_id", name=op.f("uq_payment_allocations_payment_id")
        ),
    )
    with op.batch_alter_table("payment_allocations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payment_allocations_invoice", ["invoice_id", "received_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_payment_allocations_payment_id"), ["payment_id"], unique=False
        )
    op.create_table(
        "supplier_payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bill_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("amount", contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("created_at", contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_supplier_payments_positive")),
        sa.ForeignKeyConstraint(
            ["bill_id"],
            ["supplier_bills.id"],
            name=op.f("fk_supplier_payments_bill_id_supplier_bills"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_payments")),
    )
    with op.batch_alter_table("supplier_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplier_payments_bill_id"), ["bill_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_supplier_payments_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supplier_payments_supplier_id"), ["supplier_id"], unique=False
        )
    _seed_chart_of_accounts()
    _refuse_changes_to_posted_entries()
    _check_lines_against_their_entry()


def downgrade() -> None:
    _drop_balance_triggers()
    _drop_immutability_triggers()
    with op.batch_alter_table("supplier_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_payments_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_supplier_payments_created_at"))
        batch_op.drop_index(batch_op.f("ix_supplier_payments_bill_id"))
    op.drop_table("supplier_payments")
    with op.batch_alter_table("payment_allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_allocations_payment_id"))
        batch_op.drop_index("ix_payment_allocations_invoice")
    op.drop_table("payment_allocations")
    with op.batch_alter_table("journal_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_lines_entry_id"))
        batch_op.drop_index("ix_journal_lines_account")
    op.drop_table("journal_lines")
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_lines_invoice_id"))
    op.drop_table("invoice_lines")
    with op.batch_alter_table("customer_order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_order_lines_order_id"))
    op.drop_table("customer_order_lines")
    with op.batch_alter_table("supplier_bills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_bills_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_supplier_bills_status"))
        batch_op.drop_index(batch_op.f("ix_supplier_bills_purchase_order_id"))
        batch_op.drop_index(batch_op.f("ix_supplier_bills_created_at"))
    op.drop_table("supplier_bills")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_account_id"))
    op.drop_table("payments")
    op.drop_table("ledger_accounts")
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entries_entry_date"))
    op.drop_table("journal_entries")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_status"))
        batch_op.drop_index(batch_op.f("ix_invoices_paid_on"))
        batch_op.drop_index(batch_op.f("ix_invoices_owner"))
        batch_op.drop_index(batch_op.f("ix_invoices_order_id"))
        batch_op.drop_index(batch_op.f("ix_invoices_issued_on"))
        batch_op.drop_index(batch_op.f("ix_invoices_account_id"))
    op.drop_table("invoices")
    op.drop_table("invoice_sequences")
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employees_created_at"))
    op.drop_table("employees")
    op.drop_table("customers")
    with op.batch_alter_table("customer_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_orders_account_id"))
    op.drop_table("customer_orders")
    with op.batch_alter_table("credit_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_holds_status"))
        batch_op.drop_index(batch_op.f("ix_credit_holds_held_at"))
        batch_op.drop_index(batch_op.f("ix_credit_holds_account_id"))
    op.drop_table("credit_holds")
    with op.batch_alter_table("commission_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commission_rules_username"))
        batch_op.drop_index(batch_op.f("ix_commission_rules_created_at"))
    op.drop_table("commission_rules")
    op.drop_table("closed_periods")


# The default chart of accounts (codes used by the posting rules; names stay editable).
DEFAULT_CHART = (
    ("1000", "Cash at bank", "asset"),
    ("1100", "Accounts receivable", "asset"),
    ("1200", "Inventory", "asset"),
    ("2000", "Accounts payable", "liability"),
    ("2100", "Goods received not invoiced", "liability"),
    ("2200", "Sales tax payable", "liability"),
    ("3000", "Owner's equity", "equity"),
    ("3100", "Retained earnings", "equity"),
    ("4000", "Sales revenue", "revenue"),
    ("5000", "Cost of goods sold", "expense"),
    ("6000", "Operating expenses", "expense"),
)
JOURNAL_TABLES = ("journal_entries", "journal_lines")


def _seed_chart_of_accounts() -> None:
    now = datetime.now(UTC)
    accounts = sa.table(
        "ledger_accounts",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("system", sa.Boolean),
        sa.column("active", sa.Boolean),
        sa.column("created_at", contracts.runtime.types.UtcDateTime()),
        sa.column("updated_at", contracts.runtime.types.UtcDateTime()),
        sa.column("version", sa.Integer),
    )
    op.bulk_insert(
        accounts,
        [
            {
                "code": code,
                "name": name,
                "kind": kind,
                "system": True,
                "active": True,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for code, name, kind in DEFAULT_CHART
        ],
    )


def _refuse_changes_to_posted_entries() -> None:
    """Posted entries are immutable: the database itself refuses UPDATE and DELETE."""
    message = "posted journal entries are immutable; post a reversal instead"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION refuse_journal_change() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
        )
        for table in JOURNAL_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_journal_change()"
            )
        return
    for table in JOURNAL_TABLES:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )


def _drop_immutability_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in JOURNAL_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
        op.execute("DROP FUNCTION IF EXISTS refuse_journal_change()")
        return
    for table in JOURNAL_TABLES:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")


def _check_lines_against_their_entry() -> None:
    """The lines of an entry add up to its header's (equal) debit and credit totals.

    PostgreSQL checks it at commit (a deferred constraint trigger), so an entry must balance
    exactly.  SQLite cannot defer, so it refuses any line that takes the lines beyond the
    header's totals (an entry can never be over-posted, nor tampered with afterwards).
    """
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION check_journal_balance() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE debits numeric; credits numeric; header_debit numeric; header_credit numeric;
            BEGIN
                SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) INTO debits, credits
                FROM journal_lines WHERE entry_id = NEW.entry_id;
                SELECT total_debit, total_credit INTO header_debit, header_credit
                FROM journal_entries WHERE id = NEW.entry_id;
                IF debits <> header_debit OR credits <> header_credit THEN
                    RAISE EXCEPTION 'journal entry % does not balance: lines % / %, entry % / %',
                        NEW.entry_id, debits, credits, header_debit, header_credit;
                END IF;
                RETURN NULL;
            END $$
            """
        )
        op.execute(
            "CREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT ON journal_lines "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_journal_balance()"
        )
        return
    op.execute(
        """
        CREATE TRIGGER journal_lines_within_entry AFTER INSERT ON journal_lines
        WHEN (SELECT sum(debit) FROM journal_lines WHERE entry_id = NEW.entry_id)
               > (SELECT total_debit FROM journal_entries WHERE id = NEW.entry_id)
          OR (SELECT sum(credit) FROM journal_lines WHERE entry_id = NEW.entry_id)
               > (SELECT total_credit FROM journal_entries WHERE id = NEW.entry_id)
        BEGIN SELECT RAISE(ABORT, 'journal lines do not balance with their entry'); END
        """
    )


def _drop_balance_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS journal_lines_balanced ON journal_lines")
        op.execute("DROP FUNCTION IF EXISTS check_journal_balance()")
        return
    op.execute("DROP TRIGGER IF EXISTS journal_lines_within_entry")
