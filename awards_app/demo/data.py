"""The demo's data: sites, people, panels, the current cycle's nominations, and the activities,
judges' comments and published figures of the three past cycles (FY2011–FY2013).

Only literals and the record types that name their fields; `build.py` turns them into the demo
through the product's services.
"""
from __future__ import annotations

from typing import NamedTuple

# The demo's one password is defined in accounts, whose password rules refuse it for real accounts.
from awards_app.accounts.passwords import DEMO_PASSWORD  # noqa: F401 — the demo package re-exports it
from awards_app.core.enums import Region

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

# Which judges sit on which region's panel, in every cycle of the demo (a judge may sit on both).
PANELS = {
    Region.JAPAN: ("judge1@example.com", "judge3@example.com", "judge5@example.com", "judge6@example.com"),
    Region.OVERSEAS: ("judge2@example.com", "judge3@example.com", "judge4@example.com", "judge6@example.com"),
}


# The current cycle is judged in two rounds: the regional panels above score every nomination, then
# a smaller final panel (judges who sit on both regions' panels) scores the shortlist, two judges
# per nomination. Days after the nomination deadline that each round's judging ends.
FIRST_ROUND_DAYS = 20
FINAL_ROUND_DAYS = 35
FINAL_ROUND_JUDGES_PER_NOMINATION = 2
FINAL_PANEL = ("judge3@example.com", "judge6@example.com")
# Once a final-panel judge has submitted, they see the other's sheet and discuss it (and may
# revise their scores with a reason): a Deliberation value.
FINAL_ROUND_DELIBERATION = "all"


class CurrentNomination(NamedTuple):
    """A nomination of the current cycle, in the site's language, as the site left it today."""

    site: str
    status: str  # draft, submitted, or withdrawn (as a draft: it lacks what a submission needs)
    language: str
    title: str
    title_other: str
    theme: str
    biodiversity: bool
    summary: str
    description: str
    participants: int | None
    hours: str | None
    partners: str
    outcomes: str
    statements: tuple[str, str, str]  # business relevance, sustainability, novelty
    # When the activity ran, as (month, day) in its fiscal year: the texts say how often and how
    # long ("monthly since 2011", "a week of volunteering"), and the dates agree. A period that
    # would run past the day the demo is loaded ends the day before its nomination was completed.
    period: tuple[tuple[int, int], tuple[int, int]]


NOMINATIONS = [
    CurrentNomination("TOHOKU", "submitted", "ja", "南三陸町「福興市」運営支援", "Supporting the Fukkoichi market in Minamisanriku",
     "community", False,
     "震災からの復興を目指す南三陸町の「福興市」を、社員ボランティアが毎月運営面で支援しました。",
     "2011年3月以来、毎月開催される福興市で、会場設営、来場者案内、売上集計のIT化を支援。地元商店街と協力し、延べ参加者数は前年を上回りました。実行委員会から感謝状を受領しました。",
     420, "2520", "南三陸福興市実行委員会、NPO法人ラムズ",
     "来場者数が前年比15％増。売上集計の時間が1日から2時間に短縮されました。",
     ("タブレット端末を使った売上集計の仕組みを社員が構築し、当社のIT技術を復興に生かしました。",
      "地元の実行委員会に運用を引き継ぎ、毎月の開催を地域が自立して続けられる体制を作りました。",
      "単なる労力提供ではなく、ITで市場運営そのものを改善した点が新しい取り組みです。"), ((4, 1), (3, 31))),
    CurrentNomination("TOKYO-HQ", "submitted", "ja", "小学生向け科学教室「ガリレオクラブ」", "Galileo Club science classes for children",
     "education", False,
     "社員が講師となり、小学生に実験を通して科学の楽しさを伝える教室を年12回開催しました。",
     "電気の仕組みやプログラミングを題材に、社員が教材を自作して授業を行いました。被災地の学校でも出張授業を実施しました。",
     180, "960.5", "東京都港区教育委員会、NPO法人サイエンス・リンク",
     "参加児童の92％が「理科がもっと好きになった」と回答しました。",
     ("研究所の社員が専門知識を生かして教材を開発しました。",
      "教材と指導案を公開し、他の拠点でも同じ教室を開けるようにしました。",
      "プログラミングとものづくりを組み合わせた独自の教材です。"), ((4, 1), (3, 31))),
    CurrentNomination("TAMAGAWA", "submitted", "ja", "多摩川河川敷の生物多様性保全活動", "Biodiversity conservation on the Tama River banks",
     "nature", True,
     "多摩川の河川敷で外来植物の除去と在来種の観察会を行いました。",
     "地元の自然保護団体と協力し、年6回の除去作業と観察会を実施。センサーによる水質モニタリングも試行しました。",
     310, "1240", "多摩川流域ネットワーク、川崎市",
     "外来植物の繁茂面積が前年の半分になり、在来のカワラノギクが回復しました。",
     ("自社のセンサー技術を水質モニタリングに応用しました。",
      "自然保護団体と5年間の協定を結び、毎年の活動計画を共同で作成しています。",
      "市民参加型のデータ収集を取り入れた点が新しい取り組みです。"), ((4, 15), (3, 31))),
    CurrentNomination("FUCHU", "draft", "ja", "高齢者向けスマートフォン教室", "",
     "community", False,
     "地域の高齢者を対象に、スマートフォンの使い方教室を開きました。",
     "", None, None, "府中市社会福祉協議会", "",
     ("", "", ""), ((6, 8), (6, 8))),
    CurrentNomination("KANSAI", "submitted", "ja", "淀川クリーン作戦", "Yodo River clean-up",
     "nature", True,
     "淀川の河川敷で清掃活動とごみの分類調査を行いました。",
     "取引先企業や地域住民と共同で、年4回の清掃を実施。回収したごみを分類し、データを自治体と共有しました。",
     650, "1950", "大阪市、淀川河川事務所、取引先各社",
     "合計3.2トンのごみを回収。プラスチックごみの発生源を特定し、自治体の対策に活用されました。",
     ("取引先と共同で実施し、事業上のパートナーシップを強化しました。",
      "10年以上続く活動で、毎年の参加者が増えています。",
      "ごみの分類データを自治体の政策に生かした点が新しい取り組みです。"), ((4, 20), (3, 31))),
    CurrentNomination("KYUSHU", "draft", "ja", "阿蘇の草原再生ボランティア", "Restoring the Aso grasslands",
     "nature", True,
     "阿蘇の草原を守る野焼きの準備作業（輪地切り）に参加しました。",
     "草原の維持に欠かせない野焼きのため、防火帯を作る作業に社員と家族が参加しました。",
     85, "510", "公益財団法人 阿蘇グリーンストック", "",
     ("", "", ""), ((8, 23), (8, 24))),
    CurrentNomination("UK-LONDON", "submitted", "en", "Coding clubs in east London schools", "ロンドン東部の学校でのプログラミングクラブ",
     "education", False,
     "Volunteers ran weekly after-school coding clubs in four primary schools.",
     "Employees from our software teams designed a 10-week curriculum and taught it in four schools, with teachers trained to continue alone.",
     64, "832", "Tower Hamlets Education Partnership; Code Club UK",
     "212 pupils completed the course; three schools now run the clubs without us.",
     ("Our engineers taught the skills they use every day.",
      "Teachers were trained so the clubs continue without our volunteers.",
      "A curriculum built around local problems the children chose themselves."), ((9, 7), (11, 13))),
    CurrentNomination("US-NY", "submitted", "en", "Food bank logistics week", "フードバンク物流支援週間",
     "community", False,
     "Staff helped a regional food bank redesign its warehouse routing during a week of volunteering.",
     "A team of 40 volunteers sorted donations and, with the food bank's staff, mapped the warehouse flow and proposed a new routing plan that the food bank adopted.",
     40, "320", "City Harvest Food Bank",
     "Packing throughput rose by 30% in the following quarter.",
     ("Our logistics consultants applied their expertise pro bono.",
      "The food bank owns the new routing plan and reviews it yearly with us.",
      "Skills-based volunteering instead of one-day sorting shifts."), ((9, 14), (9, 18))),
    CurrentNomination("SG", "submitted", "en", "Mangrove replanting at Pasir Ris", "パシリス公園のマングローブ植樹",
     "nature", True,
     "Employees and families replanted mangroves and monitored their growth with IoT sensors.",
     "Four planting days with the national parks board; sensor kits built by our engineers measure salinity and growth.",
     150, "600", "National Parks Board Singapore; Nature Society",
     "1,200 saplings planted with an 85% survival rate after six months.",
     ("Our IoT sensors monitor the planted areas.",
      "The parks board runs the sensors and shares the data with schools.",
      "The first sensor-monitored mangrove restoration in the region."), ((6, 6), (10, 31))),
    CurrentNomination("IN-CHENNAI", "draft", "en", "Digital literacy for rural women", "",
     "education", False,
     "Weekend classes teaching smartphone banking and safety to women in villages near Chennai.",
     "", 30, None, "Chennai Rural Development Trust", "",
     ("", "", ""), ((7, 4), (8, 29))),
    CurrentNomination("DE-DUSSELDORF", "submitted", "en", "Rhine meadows bee habitat", "ライン川河畔のミツバチの生息地づくり",
     "nature", True,
     "Volunteers planted wildflower meadows and built insect hotels along the Rhine.",
     "Together with the city, employees turned 2 hectares of lawn into wildflower meadows and built 40 insect hotels.",
     95, "475.5", "City of Düsseldorf; NABU",
     "Pollinator counts doubled on the planted areas.",
     ("Employees from our facilities team contributed landscaping know-how.",
      "The city maintains the meadows; we return every spring.",
      "Combined with a citizen-science pollinator count app."), ((5, 9), (5, 10))),
    CurrentNomination("BR-SAOPAULO", "submitted", "en", "Community kitchen garden", "地域の共同菜園",
     "community", False,
     "A vegetable garden on unused company land, run with neighbours for a community kitchen.",
     "Employees and neighbours built raised beds and an irrigation system; harvests go to a community kitchen serving 200 meals a day.",
     55, "440", "Cozinha Solidária São Paulo",
     "3 tonnes of vegetables harvested in the year.",
     ("Uses company land and our facilities team's irrigation expertise.",
      "Neighbours run the garden day to day.",
      "A first for the area: company land opened to the community."), ((4, 1), (3, 31))),
    CurrentNomination("AU-SYDNEY", "withdrawn", "en", "Bushfire recovery volunteering", "",
     "community", False,
     "Helped rebuild fences in bushfire-affected farms.",
     "", 20, "160", "BlazeAid", "", ("", "", ""), ((10, 18), (10, 19))),
]


# Who signs the certificates of the current cycle: set up front, so that certificates can be
# issued once the year's awards are decided. Name (en), name (ja), title (en), title (ja).
CURRENT_SIGNATORY = ("Masato Ueda", "上田 正人", "Chair, CSR Awards Committee", "CSR表彰委員会 委員長")


# --- history: three finalised past cycles ---------------------------------------------------------
#
# The programme's published figures (its FY2013 report): participations and volunteer hours of
# the whole group per fiscal year, and 8,425 participants in biodiversity preservation in FY2013.
# The past cycles' submitted nominations add up to exactly these figures.

class Activity(NamedTuple):
    """An MDD activity a demo site nominates, in the site's language (Japanese in Japan)."""

    site: str
    theme: str
    biodiversity: bool
    title: str
    title_other: str
    summary: str
    description: str
    partners: str
    outcomes: str
    statements: tuple[str, str, str]  # business relevance, sustainability, novelty
    hours_ratio: float  # volunteer hours per participant, relative to the other activities
    month: int | None  # calendar month of a one-off activity; None for a year-round programme
    # How many days an activity of a month runs, when its text says more than a day or two
    # ("spring and autumn", "over several weekends"); None: one to three days.
    days: int | None = None


ACTIVITIES: dict[str, Activity] = {
    "cleanup_day": Activity(
        "TOKYO-HQ", "nature", False, "「MDDクリーンデー」全国一斉清掃", "MDD Clean-up Day across Japan",
        "全国のグループ拠点の社員と家族が、同じ日に事業所周辺や河川・海岸の清掃を行いました。",
        "環境月間の6月に、全国約100か所の拠点で一斉に清掃を実施。各拠点のMDDコーディネーターが自治体と調整し、回収したごみの量を集計して社内外に公表しました。",
        "各地の自治体、町内会", "全国で合計約40トンのごみを回収し、参加者の半数が家族連れでした。",
        ("環境に配慮した製品を扱う企業として、社員が地域の環境美化に直接関わる機会になっています。",
         "毎年同じ時期に実施し、自治体との協力体制が定着しています。",
         "全拠点の回収量をその日のうちに集計・共有する仕組みを取り入れました。"),
        1.5, 6),
    "collection": Activity(
        "FUCHU", "community", False, "書き損じはがき・古本の回収による寄付", "Collecting unused postcards and used books for charity",
        "社員が持ち寄った書き損じはがきや古本を換金し、国際協力NGOに寄付しました。",
        "全拠点に回収箱を置き、年間を通じて回収。集まったはがきや本はNGOを通じて換金され、途上国の教育支援に使われました。",
        "公益社団法人 日本ユネスコ協会連盟", "回収したはがきと古本で、途上国の子ども約300人の1年分の学用品を支援しました。",
        ("全拠点の総務部門の物流網を活用して回収・発送しています。",
         "回収箱を常設し、誰でもいつでも参加できる仕組みです。",
         "回収量を拠点ごとに見える化し、拠点間で競い合う工夫をしました。"),
        0.1, None),
    "ecocap": Activity(
        "ABIKO", "community", False, "ペットボトルキャップ回収によるワクチン支援", "Bottle-cap collection for children's vaccines",
        "ペットボトルのキャップを回収してリサイクルし、その収益で途上国の子どもにワクチンを届けました。",
        "社員食堂と各フロアに回収ボックスを設置。集まったキャップをリサイクル業者に引き渡し、売却益をNPOを通じてワクチン支援に充てました。",
        "NPO法人 エコキャップ推進協会", "約120万個のキャップを回収し、ポリオワクチン約1,500人分を支援しました。",
        ("資源リサイクルの取り組みとして、事業所の環境目標とも連動しています。",
         "日常の行動として定着し、参加者が年々増えています。",
         "回収量を社内ポータルで毎月公表し、参加の輪を広げました。"),
        0.1, None),
    "blood": Activity(
        "SAGAMIHARA", "community", False, "献血推進キャンペーン", "Blood donation drive",
        "献血バスを事業所に招き、社員と近隣企業の従業員に献血を呼びかけました。",
        "年4回、赤十字血液センターの献血バスを受け入れ、事前予約の仕組みを社内システムで整えました。近隣企業にも参加を呼びかけました。",
        "神奈川県赤十字血液センター、近隣企業", "年間で延べ1,000人以上が献血に協力しました。",
        ("社内の予約システムを自社で構築し、待ち時間を半分にしました。",
         "血液センターと年間計画を共有し、毎年継続しています。",
         "近隣企業と合同で実施し、地域ぐるみの活動に広げました。"),
        1.0, None),
    "galileo": Activity(
        "TOKYO-HQ", "education", False, "小学生向け科学教室「ガリレオクラブ」", "Galileo Club science classes for children",
        "社員が講師となり、小学生に実験を通して科学の楽しさを伝える教室を開きました。",
        "電気の仕組みやプログラミングを題材に、研究所の社員が教材を自作して授業を行いました。",
        "東京都港区教育委員会、NPO法人サイエンス・リンク", "参加児童の9割以上が「理科がもっと好きになった」と回答しました。",
        ("研究所の社員が専門知識を生かして教材を開発しました。",
         "教材と指導案を公開し、他の拠点でも同じ教室を開けるようにしました。",
         "プログラミングとものづくりを組み合わせた独自の教材です。"),
        4.0, None),
    "it_mothers": Activity(
        "TOKYO-HQ", "education", False, "子育て中の母親向けITワークショップ", "IT workshops for mothers",
        "子育て中の母親を対象に、パソコンやインターネットの活用講座を開きました。",
        "託児付きの講座で、文書作成、表計算、ネットの安全な使い方を教えました。被災地から避難している家族にも参加を呼びかけました。",
        "NPO法人 ママのためのIT応援団", "受講者の3割が講座をきっかけに在宅の仕事を始めました。",
        ("ITの専門性をそのまま地域に還元する活動です。",
         "受講者が次の講座の講師補助を務める仕組みができています。",
         "託児付きで、育児中でも参加しやすい形にしました。"),
        3.0, None),
    "volleyball": Activity(
        "TOKYO-HQ", "education", False, "元日本代表選手によるバレーボール教室（南三陸町）", "Volleyball clinic with former national team players in Minamisanriku",
        "当社バレーボール部の元日本代表選手が、南三陸町の子どもたちにバレーボールを指導しました。",
        "2012年4月、南三陸町のベイサイドアリーナで、元選手と社員ボランティアが子どもや地域の人々と交流しました。",
        "南三陸町教育委員会", "約200人の子どもと保護者が参加し、町の体育館に笑顔が戻りました。",
        ("当社のスポーツチームという資産を被災地の支援に生かしました。",
         "町の体育協会と毎年の開催を約束しています。",
         "スポーツを通じた心のケアという新しい支援の形です。"),
        4.0, 4),
    "tama": Activity(
        "TAMAGAWA", "nature", True, "多摩川河川敷の生物多様性保全", "Biodiversity conservation on the Tama River banks",
        "多摩川の河川敷で外来植物の除去と在来種の観察会を行いました。",
        "地元の自然保護団体と協力し、年6回の除去作業と観察会を実施。センサーによる水質モニタリングも試行しました。",
        "多摩川流域ネットワーク、川崎市", "外来植物の繁茂面積が半分になり、在来のカワラノギクが回復しました。",
        ("自社のセンサー技術を水質モニタリングに応用しました。",
         "自然保護団体と5年間の協定を結び、毎年の活動計画を共同で作成しています。",
         "市民参加型のデータ収集を取り入れた点が新しい取り組みです。"),
        3.0, None),
    "festival": Activity(
        "TAMAGAWA", "community", False, "地域の夏祭り運営支援", "Helping run the neighbourhood summer festival",
        "事業所の敷地を会場に、地域の夏祭りを町内会と共同で運営しました。",
        "社員が模擬店、会場整理、救護を担当。障がいのある人も楽しめるよう、会場のバリアフリー化にも取り組みました。",
        "川崎市中原区の町内会連合会", "約5,000人が来場しました。",
        ("事業所を地域に開く機会として、地域との信頼関係づくりに役立っています。",
         "町内会と実行委員会を作り、毎年共同で運営しています。",
         "会場のバリアフリー化で、誰もが楽しめる祭りにしました。"),
        5.0, 8),
    "watching": Activity(
        "TAMAGAWA", "community", False, "仮設住宅での高齢者見守りの実証", "Watching over elderly residents of temporary housing",
        "研究所の社員が、仮設住宅で暮らす高齢者を見守る仕組みを地域と一緒に試しました。",
        "被災地の仮設住宅で、センサーとタブレットを使った見守りと、集会所での交流会を組み合わせた実証を行いました。",
        "南三陸町社会福祉協議会", "見守りの対象となった約80世帯で、異変の早期発見が2件ありました。",
        ("研究開発中の見守り技術を、被災地のニーズから改良しました。",
         "社会福祉協議会が運用を引き継ぎ、対象世帯を広げています。",
         "技術と人の交流を組み合わせた見守りは新しい試みです。"),
        5.0, None),
    "satoyama": Activity(
        "FUCHU", "nature", True, "府中の森の里山保全", "Caring for the satoyama woodland in Fuchu",
        "地域の里山で、下草刈りや間伐を行い、生きものが暮らしやすい森を守りました。",
        "月1回の作業日に、社員と家族が下草刈り、間伐、炭焼きを体験。生きもの調査の結果を市に提供しました。",
        "府中市、NPO法人 府中里山の会", "森の林床に日が差すようになり、確認された植物が前年の1.3倍になりました。",
        ("生きもの調査のデータ管理に、社内のデータベース技術を使っています。",
         "NPOと10年の協定を結び、毎月の作業日が定着しています。",
         "炭焼きなど、家族で楽しめる体験を組み合わせました。"),
        3.0, None),
    "teganuma": Activity(
        "ABIKO", "nature", True, "手賀沼の水質調査と外来植物の除去", "Water-quality survey and invasive plant removal at Lake Teganuma",
        "手賀沼で水質を調べ、外来の水草を取り除く活動を行いました。",
        "市民団体と共同で、年8回の水質調査と外来水草の除去を実施。調査結果は地元の小学校の授業でも使われています。",
        "我孫子市、手賀沼をきれいにする会", "外来水草の群落が3割減り、在来の水草が戻り始めました。",
        ("水質計測の機器と解析を社員が担当しています。",
         "市民団体と調査計画を毎年共同で作成しています。",
         "調査結果を学校の教材にした点が新しい取り組みです。"),
        2.5, None),
    "programming": Activity(
        "ABIKO", "education", False, "子ども向けプログラミング教室", "Programming classes for children",
        "地域の小中学生に、ロボットを使ったプログラミング教室を開きました。",
        "夏休みと冬休みに、社員が講師となって全10回の教室を開催。最終回では子どもたちが作品を発表しました。",
        "我孫子市教育委員会", "延べ400人の子どもが参加し、修了者が翌年の補助役を務めました。",
        ("ソフトウェア開発の社員が、日頃の技術を教えています。",
         "修了者が補助役となる仕組みで、毎年続けています。",
         "ロボットを使い、プログラムの結果が目に見える教材にしました。"),
        4.0, 8),
    "care_homes": Activity(
        "SAGAMIHARA", "community", False, "高齢者施設での交流会", "Afternoons with care-home residents",
        "地域の高齢者施設を訪ね、合唱や工作で入居者と交流しました。",
        "毎月、社員が近隣の3施設を訪問。タブレットで昔の写真や映像を一緒に見る会が好評でした。",
        "相模原市内の高齢者施設3か所", "施設からの依頼で、訪問回数を年12回から18回に増やしました。",
        ("タブレットを使った回想の会は、当社の端末を活用しています。",
         "施設と年間計画を立て、社員の参加登録制で続けています。",
         "デジタル機器を使った回想法を交流に取り入れました。"),
        3.0, None),
    "yodo": Activity(
        "KANSAI", "nature", True, "淀川クリーン作戦", "Yodo River clean-up",
        "淀川の河川敷で清掃活動とごみの分類調査を行いました。",
        "取引先企業や地域住民と共同で、年4回の清掃を実施。回収したごみを分類し、データを自治体と共有しました。",
        "大阪市、淀川河川事務所、取引先各社", "合計3トン余りのごみを回収。ごみの発生源の分析が自治体の対策に使われました。",
        ("取引先と共同で実施し、事業上のパートナーシップを強化しました。",
         "10年以上続く活動で、毎年参加者が増えています。",
         "ごみの分類データを自治体の政策に生かした点が新しい取り組みです。"),
        2.0, None),
    "braille": Activity(
        "KANSAI", "community", False, "点字絵本の製作", "Making braille picture books",
        "市販の絵本に点字と触って分かる図を貼り付け、視覚に障がいのある子どもに贈りました。",
        "社員が点訳ボランティアの講習を受け、昼休みや週末に製作。完成した絵本は点字図書館を通じて貸し出されています。",
        "社会福祉法人 日本ライトハウス", "年間60冊の点字絵本を製作し、点字図書館に寄贈しました。",
        ("印刷・加工の技術を持つ社員が、図の作り方を工夫しました。",
         "講習を受けた社員が次の参加者に教える仕組みがあります。",
         "触って分かる図を立体印刷で作る方法を試しました。"),
        6.0, None),
    "hirose": Activity(
        "TOHOKU", "nature", False, "広瀬川の清掃", "Hirose River clean-up in Sendai",
        "仙台市内を流れる広瀬川の河川敷で、市民と一緒に清掃を行いました。",
        "春と秋の年2回、市民団体の清掃活動に社員と家族が参加しました。",
        "広瀬川市民会議、仙台市", "2回の清掃で約1.5トンのごみを回収しました。",
        ("地域の一員として、支社の社員が地元の環境を守っています。",
         "市民団体の年間行事として定着しています。",
         "支社の新入社員研修に組み込み、参加を広げました。"),
        1.5, 5, 160),
    "debris": Activity(
        "TOHOKU", "community", False, "被災地でのがれき撤去・泥かきボランティア", "Clearing debris and mud after the Great East Japan Earthquake",
        "東日本大震災の直後から、被災地で家屋の泥かきやがれきの撤去を行いました。",
        "全国の拠点から社員を募り、宮城県南三陸町を中心に週末ごとにボランティアを派遣しました。支社が宿泊と移動の手配を担いました。",
        "南三陸町災害ボランティアセンター、NPO法人ラムズ", "延べ数千人の社員が参加し、約400軒の家屋の泥かきを終えました。",
        ("全国の拠点の人と物流の力を集め、派遣の仕組みを作りました。",
         "泥かきの後も、町の復興の段階に合わせた支援に引き継いでいます。",
         "全社の有志をつなぐ派遣の仕組みは、初めての取り組みです。"),
        7.0, 5),
    "fukkoichi_launch": Activity(
        "TOHOKU", "community", False, "南三陸町「福興市」の立ち上げと運営支援", "Helping launch and run the Fukkoichi market in Minamisanriku",
        "震災からの復興を目指す南三陸町の「福興市」を、社員ボランティアが毎月運営面で支援しました。",
        "2011年4月の第1回から、毎月開催される福興市で会場設営、来場者案内、売上集計を支援。全国の商店街と協力しました。",
        "南三陸福興市実行委員会、NPO法人ラムズ", "毎回数千人が来場し、タブレットによる売上集計で集計の時間が1日から2時間に短縮されました。",
        ("タブレット端末を使った売上集計の仕組みを社員が構築し、当社のIT技術を復興に生かしました。",
         "地元の実行委員会に運用を引き継ぎ、毎月の開催を地域が自立して続けられる体制を作りました。",
         "単なる労力提供ではなく、ITで市場運営そのものを改善した点が新しい取り組みです。"),
        6.0, None),
    "fukkoichi": Activity(
        "TOHOKU", "community", False, "南三陸町「福興市」運営支援", "Supporting the Fukkoichi market in Minamisanriku",
        "震災からの復興を目指す南三陸町の「福興市」を、社員ボランティアが毎月運営面で支援しました。",
        "2011年以来、毎月開催される福興市で、会場設営、来場者案内、売上集計のIT化を支援。地元商店街と協力しました。",
        "南三陸福興市実行委員会、NPO法人ラムズ", "来場者が前年より増えました。2013年1月、実行委員会から継続的な支援への感謝状を受領しました。",
        ("タブレット端末を使った売上集計の仕組みを社員が構築し、当社のIT技術を復興に生かしました。",
         "地元の実行委員会に運用を引き継ぎ、毎月の開催を地域が自立して続けられる体制を作りました。",
         "単なる労力提供ではなく、ITで市場運営そのものを改善した点が新しい取り組みです。"),
        6.0, None),
    "herb_garden": Activity(
        "TOHOKU", "community", False, "南三陸町波伝谷のハーブガーデンづくり", "Creating a herb garden in Hadenya, Minamisanriku",
        "南三陸町の波伝谷にハーブガーデンをつくり、地域の再生と雇用づくりを支援しました。",
        "2012年11月、地元の人々と一緒に土を起こし、ハーブの苗を植えました。収穫したハーブを使った商品づくりも始まっています。",
        "波伝谷地区の住民の皆さん、NPO法人ラムズ", "約600株のハーブを植え、地元の女性3人の雇用が生まれました。",
        ("商品開発とネット販売の仕組みづくりに、社員の知見を生かしています。",
         "地域の住民が運営し、社員は季節ごとの作業に参加します。",
         "被災地で農業と雇用を同時に生む試みです。"),
        6.0, 11),
    "relief_bazaar": Activity(
        "KANSAI", "community", False, "東日本大震災 被災地支援チャリティバザー", "Charity bazaar for earthquake relief",
        "社員が持ち寄った品物のバザーを開き、売上を被災地に寄付しました。",
        "関西の全拠点で同じ週にバザーを開催し、売上と募金を被災地の子どもの学習支援に寄付しました。",
        "あしなが育英会", "約300万円を寄付しました。",
        ("全拠点の総務部門が連携し、短期間で開催しました。",
         "翌年以降も復興支援の募金として続けています。",
         "関西の拠点が一斉に開催し、遠くからでもできる支援の形を示しました。"),
        0.8, 6),
    "aso": Activity(
        "KYUSHU", "nature", True, "阿蘇の草原再生ボランティア", "Restoring the Aso grasslands",
        "阿蘇の草原を守る野焼きの準備作業（輪地切り）に参加しました。",
        "草原の維持に欠かせない野焼きのため、防火帯を作る作業に社員と家族が参加しました。",
        "公益財団法人 阿蘇グリーンストック", "約20ヘクタールの防火帯づくりを担いました。",
        ("草原の管理記録のデジタル化を支援しています。",
         "財団と毎年の作業日を決め、参加者が増えています。",
         "家族で参加できる作業と学習会を組み合わせました。"),
        5.0, 9),
    "parasports": Activity(
        "KYUSHU", "community", False, "障がい者スポーツ大会の運営ボランティア", "Volunteering at a sports day for people with disabilities",
        "福岡市で開かれる障がい者スポーツ大会で、競技補助や会場運営を担いました。",
        "社員が事前の研修を受け、競技の補助、誘導、記録を担当しました。",
        "福岡市障がい者スポーツ協会", "約1,200人の選手が参加した大会を支えました。",
        ("記録集計のシステムを社員が改善しました。",
         "協会と毎年の協力を約束しています。",
         "記録の速報をネットで公開し、家族が遠くからでも応援できるようにしました。"),
        5.0, 10),
    "coding_london": Activity(
        "UK-LONDON", "education", False, "Coding clubs in east London schools", "ロンドン東部の学校でのプログラミングクラブ",
        "Volunteers ran weekly after-school coding clubs in four primary schools.",
        "Employees from our software teams designed a 10-week curriculum and taught it in four schools, with teachers trained to continue alone.",
        "Tower Hamlets Education Partnership; Code Club UK", "212 pupils completed the course; three schools now run the clubs without us.",
        ("Our engineers taught the skills they use every day.",
         "Teachers were trained so the clubs continue without our volunteers.",
         "A curriculum built around local problems the children chose themselves."),
        6.0, None),
    "thames": Activity(
        "UK-LONDON", "nature", False, "Thames foreshore clean-up", "テムズ川河岸の清掃",
        "Teams cleared litter from the Thames foreshore at low tide.",
        "Six low-tide sessions with a river charity; the litter was sorted and recorded for a national survey.",
        "Thames21", "2.4 tonnes of litter removed and recorded.",
        ("Our data team built the charity a simple app to record finds.",
         "Sessions are in the charity's yearly calendar.",
         "Volunteers' records feed a national litter survey."),
        2.0, 9),
    "foodbank": Activity(
        "US-NY", "community", False, "Food bank volunteering and logistics week", "フードバンクでのボランティアと物流支援",
        "Staff sorted donations and helped a regional food bank redesign its warehouse routing.",
        "Volunteers sorted donations through the year and, in one week, mapped the warehouse flow with the food bank's staff and proposed a routing plan that was adopted.",
        "City Harvest Food Bank", "Packing throughput rose by 30% in the following quarter.",
        ("Our logistics consultants applied their expertise pro bono.",
         "The food bank owns the new routing plan and reviews it yearly with us.",
         "Skills-based volunteering instead of one-day sorting shifts."),
        3.0, None),
    "stem_mentoring": Activity(
        "US-NY", "education", False, "STEM mentoring for high-school students", "高校生向けのSTEMメンタリング",
        "Engineers mentored high-school students through a year-long science project.",
        "Each mentor met two students every fortnight; the projects were shown at a science fair in our office.",
        "New York Academy of Sciences", "40 students completed projects; 12 went on to study engineering.",
        ("Mentors are engineers from our research lab.",
         "Mentors sign up for two years at a time.",
         "Projects answer real questions from local businesses."),
        5.0, None),
    "bees": Activity(
        "DE-DUSSELDORF", "nature", True, "Rhine meadows bee habitat", "ライン川河畔のミツバチの生息地づくり",
        "Volunteers planted wildflower meadows and built insect hotels along the Rhine.",
        "Together with the city, employees turned 2 hectares of lawn into wildflower meadows and built 40 insect hotels.",
        "City of Düsseldorf; NABU", "Pollinator counts doubled on the planted areas.",
        ("Employees from our facilities team contributed landscaping know-how.",
         "The city maintains the meadows; we return every spring.",
         "Combined with a citizen-science pollinator count app."),
        4.0, 5),
    "christmas": Activity(
        "DE-DUSSELDORF", "community", False, "Christmas parcels for families in need", "支援が必要な家庭へのクリスマスの贈り物",
        "Employees packed and delivered Christmas parcels for families supported by a local charity.",
        "Each team adopted a family's wish list; parcels were delivered by volunteers in December.",
        "Diakonie Düsseldorf", "350 families received parcels.",
        ("Our logistics team planned the deliveries.",
         "The charity counts on us every December.",
         "Wish lists were collected and matched online."),
        1.0, 12),
    "mangrove": Activity(
        "SG", "nature", True, "Mangrove replanting at Pasir Ris", "パシリス公園のマングローブ植樹",
        "Employees and families replanted mangroves and monitored their growth with IoT sensors.",
        "Four planting days with the national parks board; sensor kits built by our engineers measure salinity and growth.",
        "National Parks Board Singapore; Nature Society", "1,200 saplings planted with an 85% survival rate after six months.",
        ("Our IoT sensors monitor the planted areas.",
         "The parks board runs the sensors and shares the data with schools.",
         "The first sensor-monitored mangrove restoration in the region."),
        4.0, 7),
    "reading": Activity(
        "SG", "education", False, "Reading buddies for children from low-income families", "低所得家庭の子どもの読書支援",
        "Volunteers read weekly with primary-school children who need support.",
        "Pairs of volunteers and children met weekly in two community libraries through the school year.",
        "National Library Board; Care Corner", "Reading ages rose by a year on average.",
        ("Volunteers from every department take part.",
         "Libraries host the sessions; new volunteers are trained each term.",
         "E-book readers let children keep reading between sessions."),
        4.0, None),
    "desert": Activity(
        "CN-BEIJING", "nature", True, "Tree planting in the Kubuqi Desert", "クブチ砂漠での植林",
        "Employees planted trees to hold back the desert in Inner Mongolia.",
        "Two planting trips in spring with a local NGO; our staff mapped the planted plots with GPS.",
        "Green Camel Bell; local forestry bureau", "8,000 saplings planted on 10 hectares.",
        ("GPS mapping of the plots uses our positioning products.",
         "A ten-year agreement covers planting and care of the plots.",
         "Survival of every plot is tracked online."),
        6.0, 4),
    "rural_schools": Activity(
        "CN-BEIJING", "education", False, "Computer rooms for rural schools in Hebei", "河北省の農村学校へのパソコン教室",
        "Volunteers set up computer rooms and trained teachers in rural schools.",
        "Refurbished company PCs were installed in three schools; employees taught teachers and pupils over several weekends.",
        "Hebei Provincial Education Department", "Three schools, 900 pupils now have weekly computer lessons.",
        ("Uses our refurbished equipment and IT staff.",
         "Teachers trained to run the rooms themselves.",
         "Remote support from our office keeps the rooms working."),
        5.0, 9, 30),
    "digital_women": Activity(
        "IN-CHENNAI", "education", False, "Digital literacy for rural women", "農村の女性のためのデジタル講座",
        "Weekend classes teaching smartphone banking and safety to women in villages near Chennai.",
        "Volunteers taught 12-week courses in Tamil in five villages, with self-help groups choosing the topics.",
        "Chennai Rural Development Trust", "420 women completed the course; half now use mobile banking.",
        ("Our developers adapted banking apps' training material.",
         "Graduates train the next group in their village.",
         "Courses designed with the women's self-help groups."),
        5.0, None),
    "elliot": Activity(
        "IN-CHENNAI", "nature", False, "Elliot's Beach clean-up", "エリオット・ビーチの清掃",
        "Monthly beach clean-ups with students and residents.",
        "Employees organised a clean-up on the first Saturday of each month with local colleges.",
        "Chennai Corporation; local colleges", "5 tonnes of waste collected over the year.",
        ("Our teams lead the logistics.",
         "Colleges now co-organise each clean-up.",
         "Waste is sorted for recycling on site."),
        2.0, None),
    "kitchen_garden": Activity(
        "BR-SAOPAULO", "community", False, "Community kitchen garden", "地域の共同菜園",
        "A vegetable garden on unused company land, run with neighbours for a community kitchen.",
        "Employees and neighbours built raised beds and an irrigation system; harvests go to a community kitchen serving 200 meals a day.",
        "Cozinha Solidária São Paulo", "3 tonnes of vegetables harvested in the year.",
        ("Uses company land and our facilities team's irrigation expertise.",
         "Neighbours run the garden day to day.",
         "A first for the area: company land opened to the community."),
        5.0, None),
    "atlantic": Activity(
        "BR-SAOPAULO", "nature", True, "Seedling nursery for the Atlantic Forest", "大西洋岸森林の苗木づくり",
        "Volunteers grew native seedlings for reforestation of the Atlantic Forest.",
        "Employees ran a nursery with an environmental NGO and planted the seedlings with schools.",
        "SOS Mata Atlântica", "5,000 native seedlings grown and planted.",
        ("Our sensors control the nursery's irrigation.",
         "The NGO and schools plant our seedlings every year.",
         "Schools adopt and follow their own trees online."),
        4.0, None),
    "bushcare": Activity(
        "AU-SYDNEY", "nature", True, "Bushcare in Lane Cove National Park", "レーンコーブ国立公園の自然保護活動",
        "Volunteers removed weeds and replanted native bush with park rangers.",
        "Monthly bushcare mornings with rangers; volunteers logged native species returning to the plots.",
        "NSW National Parks and Wildlife Service", "1.5 hectares cleared of weeds and replanted.",
        ("Our mapping team helped rangers track the plots.",
         "Monthly mornings in the rangers' programme.",
         "Plots monitored with photos from fixed points."),
        3.0, None),
    "japan_relief": Activity(
        "AU-SYDNEY", "community", False, "Fundraising for Japan earthquake relief", "東日本大震災の復興支援募金",
        "Staff raised funds for the people of Tohoku after the March 2011 earthquake and tsunami.",
        "A bake sale, a charity run and payroll giving across the office through the year.",
        "Australian Red Cross", "AUD 48,000 raised for recovery in Tohoku.",
        ("Colleagues in Japan told the story of the affected areas.",
         "Payroll giving continues for reconstruction.",
         "Linked to volunteers from our Japanese sites on the ground."),
        0.5, None),
    "fun_run": Activity(
        "AU-SYDNEY", "community", False, "Fun run for the children's hospital", "小児病院のためのチャリティラン",
        "Employees ran and volunteered at a charity fun run.",
        "Thirty employees were to run and twenty more to staff the water stations of the hospital's fun run.",
        "Sydney Children's Hospital Foundation", "Sponsorship pledges of AUD 12,000.",
        ("Our events team planned the course logistics.",
         "The foundation invites us every year.",
         "Runners' pledges were collected through our intranet."),
        1.0, 9),
}

JUDGE_COMMENTS = {
    "ja": [
        "事業との関連が明確で、社員の専門性がよく生かされています。",
        "地域の協働先との関係が長く続いており、継続性が高く評価できます。",
        "参加者数は多いものの、成果の測り方に工夫の余地があります。",
        "他拠点でも取り入れられる新しい工夫があります。",
        "活動の成果が数字で示されていて説得力があります。",
        "単発の行事にとどまらない仕組みづくりを期待します。",
    ],
    "en": [
        "A clear link to our business and good use of employees' skills.",
        "A long-standing partnership that should keep the activity going.",
        "Strong participation, but the outcomes could be measured better.",
        "A fresh idea other sites could adopt.",
        "Outcomes are well documented with figures.",
        "I would like to see a plan beyond this year's events.",
    ],
}
WINNER_COMMENTS = {
    "ja": "事業との関連、継続性、新規性のいずれも優れており、大賞にふさわしい活動です。",
    "en": "Outstanding on every criterion; a worthy Grand Award winner.",
}


class PastCycle(NamedTuple):
    fiscal_year: int
    participants: int
    hours: int
    # Participants in activities marked as biodiversity preservation, when the programme published it.
    biodiversity_participants: int | None
    signatory: tuple[str, str, str, str]  # name (en), name (ja), title (en), title (ja)
    winners: dict[str, str]  # award category key → activity
    # (activity, rough participants): scaled so that the cycle's totals come out exactly
    submitted: tuple[tuple[str, int], ...]
    # (activity, status, reason): not counted in the figures
    not_counted: tuple[tuple[str, str, str], ...]


HISTORY = (
    PastCycle(
        2011, 174_478, 153_871, None,
        ("Kaoru Shimizu", "清水 薫", "Chair, CSR Awards Committee", "CSR表彰委員会 委員長"),
        {"grand_japan": "yodo", "grand_overseas": "coding_london"},
        (("cleanup_day", 52_000), ("collection", 36_000), ("ecocap", 31_000), ("blood", 7_200),
         ("galileo", 900), ("tama", 2_400), ("festival", 3_100), ("satoyama", 1_600), ("teganuma", 1_900),
         ("programming", 450), ("care_homes", 1_700), ("yodo", 2_600), ("braille", 380), ("hirose", 1_100),
         ("aso", 800), ("parasports", 1_300),
         ("coding_london", 260), ("thames", 900), ("foodbank", 3_400), ("bees", 450), ("mangrove", 600),
         ("desert", 700), ("digital_women", 350), ("kitchen_garden", 500), ("bushcare", 550), ("christmas", 2_900)),
        (("stem_mentoring", "withdrawn", "The mentoring year was postponed; we will nominate it next year."),
         ("elliot", "draft", "")),
    ),
    PastCycle(
        2012, 132_075, 128_783, None,
        ("Kaoru Shimizu", "清水 薫", "Chair, CSR Awards Committee", "CSR表彰委員会 委員長"),
        {"grand_japan": "debris", "grand_overseas": "mangrove"},
        (("cleanup_day", 34_000), ("collection", 27_000), ("ecocap", 24_000), ("blood", 6_100),
         ("galileo", 950), ("it_mothers", 300), ("tama", 2_200), ("satoyama", 1_500), ("teganuma", 1_700),
         ("care_homes", 1_600), ("yodo", 2_300), ("relief_bazaar", 6_500), ("debris", 7_800),
         ("fukkoichi_launch", 1_900), ("aso", 750), ("parasports", 1_200),
         ("coding_london", 280), ("foodbank", 3_100), ("stem_mentoring", 120), ("bees", 480),
         ("christmas", 2_600), ("mangrove", 650), ("reading", 300), ("desert", 720), ("rural_schools", 260),
         ("digital_women", 380), ("japan_relief", 1_900), ("atlantic", 520)),
        (("braille", "withdrawn", "製作が年度内に終わらなかったため、来年度に応募します。"),
         ("elliot", "draft", "")),
    ),
    PastCycle(
        2013, 127_407, 124_861, 8_425,
        ("Masato Ueda", "上田 正人", "Chair, CSR Awards Committee", "CSR表彰委員会 委員長"),
        {"grand_japan": "fukkoichi", "grand_overseas": "kitchen_garden"},
        (("cleanup_day", 38_000), ("collection", 26_000), ("ecocap", 23_000), ("blood", 5_800),
         ("galileo", 1_000), ("it_mothers", 350), ("volleyball", 160), ("tama", 1_500), ("watching", 120),
         ("satoyama", 1_100), ("teganuma", 1_300), ("programming", 500), ("care_homes", 1_700),
         ("yodo", 1_900), ("braille", 400), ("fukkoichi", 2_600), ("herb_garden", 450), ("aso", 600),
         ("parasports", 1_300),
         ("coding_london", 300), ("thames", 950), ("foodbank", 3_200), ("bees", 420), ("mangrove", 520),
         ("desert", 610), ("rural_schools", 280), ("digital_women", 420), ("elliot", 1_400),
         ("kitchen_garden", 650), ("atlantic", 450), ("bushcare", 500)),
        (("festival", "draft", ""),
         ("fun_run", "withdrawn", "The run was cancelled because of the weather."),
         ("christmas", "ineligible", "Ruled out: the parcels were paid from the office budget, so this was a donation rather than volunteering.")),
    ),
)


# --- the programme's record: every activity of every site ---------------------------------------
#
# The past cycles' figures above are the whole programme's: every activity of every site, of which
# the nominations are a few. The nominated activities carry realistic figures (NOMINATED_SCALE of
# the rough participants above); the rest of each year's published totals is spread, by a seeded
# generator (build.py), over a few hundred activities of every site, which the admin imports from
# the sites' spreadsheets after the year closes.

NOMINATED_SCALE = 1 / 15
ACTIVITIES_PER_YEAR = 300

# Offices that report their activities through the programme office (no account of their own):
# code, name (en), name (ja), country, the first fiscal year in which they took part.
REPORTING_SITES = [
    ("FR-PARIS", "France Office, Paris", "フランス・オフィス（パリ）", "FR", 2011),
    ("NL-AMSTERDAM", "Benelux Office, Amsterdam", "ベネルクス・オフィス（アムステルダム）", "NL", 2011),
    ("TH-BANGKOK", "Thailand Plant, Bangkok", "タイ工場（バンコク）", "TH", 2011),
    ("MY-PENANG", "Malaysia Plant, Penang", "マレーシア工場（ペナン）", "MY", 2011),
    ("KR-SEOUL", "Korea Office, Seoul", "韓国オフィス（ソウル）", "KR", 2011),
    ("TW-TAIPEI", "Taiwan Office, Taipei", "台湾オフィス（台北）", "TW", 2012),
    ("ID-JAKARTA", "Indonesia Office, Jakarta", "インドネシア・オフィス（ジャカルタ）", "ID", 2013),
    ("MX-MEXICO", "Mexico Office, Mexico City", "メキシコ・オフィス（メキシコシティ）", "MX", 2013),
]

# Everyday activities the generator draws from: theme, biodiversity, Japanese title, English title,
# and how many days they take (1: a one-day event).
EVERYDAY_ACTIVITIES = [
    ("nature", False, "事業所周辺の清掃活動", "Clean-up around the site", 1),
    ("nature", True, "河川の外来植物の駆除", "Removing invasive plants along the river", 1),
    ("nature", True, "里山の下草刈りと植樹", "Undergrowth clearing and tree planting in the satoyama", 2),
    ("nature", False, "海岸のごみ拾い", "Beach litter pick", 1),
    ("nature", True, "干潟の生きもの調査", "Survey of tidal-flat wildlife", 1),
    ("nature", False, "エコキャップ回収", "Bottle-cap collection for vaccines", 1),
    ("education", False, "小学校への出前授業", "Science class at a primary school", 1),
    ("education", False, "中学生の職場体験受け入れ", "Work experience for junior high school pupils", 3),
    ("education", False, "高齢者向けパソコン教室", "Computer class for senior citizens", 1),
    ("education", True, "親子自然観察会", "Nature walk for parents and children", 1),
    ("community", False, "献血の呼びかけ", "Blood donation drive", 1),
    ("community", False, "地域の祭りの運営支援", "Helping to run the local festival", 2),
    ("community", False, "フードバンクでの仕分け", "Sorting at the food bank", 1),
    ("community", False, "福祉施設の訪問", "Visit to a care home", 1),
    ("community", False, "チャリティーラン", "Charity run", 1),
]

# The current year so far: activities sites have typed in (site, month, index into EVERYDAY_ACTIVITIES,
# participants, hours).
CURRENT_ACTIVITIES = [
    ("TOKYO-HQ", 4, 0, 85, "170"), ("TOKYO-HQ", 6, 10, 42, "63"), ("TAMAGAWA", 5, 1, 36, "108"),
    ("FUCHU", 6, 6, 12, "36"), ("ABIKO", 7, 4, 28, "84"), ("SAGAMIHARA", 8, 11, 140, "420"),
    ("KANSAI", 5, 12, 22, "66"), ("TOHOKU", 9, 2, 31, "124"), ("KYUSHU", 10, 3, 55, "110"),
    ("US-NY", 9, 12, 18, "54"), ("UK-LONDON", 6, 6, 9, "27"), ("DE-DUSSELDORF", 10, 14, 40, "80"),
    ("SG", 7, 3, 26, "52"), ("CN-BEIJING", 5, 13, 15, "45"), ("IN-CHENNAI", 11, 7, 20, "60"),
    ("BR-SAOPAULO", 8, 0, 33, "66"), ("AU-SYDNEY", 9, 2, 24, "96"),
]
