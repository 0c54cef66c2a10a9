"""Add deliberation: round settings, openings, discussion messages and score revisions

A round may let its judges discuss a nomination once they have submitted their own sheet
(`deliberation`: off, all, flagged) and hide their names from each other. Existing rounds get
"off" and names shown, so they are judged exactly as before. Downgrading drops the discussion
and the revision history (the scores keep their current, revised values).

Revision ID: 0003_deliberation
Revises: 0002_rounds
Create Date: 2026-12-04 11:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_deliberation'
down_revision = '0003_round_views'
branch_labels = None
depends_on = None



def upgrade():
    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deliberation', sa.String(length=32), nullable=False, server_default='off'))
        batch_op.add_column(sa.Column('hide_judge_names', sa.Boolean(), nullable=False, server_default=sa.false()))
    # The enum's CHECK once the column exists (a batch cannot add both in one step on SQLite).
    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_judging_rounds_deliberation'),
                                         "deliberation IN ('off', 'all', 'flagged')")

    op.create_table('deliberation_openings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'],
                            name=op.f('fk_deliberation_openings_nomination_id_nominations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_deliberation_openings_opened_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['judging_rounds.id'],
                            name=op.f('fk_deliberation_openings_round_id_judging_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation_openings')),
    sa.UniqueConstraint('round_id', 'nomination_id', name=op.f('uq_deliberation_openings_round_id_nomination_id'))
    )
    with op.batch_alter_table('deliberation_openings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliberation_openings_nomination_id'), ['nomination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliberation_openings_round_id'), ['round_id'], unique=False)

    op.create_table('discussion_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_discussion_messages_author_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'],
                            name=op.f('fk_discussion_messages_nomination_id_nominations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['judging_rounds.id'],
                            name=op.f('fk_discussion_messages_round_id_judging_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_messages'))
    )
    with op.batch_alter_table('discussion_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_messages_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_messages_nomination_id'), ['nomination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_messages_round_id'), ['round_id'], unique=False)

    op.create_table('score_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('old_value', sa.Integer(), nullable=True),
    sa.Column('new_value', sa.Integer(), nullable=True),
    sa.Column('old_comment', sa.Text(), nullable=False),
    sa.Column('new_comment', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=True),
    sa.Column('revised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_score_revisions_criterion_id_criteria'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_score_revisions_judge_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sheet_id'], ['score_sheets.id'], name=op.f('fk_score_revisions_sheet_id_score_sheets'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_revisions'))
    )
    with op.batch_alter_table('score_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_revisions_sheet_id'), ['sheet_id'], unique=False)


def downgrade():
    with op.batch_alter_table('score_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_revisions_sheet_id'))
    op.drop_table('score_revisions')
    with op.batch_alter_table('discussion_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_messages_round_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_messages_nomination_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_messages_author_id'))
    op.drop_table('discussion_messages')
    with op.batch_alter_table('deliberation_openings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliberation_openings_round_id'))
        batch_op.drop_index(batch_op.f('ix_deliberation_openings_nomination_id'))
    op.drop_table('deliberation_openings')
    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_judging_rounds_deliberation'), type_='check')
    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.drop_column('hide_judge_names')
        batch_op.drop_column('deliberation')
