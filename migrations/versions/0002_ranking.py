"""Add minimum reviews, the ranking method and closing of judging

Existing cycles keep the method they were decided with (the weighted mean) and get a minimum of
two reviews, or one where a nomination gets one judge. No assignment is "not completed" yet.

Revision ID: 0002_ranking
Revises: 0002_outbox
Create Date: 2026-12-03 18:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002_ranking'
down_revision = '0002_outbox'
branch_labels = None
depends_on = None

RANKING_METHOD = sa.Enum('adjusted', 'weighted', 'normalised', name='ranking_method', native_enum=False,
                         create_constraint=True, length=32)


def upgrade():
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minimum_reviews', sa.Integer(), nullable=False, server_default='2'))
        batch_op.add_column(sa.Column('ranking_method', RANKING_METHOD, nullable=False, server_default='weighted'))
        batch_op.add_column(sa.Column('judging_closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('judging_closed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('judging_closed_reason', sa.Text(), nullable=False, server_default=''))
    op.execute("UPDATE cycles SET minimum_reviews = judges_per_nomination WHERE judges_per_nomination < 2")
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.alter_column('minimum_reviews', server_default=None)
        batch_op.alter_column('ranking_method', server_default=None)
        batch_op.alter_column('judging_closed_reason', server_default=None)
        batch_op.create_foreign_key(batch_op.f('fk_cycles_judging_closed_by_id_users'), 'users',
                                    ['judging_closed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_cycles_minimum_reviews_range'),
                                         'minimum_reviews >= 1 AND minimum_reviews <= judges_per_nomination')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_completed', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.alter_column('not_completed', server_default=None)


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('not_completed')
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cycles_minimum_reviews_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_cycles_judging_closed_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_cycles_ranking_method'), type_='check')
        batch_op.drop_column('judging_closed_reason')
        batch_op.drop_column('judging_closed_by_id')
        batch_op.drop_column('judging_closed_at')
        batch_op.drop_column('ranking_method')
        batch_op.drop_column('minimum_reviews')
