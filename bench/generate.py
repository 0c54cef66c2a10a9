"""Fill an empty database with one judging cycle of realistic size, fast.

Sites in Japan and overseas, an admin, judges (some belonging to sites, so that conflicts of
interest exist), a submitter per site, the current fiscal year's cycle in the judging phase with
the programme's default criteria, nominations in Japanese and English, both regions' panels,
conflict-free assignments made by the application's own planner, and score sheets in every state
(submitted, draft, none; a few abstentions) whose scores carry a per-judge leniency so that the
normalised ranking has something to do.

Rows go in with bulk INSERTs (`session.execute(insert(Model), rows)`), not ORM objects one by
one: 2,000 nominations take a couple of seconds. The caller commits.

    python -m bench.generate --database-url sqlite:////tmp/bench.sqlite3 --nominations 2000
"""
from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, insert, select
from werkzeug.security import generate_password_hash

from awards_app.accounts.models import User
from awards_app.core.enums import AssignmentStatus, Language, NominationStatus, Phase, Region, SheetStatus, Theme
from awards_app.cycles.defaults import default_award_categories, default_criteria
from awards_app.cycles.fiscal import fiscal_year_bounds, fiscal_year_of
from awards_app.cycles.models import Cycle
from awards_app.judging.assignment import NominationSlot, PanelJudge, plan_assignments
from awards_app.judging.models import Assignment, JudgingRound, PanelMember, Score, ScoreSheet
from awards_app.nominations.models import Nomination, NominationStatement
from awards_app.sites.models import JAPAN_COUNTRY, Site, user_sites

BENCH_PASSWORD = "bench-password-not-for-production"
ADMIN_EMAIL = "admin@bench.example.com"

# city (en), city (ja), kind (en), kind (ja)
JAPAN_SITES = [
    ("Tokyo", "東京", "Head Office", "本社"), ("Osaka", "大阪", "Branch", "支社"),
    ("Nagoya", "名古屋", "Branch", "支社"), ("Sapporo", "札幌", "Branch", "支社"),
    ("Sendai", "仙台", "Branch", "支社"), ("Yokohama", "横浜", "Plant", "事業所"),
    ("Kawasaki", "川崎", "Plant", "事業所"), ("Hiroshima", "広島", "Branch", "支社"),
    ("Fukuoka", "福岡", "Branch", "支社"), ("Kobe", "神戸", "Research Centre", "研究所"),
    ("Kyoto", "京都", "Plant", "事業所"), ("Niigata", "新潟", "Plant", "事業所"),
    ("Shizuoka", "静岡", "Plant", "事業所"), ("Okayama", "岡山", "Plant", "事業所"),
    ("Kumamoto", "熊本", "Plant", "事業所"), ("Kagoshima", "鹿児島", "Office", "営業所"),
    ("Kanazawa", "金沢", "Office", "営業所"), ("Matsuyama", "松山", "Office", "営業所"),
    ("Takamatsu", "高松", "Office", "営業所"), ("Naha", "那覇", "Office", "営業所"),
]
# country, city (en), city (ja)
OVERSEAS_SITES = [
    ("US", "New York", "ニューヨーク"), ("GB", "London", "ロンドン"), ("DE", "Düsseldorf", "デュッセルドルフ"),
    ("SG", "Singapore", "シンガポール"), ("CN", "Beijing", "北京"), ("IN", "Chennai", "チェンナイ"),
    ("BR", "São Paulo", "サンパウロ"), ("AU", "Sydney", "シドニー"), ("FR", "Paris", "パリ"),
    ("TH", "Bangkok", "バンコク"), ("MY", "Kuala Lumpur", "クアラルンプール"), ("ID", "Jakarta", "ジャカルタ"),
    ("VN", "Hanoi", "ハノイ"), ("PH", "Manila", "マニラ"), ("MX", "Mexico City", "メキシコシティ"),
    ("CA", "Toronto", "トロント"), ("IT", "Milan", "ミラノ"), ("KR", "Seoul", "ソウル"),
    ("NL", "Amsterdam", "アムステルダム"), ("ZA", "Johannesburg", "ヨハネスブルグ"),
]
# theme, biodiversity, activity (en), activity (ja), partner (en), partner (ja)
ACTIVITIES = [
    (Theme.NATURE, True, "River bank clean-up and native plant survey", "河川敷の清掃と在来植物の調査",
     "the river conservation network", "流域ネットワーク"),
    (Theme.NATURE, True, "Tree planting in the satoyama hills", "里山での植樹活動", "the forestry association", "森林組合"),
    (Theme.NATURE, True, "Beach clean-up with a litter survey", "海岸清掃とごみの分類調査", "the city's environment office", "市環境局"),
    (Theme.NATURE, False, "Community composting for school gardens", "学校菜園のための地域堆肥づくり",
     "the parents' association", "保護者会"),
    (Theme.EDUCATION, False, "Science classes for primary pupils", "小学生向け科学教室", "the board of education", "教育委員会"),
    (Theme.EDUCATION, False, "After-school coding club", "放課後プログラミングクラブ", "Code Club volunteers", "NPO法人コードクラブ"),
    (Theme.EDUCATION, False, "Reading volunteers at the public library", "図書館での読み聞かせ", "the public library", "市立図書館"),
    (Theme.COMMUNITY, False, "Food bank logistics support", "フードバンクの物流支援", "the regional food bank", "フードバンク"),
    (Theme.COMMUNITY, False, "Smartphone classes for older people", "高齢者向けスマートフォン教室",
     "the social welfare council", "社会福祉協議会"),
    (Theme.COMMUNITY, False, "Support for the reconstruction market", "復興市の運営支援", "the market committee", "実行委員会"),
]
JUDGE_NAMES = [
    ("Hiroshi", "Tanaka", "田中", "浩"), ("Emily", "Clarke", None, None), ("Kenji", "Watanabe", "渡辺", "健二"),
    ("Priya", "Raman", None, None), ("Yuki", "Suzuki", "鈴木", "由紀"), ("Lucas", "Oliveira", None, None),
    ("Sakura", "Ito", "伊藤", "さくら"), ("Katrin", "Vogel", None, None), ("Daisuke", "Yamamoto", "山本", "大輔"),
    ("Wei Ling", "Tan", None, None), ("Misaki", "Nakamura", "中村", "美咲"), ("James", "Whitfield", None, None),
]


@dataclass
class Generated:
    """Ids the benchmark needs, and how much was made."""

    cycle_id: int
    admin_id: int
    admin_email: str
    password: str
    judge_id: int  # a judge without site memberships whose queue has work in every state
    judge_email: str
    assignment_id: int  # one of that judge's assignments with a draft sheet (editable, pre-filled)
    assignment_title: str
    ranking_titles: dict[str, str]  # region → the title of a nomination ranked in that region
    counts: dict[str, int] = field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _insert_returning_ids(session, model, rows: list[dict]) -> list[int]:
    """Bulk INSERT; the new ids in the order of `rows`."""
    if not rows:
        return []
    return list(session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _sites(session, count: int, now: datetime) -> list[dict]:
    rows = []
    for i in range(count):
        if i % 2 == 0:  # half in Japan, half overseas
            city, city_ja, kind, kind_ja = JAPAN_SITES[(i // 2) % len(JAPAN_SITES)]
            country, name_en, name_ja = JAPAN_COUNTRY, f"{city} {kind}", f"{city_ja}{kind_ja}"
        else:
            country, city, city_ja = OVERSEAS_SITES[(i // 2) % len(OVERSEAS_SITES)]
            name_en, name_ja = f"{city} Office", f"{city_ja}オフィス"
        lap = i // (2 * len(JAPAN_SITES))  # more sites than cities: number the second round
        if lap:
            name_en, name_ja = f"{name_en} {lap + 1}", f"{name_ja}{lap + 1}"
        rows.append({
            "code": f"{country}-{i + 1:03d}", "name_en": name_en, "name_ja": name_ja, "country": country,
            "active": True, "created_at": now, "updated_at": now,
            # Not columns: kept for the nominations below, removed before the INSERT.
            "_city": city, "_city_ja": city_ja,
        })
    ids = _insert_returning_ids(session, Site, [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])
    for row, site_id in zip(rows, ids):
        row["id"] = site_id
    return rows


def _user_row(email: str, name: str, password_hash: str, now: datetime, *, locale: str = "ja",
              admin=False, judge=False, submitter=False) -> dict:
    return {
        "email": email, "name": name, "password_hash": password_hash, "active": True,
        "is_admin": admin, "is_judge": judge, "is_submitter": submitter, "locale": locale,
        "timezone": "Asia/Tokyo" if locale == "ja" else "UTC",
        "last_login_at": None, "created_at": now, "updated_at": now,
    }


def _judge_name(index: int) -> tuple[str, str]:
    given, family, family_ja, given_ja = JUDGE_NAMES[index % len(JUDGE_NAMES)]
    number = index // len(JUDGE_NAMES) + 1
    if family_ja:
        return f"{given} {family} {number} / {family_ja} {given_ja}", "ja"
    return f"{given} {family} {number}", "en"


def _long_text(rng: random.Random, sentences: list[str], count: int) -> str:
    return " ".join(rng.choice(sentences) for _ in range(count))


EN_SENTENCES = [
    "Employees and their families volunteered on weekends throughout the year.",
    "The activity was planned together with local partners and reviewed after every session.",
    "Volunteers from several departments brought their professional skills to the project.",
    "Participants' feedback was collected and used to improve the next session.",
    "Local media reported on the activity, and neighbouring sites asked to join.",
    "Safety briefings and training were given before each session.",
]
JA_SENTENCES = [
    "社員とその家族が年間を通じて週末にボランティアとして参加しました。",
    "地域の協働先とともに計画を立て、毎回の活動後に振り返りを行いました。",
    "複数の部門の社員が、それぞれの専門的なスキルを生かして取り組みました。",
    "参加者のアンケート結果を次回の活動の改善に生かしました。",
    "地元の報道機関に取り上げられ、近隣の拠点からも参加の申し出がありました。",
    "毎回、安全講習と事前研修を実施しました。",
]


def _nomination_row(rng: random.Random, index: int, site: dict, cycle: Cycle, submitter_id: int,
                    status: NominationStatus, now: datetime) -> dict:
    theme, biodiversity, activity, activity_ja, partner, partner_ja = ACTIVITIES[index % len(ACTIVITIES)]
    japanese = site["country"] == JAPAN_COUNTRY
    en_title = f"{activity} in {site['_city']} (no. {index + 1})"
    ja_title = f"{site['_city_ja']}での{activity_ja}（第{index + 1}号）"
    start_fy, end_fy = fiscal_year_bounds(cycle.fiscal_year)
    start = start_fy + timedelta(days=rng.randrange(0, 300))
    end = min(start + timedelta(days=rng.randrange(0, 45)), end_fy)
    participants = rng.randrange(10, 800)
    if japanese:
        summary = f"{site['name_ja']}の社員が{partner_ja}と協力し、{activity_ja}を実施しました。"
        description = _long_text(rng, JA_SENTENCES, 8)
        partners = f"{partner_ja}、{site['_city_ja']}市"
        outcomes = f"延べ{participants}人が参加し、活動は地域の年間行事として定着しました。"
    else:
        summary = f"Employees of the {site['name_en']} ran {activity.lower()} with {partner}."
        description = _long_text(rng, EN_SENTENCES, 8)
        partners = f"{partner[0].upper()}{partner[1:]}; City of {site['_city']}"
        outcomes = f"{participants} participations; the partners will continue the activity next year."
    return {
        "cycle_id": cycle.id, "site_id": site["id"], "status": status,
        "language": Language.JA if japanese else Language.EN,
        # Most nominations carry a title in the other language too, as the form encourages.
        "title": ja_title if japanese else en_title,
        "title_other": (en_title if japanese else ja_title) if index % 4 else "",
        "theme": theme, "biodiversity": biodiversity, "summary": summary, "description": description,
        "start_date": start, "end_date": end, "participants": participants,
        "volunteer_hours": Decimal(participants * rng.randrange(2, 9)) / 2,
        "partners": partners, "outcomes": outcomes, "created_by_id": submitter_id,
        "submitted_at": now - timedelta(days=rng.randrange(8, 60)) if status != NominationStatus.DRAFT else None,
        "withdrawn_at": now - timedelta(days=rng.randrange(1, 7)) if status == NominationStatus.WITHDRAWN else None,
        "status_reason": "", "version": 1, "created_at": now - timedelta(days=90), "updated_at": now,
    }


STATEMENTS_EN = [
    "Our engineers applied the skills they use every day, and the activity involved business partners.",
    "The partners have agreed a plan for the next three years, and new volunteers join every season.",
    "A new approach for the region, combining volunteering with data the partners can reuse.",
]
STATEMENTS_JA = [
    "社員が日々の業務で培った技術を生かし、取引先とも協働しました。",
    "協働先と今後3年間の計画を合意しており、毎年新しい参加者が加わっています。",
    "地域にとって新しい取り組みで、協働先が活用できるデータを残しています。",
]


def generate(
    session,
    nominations: int = 2000,
    judges: int = 60,
    per_nomination: int = 3,
    sites: int = 40,
    submitted_fraction: float = 0.9,
    *,
    sheet_mix: tuple[float, float] = (0.65, 0.15),
    abstain_fraction: float = 0.02,
    conflict_fraction: float = 0.01,
    judges_with_sites: int = 3,
    seed: int = 2013,
    password_hash: str | None = None,
    now: datetime | None = None,
) -> Generated:
    """Fill an empty database; the caller commits.

    `sheet_mix`: the share of active assignments with a submitted sheet, then with a draft (the
    rest have none yet). One judge in `judges_with_sites` belongs to a site, so the planner has
    conflicts of interest to avoid; `conflict_fraction` of the nominations also carry a declared
    conflict (an assignment in status "conflict", replaced by another judge).
    """
    if session.scalar(select(func.count(Cycle.id))) or session.scalar(select(func.count(User.id))):
        raise RuntimeError("bench.generate fills an empty database; this one already has data")
    rng = random.Random(seed)
    now = now or _now()
    password_hash = password_hash or generate_password_hash(BENCH_PASSWORD)

    # Sites and people.
    site_rows = _sites(session, sites, now)
    admin_id = _insert_returning_ids(session, User, [
        _user_row(ADMIN_EMAIL, "Aiko Sato / 佐藤 愛子", password_hash, now, admin=True)
    ])[0]
    judge_rows = []
    for j in range(judges):
        name, locale = _judge_name(j)
        judge_rows.append(_user_row(f"judge{j + 1:03d}@bench.example.com", name, password_hash, now,
                                    locale=locale, judge=True))
    judge_ids = _insert_returning_ids(session, User, judge_rows)
    submitter_ids = _insert_returning_ids(session, User, [
        _user_row(f"submitter.{site['code'].lower()}@bench.example.com", f"MDD coordinator, {site['name_en']}",
                  password_hash, now, locale="ja" if site["country"] == JAPAN_COUNTRY else "en", submitter=True)
        for site in site_rows
    ])
    judge_sites: dict[int, set[int]] = {judge_id: set() for judge_id in judge_ids}
    for position, judge_id in enumerate(judge_ids):
        if judges_with_sites and position % judges_with_sites == judges_with_sites - 1:
            judge_sites[judge_id].add(site_rows[position % len(site_rows)]["id"])
    membership = [{"user_id": u, "site_id": s["id"]} for u, s in zip(submitter_ids, site_rows)]
    membership += [{"user_id": u, "site_id": s} for u, ss in judge_sites.items() for s in sorted(ss)]
    session.execute(insert(user_sites), membership)

    # The cycle: a handful of objects, made the way the application makes them.
    fiscal_year = fiscal_year_of(now.date())
    cycle = Cycle(
        fiscal_year=fiscal_year, phase=Phase.JUDGING,
        nomination_deadline=now - timedelta(days=7), judging_deadline=now + timedelta(days=30),
        scale_min=1, scale_max=5, judges_per_nomination=per_nomination, disagreement_threshold=Decimal("2"),
    )
    cycle.criteria = default_criteria()
    cycle.award_categories = default_award_categories()
    session.add(cycle)
    session.flush()
    criterion_ids = [c.id for c in cycle.criteria]
    # Its first round was made with it (judging.models): panels and assignments belong to it.
    round_id = session.scalar(select(JudgingRound.id).where(JudgingRound.cycle_id == cycle.id))

    # Nominations, spread over the sites, mostly submitted; a statement per criterion.
    statuses = []
    for _ in range(nominations):
        if rng.random() < submitted_fraction:
            statuses.append(NominationStatus.SUBMITTED)
        else:
            statuses.append(rng.choice([NominationStatus.DRAFT, NominationStatus.DRAFT, NominationStatus.WITHDRAWN]))
    nomination_rows = [
        _nomination_row(rng, i, site_rows[i % len(site_rows)], cycle, submitter_ids[i % len(site_rows)], statuses[i], now)
        for i in range(nominations)
    ]
    nomination_ids = _insert_returning_ids(session, Nomination, nomination_rows)
    statement_rows = []
    for nomination_id, row in zip(nomination_ids, nomination_rows):
        texts = STATEMENTS_JA if row["language"] == Language.JA else STATEMENTS_EN
        for criterion_id, text in zip(criterion_ids, texts):
            statement_rows.append({"nomination_id": nomination_id, "criterion_id": criterion_id, "text": text})
    session.execute(insert(NominationStatement), statement_rows)

    # Panels: every judge sits on both regions' panels.
    session.execute(insert(PanelMember), [
        {"cycle_id": cycle.id, "round_id": round_id, "region": region, "judge_id": judge_id}
        for region in Region for judge_id in judge_ids
    ])

    # Assignments, by the application's planner (never a judge of the nominating site). A few
    # nominations first get a declared conflict, which the planner must then avoid.
    submitted = [(nid, row) for nid, row in zip(nomination_ids, nomination_rows)
                 if row["status"] == NominationStatus.SUBMITTED]
    region_of_site = {s["id"]: (Region.JAPAN if s["country"] == JAPAN_COUNTRY else Region.OVERSEAS) for s in site_rows}
    slots = [NominationSlot(nid, row["site_id"], region_of_site[row["site_id"]].value) for nid, row in submitted]
    panel = [PanelJudge(j, frozenset(judge_sites[j]), frozenset(r.value for r in Region)) for j in judge_ids]
    excluded: dict[int, set[int]] = {}
    for slot in slots:
        if rng.random() < conflict_fraction:
            free = [j for j in judge_ids if slot.site_id not in judge_sites[j]]
            excluded[slot.nomination_id] = {rng.choice(free)}
    plan = plan_assignments(slots, panel, {}, excluded, per_nomination)
    assignment_rows = [
        {"cycle_id": cycle.id, "round_id": round_id, "nomination_id": nid, "judge_id": jid,
         "status": AssignmentStatus.ACTIVE,
         "conflict_reason": "", "created_at": now - timedelta(days=6), "created_by_id": admin_id}
        for nid, jid in plan.new
    ] + [
        {"cycle_id": cycle.id, "round_id": round_id, "nomination_id": nid, "judge_id": jid,
         "status": AssignmentStatus.CONFLICT,
         "conflict_reason": "I advised this team on the project last year.", "created_at": now - timedelta(days=6),
         "created_by_id": admin_id}
        for nid, jids in excluded.items() for jid in sorted(jids)
    ]
    assignment_ids = _insert_returning_ids(session, Assignment, assignment_rows)
    active = [(aid, row) for aid, row in zip(assignment_ids, assignment_rows) if row["status"] == AssignmentStatus.ACTIVE]

    # Score sheets. Each nomination has a quality, each judge a leniency, each score some noise.
    quality = {nid: rng.uniform(1.6, 4.4) for nid in nomination_ids}
    leniency = {j: rng.gauss(0, 0.5) for j in judge_ids}
    submitted_share, draft_share = sheet_mix
    sheet_rows, sheet_scores = [], []
    for assignment_id, row in active:
        draw = rng.random()
        if draw >= submitted_share + draft_share:
            continue  # not opened yet
        is_submitted = draw < submitted_share
        abstained = is_submitted and rng.random() < abstain_fraction
        values = []
        for position, _criterion_id in enumerate(criterion_ids):
            value = round(quality[row["nomination_id"]] + leniency[row["judge_id"]] + rng.gauss(0, 0.7))
            value = min(max(value, cycle.scale_min), cycle.scale_max)
            if abstained or (not is_submitted and position > 0 and rng.random() < 0.5):
                value = None  # an abstention scores nothing; a draft is partly filled
            values.append(value)
        opened = now - timedelta(days=rng.randrange(1, 6), hours=rng.randrange(0, 24))
        sheet_rows.append({
            "assignment_id": assignment_id,
            "status": SheetStatus.SUBMITTED if is_submitted else SheetStatus.DRAFT,
            "abstained": abstained,
            "abstain_reason": "A former colleague leads this team." if abstained else "",
            "overall_comment": "A well-documented activity with committed partners." if rng.random() < 0.3 else "",
            "submitted_at": opened + timedelta(hours=2) if is_submitted else None,
            "version": 2 if is_submitted else 1, "created_at": opened, "updated_at": opened + timedelta(hours=2),
        })
        sheet_scores.append(values)
    sheet_ids = _insert_returning_ids(session, ScoreSheet, sheet_rows)
    score_rows = [
        {"sheet_id": sheet_id, "criterion_id": criterion_id, "value": value,
         "comment": "Clear link to our technology." if value is not None and value >= 5 else ""}
        for sheet_id, values in zip(sheet_ids, sheet_scores)
        for criterion_id, value in zip(criterion_ids, values)
    ]
    session.execute(insert(Score), score_rows)
    session.flush()

    chosen = _benchmark_subjects(
        judge_ids, judge_sites, active, dict(zip((r["assignment_id"] for r in sheet_rows), sheet_rows)),
    )
    judge_id, assignment_id = chosen
    nomination_of = {aid: row["nomination_id"] for aid, row in active}
    title_of = {nid: row["title"] for nid, row in zip(nomination_ids, nomination_rows)}
    scored = {row["nomination_id"] for aid, row in active if aid in {r["assignment_id"] for r in sheet_rows}}
    ranking_titles = {}
    for region in Region:
        for nid, row in submitted:
            if region_of_site[row["site_id"]] == region and nid in scored:
                ranking_titles[region.value] = row["title"]
                break
    return Generated(
        cycle_id=cycle.id, admin_id=admin_id, admin_email=ADMIN_EMAIL, password=BENCH_PASSWORD,
        judge_id=judge_id, judge_email=judge_rows[judge_ids.index(judge_id)]["email"],
        assignment_id=assignment_id, assignment_title=title_of[nomination_of[assignment_id]],
        ranking_titles=ranking_titles,
        counts={
            "sites": len(site_rows), "judges": len(judge_ids), "users": 1 + len(judge_ids) + len(submitter_ids),
            "nominations": len(nomination_ids), "submitted": len(submitted),
            "assignments": len(active), "conflicts": len(assignment_rows) - len(active),
            "shortages": len(plan.shortages),
            "sheets_submitted": sum(r["status"] == SheetStatus.SUBMITTED for r in sheet_rows),
            "sheets_draft": sum(r["status"] == SheetStatus.DRAFT for r in sheet_rows),
            "abstentions": sum(r["abstained"] for r in sheet_rows),
            "scores": len(score_rows),
        },
    )


def _benchmark_subjects(judge_ids, judge_sites, active, sheets_by_assignment) -> tuple[int, int]:
    """The first judge without site memberships whose queue holds work to do, work in progress
    and submitted work, and one of their in-progress assignments (the scoring screen to time)."""
    by_judge: dict[int, list[int]] = {}
    for assignment_id, row in active:
        by_judge.setdefault(row["judge_id"], []).append(assignment_id)
    for judge_id in judge_ids:
        if judge_sites[judge_id]:
            continue
        states = {aid: sheets_by_assignment.get(aid) for aid in by_judge.get(judge_id, [])}
        drafts = [aid for aid, s in states.items() if s is not None and s["status"] == SheetStatus.DRAFT]
        has_todo = any(s is None for s in states.values())
        has_done = any(s is not None and s["status"] == SheetStatus.SUBMITTED for s in states.values())
        if drafts and has_todo and has_done:
            return judge_id, drafts[0]
    raise RuntimeError("no judge has work in every state; generate more nominations")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="SQLAlchemy URL of an empty database")
    parser.add_argument("--nominations", type=int, default=2000)
    parser.add_argument("--judges", type=int, default=60)
    parser.add_argument("--per-nomination", type=int, default=3)
    parser.add_argument("--sites", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2013)
    args = parser.parse_args(argv)

    from awards_app import create_app
    from awards_app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
    with app.app_context():
        db.create_all()
        try:
            result = generate(db.session, nominations=args.nominations, judges=args.judges,
                              per_nomination=args.per_nomination, sites=args.sites, seed=args.seed)
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        db.session.commit()
        db.engine.dispose()
    print(", ".join(f"{k}: {v}" for k, v in result.counts.items()))
    print(f"password for every account: {result.password}")
    print(f"admin: {result.admin_email}; a judge: {result.judge_email}; cycle id {result.cycle_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
