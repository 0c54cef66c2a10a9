"""Building the three exports of a cycle — nominations, scores, results — as CSV or XLSX.

Exports change nothing, so these functions only read (through `queries` and
`judging.queries.get_ranking`) and format. They never touch the request: the web view and the
`flask export` command call the same `build_export`.

Headers and words in cells (status, region, Yes/No) are in the current language — the admin's
own on the web, `--lang` (default: the app's default language) on the command line — because an
export is read by people in Excel; a scheduled job that parses files pins `--lang`. Stable
identifiers sit next to the words for scripts: ids, site codes, and criterion keys in the
criterion headers ("Score: Novelty of the plan (novelty)").
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, has_request_context
from flask_babel import gettext as _

from awards_app.core.enums import (
    AssignmentStatus,
    Language,
    NominationStatus,
    Region,
    SheetStatus,
    Theme,
)
from awards_app.activities import queries as activity_queries
from awards_app.activities.spreadsheet import COLUMNS, YES_NO_NAMES, header
from awards_app.core.i18n import country_name, localized
from awards_app.cycles.models import Criterion, Cycle
from awards_app.exports import queries
from awards_app.exports.writers import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    ZIP_MIMETYPE,
    Column,
    Table,
    iter_csv,
    write_csv_zip,
    write_xlsx,
)
from awards_app.core.urls import external_url
from awards_app.judging import model, scoring
from awards_app.judging.queries import get_ranking, list_rounds
from awards_app.judging.whatif import get_what_if
from awards_app.nominations.models import display_title

KINDS = ("nominations", "scores", "results")
FORMATS = ("csv", "xlsx")

# Display formats of figures in XLSX (the ranking page shows two decimals); cells keep full precision.
TWO_DECIMALS = "0.00"
ONE_DECIMAL = "0.0"
PERCENT = "0.0%"


@dataclass
class ExportFile:
    filename: str
    mimetype: str
    chunks: Iterable[bytes]  # the content; for a single CSV, produced as it is read
    rows: int  # data rows over all sections (for the command's summary)


def export_filename(cycle: Cycle, kind: str, fmt: str) -> str:
    """mdd-awards-FY2013-results.xlsx; the results as CSV are one file per section in a ZIP."""
    extension = "zip" if (kind == "results" and fmt == "csv") else fmt
    return f"mdd-awards-{cycle.label}-{kind}.{extension}"


def build_export(cycle: Cycle, kind: str, fmt: str) -> ExportFile:
    """One export of the cycle in one format, in a fixed number of queries.

    The data is read before this returns, so a streamed CSV runs no query while it is sent.
    """
    if kind not in KINDS or fmt not in FORMATS:
        raise ValueError(f"unknown export {kind}.{fmt}")
    tables = {"nominations": build_nomination_tables, "scores": build_score_tables,
              "results": build_result_tables}[kind](cycle)
    bool_labels = (_("Yes"), _("No"))
    rows = sum(len(table.rows) for table in tables)
    filename = export_filename(cycle, kind, fmt)
    if fmt == "xlsx":
        return ExportFile(filename, XLSX_MIMETYPE, [write_xlsx(tables, bool_labels)], rows)
    if len(tables) == 1:
        return ExportFile(filename, CSV_MIMETYPE, iter_csv(tables[0], bool_labels), rows)
    prefix = filename.rsplit(".", 1)[0]
    return ExportFile(filename, ZIP_MIMETYPE, [write_csv_zip(tables, prefix, bool_labels)], rows)


# --- shared pieces --------------------------------------------------------------------------------


def criterion_label(criterion: Criterion) -> str:
    """The criterion's name in the export's language, with its key, which stays the same in
    every language (scripts can find the column by it)."""
    return f"{localized(criterion, 'name')} ({criterion.key})"


def _title(enum_value) -> str | None:
    return None if enum_value is None else str(enum_value.title)


def _region(value) -> str | None:
    return None if value is None else str(Region(value).title)


# --- nominations ----------------------------------------------------------------------------------


def build_nomination_tables(cycle: Cycle) -> list[Table]:
    """Every nomination of the cycle with every field: one row each, one column per criterion's
    statement. Four queries: criteria, nominations (with site, author, attachment count), statements."""
    criteria = list(cycle.criteria)
    nominations = queries.list_nominations(cycle)
    statements = queries.list_statement_texts(cycle)
    columns = [
        Column(_("Nomination ID")), Column(_("Cycle")), Column(_("Site code")), Column(_("Site (English)")),
        Column(_("Site (Japanese)")), Column(_("Country code")), Column(_("Country")), Column(_("Region")),
        Column(_("Status")), Column(_("Status reason")), Column(_("Language")), Column(_("Title")),
        Column(_("Title in the other language")), Column(_("MDD theme")), Column(_("Biodiversity preservation")),
        Column(_("Summary")), Column(_("Full description")), Column(_("Start date")), Column(_("End date")),
        Column(_("Number of participants")), Column(_("Volunteer hours (total)")),
        Column(_("Partner organisations")), Column(_("Outcomes and impact")),
        *[Column(_("Statement: %(criterion)s", criterion=criterion_label(c))) for c in criteria],
        Column(_("Number of attachments")), Column(_("Created by")), Column(_("Created by (e-mail)")),
        Column(_("Submitted at (UTC)")), Column(_("Withdrawn at (UTC)")), Column(_("Created at (UTC)")),
        Column(_("Updated at (UTC)")),
    ]
    rows = []
    for nomination, attachment_count in nominations:
        site = nomination.site
        author = nomination.created_by
        rows.append([
            nomination.id, cycle.label, site.code, site.name_en, site.name_ja, site.country,
            country_name(site.country), _region(site.region), _title(NominationStatus(nomination.status)),
            nomination.status_reason, _title(Language(nomination.language)),
            nomination.title, nomination.title_other, _title(Theme(nomination.theme)) if nomination.theme else None,
            nomination.biodiversity, nomination.summary, nomination.description, nomination.start_date,
            nomination.end_date, nomination.participants, nomination.volunteer_hours, nomination.partners,
            nomination.outcomes,
            *[statements.get((nomination.id, c.id), "") for c in criteria],
            attachment_count, author.name if author else None, author.email if author else None,
            nomination.submitted_at, nomination.withdrawn_at, nomination.created_at, nomination.updated_at,
        ])
    return [Table("nominations", _("Nominations"), columns, rows)]


# --- scores ---------------------------------------------------------------------------------------


def build_score_tables(cycle: Cycle) -> list[Table]:
    """One row per nomination × judge × criterion, for every assignment of the cycle (a judge who
    has not started, or declared a conflict, has rows with empty scores). Three queries."""
    criteria = list(cycle.criteria)
    assignments = queries.list_assignment_rows(cycle)
    scores = queries.list_score_values(cycle)
    # The score a judge first submitted, where they revised it in deliberation (the history is in
    # the results export's Revisions table).
    before: dict[tuple[int, int], int | None] = {}
    for revision in queries.list_revision_rows(cycle):
        before.setdefault((revision.sheet_id, revision.criterion_id), revision.old_value)
    columns = [
        Column(_("Nomination ID")), Column(_("Title")), Column(_("Title in the other language")),
        Column(_("Nomination status")), Column(_("Site code")), Column(_("Site (English)")),
        Column(_("Site (Japanese)")), Column(_("Country code")), Column(_("Region")),
        Column(_("Round")), Column(_("Judge ID")), Column(_("Judge")), Column(_("Judge's e-mail")),
        Column(_("Assignment")), Column(_("Conflict reason")), Column(_("Sheet status")), Column(_("Abstained")),
        Column(_("Reason for abstaining")), Column(_("Overall comment")), Column(_("Submitted at (UTC)")),
        Column(_("Criterion key")), Column(_("Criterion")), Column(_("Weight")), Column(_("Score")),
        Column(_("Comment")), Column(_("Revised in deliberation")), Column(_("Score before deliberation")),
    ]
    not_started = _("Not started")
    rows = []
    for a in assignments:
        common = [
            a.nomination_id, a.title, a.title_other, _title(NominationStatus(a.nomination_status)), a.site_code,
            a.site_name_en, a.site_name_ja, a.country, _region(a.region), a.round_number, a.judge_id, a.judge_name,
            a.judge_email,
            _title(AssignmentStatus(a.assignment_status)), a.conflict_reason,
            _title(SheetStatus(a.sheet_status)) if a.sheet_status else not_started,
            a.abstained, a.abstain_reason, a.overall_comment, a.submitted_at,
        ]
        for criterion in criteria:
            value, comment = scores.get((a.sheet_id, criterion.id), (None, None))
            revised = (a.sheet_id, criterion.id) in before
            rows.append([*common, criterion.key, localized(criterion, "name"), a.weight(criterion), value, comment,
                         revised, before.get((a.sheet_id, criterion.id))])
    return [Table("scores", _("Scores"), columns, rows)]


# --- results --------------------------------------------------------------------------------------


def build_result_tables(cycle: Cycle) -> list[Table]:
    """The ranking of each region with every figure of the ranking page, the award decisions, and
    everything needed to recompute the ranking: each counted sheet's scores and weighted total,
    each judge's normalisation parameters, the criteria weights and the scale.

    Recomputing (see `judging.scoring`): a sheet's total is Σ wᵢ·sᵢ / Σ wᵢ (Criteria, Sheets); a
    nomination's weighted mean is the mean of its non-abstaining sheets' totals; a judge's mean
    and SD (population) are over all their totals in the cycle (Judges); z = (total − mean) / SD,
    0 when the judge has fewer than two sheets or no spread; the normalised score is the mean z.
    The adjusted score, its interval and P(top) come from the judge-severity model (Model: the
    fitted spreads, draws and seed; judging/model.py and the "How results are computed" page);
    What-if: the proposal of each award under other methods and weights (judging/whatif.py).
    Every figure is the last round's, which the awards are decided from; a cycle judged in several
    rounds adds each earlier round's ranking of each region (its own sheets, weights and method).
    A fixed number of queries for each round: criteria, the rounds, two rankings, sheets, decisions."""
    criteria = list(cycle.criteria)
    *earlier, last = list_rounds(cycle)
    rankings = {region: get_ranking(cycle, region, judging_round=last) for region in Region}
    what_ifs = {region: get_what_if(cycle, rankings[region]) for region in Region}
    sheets = queries.list_counted_sheets(cycle, last)
    decisions = queries.list_decision_rows(cycle)
    # The judges' statistics are over the whole cycle, the same in both rankings.
    stats: dict[int, scoring.JudgeStats] = {}
    judges = {}
    for ranking in rankings.values():
        stats.update(ranking.judge_stats)
        judges.update(ranking.judges)
    ranks = {row.nomination_id: row.rank for ranking in rankings.values() for row in ranking.rows}
    awards = {
        d.chosen_id: localized(d, "category_name") for d in decisions if d.chosen_id is not None
    }
    tables = [_ranking_table(cycle, region, rankings[region], criteria, awards) for region in Region]
    for judging_round in earlier:
        tables += [_ranking_table(cycle, region, get_ranking(cycle, region, judging_round=judging_round), criteria,
                                  awards, judging_round) for region in Region]
    tables.append(_decisions_table(decisions, ranks))
    fit = rankings[Region.JAPAN].fit  # fitted over the whole cycle: the same in both rankings
    tables.append(_judges_table(stats, judges, fit.severity))
    tables.append(_sheets_table(sheets, criteria, stats, last))
    tables.append(_criteria_table(cycle, criteria, last))
    tables.append(_model_table(cycle, fit, last))
    tables.append(_what_if_table(cycle, what_ifs, rankings))
    tables.append(_revisions_table(queries.list_revision_rows(cycle)))
    return tables


def _revisions_table(revisions: list[queries.RevisionRow]) -> Table:
    """Every score revised in deliberation, in every round: the old and new value and comment, the
    judge's reason and when (the discussion itself is not exported: it stays on the results page)."""
    columns = [
        Column(_("Round")), Column(_("Nomination ID")), Column(_("Title")), Column(_("Sheet ID")), Column(_("Judge ID")),
        Column(_("Judge")), Column(_("Criterion key")), Column(_("Old score")), Column(_("New score")),
        Column(_("Old comment")), Column(_("New comment")), Column(_("Reason")), Column(_("Revised at (UTC)")),
    ]
    rows = [[r.round_number, r.nomination_id, r.title, r.sheet_id, r.judge_id, r.judge_name, r.criterion_key,
             r.old_value, r.new_value, r.old_comment, r.new_comment, r.reason, r.revised_at] for r in revisions]
    return Table("revisions", _("Revisions"), columns, rows)


def _ranking_table(cycle, region: Region, ranking, criteria, awards: dict[int, str], earlier=None) -> Table:
    """A region's ranking; `earlier`: a round before the last (its table says which, in its name)."""
    columns = [
        Column(_("Round")), Column(_("Rank")), Column(_("Tie")), Column(_("Nomination ID")), Column(_("Title")),
        Column(_("Title in the other language")), Column(_("Site code")), Column(_("Site (English)")),
        Column(_("Site (Japanese)")), Column(_("Country")), Column(_("Scored sheets")), Column(_("Abstentions")),
        Column(_("Reviews submitted")), Column(_("Judges assigned")),
        Column(_("Weighted mean (%(low)d–%(high)d)", low=cycle.scale_min, high=cycle.scale_max), TWO_DECIMALS),
        Column(_("Weighted mean (0–100)"), ONE_DECIMAL),
        *[Column(_("Mean: %(criterion)s", criterion=criterion_label(c)), TWO_DECIMALS) for c in criteria],
        Column(_("Normalised score"), TWO_DECIMALS), Column(_("Adjusted score"), TWO_DECIMALS),
        Column(_("Adjusted score, interval low (90%)"), TWO_DECIMALS),
        Column(_("Adjusted score, interval high (90%)"), TWO_DECIMALS),
        Column(_("Probability of being the top of the region"), PERCENT), Column(_("Spread"), TWO_DECIMALS),
        Column(_("Spread after severity"), TWO_DECIMALS), Column(_("Insufficient reviews")),
        Column(_("All abstained")), Column(_("Incomplete")), Column(_("Disagreement")), Column(_("Proposed")),
        Column(_("Award")),
    ]
    rows = []
    for row in ranking.rows:
        nomination = ranking.nominations[row.nomination_id]
        site = nomination.site
        rows.append([
            ranking.round.number, row.rank, row.tied if row.rank is not None else None, nomination.id, nomination.title,
            nomination.title_other, site.code, site.name_en, site.name_ja, country_name(site.country),
            row.submitted, row.abstentions, row.submitted + row.abstentions, row.assigned,
            row.weighted_mean, row.percent, *[row.criterion_means.get(c.id) for c in criteria],
            row.normalised, row.adjusted, row.adjusted_low, row.adjusted_high, row.p_top, row.spread,
            row.residual_spread, row.insufficient_reviews, row.all_abstained, row.incomplete, row.disagreement,
            nomination.id == ranking.proposal.nomination_id, awards.get(nomination.id),
        ])
    if earlier is not None:
        return Table(f"ranking-{region.value}-round-{earlier.number}",
                     _("Ranking %(region)s, round %(number)d", region=region.title, number=earlier.number),
                     columns, rows)
    return Table(f"ranking-{region.value}", _("Ranking %(region)s", region=region.title), columns, rows)


def _decisions_table(decisions: list[queries.DecisionRow], ranks: dict[int, int | None]) -> Table:
    columns = [
        Column(_("Award category key")), Column(_("Award")), Column(_("Region")), Column(_("Decided")),
        Column(_("Chosen nomination ID")), Column(_("Chosen nomination")), Column(_("Chosen site code")),
        Column(_("Chosen site")), Column(_("Rank of the chosen nomination")),
        Column(_("Proposed nomination ID")), Column(_("Proposed nomination")),
        Column(_("Rank of the proposed nomination")), Column(_("Differs from the proposal")),
        Column(_("Reason")), Column(_("Decided by")), Column(_("Decided by (e-mail)")), Column(_("Decided at (UTC)")),
    ]
    rows = [
        [
            d.category_key, localized(d, "category_name"), _region(d.region), d.decided,
            d.chosen_id, display_title(d.chosen_title, d.chosen_title_other), d.chosen_site_code,
            localized(d, "chosen_site_name"), ranks.get(d.chosen_id),
            d.proposed_id, display_title(d.proposed_title, d.proposed_title_other), ranks.get(d.proposed_id),
            d.overrides_ranking, d.reason, d.decided_by_name, d.decided_by_email, d.decided_at,
        ]
        for d in decisions
    ]
    return Table("decisions", _("Decisions"), columns, rows)


def _judges_table(stats: dict[int, scoring.JudgeStats], judges: dict, severity: dict[int, float]) -> Table:
    columns = [
        Column(_("Judge ID")), Column(_("Judge")), Column(_("Judge's e-mail")), Column(_("Scored sheets")),
        Column(_("Mean of weighted totals"), TWO_DECIMALS),
        Column(_("Standard deviation (population)"), TWO_DECIMALS),
        Column(_("Severity (model; negative: harsh)"), TWO_DECIMALS),
    ]
    ordered = sorted(stats.values(), key=lambda s: (judges[s.judge_id].name, s.judge_id))
    rows = [
        [s.judge_id, judges[s.judge_id].name, judges[s.judge_id].email, s.count, s.mean, s.sd,
         severity.get(s.judge_id)]
        for s in ordered
    ]
    return Table("judges", _("Judges"), columns, rows)


def _sheets_table(sheets: list[queries.CountedSheet], criteria, stats: dict[int, scoring.JudgeStats],
                  judging_round) -> Table:
    columns = [
        Column(_("Round")), Column(_("Sheet ID")), Column(_("Nomination ID")), Column(_("Region")), Column(_("Judge ID")),
        Column(_("Judge")), Column(_("Abstained")), Column(_("Submitted at (UTC)")),
        *[Column(_("Score: %(criterion)s", criterion=criterion_label(c))) for c in criteria],
        Column(_("Weighted total"), TWO_DECIMALS), Column(_("Z-score within the judge's sheets"), TWO_DECIMALS),
    ]
    weights = {c.id: judging_round.weight_of(c) for c in criteria}
    rows = []
    for sheet in sheets:
        total = z = None
        if not sheet.abstained and all(c.id in sheet.scores for c in criteria):
            total = scoring.weighted_total({c: float(v) for c, v in sheet.scores.items()}, weights)
            z = scoring.z_score(total, stats[sheet.judge_id])
        rows.append([
            judging_round.number, sheet.sheet_id, sheet.nomination_id, _region(sheet.region), sheet.judge_id, sheet.judge_name,
            sheet.abstained, sheet.submitted_at,
            *[None if sheet.abstained else sheet.scores.get(c.id) for c in criteria],
            total, z,
        ])
    return Table("sheets", _("Sheets"), columns, rows)


def _criteria_table(cycle: Cycle, criteria, judging_round) -> Table:
    columns = [
        Column(_("Criterion key")), Column(_("Criterion (English)")), Column(_("Criterion (Japanese)")),
        Column(_("Weight")), Column(_("Lowest score")), Column(_("Highest score")),
        Column(_("Disagreement threshold")),
    ]
    rows = [
        [c.key, c.name_en, c.name_ja, judging_round.weights.get(str(c.id), c.weight), cycle.scale_min, cycle.scale_max,
         cycle.disagreement_threshold]
        for c in criteria
    ]
    return Table("criteria", _("Criteria"), columns, rows)


def _model_table(cycle: Cycle, fit, judging_round) -> Table:
    """The settings and fitted figures behind the ranking, one per row (key, name, value)."""
    columns = [Column(_("Key")), Column(_("Figure")), Column(_("Value"))]
    figures = [
        ("ranking_method", _("Method the proposal follows"), judging_round.method.value),
        ("minimum_reviews", _("Minimum scored reviews"), judging_round.reviews_needed),
        ("disagreement_threshold", _("Disagreement threshold (after severity)"), float(cycle.disagreement_threshold)),
        ("fit", _("How the spreads were found (reml: from the data; prior: too few sheets)"), fit.method),
        ("sheets", _("Scored sheets fitted"), fit.sheets),
        ("mu", _("Overall mean μ"), fit.mu),
        ("sigma_nomination", _("Spread of the nominations' quality σa"), fit.sigma_nomination),
        ("sigma_judge", _("Spread of the judges' severity σb"), fit.sigma_judge),
        ("sigma_noise", _("Spread of one reading σe"), fit.sigma_noise),
        ("interval", _("Interval (central share of the posterior)"), 0.9),
        ("draws", _("Draws for the probability of being the top"), model.DRAWS),
        ("seed", _("Seed of the draws"), model.SEED),
        ("method_page", _("How results are computed"), _method_page_url()),
    ]
    return Table("model", _("Model"), columns, [list(figure) for figure in figures])


def _method_page_url() -> str:
    """The address of the method page: absolute where the site's address is known, else its path."""
    if has_request_context() or current_app.config.get("PUBLIC_BASE_URL"):
        return external_url("judging.show_method")
    return current_app.url_map.bind("localhost").build("judging.show_method")


def _what_if_table(cycle: Cycle, what_ifs: dict, rankings: dict) -> Table:
    """For each award category, the proposal under each what-if scenario."""
    criteria = list(cycle.criteria)
    columns = [
        Column(_("Award category key")), Column(_("Award")), Column(_("Region")), Column(_("Scenario key")),
        Column(_("Scenario")), Column(_("Method")),
        *[Column(_("Weight: %(criterion)s", criterion=criterion_label(c))) for c in criteria],
        Column(_("Proposed nomination ID")), Column(_("Proposed nomination")), Column(_("Tied nomination IDs")),
        Column(_("Differs from the cycle's proposal")), Column(_("Robust")),
    ]
    rows = []
    for category in cycle.award_categories:
        what_if, ranking = what_ifs[category.region], rankings[category.region]
        for scenario in what_if.scenarios:
            winner = ranking.nominations.get(scenario.winner_id)
            rows.append([
                category.key, localized(category, "name"), _region(category.region), scenario.code,
                what_if.describe(scenario), scenario.method_title, *[scenario.weights[c.key] for c in criteria],
                scenario.winner_id, winner.display_title if winner else None,
                " ".join(str(i) for i in scenario.proposal.tied_ids) or None,
                scenario.proposal != what_if.baseline.proposal, what_if.robust,
            ])
    return Table("what-if", _("What-if"), columns, rows)


def build_activity_export(fiscal_year: int, fmt: str, language: str) -> ExportFile:
    """Every activity of `fiscal_year` in the columns of the import template (headers "Header
    (key)"), so that the file imports again as it is."""
    rows = activity_queries.list_year_rows(fiscal_year)
    table = Table(
        key=f"activities-FY{fiscal_year}", title=f"FY{fiscal_year}",
        columns=[Column(f"{header(key, language)} ({key})", "0.0" if key == "volunteer_hours" else None)
                 for key in COLUMNS],
        rows=[[row.site_code, row.reference, row.title, row.title_other, row.theme.value, row.biodiversity,
               row.start_date, row.end_date, row.participants, row.volunteer_hours, row.partners, row.description]
              for row in rows],
    )
    labels = YES_NO_NAMES[language]
    if fmt == "csv":
        return ExportFile(f"mdd-activities-FY{fiscal_year}.csv", CSV_MIMETYPE, iter_csv(table, labels), len(rows))
    return ExportFile(f"mdd-activities-FY{fiscal_year}.xlsx", XLSX_MIMETYPE, iter([write_xlsx([table], labels)]),
                      len(rows))


def build_plain_table_export(plain, fmt: str, name: str) -> ExportFile:
    """A statistics table (activities/statistics.PlainTable) as CSV or XLSX: the page's figures,
    numbers as numbers, changes as fractions formatted as percentages in XLSX."""
    columns = [Column(header, "0.0%" if index in plain.percent_columns else None)
               for index, header in enumerate(plain.headers)]
    table = Table(key=plain.key, title=plain.title, columns=columns, rows=plain.rows)
    if fmt == "csv":
        return ExportFile(f"{name}.csv", CSV_MIMETYPE, iter_csv(table), len(plain.rows))
    return ExportFile(f"{name}.xlsx", XLSX_MIMETYPE, iter([write_xlsx([table])]), len(plain.rows))
