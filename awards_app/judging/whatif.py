"""What-if: would the proposal change under another ranking method or other criteria weights?

For a region, the proposal (the single top nomination with enough reviews) is recomputed from the
same counted sheets under each scenario:

* each ranking method (adjusted, weighted mean, normalised) with the cycle's weights;
* the cycle's method with each criterion's weight halved, then doubled, in turn;
* the cycle's method with equal weights (left out when the weights are already equal).

The proposal is **robust** when every scenario proposes the same nomination as the cycle's own
method and weights; otherwise the scenarios that propose another nomination (or a tie) are named.
No query: it recomputes from the sheets the region's ranking read; the model is fitted once per
weight set and cached (judging/model.py)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from awards_app.core.enums import RankingMethod
from awards_app.core.i18n import localized
from awards_app.cycles.models import Criterion, Cycle
from awards_app.judging.queries import Ranking, compute_ranking
from awards_app.judging.scoring import Proposal

HALF, DOUBLE, EQUAL, CYCLE = "half", "double", "equal", "cycle"


@dataclass(frozen=True)
class Scenario:
    method: str  # RankingMethod value
    change: str  # CYCLE (the cycle's weights), EQUAL, HALF or DOUBLE
    criterion_key: str | None  # the criterion halved or doubled
    weights: dict[str, float]  # criterion key → weight
    proposal: Proposal
    baseline_method: str  # the cycle's method

    @property
    def winner_id(self) -> int | None:
        return self.proposal.nomination_id

    @property
    def code(self) -> str:
        """A stable name for scripts: cycle, method:weighted, half:novelty, double:novelty, equal."""
        if self.change == CYCLE:
            return CYCLE if self.method == self.baseline_method else f"method:{self.method}"
        return self.change if self.criterion_key is None else f"{self.change}:{self.criterion_key}"

    @property
    def method_title(self) -> str:
        return str(RankingMethod(self.method).title)


@dataclass
class WhatIf:
    baseline: Scenario  # the cycle's method and weights: what the awards page proposes
    scenarios: list[Scenario]  # every scenario, the baseline first
    criteria: list[Criterion]  # the cycle's, in order (their keys name the weights)

    @property
    def alternatives(self) -> list[Scenario]:
        """The scenarios whose proposal differs from the baseline's."""
        return [s for s in self.scenarios if s.proposal != self.baseline.proposal]

    @property
    def robust(self) -> bool:
        """Every scenario proposes the baseline's single nomination."""
        return self.baseline.winner_id is not None and not self.alternatives

    def describe(self, scenario: Scenario) -> str:
        """The scenario in words, in the current language."""
        if scenario.change == CYCLE:
            if scenario.method == scenario.baseline_method:
                return _("The cycle's method and weights")
            return _("%(method)s, the cycle's weights", method=scenario.method_title)
        if scenario.change == EQUAL:
            return _("Equal weights")
        name = next(localized(c, "name") for c in self.criteria if c.key == scenario.criterion_key)
        if scenario.change == HALF:
            return _("Weight of “%(criterion)s” halved", criterion=name)
        return _("Weight of “%(criterion)s” doubled", criterion=name)


def weight_changes(weights: dict[str, float]) -> list[tuple[str, str | None, dict[str, float]]]:
    """(change, criterion key, weights) for each weight halved, then doubled, and equal weights."""
    changes = []
    for key in weights:
        for change, factor in ((HALF, 0.5), (DOUBLE, 2.0)):
            changes.append((change, key, {k: w * factor if k == key else w for k, w in weights.items()}))
    if len(set(weights.values())) > 1:
        changes.append((EQUAL, None, {k: 1.0 for k in weights}))
    return changes


def get_what_if(cycle: Cycle, ranking: Ranking) -> WhatIf:
    """The what-if of the region of `ranking` (the region's ranking as `get_ranking` made it, in its
    round: that round's weights, method and minimum of reviews are the baseline)."""
    criteria = list(cycle.criteria)
    keys = {c.key: c.id for c in criteria}
    judging_round = ranking.round
    cycle_weights = {c.key: judging_round.weight_of(c) if judging_round is not None else float(c.weight)
                     for c in criteria}
    sheets, regions = ranking.sheets, ranking.regions
    assigned = {row.nomination_id: row.assigned for row in ranking.rows}
    method = ranking.method

    def scenario(scenario_method: str, change: str, key: str | None, weights: dict[str, float]) -> Scenario:
        by_id = {keys[k]: w for k, w in weights.items()}
        proposal = compute_ranking(cycle, assigned, sheets, regions, by_id, scenario_method, model=False,
                                   minimum_reviews=ranking.minimum_reviews).proposal
        return Scenario(scenario_method, change, key, weights, proposal, method)

    baseline = Scenario(method, CYCLE, None, cycle_weights, ranking.proposal, method)
    scenarios = [baseline]
    scenarios += [scenario(other.value, CYCLE, None, cycle_weights) for other in RankingMethod if other.value != method]
    scenarios += [scenario(method, change, key, weights) for change, key, weights in weight_changes(cycle_weights)]
    return WhatIf(baseline, scenarios, criteria)
