"""Add judging rounds and shortlists; give panels and assignments a round

Every existing cycle gets one round, number 1, whose settings are left empty: an empty setting
is the cycle's, so the cycle is judged exactly as before. The round carries the cycle's closing of
judging (when, who, why). Every panel seat and assignment (with its sheet and any declared
conflict) is attached to that round. Downgrading keeps round 1 only: panels and assignments of
later rounds (and their sheets) are deleted, since one judge and nomination could then clash.

Revision ID: 0002_rounds
Revises: 0002_japanese
Create Date: 2026-12-04 03:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002_rounds'
down_revision = '0002_japanese'
branch_labels = None
depends_on = None

RANKING_METHOD = sa.Enum('adjusted', 'weighted', 'normalised', name='ranking_method', native_enum=False,
                         create_constraint=True, length=32)


def upgrade():
    op.create_table('judging_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('judging_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('judges_per_nomination', sa.Integer(), nullable=True),
    sa.Column('minimum_reviews', sa.Integer(), nullable=True),
    sa.Column('ranking_method', RANKING_METHOD, nullable=True),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('judges_per_nomination IS NULL OR judges_per_nomination BETWEEN 1 AND 20',
                       name=op.f('ck_judging_rounds_judges_per_nomination_range')),
    sa.CheckConstraint('minimum_reviews IS NULL OR minimum_reviews >= 1',
                       name=op.f('ck_judging_rounds_minimum_reviews_positive')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_judging_rounds_number_positive')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_judging_rounds_closed_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_judging_rounds_cycle_id_cycles'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judging_rounds')),
    sa.UniqueConstraint('cycle_id', 'number', name=op.f('uq_judging_rounds_cycle_id_number'))
    )
    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judging_rounds_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('shortlist_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('by_hand', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_shortlist_entries_added_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'],
                            name=op.f('fk_shortlist_entries_nomination_id_nominations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['judging_rounds.id'],
                            name=op.f('fk_shortlist_entries_round_id_judging_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shortlist_entries')),
    sa.UniqueConstraint('round_id', 'nomination_id', name=op.f('uq_shortlist_entries_round_id_nomination_id'))
    )
    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shortlist_entries_nomination_id'), ['nomination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shortlist_entries_round_id'), ['round_id'], unique=False)

    # One round per cycle, with the cycle's closing of judging.
    op.execute(
        "INSERT INTO judging_rounds (cycle_id, number, name, weights, closed_at, closed_by_id, closed_reason, "
        "created_at) SELECT id, 1, '', '{}', judging_closed_at, judging_closed_by_id, judging_closed_reason, "
        "created_at FROM cycles"
    )
    first_round = "(SELECT r.id FROM judging_rounds r WHERE r.cycle_id = {table}.cycle_id AND r.number = 1)"
    for table in ('panel_members', 'assignments'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET round_id = {first_round.format(table=table)}")

    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.alter_column('round_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_panel_members_cycle_id_region_judge_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_panel_members_round_id_region_judge_id'),
                                          ['round_id', 'region', 'judge_id'])
        batch_op.create_index(batch_op.f('ix_panel_members_round_id'), ['round_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_panel_members_round_id_judging_rounds'), 'judging_rounds',
                                    ['round_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.alter_column('round_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_assignments_nomination_id_judge_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_assignments_round_id_nomination_id_judge_id'),
                                          ['round_id', 'nomination_id', 'judge_id'])
        batch_op.create_index(batch_op.f('ix_assignments_round_id'), ['round_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_assignments_round_id_judging_rounds'), 'judging_rounds',
                                    ['round_id'], ['id'], ondelete='CASCADE')


def downgrade():
    later = "round_id IN (SELECT id FROM judging_rounds WHERE number > 1)"
    op.execute(f"DELETE FROM scores WHERE sheet_id IN (SELECT s.id FROM score_sheets s JOIN assignments a "
               f"ON a.id = s.assignment_id WHERE a.{later})")
    op.execute(f"DELETE FROM score_sheets WHERE assignment_id IN (SELECT id FROM assignments WHERE {later})")
    op.execute(f"DELETE FROM assignments WHERE {later}")
    op.execute(f"DELETE FROM panel_members WHERE {later}")

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assignments_round_id_judging_rounds'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_assignments_round_id'))
        batch_op.drop_constraint(batch_op.f('uq_assignments_round_id_nomination_id_judge_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_assignments_nomination_id_judge_id'),
                                          ['nomination_id', 'judge_id'])
        batch_op.drop_column('round_id')

    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_panel_members_round_id_judging_rounds'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_panel_members_round_id'))
        batch_op.drop_constraint(batch_op.f('uq_panel_members_round_id_region_judge_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_panel_members_cycle_id_region_judge_id'),
                                          ['cycle_id', 'region', 'judge_id'])
        batch_op.drop_column('round_id')

    with op.batch_alter_table('shortlist_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shortlist_entries_round_id'))
        batch_op.drop_index(batch_op.f('ix_shortlist_entries_nomination_id'))
    op.drop_table('shortlist_entries')

    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judging_rounds_cycle_id'))
    op.drop_table('judging_rounds')
