"""Let a round's shortlist be published to the sites

A later round's shortlist may be published as an outcome: its sites then see "Shortlisted" on
their nominations, and nothing else of the round. When and by whom it was published is kept on
the round; withdrawing it empties both (the audit log keeps the history).

Revision ID: 0003_round_views
Revises: 0002_rounds
Create Date: 2026-12-04 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_round_views'
down_revision = "0003_blind"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shortlist_published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('shortlist_published_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_judging_rounds_shortlist_published_by_id_users'), 'users',
                                    ['shortlist_published_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_judging_rounds_shortlist_published_by_id_users'), type_='foreignkey')
        batch_op.drop_column('shortlist_published_by_id')
        batch_op.drop_column('shortlist_published_at')
