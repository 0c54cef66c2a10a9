"""Add users' region and certificates' fiscal-year labels

A user's region (with their language, how dates read) starts empty: the browser's then decides.
A certificate records how it names its fiscal year in each language when it is issued; those issued
before say what they said then: "2013年度" and "FY2013" for FY2013.

Revision ID: 0002_japanese
Revises: 0002_winners
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002_japanese'
down_revision = '0002_winners'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=2), nullable=False, server_default=''))

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fiscal_year_label_ja', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('fiscal_year_label_en', sa.String(length=40), nullable=True))
    op.execute(
        "UPDATE certificates SET fiscal_year_label_ja = CAST(fiscal_year AS VARCHAR(8)) || '年度', "
        "fiscal_year_label_en = 'FY' || CAST(fiscal_year AS VARCHAR(8))"
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('fiscal_year_label_ja', existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column('fiscal_year_label_en', existing_type=sa.String(length=40), nullable=False)


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('fiscal_year_label_en')
        batch_op.drop_column('fiscal_year_label_ja')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('region')
