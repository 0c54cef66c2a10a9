"""The criteria and award categories a new cycle starts with (the programme's own)."""
from __future__ import annotations

from decimal import Decimal

from awards_app.core.enums import Region
from awards_app.cycles.models import AwardCategory, Criterion, RubricLevel

DEFAULT_CRITERIA = [
    {
        "key": "business_relevance",
        "name_en": "Business relevance",
        "name_ja": "事業との関連性",
        "guidance_en": "How does the activity relate to our business, skills or technology?",
        "guidance_ja": "活動は当社の事業・技術・社員のスキルとどのように関連していますか。",
        "rubric": {
            1: ("No visible link to the business.", "事業との関連がほとんど見られない。"),
            3: ("Uses some of our skills or products, or involves business partners.",
                "社員のスキルや製品を一部活用している、または取引先と協働している。"),
            5: ("Built on our core technology or expertise; strengthens the business and society together.",
                "中核となる技術・専門性を生かし、事業と社会の双方に価値を生んでいる。"),
        },
    },
    {
        "key": "sustainability",
        "name_en": "Sustainability",
        "name_ja": "活動の継続性",
        "guidance_en": "How will the activity be sustained in the years to come?",
        "guidance_ja": "活動は今後どのように継続されますか。",
        "rubric": {
            1: ("A one-off event with no plan to continue.", "単発の活動で、継続の計画がない。"),
            3: ("Repeated yearly, or a plan to continue with named partners.",
                "毎年実施している、または協働先とともに継続する計画がある。"),
            5: ("Runs for years with partners and volunteers renewing themselves; could continue without us.",
                "協働先と参加者が入れ替わりながら長年続き、地域が自立して続けられる仕組みがある。"),
        },
    },
    {
        "key": "novelty",
        "name_en": "Novelty of the plan",
        "name_ja": "企画の新規性",
        "guidance_en": "What is new or original about the plan?",
        "guidance_ja": "企画のどこに新しさ・独自性がありますか。",
        "rubric": {
            1: ("A common activity done the usual way.", "一般的な活動を従来どおりに実施している。"),
            3: ("A new angle on a familiar activity, or new to the region.",
                "よくある活動に新しい工夫がある、または地域にとって新しい取り組みである。"),
            5: ("An original approach others could learn from.", "他の拠点の手本となる独創的な取り組みである。"),
        },
    },
]

DEFAULT_AWARD_CATEGORIES = [
    {"key": "grand_japan", "name_en": "Grand Award (Japan)", "name_ja": "大賞（国内）", "region": Region.JAPAN},
    {"key": "grand_overseas", "name_en": "Grand Award (Overseas)", "name_ja": "大賞（海外）", "region": Region.OVERSEAS},
]


def default_criteria() -> list[Criterion]:
    criteria = []
    for position, spec in enumerate(DEFAULT_CRITERIA):
        criterion = Criterion(
            key=spec["key"], name_en=spec["name_en"], name_ja=spec["name_ja"],
            guidance_en=spec["guidance_en"], guidance_ja=spec["guidance_ja"],
            weight=Decimal("1"), position=position,
        )
        criterion.rubric_levels = [
            RubricLevel(level=level, text_en=en, text_ja=ja) for level, (en, ja) in spec["rubric"].items()
        ]
        criteria.append(criterion)
    return criteria


def default_award_categories() -> list[AwardCategory]:
    return [AwardCategory(position=position, **spec) for position, spec in enumerate(DEFAULT_AWARD_CATEGORIES)]
