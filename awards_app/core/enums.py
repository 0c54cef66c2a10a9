"""Enumerations shared across features, with lazily translated titles."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Region(str, enum.Enum):
    JAPAN = "japan"
    OVERSEAS = "overseas"

    @property
    def title(self):
        return {Region.JAPAN: _l("Japan"), Region.OVERSEAS: _l("Overseas")}[self]


class Phase(str, enum.Enum):
    SETUP = "setup"
    NOMINATIONS_OPEN = "nominations_open"
    JUDGING = "judging"
    FINALISED = "finalised"

    @property
    def title(self):
        return {
            Phase.SETUP: _l("Setup"),
            Phase.NOMINATIONS_OPEN: _l("Nominations open"),
            Phase.JUDGING: _l("Judging"),
            Phase.FINALISED: _l("Results finalised"),
        }[self]


class NominationStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    INELIGIBLE = "ineligible"

    @property
    def title(self):
        return {
            NominationStatus.DRAFT: _l("Draft"),
            NominationStatus.SUBMITTED: _l("Submitted"),
            NominationStatus.WITHDRAWN: _l("Withdrawn"),
            NominationStatus.INELIGIBLE: _l("Ineligible"),
        }[self]


class Theme(str, enum.Enum):
    NATURE = "nature"
    EDUCATION = "education"
    COMMUNITY = "community"

    @property
    def title(self):
        return {
            Theme.NATURE: _l("Nature"),
            Theme.EDUCATION: _l("Education"),
            Theme.COMMUNITY: _l("Community"),
        }[self]


class Language(str, enum.Enum):
    JA = "ja"
    EN = "en"

    @property
    def title(self):
        return {Language.JA: _l("Japanese"), Language.EN: _l("English")}[self]


class Role(str, enum.Enum):
    ADMIN = "admin"
    JUDGE = "judge"
    SUBMITTER = "submitter"

    @property
    def title(self):
        return {Role.ADMIN: _l("Administrator"), Role.JUDGE: _l("Judge"), Role.SUBMITTER: _l("Site submitter")}[self]


class SheetStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def title(self):
        return {SheetStatus.DRAFT: _l("In progress"), SheetStatus.SUBMITTED: _l("Submitted")}[self]


class AssignmentStatus(str, enum.Enum):
    ACTIVE = "active"
    CONFLICT = "conflict"

    @property
    def title(self):
        return {AssignmentStatus.ACTIVE: _l("Active"), AssignmentStatus.CONFLICT: _l("Conflict declared")}[self]


class RankingMethod(str, enum.Enum):
    """What a cycle's proposal follows: the severity-adjusted score of the judge model, the plain
    weighted mean, or the mean of the judges' z-scores."""

    ADJUSTED = "adjusted"
    WEIGHTED = "weighted"
    NORMALISED = "normalised"

    @property
    def title(self):
        return {
            RankingMethod.ADJUSTED: _l("Adjusted score"),
            RankingMethod.WEIGHTED: _l("Weighted mean"),
            RankingMethod.NORMALISED: _l("Normalised score"),
        }[self]


class Deliberation(str, enum.Enum):
    """Whether a round's judges discuss a nomination (and may revise their scores, with a reason)
    once they have submitted their own sheet: never, for every nomination, or only for those an
    admin opens (nominations flagged for disagreement)."""

    OFF = "off"
    ALL = "all"
    FLAGGED = "flagged"

    @property
    def title(self):
        return {
            Deliberation.OFF: _l("No deliberation"),
            Deliberation.ALL: _l("Every nomination, once the judge has submitted"),
            Deliberation.FLAGGED: _l("Only the nominations an admin opens (flagged for disagreement)"),
        }[self]
