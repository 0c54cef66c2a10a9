"""Automatic assignment of judges to nominations, as a plain function.

Each nomination needs `per_nomination` judges from its region's panel, never a judge who belongs to
the nominating site (or who declared a conflict on it). Existing assignments are kept; only what is
missing is filled. Load is balanced greedily: the most constrained nominations are served first,
and each slot goes to the eligible judge with the fewest assignments so far (ties by id, so the
result is deterministic). Without conflicts this keeps every judge's count within one of the
others'; with conflicts it stays as close as the constraints allow.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NominationSlot:
    nomination_id: int
    site_id: int
    region: str


@dataclass(frozen=True)
class PanelJudge:
    judge_id: int
    site_ids: frozenset[int]
    regions: frozenset[str]


@dataclass(frozen=True)
class Shortage:
    nomination_id: int
    needed: int
    assigned: int
    panel_size: int
    conflicted: int  # panel judges excluded by site membership or a declared conflict


@dataclass(frozen=True)
class AssignmentPlan:
    new: list[tuple[int, int]]  # (nomination id, judge id)
    shortages: list[Shortage]


def plan_assignments(
    nominations: list[NominationSlot],
    judges: list[PanelJudge],
    existing: dict[int, set[int]],
    excluded: dict[int, set[int]],
    per_nomination: int,
) -> AssignmentPlan:
    """Plan the assignments that are missing.

    `existing`: nomination id → judges already assigned (kept, and counted in each judge's load).
    `excluded`: nomination id → judges who must not be assigned (declared conflicts, removals).
    """
    load: dict[int, int] = {judge.judge_id: 0 for judge in judges}
    for judge_ids in existing.values():
        for judge_id in judge_ids:
            if judge_id in load:
                load[judge_id] += 1

    def eligible(slot: NominationSlot) -> list[PanelJudge]:
        taken = existing.get(slot.nomination_id, set())
        barred = excluded.get(slot.nomination_id, set())
        return [
            judge
            for judge in judges
            if slot.region in judge.regions
            and slot.site_id not in judge.site_ids
            and judge.judge_id not in taken
            and judge.judge_id not in barred
        ]

    candidates = {slot.nomination_id: eligible(slot) for slot in nominations}
    order = sorted(nominations, key=lambda s: (len(candidates[s.nomination_id]), s.nomination_id))
    new: list[tuple[int, int]] = []
    shortages: list[Shortage] = []
    for slot in order:
        have = len(existing.get(slot.nomination_id, set()))
        missing = max(per_nomination - have, 0)
        pool = sorted(candidates[slot.nomination_id], key=lambda j: (load[j.judge_id], j.judge_id))
        chosen = pool[:missing]
        for judge in chosen:
            load[judge.judge_id] += 1
            new.append((slot.nomination_id, judge.judge_id))
        if len(chosen) < missing:
            panel = [j for j in judges if slot.region in j.regions]
            conflicted = sum(
                1
                for j in panel
                if slot.site_id in j.site_ids or j.judge_id in excluded.get(slot.nomination_id, set())
            )
            shortages.append(
                Shortage(slot.nomination_id, per_nomination, have + len(chosen), len(panel), conflicted)
            )
    new.sort()
    shortages.sort(key=lambda s: s.nomination_id)
    return AssignmentPlan(new, shortages)
