"""Reads for the exports: each one a fixed number of queries, whatever the size of the cycle.

Collections are read with one joined query per kind of row (not `selectinload`, which batches its
IN lists by 500 ids and so runs more queries as a cycle grows), and wide rows are read as plain
columns where no ORM object is needed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from awards_app.accounts.models import User
from awards_app.awards.models import AwardDecision
from awards_app.core.enums import (
    AssignmentStatus,
    NominationStatus,
    Region,
    SheetStatus,
)
from awards_app.cycles.models import AwardCategory, Criterion, Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment, JudgingRound, Score, ScoreRevision, ScoreSheet
from awards_app.judging.queries import select_counted_sheets
from awards_app.nominations.models import Attachment, Nomination, NominationStatement
from awards_app.sites.models import Site


# --- nominations ----------------------------------------------------------------------------------


def list_nominations(cycle: Cycle) -> list[tuple[Nomination, int]]:
    """Every nomination of the cycle (drafts included) with its site, author and number of
    attachments, ordered by region, site code and id. One query."""
    attachments = (
        select(func.count(Attachment.id)).where(Attachment.nomination_id == Nomination.id).scalar_subquery()
    )
    return [
        (nomination, count)
        for nomination, count in db.session.execute(
            select(Nomination, attachments)
            .join(Site, Site.id == Nomination.site_id)
            .where(Nomination.cycle_id == cycle.id)
            .options(joinedload(Nomination.site), joinedload(Nomination.created_by))
            .order_by(Site.region, Site.code, Nomination.id)
        )
    ]


def list_statement_texts(cycle: Cycle) -> dict[tuple[int, int], str]:
    """(nomination id, criterion id) → the nomination's statement on that criterion. One query."""
    rows = db.session.execute(
        select(NominationStatement.nomination_id, NominationStatement.criterion_id, NominationStatement.text)
        .join(Nomination, Nomination.id == NominationStatement.nomination_id)
        .where(Nomination.cycle_id == cycle.id)
    )
    return {(nomination_id, criterion_id): text for nomination_id, criterion_id, text in rows}


# --- scores ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentRow:
    """One judge's assignment on one nomination, with its sheet if the judge started one."""

    assignment_id: int
    assignment_status: AssignmentStatus
    conflict_reason: str
    nomination_id: int
    title: str
    title_other: str
    nomination_status: NominationStatus
    site_code: str
    site_name_en: str
    site_name_ja: str
    country: str
    region: str  # Region's value
    judge_id: int
    judge_name: str
    judge_email: str
    sheet_id: int | None
    sheet_status: SheetStatus | None
    abstained: bool | None
    abstain_reason: str | None
    overall_comment: str | None
    submitted_at: datetime | None
    round_number: int = 1
    round_weights: dict | None = None  # criterion id (text) → the round's own weight

    def weight(self, criterion) -> Decimal:
        """The criterion's weight in this assignment's round."""
        own = (self.round_weights or {}).get(str(criterion.id))
        return criterion.weight if own is None else Decimal(str(own))


def list_assignment_rows(cycle: Cycle) -> list[AssignmentRow]:
    """Every assignment of the cycle in every round (declared conflicts and withdrawn nominations
    included, so the export shows the whole picture), as plain rows with their round. One query."""
    rows = db.session.execute(
        select(
            Assignment.id, Assignment.status, Assignment.conflict_reason,
            Nomination.id, Nomination.title, Nomination.title_other, Nomination.status,
            Site.code, Site.name_en, Site.name_ja, Site.country, Site.region,
            User.id, User.name, User.email,
            ScoreSheet.id, ScoreSheet.status, ScoreSheet.abstained, ScoreSheet.abstain_reason,
            ScoreSheet.overall_comment, ScoreSheet.submitted_at, JudgingRound.number, JudgingRound.weights,
        )
        .join(JudgingRound, JudgingRound.id == Assignment.round_id)
        .join(Nomination, Nomination.id == Assignment.nomination_id)
        .join(Site, Site.id == Nomination.site_id)
        .join(User, User.id == Assignment.judge_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.cycle_id == cycle.id)
        .order_by(JudgingRound.number, Site.region, Nomination.id, User.name, User.id)
    )
    return [AssignmentRow(*row) for row in rows]


def list_score_values(cycle: Cycle) -> dict[tuple[int, int], tuple[int | None, str]]:
    """(sheet id, criterion id) → (score, comment) for every sheet of the cycle. One query."""
    rows = db.session.execute(
        select(Score.sheet_id, Score.criterion_id, Score.value, Score.comment)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.cycle_id == cycle.id)
    )
    return {(sheet_id, criterion_id): (value, comment) for sheet_id, criterion_id, value, comment in rows}


@dataclass
class RevisionRow:
    """A score a judge revised in deliberation, as plain values."""

    round_number: int
    nomination_id: int
    title: str
    sheet_id: int
    judge_id: int | None
    judge_name: str | None
    criterion_id: int
    criterion_key: str
    old_value: int | None
    new_value: int | None
    old_comment: str
    new_comment: str
    reason: str
    revised_at: datetime


def list_revision_rows(cycle: Cycle) -> list[RevisionRow]:
    """Every score revision of the cycle's sheets (every round), oldest first. One query."""
    rows = db.session.execute(
        select(JudgingRound.number, Nomination.id, Nomination.title, ScoreRevision.sheet_id, ScoreRevision.judge_id,
               User.name, ScoreRevision.criterion_id, Criterion.key, ScoreRevision.old_value,
               ScoreRevision.new_value, ScoreRevision.old_comment, ScoreRevision.new_comment, ScoreRevision.reason,
               ScoreRevision.revised_at)
        .join(ScoreSheet, ScoreSheet.id == ScoreRevision.sheet_id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .join(JudgingRound, JudgingRound.id == Assignment.round_id)
        .join(Nomination, Nomination.id == Assignment.nomination_id)
        .join(Criterion, Criterion.id == ScoreRevision.criterion_id)
        .outerjoin(User, User.id == ScoreRevision.judge_id)
        .where(Assignment.cycle_id == cycle.id)
        .order_by(JudgingRound.number, Nomination.id, ScoreRevision.id)
    )
    return [RevisionRow(*row) for row in rows]


# --- results --------------------------------------------------------------------------------------


@dataclass
class CountedSheet:
    """A sheet the ranking counts (`judging.queries.select_counted_sheets`), abstentions included."""

    sheet_id: int
    nomination_id: int
    region: str
    judge_id: int
    judge_name: str
    judge_email: str
    abstained: bool
    submitted_at: datetime | None
    scores: dict[int, int]  # criterion id → score, as the judge gave it


def list_counted_sheets(cycle: Cycle, judging_round=None) -> list[CountedSheet]:
    """The sheets `judging.queries.get_ranking` ranks from in `judging_round` (None: in every
    round; the same `select_counted_sheets`), with their judge and region, one row per score read
    in one query. Ordered by region, nomination, judge."""
    rows = db.session.execute(
        select_counted_sheets(
            ScoreSheet.id, Assignment.nomination_id, Site.region, Assignment.judge_id, User.name, User.email,
            ScoreSheet.abstained, ScoreSheet.submitted_at, Score.criterion_id, Score.value,
            abstentions=True,
        )
        .join(Site, Site.id == Nomination.site_id)
        .join(User, User.id == Assignment.judge_id)
        .outerjoin(Score, Score.sheet_id == ScoreSheet.id)
        .where(Assignment.cycle_id == cycle.id,
               *([Assignment.round_id == judging_round.id] if judging_round is not None else []))
        .order_by(Site.region, Assignment.nomination_id, User.name, ScoreSheet.id)
    )
    sheets: dict[int, CountedSheet] = {}
    for sheet_id, nomination_id, region, judge_id, name, email, abstained, submitted_at, criterion_id, value in rows:
        sheet = sheets.get(sheet_id)
        if sheet is None:
            sheet = sheets[sheet_id] = CountedSheet(
                sheet_id, nomination_id, region, judge_id, name, email, abstained, submitted_at, {}
            )
        if criterion_id is not None and value is not None:
            sheet.scores[criterion_id] = value
    return list(sheets.values())


@dataclass(frozen=True)
class DecisionRow:
    """An award category of the cycle and, once decided, its decision (all plain columns)."""

    category_key: str
    category_name_en: str
    category_name_ja: str
    region: Region
    decided: bool
    chosen_id: int | None
    chosen_title: str | None
    chosen_title_other: str | None
    chosen_site_code: str | None
    chosen_site_name_en: str | None
    chosen_site_name_ja: str | None
    proposed_id: int | None
    proposed_title: str | None
    proposed_title_other: str | None
    reason: str | None
    decided_by_name: str | None
    decided_by_email: str | None
    decided_at: datetime | None

    @property
    def overrides_ranking(self) -> bool | None:
        return None if not self.decided else self.proposed_id != self.chosen_id


def list_decision_rows(cycle: Cycle) -> list[DecisionRow]:
    """Every award category of the cycle with its decision (chosen and proposed nominations, who
    decided and when), undecided categories included. One query."""
    chosen, proposed = aliased(Nomination), aliased(Nomination)
    chosen_site = aliased(Site)
    rows = db.session.execute(
        select(
            AwardCategory.key, AwardCategory.name_en, AwardCategory.name_ja, AwardCategory.region,
            AwardDecision.id.is_not(None),
            chosen.id, chosen.title, chosen.title_other,
            chosen_site.code, chosen_site.name_en, chosen_site.name_ja,
            proposed.id, proposed.title, proposed.title_other,
            AwardDecision.reason, User.name, User.email, AwardDecision.decided_at,
        )
        .select_from(AwardCategory)
        .outerjoin(AwardDecision, AwardDecision.category_id == AwardCategory.id)
        .outerjoin(chosen, chosen.id == AwardDecision.nomination_id)
        .outerjoin(chosen_site, chosen_site.id == chosen.site_id)
        .outerjoin(proposed, proposed.id == AwardDecision.proposed_nomination_id)
        .outerjoin(User, User.id == AwardDecision.decided_by_id)
        .where(AwardCategory.cycle_id == cycle.id)
        .order_by(AwardCategory.position, AwardCategory.id)
    )
    # SQLite answers the IS NOT NULL column with 0/1.
    return [DecisionRow(*row[:4], bool(row[4]), *row[5:]) for row in rows]
