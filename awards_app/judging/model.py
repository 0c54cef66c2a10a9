"""The judge-severity model: each nomination's quality with judges' harshness taken out, and how
sure we are of it. Plain functions on plain data (numpy only; no Flask, no database).

Model
-----
Every scored sheet of the cycle (both regions: a judge may sit on both panels) gives one weighted
total ``y`` on the cycle's scale. For nomination *i* and judge *j*::

    y_ij = μ + a_i + b_j + e_ij,   a_i ~ N(0, σa²),  b_j ~ N(0, σb²),  e_ij ~ N(0, σe²)

*a_i* is the nomination's quality, *b_j* the judge's severity (negative: harsh; positive:
lenient), *e_ij* the noise of one reading. It is the mixed model behind reviewer calibration at
NIPS/NeurIPS (Platt & Burges 2012; Ge, Welling & Ghahramani 2013), with random judge and
nomination effects.

Estimation
----------
* **Variance components** by REML: σe² is profiled out and the restricted log-likelihood is
  maximised over the two ratios λa = σa²/σe², λb = σb²/σe² (log scale, bounded to
  [e⁻⁸, e⁸]) by a 2-D grid search refined twice around its best point. It is evaluated through
  Henderson's mixed-model equations: with C the coefficient matrix and G = diag(λ),
  ``−2 ℓ_R = (n − 1)·log(y'Py / (n − 1)) + log|G| + log|C|`` and ``y'Py = y'y − θ̂'r``.
  The nominations' block of C is diagonal, so it is eliminated first (a Schur complement) and
  numpy's ``linalg.solve`` and ``slogdet`` work on the small system of μ and the judges only.
* **BLUPs** (the estimates of μ, a_i, b_j) are the solution θ̂ of those equations at the REML
  ratios: shrinkage pulls a judge with few sheets, or a nomination with few reviews, towards 0,
  so no judge needs a special case (one sheet, or no spread).
* **Uncertainty**: the posterior of the effects given the variance components is normal with
  mean θ̂ and covariance σe²·C⁻¹. Each nomination's **adjusted score** is the posterior mean of
  ``μ + a_i`` (its quality as an average judge would score it); its **90 % interval** is the
  central 90 % of that normal posterior, in closed form (what 5th/95th percentiles of draws
  estimate, without their noise). The **probability of being the top of its region** comes
  from ``DRAWS`` (2,000) joint draws of the posterior, from a generator seeded with a fixed
  number: the share of draws in which it is the highest of the region's scored nominations
  (they add up to 1; a nomination more than 5 posterior standard deviations below the leader
  is not drawn, its probability being below one in a million). The same data give the same
  figures.
* **Fallback**: with fewer than 3 sheets, or no spread at all, the data cannot estimate the
  three variances; they are then set to a weak prior, σa = σb = σe = (scale range) / 6.
* **Disagreement** is judged on what is left once each judge's severity is removed:
  ``y_ij − b̂_j``; its range over a nomination's sheets is compared with the cycle's threshold.
* **Connectedness**: severities can be compared only within a connected judge–nomination
  graph. ``components`` names the groups when a region's nominations fall in several; the
  model still answers (shrinkage assumes the groups' judges are equally severe on average) and
  the page says so.

Worked example
--------------
Two judges score the same two nominations; Hana (harsh) gives 2 and 3, Ren (lenient) 4 and 5.
A third nomination is scored by Hana only: 3. The weighted mean ranks it 3.0 against the second
nomination's (3 + 5) / 2 = 4.0, though Hana gave both the same 3: the lone sheet suffers from
drawing the harsh judge. The model sees Hana 1 point below the average on shared work
(b̂_Hana ≈ −b̂_Ren), so the lone sheet's 3 reads as about 3 + 1 = 4 before shrinkage, and the
third nomination's adjusted score lands beside the second's, with a wider interval (one
review). Run ``fit([...])`` on those five sheets to see the figures (tests/judging/test_model.py
holds this example).
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

DRAWS = 2000
SEED = 20131  # any fixed number: the same data give the same figures
LOG_RATIO_BOUNDS = (-8.0, 8.0)
CACHE_SIZE = 32  # a few cycles' rankings and the what-if's weight changes of each
Z90 = 1.6448536269514722  # the 95th percentile of the standard normal: a central 90 % interval
CONTENDER_SDS = 5.0


@dataclass(frozen=True)
class Reading:
    """One scored sheet: the judge, the nomination and the sheet's weighted total."""

    judge_id: int
    nomination_id: int
    total: float


@dataclass
class NominationEstimate:
    adjusted: float
    low: float  # 90 % interval
    high: float
    p_top: float  # probability of being the top of its group (region)
    residual_spread: float  # range of the sheets once each judge's severity is removed


@dataclass
class Fit:
    """What the model says about a cycle."""

    mu: float
    sigma_nomination: float
    sigma_judge: float
    sigma_noise: float
    method: str  # "reml" or "prior"
    sheets: int  # readings the model was fitted on
    severity: dict[int, float]  # judge id → b̂ (negative: harsh)
    nominations: dict[int, NominationEstimate]
    # group → lists of nomination ids that are connected through their judges (one list: comparable)
    components: dict[str, list[list[int]]] = field(default_factory=dict)
    component_judges: dict[str, list[list[int]]] = field(default_factory=dict)

    def disconnected(self, group: str) -> bool:
        return len(self.components.get(group, [])) > 1


def _index(values) -> dict[int, int]:
    return {value: position for position, value in enumerate(sorted(set(values)))}


class _Design:
    """The data as index arrays, and the parts of the mixed-model equations that do not depend
    on the variance ratios. The cross-products are kept as index arrays (each nomination has a
    handful of sheets), so one evaluation costs a few bincounts and a solve of the small system."""

    def __init__(self, readings: list[Reading]):
        self.nominations = _index(r.nomination_id for r in readings)
        self.judges = _index(r.judge_id for r in readings)
        self.ni = np.array([self.nominations[r.nomination_id] for r in readings], dtype=np.intp)
        self.ji = np.array([self.judges[r.judge_id] for r in readings], dtype=np.intp)
        self.y = np.array([r.total for r in readings], dtype=float)
        self.n = len(readings)
        self.na, self.nb = len(self.nominations), len(self.judges)
        self.count_a = np.bincount(self.ni, minlength=self.na).astype(float)
        self.count_b = np.bincount(self.ji, minlength=self.nb).astype(float)
        # Pairs of sheets on the same nomination (including each sheet with itself): the
        # judges' block of B·D⁻¹·B' adds up over them.
        order = np.argsort(self.ni, kind="stable")
        starts = np.searchsorted(self.ni[order], np.arange(self.na))
        counts = self.count_a.astype(np.intp)
        first, second = [], []
        for offset in range(int(counts.max(initial=0))):
            sheets = np.flatnonzero(counts[self.ni] > offset)
            first.append(sheets)
            second.append(order[starts[self.ni[sheets]] + offset])
        self.pair_p = np.concatenate(first) if first else np.zeros(0, dtype=np.intp)
        self.pair_q = np.concatenate(second) if second else np.zeros(0, dtype=np.intp)
        # The nominations × judges counts, dense, for the many draws at once (one matrix product).
        self.incidence = np.zeros((self.na, self.nb))
        np.add.at(self.incidence, (self.ni, self.ji), 1.0)
        self.r_a = np.bincount(self.ni, weights=self.y, minlength=self.na)
        self.r_x = np.concatenate([[self.y.sum()], np.bincount(self.ji, weights=self.y, minlength=self.nb)])
        self.yy = float(self.y @ self.y)

    def cross_t(self, x: np.ndarray) -> np.ndarray:
        """B'·x: for each nomination, n_i·μ + the sum of its judges' b (x may hold many draws)."""
        if x.ndim == 1:
            return self.count_a * x[0] + np.bincount(self.ni, weights=x[1:][self.ji], minlength=self.na)
        return self.count_a[:, None] * x[0][None, :] + self.incidence @ x[1:]

    def solve(self, log_ra: float, log_rb: float):
        """θ̂ for the ratios e^log_ra, e^log_rb, with what REML needs: (x̂, â, d, S, y'Py, −2ℓ_R)."""
        nb = self.nb
        d = self.count_a + np.exp(-log_ra)
        inv_d = 1.0 / d
        schur = np.zeros((1 + nb, 1 + nb))
        schur[0, 0] = self.n - (self.count_a ** 2 * inv_d).sum()
        mixed = self.count_b - np.bincount(self.ji, weights=(self.count_a * inv_d)[self.ni], minlength=nb)
        schur[0, 1:] = schur[1:, 0] = mixed
        block = np.bincount(self.ji[self.pair_p] * nb + self.ji[self.pair_q], weights=inv_d[self.ni[self.pair_p]],
                            minlength=nb * nb).reshape(nb, nb)
        schur[1:, 1:] = np.diag(self.count_b + np.exp(-log_rb)) - block
        scaled_r = self.r_a * inv_d
        rhs = self.r_x - np.concatenate([[(self.count_a * scaled_r).sum()],
                                         np.bincount(self.ji, weights=scaled_r[self.ni], minlength=nb)])
        x = np.linalg.solve(schur, rhs)
        a = (self.r_a - self.cross_t(x)) * inv_d
        ypy = max(self.yy - x @ self.r_x - a @ self.r_a, 0.0)
        dof = max(self.n - 1, 1)
        sign, logdet = np.linalg.slogdet(schur)
        minus2 = (dof * np.log(max(ypy / dof, 1e-300)) + self.na * log_ra + nb * log_rb + np.log(d).sum()
                  + logdet)
        return x, a, d, schur, ypy, float(minus2) if sign > 0 else np.inf


def _reml(design: _Design) -> tuple[float, float]:
    """The log variance ratios maximising the restricted likelihood (grid, refined twice)."""
    low, high = LOG_RATIO_BOUNDS
    best = (0.0, 0.0)
    centre, step = ((low + high) / 2, (low + high) / 2), (high - low) / 4
    for _ in range(3):
        candidates = [
            (min(max(centre[0] + i * step, low), high), min(max(centre[1] + k * step, low), high))
            for i in range(-2, 3) for k in range(-2, 3)
        ]
        # Rounded, so that a flat likelihood (a ratio the data cannot inform) picks the same point
        # whatever float noise the order of the judges or a shift of the data leaves.
        scores = np.round([design.solve(*pair)[-1] for pair in candidates], 7)
        best = candidates[int(np.argmin(scores))]
        centre, step = best, step / 4
    return best


def _components(design: _Design) -> tuple[np.ndarray, np.ndarray]:
    """Connected groups of the judge–nomination graph, as a label per nomination index and per
    judge index (the smallest nomination index of the group): labels spread along the sheets
    until nothing changes, which takes as many rounds as the graph's longest path needs."""
    nomination_label = np.arange(design.na)
    while True:
        judge_label = np.full(design.nb, design.na)
        np.minimum.at(judge_label, design.ji, nomination_label[design.ni])
        spread = np.full(design.na, design.na)
        np.minimum.at(spread, design.ni, judge_label[design.ji])
        spread = np.minimum(spread, nomination_label)
        if np.array_equal(spread, nomination_label):
            return nomination_label, judge_label
        nomination_label = spread


def fit(readings: list[Reading], groups: dict[str, list[int]], scale: tuple[float, float],
        draws: int = DRAWS, seed: int = SEED) -> Fit:
    """Fit the model to the cycle's `readings` and report on the nominations of each group
    (region → nomination ids; nominations without a reading get no estimate)."""
    scale_range = float(scale[1] - scale[0]) or 1.0
    if not readings:
        return Fit(mu=(scale[0] + scale[1]) / 2, sigma_nomination=0.0, sigma_judge=0.0, sigma_noise=0.0,
                   method="prior", sheets=0, severity={}, nominations={},
                   components={g: [] for g in groups}, component_judges={g: [] for g in groups})
    design = _Design(readings)
    spread = float(design.y.max() - design.y.min())
    if design.n >= 3 and spread > 1e-9:
        log_ra, log_rb = _reml(design)
        method = "reml"
    else:
        log_ra = log_rb = 0.0
        method = "prior"
    x, a, d, schur, ypy, _ = design.solve(log_ra, log_rb)
    if method == "reml":
        sigma2 = ypy / max(design.n - 1, 1)
        if sigma2 <= 1e-12:
            method, log_ra, log_rb = "prior", 0.0, 0.0
            x, a, d, schur, ypy, _ = design.solve(log_ra, log_rb)
    if method == "prior":
        sigma2 = (scale_range / 6) ** 2
    sigma = float(np.sqrt(sigma2))

    # Posterior draws: [μ, b] from N(x̂, σ²·S⁻¹) (S: the Schur complement), then a given them,
    # N((r_a − B'x)/d, σ²/d) — the nominations' block is diagonal.
    # The posterior of μ + a_i is normal: mean x̂₀ + â_i, variance σ²·(1/d_i + c_i'·S⁻¹·c_i) with
    # c_i = e₀ − B_i/d_i (a in terms of [μ, b] after eliminating the nominations' block).
    s_inv = np.linalg.inv(schur)
    coef = -design.incidence / d[:, None]
    coef = np.hstack([(1.0 - design.count_a / d)[:, None], coef])
    variance = sigma2 * (1.0 / d + ((coef @ s_inv) * coef).sum(axis=1))
    adjusted = x[0] + a
    spread = Z90 * np.sqrt(np.maximum(variance, 0.0))
    low, high = adjusted - spread, adjusted + spread

    severity_by_index = x[1:]
    residual = design.y - severity_by_index[design.ji]
    res_max = np.full(len(a), -np.inf)
    res_min = np.full(len(a), np.inf)
    np.maximum.at(res_max, design.ni, residual)
    np.minimum.at(res_min, design.ni, residual)

    # P(top of the group) from joint draws: [μ, b] ~ N(x̂, σ²·S⁻¹), then a | μ, b for the group's
    # contenders, N((r_a − B'·[μ, b])/d, σ²/d). A nomination more than CONTENDER_SDS standard
    # deviations below the group's leader wins in no draw (P < 1e-6); it is not drawn (p_top 0).
    # With draws=0 (the what-if needs only the adjusted scores) every p_top is left at 0.
    rng = np.random.default_rng(seed)
    chol = np.linalg.cholesky(s_inv)
    x_draws = x[None, :] + sigma * rng.standard_normal((draws, len(x))) @ chol.T
    x_draws32 = x_draws.astype(np.float32)
    sd = np.sqrt(np.maximum(variance, 0.0))
    p_top = np.zeros(len(a))
    for members in groups.values() if draws else ():
        rows = np.array([design.nominations[m] for m in members if m in design.nominations], dtype=np.intp)
        if not len(rows):
            continue
        floor = np.max(adjusted[rows] - CONTENDER_SDS * sd[rows])
        rows = rows[adjusted[rows] + CONTENDER_SDS * sd[rows] >= floor]
        # μ + a_i given [μ, b] is coef_i·[μ, b] + r_a,i/d_i plus its own noise (single precision:
        # the draws only decide who is highest, and halve the time of the largest arrays).
        quality = x_draws32 @ coef[rows].T.astype(np.float32)
        quality += (design.r_a[rows] / d[rows]).astype(np.float32)
        noise = rng.standard_normal((draws, len(rows)), dtype=np.float32)
        noise *= (sigma / np.sqrt(d[rows])).astype(np.float32)
        quality += noise
        # Every posterior has a spread (σ > 0, d > 0), so two draws are never equal: one winner each.
        p_top[rows] = np.bincount(quality.argmax(axis=1), minlength=len(rows)) / draws

    estimates = {
        nomination_id: NominationEstimate(
            adjusted=float(adjusted[index]), low=float(low[index]), high=float(high[index]),
            p_top=float(p_top[index]), residual_spread=float(res_max[index] - res_min[index]),
        )
        for nomination_id, index in design.nominations.items()
    }
    nomination_label, judge_label = _components(design)
    judge_ids = sorted(design.judges, key=design.judges.get)
    components: dict[str, list[list[int]]] = {}
    component_judges: dict[str, list[list[int]]] = {}
    for group, members in groups.items():
        labels = {m: int(nomination_label[design.nominations[m]]) for m in members if m in design.nominations}
        numbers = sorted(set(labels.values()))
        components[group] = [sorted(m for m, label in labels.items() if label == number) for number in numbers]
        component_judges[group] = [sorted(j for j in judge_ids if judge_label[design.judges[j]] == number)
                                   for number in numbers]
    return Fit(
        mu=float(x[0]),
        sigma_nomination=float(sigma * np.exp(log_ra / 2)) if method == "reml" else sigma,
        sigma_judge=float(sigma * np.exp(log_rb / 2)) if method == "reml" else sigma,
        sigma_noise=sigma,
        method=method,
        sheets=design.n,
        severity={judge_id: float(severity_by_index[index]) for judge_id, index in design.judges.items()},
        nominations=estimates,
        components=components,
        component_judges=component_judges,
    )


# The worked example of the docstring and of the "How results are computed" page: Hana (judge 1)
# is harsh, Ren (judge 2) lenient; nomination 12 drew only Hana.
EXAMPLE_READINGS = (Reading(1, 10, 2.0), Reading(1, 11, 3.0), Reading(2, 10, 4.0), Reading(2, 11, 5.0),
                    Reading(1, 12, 3.0))
EXAMPLE_SCALE = (1, 5)


def worked_example() -> Fit:
    """The model fitted on the worked example (one region holding the three nominations)."""
    return fit_cached(list(EXAMPLE_READINGS), {"example": [10, 11, 12]}, EXAMPLE_SCALE)


_cache: OrderedDict[str, Fit] = OrderedDict()


def fit_cached(readings: list[Reading], groups: dict[str, list[int]], scale: tuple[float, float],
               draws: int = DRAWS) -> Fit:
    """`fit`, remembered for the exact same input (the counted sheets' totals, the groups, the
    scale): page loads reuse the draws, and any change to a sheet or a weight changes the key."""
    count = len(readings)
    judges = np.fromiter((r.judge_id for r in readings), dtype=np.int64, count=count)
    nominations = np.fromiter((r.nomination_id for r in readings), dtype=np.int64, count=count)
    totals = np.fromiter((r.total for r in readings), dtype=float, count=count)
    order = np.lexsort((judges, nominations))
    digest = hashlib.sha256(repr((scale, draws)).encode())
    for column in (judges, nominations, totals):
        digest.update(column[order].tobytes())
    for group in sorted(groups):
        digest.update(f"{group}={sorted(groups[group])}".encode())
    key = digest.hexdigest()
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    result = fit(readings, groups, scale, draws)
    _cache[key] = result
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return result
