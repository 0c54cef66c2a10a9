"""Add the winners' page: a photo per award decision and a public switch per cycle

Existing cycles' winners' pages are not public (the admin opens them); existing decisions show
no photo until an admin chooses one.

Revision ID: 0002_winners
Revises: 0002_ranking
Create Date: 2026-12-03 22:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002_winners'
down_revision = '0002_ranking'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('winners_public', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.alter_column('winners_public', server_default=None)

    with op.batch_alter_table('award_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_award_decisions_photo_id_attachments'), 'attachments',
                                    ['photo_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('award_decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_award_decisions_photo_id_attachments'), type_='foreignkey')
        batch_op.drop_column('photo_id')
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_column('winners_public')
