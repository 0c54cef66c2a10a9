"""Demo data: sites in Japan and overseas, an admin, judges, one submitter per site, and the
current cycle with nominations in both languages. Idempotent: only what is missing is added."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, select

from awards_app.accounts.models import User
from awards_app.core.enums import Language, NominationStatus, Phase, Region, Theme
from awards_app.core.models import utcnow
from awards_app.cycles.defaults import default_award_categories, default_criteria
from awards_app.cycles.fiscal import fiscal_year_bounds, fiscal_year_of
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.models import PanelMember
from awards_app.nominations.models import Nomination, NominationStatement
from awards_app.sites.models import Site

DEMO_PASSWORD = "mdd-demo-password"

# code, name (en), name (ja), country, login name part, the site's MDD coordinator
SITES = [
    ("TOKYO-HQ", "Tokyo Head Office", "東京本社", "JP", "tokyo", "鈴木 由紀 / Yuki Suzuki"),
    ("TAMAGAWA", "Tamagawa Plant", "玉川事業場", "JP", "tamagawa", "高橋 誠 / Makoto Takahashi"),
    ("FUCHU", "Fuchu Plant", "府中事業場", "JP", "fuchu", "伊藤 さくら / Sakura Ito"),
    ("ABIKO", "Abiko Plant", "我孫子事業場", "JP", "abiko", "山本 大輔 / Daisuke Yamamoto"),
    ("SAGAMIHARA", "Sagamihara Plant", "相模原事業場", "JP", "sagamihara", "中村 美咲 / Misaki Nakamura"),
    ("KANSAI", "Kansai Branch", "関西支社", "JP", "kansai", "小林 翔 / Sho Kobayashi"),
    ("TOHOKU", "Tohoku Branch", "東北支社", "JP", "tohoku", "加藤 陽子 / Yoko Kato"),
    ("KYUSHU", "Kyushu Branch", "九州支社", "JP", "kyushu", "吉田 拓也 / Takuya Yoshida"),
    ("US-NY", "Americas Office, New York", "米州オフィス（ニューヨーク）", "US", "newyork", "Maria Gonzalez"),
    ("UK-LONDON", "Europe Office, London", "欧州オフィス（ロンドン）", "GB", "london", "James Whitfield"),
    ("DE-DUSSELDORF", "Düsseldorf Office", "デュッセルドルフ・オフィス", "DE", "dusseldorf", "Katrin Vogel"),
    ("SG", "Asia Pacific Office, Singapore", "アジア太平洋オフィス（シンガポール）", "SG", "singapore", "Wei Ling Tan"),
    ("CN-BEIJING", "China Office, Beijing", "中国オフィス（北京）", "CN", "beijing", "Li Na"),
    ("IN-CHENNAI", "India Development Centre, Chennai", "インド開発センター（チェンナイ）", "IN", "chennai", "Arjun Menon"),
    ("BR-SAOPAULO", "Brazil Office, São Paulo", "ブラジル・オフィス（サンパウロ）", "BR", "saopaulo", "Lucas Oliveira"),
    ("AU-SYDNEY", "Australia Office, Sydney", "オーストラリア・オフィス（シドニー）", "AU", "sydney", "Olivia Harris"),
]

# email, name, locale, roles, site codes (judges from a site are never assigned its nominations)
PEOPLE = [
    ("admin@example.com", "Aiko Sato / 佐藤 愛子", "ja", ("admin",), ()),
    ("judge1@example.com", "Hiroshi Tanaka / 田中 浩", "ja", ("judge",), ("TOKYO-HQ",)),
    ("judge2@example.com", "Emily Clarke", "en", ("judge",), ("UK-LONDON",)),
    ("judge3@example.com", "Kenji Watanabe / 渡辺 健二", "ja", ("judge",), ()),
    ("judge4@example.com", "Priya Raman", "en", ("judge",), ("IN-CHENNAI",)),
    ("judge5@example.com", "Yumi Mori / 森 由美", "ja", ("judge",), ("KANSAI",)),
    ("judge6@example.com", "Daniel Becker", "en", ("judge",), ()),
]

# Which judges sit on which region's panel in the current cycle (a judge may sit on both).
PANELS = {
    Region.JAPAN: ("judge1@example.com", "judge3@example.com", "judge5@example.com", "judge6@example.com"),
    Region.OVERSEAS: ("judge2@example.com", "judge3@example.com", "judge4@example.com", "judge6@example.com"),
}

# site code, status, language, title, title in the other language, theme, biodiversity, summary,
# description, participants, hours, partners, outcomes, statements (business, sustainability, novelty)
NOMINATIONS = [
    ("TOHOKU", "submitted", "ja", "南三陸町「福興市」運営支援", "Supporting the Fukkoichi market in Minamisanriku",
     "community", False,
     "震災からの復興を目指す南三陸町の「福興市」を、社員ボランティアが毎月運営面で支援しました。",
     "2011年3月以来、毎月開催される福興市で、会場設営、来場者案内、売上集計のIT化を支援。地元商店街と協力し、延べ参加者数は前年を上回りました。実行委員会から感謝状を受領しました。",
     420, "2520", "南三陸福興市実行委員会、NPO法人ラムズ",
     "来場者数が前年比15％増。売上集計の時間が1日から2時間に短縮されました。",
     ("タブレット端末を使った売上集計の仕組みを社員が構築し、当社のIT技術を復興に生かしました。",
      "地元の実行委員会に運用を引き継ぎ、毎月の開催を地域が自立して続けられる体制を作りました。",
      "単なる労力提供ではなく、ITで市場運営そのものを改善した点が新しい取り組みです。")),
    ("TOKYO-HQ", "submitted", "ja", "小学生向け科学教室「ガリレオクラブ」", "Galileo Club science classes for children",
     "education", False,
     "社員が講師となり、小学生に実験を通して科学の楽しさを伝える教室を年12回開催しました。",
     "電気の仕組みやプログラミングを題材に、社員が教材を自作して授業を行いました。被災地の学校でも出張授業を実施しました。",
     180, "960.5", "東京都港区教育委員会、NPO法人サイエンス・リンク",
     "参加児童の92％が「理科がもっと好きになった」と回答しました。",
     ("研究所の社員が専門知識を生かして教材を開発しました。",
      "教材と指導案を公開し、他の拠点でも同じ教室を開けるようにしました。",
      "プログラミングとものづくりを組み合わせた独自の教材です。")),
    ("TAMAGAWA", "submitted", "ja", "多摩川河川敷の生物多様性保全活動", "Biodiversity conservation on the Tama River banks",
     "nature", True,
     "多摩川の河川敷で外来植物の除去と在来種の観察会を行いました。",
     "地元の自然保護団体と協力し、年6回の除去作業と観察会を実施。センサーによる水質モニタリングも試行しました。",
     310, "1240", "多摩川流域ネットワーク、川崎市",
     "外来植物の繁茂面積が前年の半分になり、在来のカワラノギクが回復しました。",
     ("自社のセンサー技術を水質モニタリングに応用しました。",
      "自然保護団体と5年間の協定を結び、毎年の活動計画を共同で作成しています。",
      "市民参加型のデータ収集を取り入れた点が新しい取り組みです。")),
    ("FUCHU", "draft", "ja", "高齢者向けスマートフォン教室", "",
     "community", False,
     "地域の高齢者を対象に、スマートフォンの使い方教室を開きました。",
     "", None, None, "府中市社会福祉協議会", "",
     ("", "", "")),
    ("KANSAI", "submitted", "ja", "淀川クリーン作戦", "Yodo River clean-up",
     "nature", True,
     "淀川の河川敷で清掃活動とごみの分類調査を行いました。",
     "取引先企業や地域住民と共同で、年4回の清掃を実施。回収したごみを分類し、データを自治体と共有しました。",
     650, "1950", "大阪市、淀川河川事務所、取引先各社",
     "合計3.2トンのごみを回収。プラスチックごみの発生源を特定し、自治体の対策に活用されました。",
     ("取引先と共同で実施し、事業上のパートナーシップを強化しました。",
      "10年以上続く活動で、毎年の参加者が増えています。",
      "ごみの分類データを自治体の政策に生かした点が新しい取り組みです。")),
    ("KYUSHU", "draft", "ja", "阿蘇の草原再生ボランティア", "Restoring the Aso grasslands",
     "nature", True,
     "阿蘇の草原を守る野焼きの準備作業（輪地切り）に参加しました。",
     "草原の維持に欠かせない野焼きのため、防火帯を作る作業に社員と家族が参加しました。",
     85, "510", "公益財団法人 阿蘇グリーンストック", "",
     ("", "", "")),
    ("UK-LONDON", "submitted", "en", "Coding clubs in east London schools", "ロンドン東部の学校でのプログラミングクラブ",
     "education", False,
     "Volunteers ran weekly after-school coding clubs in four primary schools.",
     "Employees from our software teams designed a 10-week curriculum and taught it in four schools, with teachers trained to continue alone.",
     64, "832", "Tower Hamlets Education Partnership; Code Club UK",
     "212 pupils completed the course; three schools now run the clubs without us.",
     ("Our engineers taught the skills they use every day.",
      "Teachers were trained so the clubs continue without our volunteers.",
      "A curriculum built around local problems the children chose themselves.")),
    ("US-NY", "submitted", "en", "Food bank logistics week", "フードバンク物流支援週間",
     "community", False,
     "Staff helped a regional food bank redesign its warehouse routing during a week of volunteering.",
     "A team of 40 volunteers sorted donations and, with the food bank's staff, mapped the warehouse flow and proposed a new routing plan that the food bank adopted.",
     40, "320", "City Harvest Food Bank",
     "Packing throughput rose by 30% in the following quarter.",
     ("Our logistics consultants applied their expertise pro bono.",
      "The food bank owns the new routing plan and reviews it yearly with us.",
      "Skills-based volunteering instead of one-day sorting shifts.")),
    ("SG", "submitted", "en", "Mangrove replanting at Pasir Ris", "パシリス公園のマングローブ植樹",
     "nature", True,
     "Employees and families replanted mangroves and monitored their growth with IoT sensors.",
     "Four planting days with the national parks board; sensor kits built by our engineers measure salinity and growth.",
     150, "600", "National Parks Board Singapore; Nature Society",
     "1,200 saplings planted with an 85% survival rate after six months.",
     ("Our IoT sensors monitor the planted areas.",
      "The parks board runs the sensors and shares the data with schools.",
      "The first sensor-monitored mangrove restoration in the region.")),
    ("IN-CHENNAI", "draft", "en", "Digital literacy for rural women", "",
     "education", False,
     "Weekend classes teaching smartphone banking and safety to women in villages near Chennai.",
     "", 30, None, "Chennai Rural Development Trust", "",
     ("", "", "")),
    ("DE-DUSSELDORF", "submitted", "en", "Rhine meadows bee habitat", "ライン川河畔のミツバチの生息地づくり",
     "nature", True,
     "Volunteers planted wildflower meadows and built insect hotels along the Rhine.",
     "Together with the city, employees turned 2 hectares of lawn into wildflower meadows and built 40 insect hotels.",
     95, "475.5", "City of Düsseldorf; NABU",
     "Pollinator counts doubled on the planted areas.",
     ("Employees from our facilities team contributed landscaping know-how.",
      "The city maintains the meadows; we return every spring.",
      "Combined with a citizen-science pollinator count app.")),
    ("BR-SAOPAULO", "submitted", "en", "Community kitchen garden", "地域の共同菜園",
     "community", False,
     "A vegetable garden on unused company land, run with neighbours for a community kitchen.",
     "Employees and neighbours built raised beds and an irrigation system; harvests go to a community kitchen serving 200 meals a day.",
     55, "440", "Cozinha Solidária São Paulo",
     "3 tonnes of vegetables harvested in the year.",
     ("Uses company land and our facilities team's irrigation expertise.",
      "Neighbours run the garden day to day.",
      "A first for the area: company land opened to the community.")),
    ("AU-SYDNEY", "withdrawn", "en", "Bushfire recovery volunteering", "",
     "community", False,
     "Helped rebuild fences in bushfire-affected farms.",
     "", 20, "160", "BlazeAid", "", ("", "", "")),
]


def _get_or_create_sites() -> dict[str, Site]:
    existing = {site.code: site for site in db.session.scalars(select(Site))}
    for code, name_en, name_ja, country, _login, _coordinator in SITES:
        if code not in existing:
            site = Site(code=code, name_en=name_en, name_ja=name_ja, country=country, active=True)
            db.session.add(site)
            existing[code] = site
    db.session.flush()
    return existing


def _get_or_create_people(sites: dict[str, Site]) -> int:
    people = list(PEOPLE) + [
        (f"submitter.{login}@example.com", coordinator, "ja" if country == "JP" else "en", ("submitter",), (code,))
        for code, _name_en, _name_ja, country, login, coordinator in SITES
    ]
    existing = set(db.session.scalars(select(User.email)))
    created = 0
    for email, name, locale, roles, codes in people:
        if email in existing:
            continue
        user = User(email=email, name=name, locale=locale, active=True, session_version=1,
                    timezone="Asia/Tokyo" if locale == "ja" else "UTC",
                    **{f"is_{role}": True for role in roles})
        user.set_password(DEMO_PASSWORD)
        user.sites = [sites[code] for code in codes]
        db.session.add(user)
        created += 1
    db.session.flush()
    return created


def _current_cycle(now: datetime) -> tuple[Cycle, bool]:
    fiscal_year = fiscal_year_of(now.date())
    cycle = db.session.scalar(select(Cycle).where(Cycle.fiscal_year == fiscal_year))
    if cycle is not None:
        return cycle, False
    # 17:00 in Tokyo (08:00 UTC), the way the programme office announces its deadlines.
    deadline = datetime.combine(now.date() + timedelta(days=45), time(8, 0), timezone.utc)
    cycle = Cycle(
        fiscal_year=fiscal_year,
        phase=Phase.NOMINATIONS_OPEN,
        nomination_deadline=deadline,
        judging_deadline=deadline + timedelta(days=30),
        scale_min=1,
        scale_max=5,
    )
    cycle.criteria = default_criteria()
    cycle.award_categories = default_award_categories()
    db.session.add(cycle)
    db.session.flush()
    return cycle, True


def _activity_dates(fiscal_year: int, index: int) -> tuple[date, date]:
    start, end = fiscal_year_bounds(fiscal_year)
    first = start + timedelta(days=(index * 23) % 300)
    return min(first, end), min(first + timedelta(days=index % 3), end)


def _add_nominations(cycle: Cycle, sites: dict[str, Site]) -> int:
    if db.session.scalar(select(func.count(Nomination.id)).where(Nomination.cycle_id == cycle.id)):
        return 0
    now = utcnow()
    for index, row in enumerate(NOMINATIONS):
        (code, status, language, title, title_other, theme, biodiversity, summary, description,
         participants, hours, partners, outcomes, statements) = row
        start, end = _activity_dates(cycle.fiscal_year, index)
        nomination = Nomination(
            cycle=cycle, site=sites[code], status=NominationStatus(status), language=Language(language),
            title=title, title_other=title_other, theme=Theme(theme), biodiversity=biodiversity,
            summary=summary, description=description,
            start_date=start if description else None, end_date=end if description else None,
            participants=participants, volunteer_hours=Decimal(hours) if hours else None,
            partners=partners, outcomes=outcomes,
            submitted_at=now - timedelta(days=index) if status in ("submitted", "withdrawn") else None,
            withdrawn_at=now if status == "withdrawn" else None,
        )
        nomination.statements = [
            NominationStatement(criterion=criterion, text=text)
            for criterion, text in zip(cycle.criteria, statements, strict=True)
        ]
        db.session.add(nomination)
    db.session.flush()
    return len(NOMINATIONS)


def _add_panels(cycle: Cycle) -> None:
    users = {u.email: u for u in db.session.scalars(select(User).where(User.is_judge.is_(True)))}
    for region, emails in PANELS.items():
        for email in emails:
            db.session.add(PanelMember(cycle_id=cycle.id, region=region, judge_id=users[email].id))
    db.session.flush()


def seed_demo() -> str:
    """Add whatever part of the demo data is missing; returns a one-line summary."""
    now = utcnow()
    sites = _get_or_create_sites()
    people = _get_or_create_people(sites)
    cycle, cycle_created = _current_cycle(now)
    nominations = 0
    if cycle_created:
        nominations = _add_nominations(cycle, sites)
        _add_panels(cycle)
    return (
        f"demo data: {len(sites)} sites, {people} new users, cycle {cycle.label} "
        f"({'created' if cycle_created else 'already there'}), {nominations} new nominations"
    )
