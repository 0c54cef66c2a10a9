"""Add blind review to judging rounds

A blind round hides the nominating site from its judges. Existing rounds are not blind.

Revision ID: 0003_blind
Revises: 0002_rounds
Create Date: 2026-12-04 11:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_blind'
down_revision = '0002_rounds'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rounds are not blind: their judges have already seen the sites.
    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blind', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.drop_column('blind')
