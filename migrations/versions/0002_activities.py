"""Add activities, their imports and the reporting years

Revision ID: 0002_activities
Revises: 0002_sessions
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_activities'
down_revision = '0002_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reporting_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('reporting_deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('fiscal_year BETWEEN 1990 AND 2200', name=op.f('ck_reporting_years_fiscal_year_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_years')),
    sa.UniqueConstraint('fiscal_year', name=op.f('uq_reporting_years_fiscal_year'))
    )
    op.create_table('activity_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activity_imports_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_activity_imports_site_id_sites'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_imports'))
    )
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_other', sa.String(length=200), nullable=False),
    sa.Column('theme', sa.Enum('nature', 'education', 'community', name='theme', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('biodiversity', sa.Boolean(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('volunteer_hours', sa.Numeric(precision=10, scale=1), nullable=False),
    sa.Column('partners', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sa.Enum('form', 'import', name='activity_source', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('fiscal_year BETWEEN 1990 AND 2200', name=op.f('ck_activities_fiscal_year_range')),
    sa.CheckConstraint('participants >= 0', name=op.f('ck_activities_participants_non_negative')),
    sa.CheckConstraint('start_date <= end_date', name=op.f('ck_activities_dates_ordered')),
    sa.CheckConstraint('volunteer_hours >= 0', name=op.f('ck_activities_hours_non_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['import_id'], ['activity_imports.id'], name=op.f('fk_activities_import_id_activity_imports'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_activities_site_id_sites'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('site_id', 'fiscal_year', 'reference', name=op.f('uq_activities_site_id_fiscal_year_reference'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_fiscal_year'), ['fiscal_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_site_id'), ['site_id'], unique=False)

    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_nominations_activity_id'), ['activity_id'])
        batch_op.create_foreign_key(batch_op.f('fk_nominations_activity_id_activities'), 'activities',
                                    ['activity_id'], ['id'], ondelete='RESTRICT')
    _activities_from_nominations()


def _activities_from_nominations():
    """One activity per existing nomination that has what an activity needs (a theme, dates,
    participants and hours; a draft without them stays without one), linked to it. Its reference
    is NOM-<nomination id>, unique per site and year by construction."""
    connection = op.get_bind()
    nominations = sa.table(
        'nominations', sa.column('id'), sa.column('cycle_id'), sa.column('site_id'), sa.column('title'),
        sa.column('title_other'), sa.column('theme'), sa.column('biodiversity'), sa.column('start_date'),
        sa.column('end_date'), sa.column('participants'), sa.column('volunteer_hours'), sa.column('partners'),
        sa.column('description'), sa.column('created_by_id'), sa.column('created_at'), sa.column('updated_at'),
        sa.column('activity_id'))
    cycles = sa.table('cycles', sa.column('id'), sa.column('fiscal_year'))
    activities = sa.table(
        'activities', sa.column('id'), sa.column('site_id'), sa.column('fiscal_year'), sa.column('reference'),
        sa.column('title'), sa.column('title_other'), sa.column('theme'), sa.column('biodiversity'),
        sa.column('start_date'), sa.column('end_date'), sa.column('participants'), sa.column('volunteer_hours'),
        sa.column('partners'), sa.column('description'), sa.column('source'), sa.column('created_by_id'),
        sa.column('created_at'), sa.column('updated_at'))
    rows = connection.execute(
        sa.select(nominations, cycles.c.fiscal_year).join(cycles, cycles.c.id == nominations.c.cycle_id)
        .where(nominations.c.theme.is_not(None), nominations.c.start_date.is_not(None),
               nominations.c.end_date.is_not(None), nominations.c.participants.is_not(None),
               nominations.c.volunteer_hours.is_not(None))
        .order_by(nominations.c.id)
    ).all()
    for row in rows:
        activity_id = connection.execute(activities.insert().values(
            site_id=row.site_id, fiscal_year=row.fiscal_year, reference=f"NOM-{row.id}",
            title=(row.title or row.title_other or f"NOM-{row.id}")[:200], title_other=row.title_other or "",
            theme=row.theme, biodiversity=row.biodiversity, start_date=row.start_date, end_date=row.end_date,
            participants=row.participants, volunteer_hours=row.volunteer_hours, partners=row.partners or "",
            description=(row.description or "")[:2000], source='form', created_by_id=row.created_by_id,
            created_at=row.created_at, updated_at=row.updated_at,
        ).returning(activities.c.id)).scalar_one()
        connection.execute(nominations.update().where(nominations.c.id == row.id).values(activity_id=activity_id))



def downgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_nominations_activity_id_activities'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_nominations_activity_id'), type_='unique')
        batch_op.drop_column('activity_id')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_site_id'))
        batch_op.drop_index(batch_op.f('ix_activities_fiscal_year'))

    op.drop_table('activities')
    op.drop_table('activity_imports')
    op.drop_table('reporting_years')
