"""The spreadsheet format of activities: its columns, their headers in both languages, and the
words accepted for a theme and for yes/no. Literal data, not translations: a file written in
Japanese must read the same whatever language the reader's interface speaks."""
from __future__ import annotations

from awards_app.core.enums import Theme

# key: (English header, Japanese header, required)
COLUMNS: dict[str, tuple[str, str, bool]] = {
    "site_code": ("Site code", "拠点コード", False),
    "reference": ("Reference", "整理番号", True),
    "title": ("Title", "活動名", True),
    "title_other": ("Title (other language)", "活動名（他言語）", False),
    "theme": ("MDD theme", "MDDテーマ", True),
    "biodiversity": ("Biodiversity preservation", "生物多様性保全", False),
    "start_date": ("Start date", "開始日", True),
    "end_date": ("End date", "終了日", True),
    "participants": ("Participants", "参加人数", True),
    "volunteer_hours": ("Volunteer hours", "活動時間（延べ）", True),
    "partners": ("Partner organisations", "協力団体", False),
    "description": ("Description", "活動概要", False),
}

THEME_WORDS: dict[str, Theme] = {
    "nature": Theme.NATURE, "自然": Theme.NATURE,
    "education": Theme.EDUCATION, "教育": Theme.EDUCATION,
    "community": Theme.COMMUNITY, "コミュニティ": Theme.COMMUNITY, "地域社会": Theme.COMMUNITY,
}
THEME_NAMES = {  # what the template's drop-down offers, per language
    "en": {Theme.NATURE: "Nature", Theme.EDUCATION: "Education", Theme.COMMUNITY: "Community"},
    "ja": {Theme.NATURE: "自然", Theme.EDUCATION: "教育", Theme.COMMUNITY: "コミュニティ"},
}
YES_NO_WORDS: dict[str, bool] = {
    "yes": True, "y": True, "true": True, "1": True, "はい": True, "○": True,
    "no": False, "n": False, "false": False, "0": False, "いいえ": False, "×": False, "": False,
}
YES_NO_NAMES = {"en": ("yes", "no"), "ja": ("はい", "いいえ")}


def header(key: str, lang: str) -> str:
    english, japanese, _required = COLUMNS[key]
    return japanese if lang == "ja" else english
