"""The maths of judging: weighted totals, per-judge normalisation, the ranking, and what the
ranking proposes for an award (its single top nomination).

Plain functions on plain data (no Flask, no database), unit-tested with hand-worked examples.

Definitions (PRODUCT.md, "Judging and results"):

* A sheet's **weighted total** is  Σ wᵢ·sᵢ / Σ wᵢ  over the cycle's criteria — a number on the
  cycle's scale (1–5 by default).
* A nomination's **weighted mean** is the mean of its submitted, non-abstaining sheets' totals;
  shown on the scale and as 0–100:  (mean − min) / (max − min) · 100.
* Judges differ in harshness, so each judge's totals are turned into **z-scores** over that judge's
  own submitted sheets in the cycle: z = (total − judge mean) / judge standard deviation
  (population SD). A judge with one sheet, or whose totals are all equal, has no spread to
  normalise by and contributes 0. A nomination's **normalised score** is the mean of its z-scores.
* **Spread** is max − min of a nomination's sheet totals; **disagreement** when spread ≥ the
  cycle's threshold. **Incomplete** when fewer sheets are submitted than judges are assigned
  (abstentions count as reviews done). Equal sort keys share a rank (1, 2, 2, 4).
* **Insufficient reviews** when fewer sheets are scored (abstentions do not score) than the
  cycle's minimum; such a nomination is never proposed. **All abstained** when every review
  done is an abstention.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean, pstdev

# Values closer than this are the same for ranking, so that float noise never breaks a tie.
TIE_DECIMALS = 9


@dataclass(frozen=True)
class SheetScores:
    """One judge's submitted sheet for one nomination."""

    judge_id: int
    nomination_id: int
    scores: dict[int, float]  # criterion id → score
    abstained: bool = False


@dataclass(frozen=True)
class JudgeStats:
    judge_id: int
    count: int
    mean: float | None
    sd: float | None


@dataclass
class RankedNomination:
    nomination_id: int
    assigned: int
    submitted: int
    abstentions: int
    weighted_mean: float | None
    percent: float | None
    criterion_means: dict[int, float | None]
    normalised: float | None
    spread: float | None
    incomplete: bool
    disagreement: bool
    insufficient_reviews: bool = False
    all_abstained: bool = False
    # The judge-severity model (judging/model.py): None without a scored sheet.
    adjusted: float | None = None
    adjusted_low: float | None = None
    adjusted_high: float | None = None
    p_top: float | None = None
    residual_spread: float | None = None
    rank: int | None = None
    tied: bool = False
    totals: list[float] = field(default_factory=list)

    def flag_codes(self) -> list[str]:
        """The warnings about this nomination as codes (the audit log, `flask ranking`)."""
        return [name for name, on in (("insufficient_reviews", self.insufficient_reviews),
                                      ("incomplete", self.incomplete), ("disagreement", self.disagreement),
                                      ("all_abstained", self.all_abstained)) if on]


def weighted_total(scores: dict[int, float], weights: dict[int, float]) -> float:
    """Σ wᵢ·sᵢ / Σ wᵢ over the criteria in `weights`; every criterion must be scored."""
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ValueError("weights must add up to more than zero")
    return sum(weights[c] * scores[c] for c in weights) / total_weight


def to_percent(value: float, scale_min: int, scale_max: int) -> float:
    return (value - scale_min) / (scale_max - scale_min) * 100


def judge_statistics(totals_by_judge: dict[int, list[float]]) -> dict[int, JudgeStats]:
    """Count, mean and population standard deviation of each judge's sheet totals (leniency)."""
    stats = {}
    for judge_id, totals in totals_by_judge.items():
        if totals:
            stats[judge_id] = JudgeStats(judge_id, len(totals), fmean(totals), pstdev(totals))
        else:
            stats[judge_id] = JudgeStats(judge_id, 0, None, None)
    return stats


def _without_noise(value: float) -> float:
    """`value` rounded to TIE_DECIMALS, with −0.0 made 0.0: a total equal to the judge's mean has
    z = 0 even when float arithmetic leaves −4e-15 (which would show as "−0.00")."""
    return round(value, TIE_DECIMALS) + 0.0


def z_score(total: float, stats: JudgeStats) -> float:
    """The judge's z-score for a total; 0 when the judge has one sheet or no spread."""
    if stats.count < 2 or not stats.sd or stats.sd < 10**-TIE_DECIMALS:
        return 0.0
    return _without_noise((total - stats.mean) / stats.sd)


def rank_nominations(
    sheets: list[SheetScores],
    assigned: dict[int, int],
    weights: dict[int, float],
    scale: tuple[int, int],
    disagreement_threshold: float,
    sort_by: str = "weighted",
    minimum_reviews: int = 1,
) -> tuple[list[RankedNomination], dict[int, JudgeStats]]:
    """Rank the nominations in `assigned` (nomination id → number of judges assigned).

    `sheets` are the submitted sheets of the whole cycle (abstentions included, flagged); sheets
    of nominations outside `assigned` only inform the judges' statistics. Nominations
    without any scored sheet come last, unranked. Returns the rows in rank order and the
    per-judge statistics used for normalisation.
    """
    if sort_by not in SORT_KEYS:
        raise ValueError(f"unknown sort: {sort_by}")
    totals_by_judge: dict[int, list[float]] = {}
    scored: dict[int, list[tuple[SheetScores, float]]] = {nid: [] for nid in assigned}
    abstentions: dict[int, int] = {nid: 0 for nid in assigned}
    for sheet in sheets:
        ranked = sheet.nomination_id in assigned
        if sheet.abstained:
            if ranked:
                abstentions[sheet.nomination_id] += 1
            continue
        total = weighted_total(sheet.scores, weights)
        # A judge's leniency is measured over all their sheets, also those not ranked here
        # (e.g. the other region's), so the same judge is normalised the same way everywhere.
        totals_by_judge.setdefault(sheet.judge_id, []).append(total)
        if ranked:
            scored[sheet.nomination_id].append((sheet, total))
    stats = judge_statistics(totals_by_judge)

    rows = []
    for nomination_id, entries in scored.items():
        totals = [total for _, total in entries]
        mean = fmean(totals) if totals else None
        rows.append(
            RankedNomination(
                nomination_id=nomination_id,
                assigned=assigned[nomination_id],
                submitted=len(entries),
                abstentions=abstentions[nomination_id],
                weighted_mean=mean,
                percent=to_percent(mean, *scale) if mean is not None else None,
                criterion_means={
                    c: fmean([s.scores[c] for s, _ in entries]) if entries else None for c in weights
                },
                normalised=(
                    _without_noise(fmean([z_score(t, stats[s.judge_id]) for s, t in entries])) if entries else None
                ),
                spread=(max(totals) - min(totals)) if totals else None,
                incomplete=len(entries) + abstentions[nomination_id] < assigned[nomination_id],
                disagreement=bool(totals) and (max(totals) - min(totals)) >= disagreement_threshold - 10**-TIE_DECIMALS,
                insufficient_reviews=len(entries) < minimum_reviews,
                all_abstained=not entries and abstentions[nomination_id] > 0,
                totals=totals,
            )
        )
    assign_ranks(rows, sort_by)
    return rows, stats


SORT_KEYS = {"weighted": "weighted_mean", "normalised": "normalised", "adjusted": "adjusted"}


def assign_ranks(rows: list[RankedNomination], sort_by: str) -> None:
    """Sort best first by `sort_by` (weighted, normalised or adjusted) and give equal values the
    same rank (standard competition ranking)."""
    key = SORT_KEYS[sort_by]

    def value(row):
        raw = getattr(row, key)
        return None if raw is None else round(raw, TIE_DECIMALS)

    rows.sort(key=lambda r: (value(r) is None, -(value(r) or 0), r.nomination_id))
    previous = None
    for position, row in enumerate(rows, start=1):
        current = value(row)
        if current is None:
            row.rank = None
            continue
        row.rank = position if current != previous else rows[position - 2].rank
        previous = current
    ranked = [r for r in rows if r.rank is not None]
    counts: dict[int, int] = {}
    for row in ranked:
        counts[row.rank] = counts.get(row.rank, 0) + 1
    for row in ranked:
        row.tied = counts[row.rank] > 1


@dataclass(frozen=True)
class Proposal:
    """What a ranking proposes for an award: its single top nomination, or nothing when several
    share rank 1 (`tied_ids`) or when nothing has been scored."""

    nomination_id: int | None
    tied_ids: tuple[int, ...] = ()

    @property
    def tied(self) -> bool:
        return len(self.tied_ids) > 1


def propose(rows: list[RankedNomination]) -> Proposal:
    """The proposal from ranked rows (best first, equal values sharing a rank): the best-ranked
    of the rows with enough reviews; a nomination with insufficient reviews is never proposed."""
    eligible = [row for row in rows if row.rank is not None and not row.insufficient_reviews]
    best = min((row.rank for row in eligible), default=None)
    top = tuple(row.nomination_id for row in eligible if row.rank == best)
    if len(top) == 1:
        return Proposal(top[0])
    return Proposal(None, top)
