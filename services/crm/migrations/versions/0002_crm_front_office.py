"""crm front office

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 03:56:20.357093
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
    op.create_table('leads',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('region', sa.String(length=50), nullable=True),
    sa.Column('industry', sa.String(length=100), nullable=True),
    sa.Column('estimated_amount', contracts.runtime.types.Amount(precision=18, scale=4), nullable=True),
    sa.Column('converted_account_id', sa.Uuid(), nullable=True),
    sa.Column('converted_contact_id', sa.Uuid(), nullable=True),
    sa.Column('converted_opportunity_id', sa.Uuid(), nullable=True),
    sa.Column('converted_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads'))
    )
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leads_company'), ['company'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_leads_status'), ['status'], unique=False)

    op.create_table('segments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('filter', sa.JSON(), nullable=False),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segments')),
    sa.UniqueConstraint('name', name=op.f('uq_segments_name'))
    )
    with op.batch_alter_table('segments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_segments_created_at'), ['created_at'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('opportunity_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('due_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('origin_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_activities_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('origin_key', name=op.f('uq_activities_origin_key'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_owner'), ['owner'], unique=False)

    op.create_table('campaigns',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('segment_id', sa.Uuid(), nullable=True),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['segment_id'], ['segments.id'], name=op.f('fk_campaigns_segment_id_segments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_status'), ['status'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('priority', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('assignee', sa.String(length=100), nullable=True),
    sa.Column('opened_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('response_due_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_cases_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_assignee'), ['assignee'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_opened_at'), ['opened_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_priority'), ['priority'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_response_due_at'), ['response_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_status'), ['status'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('title', sa.String(length=100), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('preferences', sa.JSON(), nullable=False),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_contacts_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_last_name'), ['last_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_name_key'), ['name_key'], unique=False)

    op.create_table('financial_summaries',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('total_invoiced', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('total_paid', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('outstanding', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('invoice_count', sa.Integer(), nullable=False),
    sa.Column('last_payment_on', sa.Date(), nullable=True),
    sa.Column('last_payment_amount', contracts.runtime.types.Amount(precision=18, scale=4), nullable=True),
    sa.Column('credit_status', sa.String(length=20), nullable=False),
    sa.Column('credit_limit', contracts.runtime.types.Amount(precision=18, scale=4), nullable=True),
    sa.Column('open_receivables', contracts.runtime.types.Amount(precision=18, scale=4), nullable=True),
    sa.Column('overdue_receivables', contracts.runtime.types.Amount(precision=18, scale=4), nullable=True),
    sa.Column('credit_revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_financial_summaries_account_id_accounts')),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_financial_summaries'))
    )
    op.create_table('opportunities',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('amount', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('expected_close', sa.Date(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('closed_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_opportunities_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunities_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_expected_close'), ['expected_close'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_stage'), ['stage'], unique=False)

    op.create_table('quotes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('opportunity_id', sa.Uuid(), nullable=True),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('net_total', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('tax_total', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('total', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('accepted_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_quotes_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    sa.UniqueConstraint('number', name=op.f('uq_quotes_number'))
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_valid_until'), ['valid_until'], unique=False)

    op.create_table('segment_entries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('segment_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('entered_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_segment_entries_account_id_accounts')),
    sa.ForeignKeyConstraint(['segment_id'], ['segments.id'], name=op.f('fk_segment_entries_segment_id_segments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segment_entries')),
    sa.UniqueConstraint('segment_id', 'account_id', name=op.f('uq_segment_entries_segment_id'))
    )
    with op.batch_alter_table('segment_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_segment_entries_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_segment_entries_segment_id'), ['segment_id'], unique=False)

    op.create_table('timeline_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('subject_type', sa.String(length=30), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_timeline_entries_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_entries'))
    )
    with op.batch_alter_table('timeline_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timeline_entries_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_timeline_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_timeline_entries_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_timeline_entries_subject_id'), ['subject_id'], unique=False)

    op.create_table('automation_rules',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('tag', sa.String(length=50), nullable=True),
    sa.Column('segment_id', sa.Uuid(), nullable=True),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('task_subject', sa.String(length=200), nullable=True),
    sa.Column('task_due_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_automation_rules_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['segment_id'], ['segments.id'], name=op.f('fk_automation_rules_segment_id_segments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_rules'))
    )
    with op.batch_alter_table('automation_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_automation_rules_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_automation_rules_trigger'), ['trigger'], unique=False)

    op.create_table('campaign_members',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('campaign_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('joined_at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_campaign_members_account_id_accounts')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_members_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_members')),
    sa.UniqueConstraint('campaign_id', 'account_id', name=op.f('uq_campaign_members_campaign_id'))
    )
    with op.batch_alter_table('campaign_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_members_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_members_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_members_joined_at'), ['joined_at'], unique=False)

    op.create_table('opportunity_stage_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('opportunity_id', sa.Uuid(), nullable=False),
    sa.Column('from_stage', sa.String(length=20), nullable=True),
    sa.Column('to_stage', sa.String(length=20), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('at', contracts.runtime.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_opportunity_stage_changes_opportunity_id_opportunities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunity_stage_changes'))
    )
    with op.batch_alter_table('opportunity_stage_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunity_stage_changes_opportunity_id'), ['opportunity_id'], unique=False)

    op.create_table('quote_lines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('quote_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('discount_percent', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('tax_rate', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('net_amount', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.Column('tax_amount', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_lines_quote_id_quotes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_lines'))
    )
    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_lines_quote_id'), ['quote_id'], unique=False)

    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_accounts_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_name_key'), ['name_key'], unique=False)

    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoiced_amount', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('paid_amount', contracts.runtime.types.Amount(precision=18, scale=4), nullable=False, server_default='0'))



def downgrade() -> None:
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.drop_column('paid_amount')
        batch_op.drop_column('invoiced_amount')

    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_name_key'))
        batch_op.drop_index(batch_op.f('ix_accounts_merged_into_id'))
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('name_key')

    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_lines_quote_id'))

    op.drop_table('quote_lines')
    with op.batch_alter_table('opportunity_stage_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunity_stage_changes_opportunity_id'))

    op.drop_table('opportunity_stage_changes')
    with op.batch_alter_table('campaign_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_members_joined_at'))
        batch_op.drop_index(batch_op.f('ix_campaign_members_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_members_account_id'))

    op.drop_table('campaign_members')
    with op.batch_alter_table('automation_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_automation_rules_trigger'))
        batch_op.drop_index(batch_op.f('ix_automation_rules_created_at'))

    op.drop_table('automation_rules')
    with op.batch_alter_table('timeline_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timeline_entries_subject_id'))
        batch_op.drop_index(batch_op.f('ix_timeline_entries_kind'))
        batch_op.drop_index(batch_op.f('ix_timeline_entries_at'))
        batch_op.drop_index(batch_op.f('ix_timeline_entries_account_id'))

    op.drop_table('timeline_entries')
    with op.batch_alter_table('segment_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_segment_entries_segment_id'))
        batch_op.drop_index(batch_op.f('ix_segment_entries_account_id'))

    op.drop_table('segment_entries')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_valid_until'))
        batch_op.drop_index(batch_op.f('ix_quotes_status'))
        batch_op.drop_index(batch_op.f('ix_quotes_owner'))
        batch_op.drop_index(batch_op.f('ix_quotes_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_quotes_created_at'))
        batch_op.drop_index(batch_op.f('ix_quotes_account_id'))

    op.drop_table('quotes')
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunities_stage'))
        batch_op.drop_index(batch_op.f('ix_opportunities_owner'))
        batch_op.drop_index(batch_op.f('ix_opportunities_expected_close'))
        batch_op.drop_index(batch_op.f('ix_opportunities_created_at'))
        batch_op.drop_index(batch_op.f('ix_opportunities_account_id'))

    op.drop_table('opportunities')
    op.drop_table('financial_summaries')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_name_key'))
        batch_op.drop_index(batch_op.f('ix_contacts_last_name'))
        batch_op.drop_index(batch_op.f('ix_contacts_email'))
        batch_op.drop_index(batch_op.f('ix_contacts_created_at'))
        batch_op.drop_index(batch_op.f('ix_contacts_account_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_status'))
        batch_op.drop_index(batch_op.f('ix_cases_response_due_at'))
        batch_op.drop_index(batch_op.f('ix_cases_priority'))
        batch_op.drop_index(batch_op.f('ix_cases_order_id'))
        batch_op.drop_index(batch_op.f('ix_cases_opened_at'))
        batch_op.drop_index(batch_op.f('ix_cases_assignee'))
        batch_op.drop_index(batch_op.f('ix_cases_account_id'))

    op.drop_table('cases')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_status'))
        batch_op.drop_index(batch_op.f('ix_campaigns_name'))
        batch_op.drop_index(batch_op.f('ix_campaigns_created_at'))

    op.drop_table('campaigns')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_owner'))
        batch_op.drop_index(batch_op.f('ix_activities_kind'))
        batch_op.drop_index(batch_op.f('ix_activities_due_at'))
        batch_op.drop_index(batch_op.f('ix_activities_created_at'))
        batch_op.drop_index(batch_op.f('ix_activities_account_id'))

    op.drop_table('activities')
    with op.batch_alter_table('segments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_segments_created_at'))

    op.drop_table('segments')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leads_status'))
        batch_op.drop_index(batch_op.f('ix_leads_source'))
        batch_op.drop_index(batch_op.f('ix_leads_owner'))
        batch_op.drop_index(batch_op.f('ix_leads_email'))
        batch_op.drop_index(batch_op.f('ix_leads_created_at'))
        batch_op.drop_index(batch_op.f('ix_leads_company'))

    op.drop_table('leads')
