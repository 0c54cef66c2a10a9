"""Journeys through a whole awards year in a real browser, in the order the year runs.

They share one server and its demo data (the current fiscal year's cycle, open for nominations),
so each journey starts where the one before it left off: a site nominates, the admin opens the
judging, a judge scores, the admin decides the Grand Awards and issues the certificates.
"""
import re
from datetime import date, timedelta

from PIL import Image
from playwright.sync_api import expect

from awards_app.cycles.fiscal import fiscal_year_bounds, fiscal_year_of
from awards_app.demo.data import SITES
from tests.conftest import PDF_BYTES


def in_this_fiscal_year(days: int) -> str:
    """A day of the demo's current cycle (the fiscal year that holds today), as a date field takes it."""
    start, _end = fiscal_year_bounds(fiscal_year_of(date.today()))
    return (start + timedelta(days=days)).isoformat()


def photo(tmp_path, name: str = "植樹の様子.jpg", width: int = 640):
    path = tmp_path / name
    Image.new("RGB", (width, 480), (40, 140, 60)).save(path, "JPEG")
    return path


def test_submitter_nominates_in_japanese(visitor, tmp_path):
    tokyo = visitor("submitter.tokyo@example.com")
    page = tokyo.page
    expect(page.get_by_role("heading", level=1)).to_have_text("拠点の応募")
    with tokyo.navigation():
        page.get_by_role("link", name=re.compile("新規応募")).click()

    page.get_by_label("日本語").check()
    page.get_by_label("活動の題名").fill("里山の竹林整備と子ども自然教室")
    page.get_by_label("自然").check()
    page.get_by_label("概要").fill("社員と家族が月に一度、荒れた竹林を整備し、地域の子どもたちと自然観察会を開いた。")
    # The photos and a PDF go with the new nomination's first save.
    report = tmp_path / "活動報告書.pdf"
    report.write_bytes(PDF_BYTES)
    page.get_by_label("写真（JPEG・PNG）と資料（PDF）").set_input_files(
        [photo(tmp_path), photo(tmp_path, "竹林.jpg", width=320), report])
    with tokyo.navigation():
        page.get_by_role("button", name="下書き保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("下書き")
    expect(page.get_by_role("heading", name=re.compile("写真・資料"))).to_contain_text("3 / 10")
    expect(page.get_by_role("img", name=re.compile("植樹の様子"))).to_be_visible()
    # The photo opens in the viewer on the page, not as a download; Esc closes it.
    page.get_by_role("img", name=re.compile("植樹の様子")).click()
    expect(page.get_by_role("dialog", name="植樹の様子.jpg")).to_be_visible()
    viewer = page.locator("#viewer")  # (named after the photo it shows)
    expect(viewer).to_contain_text("写真 1 / 2")
    expect(viewer.get_by_role("img", name="植樹の様子.jpg")).to_be_visible()
    assert viewer.get_by_role("img").evaluate("image => image.decode().then(() => image.naturalWidth)") == 640
    viewer.get_by_role("button", name="次へ").click()  # next, previous (buttons or arrow keys), round the ends
    expect(viewer.get_by_role("img", name="竹林.jpg")).to_be_visible()
    expect(viewer).to_contain_text("写真 2 / 2")
    page.keyboard.press("ArrowRight")
    expect(viewer).to_contain_text("写真 1 / 2")
    page.keyboard.press("ArrowLeft")
    expect(viewer.get_by_role("img", name="竹林.jpg")).to_be_visible()
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    tokyo.check()  # still the same page, and still clean

    # The PDF opens in a tab of its own, shown by the browser, under the downloads' sandbox.
    pdf_link = page.get_by_role("link", name="活動報告書.pdf （新しいタブで開きます）", exact=True)
    expect(pdf_link).to_have_attribute("target", "_blank")
    shown = page.request.get(tokyo.base_url + pdf_link.get_attribute("href"))
    assert shown.status == 200 and shown.body() == PDF_BYTES
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline")
    assert "sandbox" in shown.headers["content-security-policy"]
    assert shown.headers["x-content-type-options"] == "nosniff"

    # Finish the form; a mistake is caught beside its field and everything typed stays.
    with tokyo.navigation():
        page.get_by_role("link", name="編集").click()
    page.get_by_label("活動の詳細").fill("5月から毎月第2土曜日に実施。延べ12回。")
    page.get_by_label("開始日").fill(in_this_fiscal_year(38))
    page.get_by_label("終了日").fill(in_this_fiscal_year(0))  # before the start
    page.get_by_label("参加者数").fill("-3")
    page.get_by_label("ボランティア時間（合計）").fill("180.5")
    page.get_by_label("成果と効果").fill("竹林1.2ヘクタールを整備し、子ども延べ240人が参加した。")
    page.get_by_label("事業との関連性").fill("当社の木材事業の森林管理の知見を生かした。")
    page.get_by_label("活動の継続性").fill("地元の自治会と5年間の協定を結んだ。")
    page.get_by_label("企画の新規性").fill("竹を粉砕して畑の土壌改良材として地域の農家に配った。")
    with tokyo.navigation():
        page.get_by_role("button", name="提出").click()
    expect(page.locator("#end_date ~ .invalid-feedback, #end_date + .invalid-feedback")).to_be_visible()
    expect(page.locator("#participants ~ .invalid-feedback, #participants + .invalid-feedback")).to_be_visible()
    expect(page.get_by_label("活動の題名")).to_have_value("里山の竹林整備と子ども自然教室")
    expect(page.get_by_label("企画の新規性")).to_have_value("竹を粉砕して畑の土壌改良材として地域の農家に配った。")
    expect(page.get_by_label("ボランティア時間（合計）")).to_have_value("180.5")

    # The refused submission kept the rest as a draft: opening the form again loses nothing.
    edit_path = page.url.removeprefix(tokyo.base_url)
    expect(page.get_by_role("alert").first).to_contain_text("下書きに保存しました")
    tokyo.goto(edit_path)
    expect(page.get_by_label("企画の新規性")).to_have_value("竹を粉砕して畑の土壌改良材として地域の農家に配った。")
    expect(page.get_by_label("ボランティア時間（合計）")).to_have_value("180.5")
    page.get_by_label("開始日").fill(in_this_fiscal_year(38))
    page.get_by_label("終了日").fill(in_this_fiscal_year(192))
    page.get_by_label("参加者数").fill("64")
    with tokyo.navigation():
        page.get_by_role("button", name="提出").click()
    expect(page.get_by_role("alert").first).to_contain_text("応募を提出しました")
    expect(page.locator(".badge", has_text="提出済み").first).to_be_visible()


def test_site_form_saves_its_draft_while_typing(visitor):
    london = visitor("submitter.london@example.com")  # English
    page = london.page
    page.clock.install()  # the form saves at most every 30 s: the test moves the page's clock on
    with london.navigation():
        page.get_by_role("link", name=re.compile("New nomination")).first.click()
    new_form = page.url
    page.get_by_label("Title of the activity").fill("Beach clean-up on the Thames foreshore")
    page.get_by_label("Summary").fill("Volunteers picked litter from the foreshore at low tide.")
    status = page.get_by_role("status")
    expect(status).to_have_text("")
    with page.expect_response(lambda response: response.url.endswith("/autosave")):
        page.clock.fast_forward(31_000)
    expect(status).to_contain_text(re.compile(r"Draft saved at \d{1,2}:\d{2}(\s[AP]M)?\."))
    expect(page).to_have_url(re.compile(r"/nominations/\d+/edit$"))
    assert page.url != new_form
    page.get_by_label("Outcomes and impact").fill("Two tonnes of litter removed.")
    with page.expect_response(lambda response: response.url.endswith("/autosave")) as saved:
        page.clock.fast_forward(31_000)
    assert saved.value.status == 200
    expect(status).to_contain_text(re.compile(r"Draft saved at .*\d\d"))
    expect(page.get_by_role("alert")).to_have_count(0)  # nothing was submitted or flashed

    # Reloading loses nothing, and it is still a draft.
    london.goto(page.url.removeprefix(london.base_url))
    expect(page.get_by_label("Title of the activity")).to_have_value("Beach clean-up on the Thames foreshore")
    expect(page.get_by_label("Outcomes and impact")).to_have_value("Two tonnes of litter removed.")
    expect(page.locator(".badge-status-draft").first).to_be_visible()


def test_admin_switches_to_english_and_opens_the_judging(visitor):
    admin = visitor("admin@example.com")  # the account is in Japanese
    page = admin.page
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    with admin.navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with admin.navigation():
        page.get_by_role("link", name="Cycles", exact=True).click()
    with admin.navigation():
        page.get_by_role("link", name=re.compile(r"FY20\d\d")).first.click()
    # Dates as a British reader writes them (the browser says en-GB; the account names no region),
    # the zone named as in Japanese, the fiscal year's full period.
    facts = page.locator("#facts-heading + dl")
    expect(facts).to_contain_text(re.compile(r"\b\d{1,2} [A-Z][a-z]{2} 20\d\d, \d\d:\d\d JST"))
    expect(facts).not_to_contain_text(re.compile(r"\d{1,2}/\d{1,2}/\d{2}"))
    expect(facts).to_contain_text(re.compile(r"1 April 20\d\d – 31 March 20\d\d"))
    with admin.navigation():
        page.get_by_role("button", name="Close nominations and start judging").click()
    assert "judging" in admin.dialogs[-1].lower()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Judging")

    with admin.navigation():
        page.get_by_role("link", name="Judges and assignments", exact=True).click()
    with admin.navigation():
        page.get_by_role("button", name="Assign both regions automatically").click()
    expect(page.get_by_role("alert").first).to_contain_text(re.compile("assign", re.I))

    # The choice is saved on the account: the next page, and the next login, stay in English.
    with admin.navigation():
        page.get_by_role("link", name="Cycles", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_judge_scores_in_english(visitor):
    judge = visitor("judge6@example.com")  # on both panels, so the queue holds both regions
    page = judge.page
    with judge.navigation():
        page.get_by_role("link", name="Judging", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My judging queue")
    to_score = page.get_by_role("region", name=re.compile("^To do")).get_by_role("link")
    assert to_score.count() >= 4, "the automatic assignment gave this judge nominations"
    with judge.navigation():
        to_score.first.click()

    # Score every nomination with "Save and next". The first of each region gets full marks and
    # every later one less, so each region's ranking has one clear leader.
    # The first is scored by keyboard: a digit scores the criterion that has the focus, Ctrl+Enter
    # saves and goes to the next, as the help on the page says.
    seen_regions = set()
    scored = 0
    seen_photo = False
    while True:
        site_line = page.locator(".page-header + p").inner_text()  # "site · country · FY"
        region = "japan" if " · Japan · " in site_line else "overseas"
        groups = page.get_by_role("radiogroup")
        assert groups.count() == 3
        page.locator("details summary", has_text="Rubric").first.click()
        expect(page.locator("details[open] dl").first).to_be_visible()
        if page.get_by_role("link", name="植樹の様子.jpg", exact=True).count():  # the Japanese site's photo, read here
            seen_photo = True
            page.get_by_role("link", name="植樹の様子.jpg", exact=True).click()
            viewer = page.get_by_role("dialog", name="植樹の様子.jpg")
            expect(viewer).to_be_visible()
            viewer.get_by_role("button", name="Close").click()
            expect(viewer).to_be_hidden()
            assert "/judging/" in page.url
        for number in range(groups.count()):
            labels = groups.nth(number).locator("label")
            if scored == 0:
                groups.nth(number).locator("input").first.focus()
                page.keyboard.press(labels.last.inner_text())
                expect(groups.nth(number).locator("input").last).to_be_checked()
            elif region in seen_regions:
                labels.nth(max(0, labels.count() - 2 - (scored + number) % 3)).click()
            else:
                labels.last.click()
        seen_regions.add(region)
        page.get_by_label("Overall comment").fill(f"Clear goals and good partners ({scored + 1}).")
        scored += 1
        if scored == 1:
            page.locator("#keyboard-help summary").click()
            expect(page.locator("#keyboard-help")).to_contain_text("Ctrl+Enter: save and go to the next nomination.")
            first = page.url
            with judge.navigation():
                page.get_by_label("Overall comment").press("Control+Enter")
            expect(page.get_by_role("alert").first).to_contain_text("Your draft has been saved.")
            assert page.url != first
            continue
        with judge.navigation():
            page.get_by_role("button", name="Save and next").click()
        if "/judging/" not in page.url or page.get_by_role("radiogroup").count() == 0:
            break
        if page.locator("input[type=radio]:checked").count():  # back at one already scored
            break
    assert seen_regions == {"japan", "overseas"}
    assert seen_photo, "the Japanese site's nomination (TOKYO-HQ) went to this judge, who read its photo"

    # Submit each one from the queue.
    with judge.navigation():
        page.get_by_role("link", name="Judging", exact=True).click()
    submitted = 0
    while (in_progress := page.get_by_role("region", name=re.compile("^In progress")).get_by_role("link")).count():
        with judge.navigation():
            in_progress.first.click()
        with judge.navigation():
            page.get_by_role("button", name="Submit").click()
        assert "cannot change" in judge.dialogs[-1]
        submitted += 1
        with judge.navigation():
            page.get_by_role("link", name="Judging", exact=True).click()
    assert submitted == scored


def test_judge_abstains_in_japanese(visitor):
    judge = visitor("judge1@example.com")  # Japanese; Japan's panel
    page = judge.page
    with judge.navigation():  # a judge's "nominations" are their queue
        page.goto(judge.url("/nominations"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("採点一覧")
    with judge.navigation():
        page.get_by_role("region", name=re.compile("^未着手")).get_by_role("link").first.click()
    page.get_by_label("この応募の採点を棄権する").check()
    page.get_by_label("棄権の理由").fill("応募チームのメンバーを個人的に知っているため。")
    with judge.navigation():
        page.get_by_role("button", name="提出", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("この応募の採点を棄権しました。")
    with judge.navigation():
        page.get_by_role("link", name="審査", exact=True).click()
    expect(page.locator("main")).to_contain_text("（うち棄権1件）")
    expect(page.get_by_role("region", name=re.compile("^提出済み"))).to_contain_text("棄権しました")


def score_final_round(judge, *, submit: str, save: str, queue: str, to_do: str, in_progress: str,
                      round_title: str) -> int:
    """The judge scores every nomination of their queue's final round (each criterion its
    second-best mark, so both judges agree) and submits each one; returns how many."""
    page = judge.page
    with judge.navigation():
        page.get_by_role("link", name=queue, exact=True).click()
    # The queue names each line's round: the final round's lines come first.
    waiting = page.get_by_role("region", name=re.compile(f"^{to_do}")).get_by_role("link").filter(has_text=round_title)
    count = waiting.count()
    for _ in range(count):
        with judge.navigation():
            waiting.first.click()
        groups = page.get_by_role("radiogroup")
        for number in range(groups.count()):
            labels = groups.nth(number).locator("label")
            labels.nth(labels.count() - 2).click()
        with judge.navigation():
            page.get_by_role("button", name=save).click()
        with judge.navigation():
            page.get_by_role("link", name=queue, exact=True).click()
    while (started := page.get_by_role("region", name=re.compile(f"^{in_progress}")).get_by_role("link")).count():
        with judge.navigation():
            started.first.click()
        with judge.navigation():
            page.get_by_role("button", name=submit, exact=True).click()
        with judge.navigation():
            page.get_by_role("link", name=queue, exact=True).click()
    return count


def test_two_rounds_in_japanese(visitor):
    """The admin, back in Japanese, closes the regional round, promotes each region's leader to the
    final panel and assigns it; the final panel (judge3 in Japanese, judge6 in English) scores the
    shortlist; the admin closes the final round. The awards are decided from it (next journey)."""
    admin = visitor("admin@example.com")  # English since the switch above
    page = admin.page
    with admin.navigation():
        page.get_by_role("button", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    with admin.navigation():
        page.get_by_role("link", name="年度", exact=True).click()
    with admin.navigation():
        page.get_by_role("link", name=re.compile(r"20\d\d年度")).first.click()
    cycle_page = page.url

    with admin.navigation():
        page.get_by_role("link", name="ランキング", exact=True).click()
    for region in ("国内", "海外"):
        with admin.navigation():
            page.get_by_role("link", name=region, exact=True).click()
        ranked = page.locator("table tbody tr")
        assert ranked.count() >= 2
        expect(ranked.first).to_contain_text("1")

    # The first round is still open (deadline ahead, sheets missing): the admin closes it with a
    # reason; the dialog comes only once the reason is typed.
    with admin.navigation():
        page.get_by_role("link", name="審査員の進捗", exact=True).click()
    page.get_by_label(re.compile("^理由")).fill("明日の委員会に間に合わせるため、未提出の評価は待ちません。")
    with admin.navigation():
        page.get_by_role("button", name="審査を締め切る").click()
    expect(page.locator("#close")).to_contain_text("明日の委員会に間に合わせるため")

    # Each region's leader goes to the final panel, which is assigned automatically.
    with admin.navigation():
        page.get_by_role("link", name="審査ラウンド", exact=True).click()
    final = page.get_by_role("region", name=re.compile("^第2次審査"))
    final.get_by_label(re.compile("^地域ごとの応募数")).fill("1")
    with admin.navigation():
        final.get_by_role("button", name="各地域の上位を選出").click()
    expect(page.get_by_role("alert").first).to_contain_text("選出")
    final = page.get_by_role("region", name=re.compile("^第2次審査"))
    expect(final.get_by_role("listitem")).to_have_count(2)
    with admin.navigation():
        final.get_by_role("link", name="割り当て").click()
    with admin.navigation():
        page.get_by_role("button", name="国内・海外をまとめて自動で割り当て").click()
    expect(page.get_by_role("alert").first).to_contain_text("割り当て")

    # The final panel scores the shortlist: two judges per nomination, each in their language.
    japanese = score_final_round(visitor("judge3@example.com"), submit="提出", save="保存して次へ",
                                 queue="審査", to_do="未着手", in_progress="採点中", round_title="第2次審査")
    english = score_final_round(visitor("judge6@example.com"), submit="Submit", save="Save and next",
                                queue="Judging", to_do="To do", in_progress="In progress", round_title="Round 2")
    assert japanese == english == 2

    # The final round deliberates: once both have submitted, judge3 reads judge6's sheet, writes to
    # the panel and revises a score with a reason, which the panel and the admins see.
    judge = visitor("judge3@example.com")
    with judge.navigation():
        judge.page.get_by_role("link", name="審査", exact=True).click()
    with judge.navigation():
        judge.page.get_by_role("region", name=re.compile("^提出済み")).get_by_role("link").filter(
            has_text="第2次審査").first.click()
    deliberation = judge.page.get_by_role("region", name="合議")
    expect(deliberation.locator("table")).to_contain_text("Daniel Becker")
    deliberation.get_by_label(re.compile("^審査員団へのメッセージ")).fill("事業との関連性は私の評価が低すぎたと思います。")
    with judge.navigation():
        deliberation.get_by_role("button", name="投稿").click()
    expect(judge.page.get_by_role("region", name="合議")).to_contain_text("事業との関連性は私の評価が低すぎたと思います。")
    first = judge.page.get_by_role("radiogroup").first.locator("label")
    first.nth(first.count() - 1).click()
    judge.page.get_by_label(re.compile("^評点を修正する理由")).fill("話し合いを踏まえ、事業との関連性を見直しました。")
    with judge.navigation():
        judge.page.get_by_role("button", name="評点を修正").click()
    expect(judge.page.get_by_role("alert").first).to_contain_text("1件の評点の修正を理由とともに記録しました。")
    expect(judge.page.locator("#panel-revisions")).to_contain_text("話し合いを踏まえ、事業との関連性を見直しました。")

    # The final round's ranking has both reviews of each nomination and marks the revised one; the
    # admin closes the round.
    admin.goto(cycle_page.removeprefix(admin.base_url))
    with admin.navigation():
        page.get_by_role("link", name="ランキング", exact=True).click()
    marked = 0
    for region in ("国内", "海外"):
        with admin.navigation():
            page.get_by_role("link", name=region, exact=True).click()
        expect(page.locator("table tbody tr").first).to_be_visible()
        marked += page.locator("main table").get_by_text("合議で修正").count()
    assert marked == 1
    admin.goto(cycle_page.removeprefix(admin.base_url))
    with admin.navigation():
        page.get_by_role("link", name="審査員の進捗", exact=True).click()
    expect(page.locator("main")).to_contain_text("第2次審査")
    page.get_by_label(re.compile("^理由")).fill("最終審査の全員が提出しました。")
    with admin.navigation():
        page.get_by_role("button", name="審査を締め切る").click()
    expect(page.locator("#close")).to_contain_text("最終審査の全員が提出しました。")
    with admin.navigation():
        page.get_by_role("button", name="English").click()  # the next journeys read English


def test_admin_decides_the_grand_awards_and_issues_certificates(visitor):
    admin = visitor("admin@example.com")  # English since the language switch above
    page = admin.page
    with admin.navigation():
        page.get_by_role("link", name="Cycles", exact=True).click()
    with admin.navigation():
        page.get_by_role("link", name=re.compile(r"FY20\d\d")).first.click()
    cycle_page = page.url
    with admin.navigation():
        page.get_by_role("link", name="Awards", exact=True).click()
    winners = []
    for index in range(2):  # one Grand Award in Japan, one overseas
        # Each finalist has its two reviews from the final round, whose ranking proposes one per
        # region (the leader of the regional round): the admin confirms the proposal.
        section = page.locator("section[id^='award-']").nth(index)
        expect(section).to_contain_text("The proposal follows the ranking of Round 2")
        confirm = section.get_by_role("button", name=re.compile("^Confirm “"))
        winners.append(confirm.inner_text().removeprefix("Confirm “").removesuffix("”"))
        with admin.navigation():
            confirm.click()
    expect(page.locator("[data-decision=decided]")).to_have_count(2)
    page.get_by_label(re.compile("I have checked the decisions")).check()
    with admin.navigation():
        page.get_by_role("button", name="Finalise the results").click()
    assert "cannot be undone" in admin.dialogs[-1]
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results final")

    admin.goto(cycle_page.removeprefix(admin.base_url))
    with admin.navigation():
        page.get_by_role("link", name="Certificates", exact=True).click()
    with admin.navigation():
        page.get_by_role("button", name="Issue certificates").click()
    expect(page.locator("table tbody tr")).to_have_count(2)
    with admin.download() as download:
        page.get_by_role("link", name=re.compile(r"FY20\d\d-0001")).first.click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    assert download.value.suggested_filename.endswith(".pdf")

    admin.goto(cycle_page.removeprefix(admin.base_url))
    with admin.navigation():
        page.get_by_role("link", name="Exports", exact=True).click()
    with admin.download() as download:
        page.get_by_role("link", name=re.compile("results.*CSV|CSV", re.I)).first.click()
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert all(winner in exported for winner in winners), (winners, exported[:500])


def open_certificates(admin):
    """The admin (English) goes from the cycles to the certificates of the first cycle listed."""
    admin.goto("/admin/cycles/")
    page = admin.page
    with admin.navigation():
        page.get_by_role("link", name=re.compile(r"FY20\d\d")).first.click()
    with admin.navigation():
        page.get_by_role("link", name="Certificates", exact=True).click()
    return page


def test_anyone_can_verify_a_certificate(visitor):
    """The QR code on the certificate leads to a public page that says it is genuine."""
    admin = visitor("admin@example.com")
    page = open_certificates(admin)
    verify_link = page.get_by_role("link", name=re.compile("verif", re.I)).first.get_attribute("href")

    stranger = visitor()
    stranger.goto(verify_link.removeprefix(stranger.base_url))
    expect(stranger.page.get_by_role("heading", level=1)).to_be_visible()
    expect(stranger.page.locator("main")).to_contain_text(re.compile("valid|genuine", re.I))


def test_the_winning_site_downloads_its_certificate(visitor):
    """From the outcome panel of its nomination, in its own language, as the certificates package
    allows: the site's submitters (and admins), while the certificate is in force."""
    admin = visitor("admin@example.com")
    page = open_certificates(admin)
    cells = page.locator("table tbody tr").first.locator("td")
    serial, site_name, title = cells.nth(0).inner_text(), cells.nth(2).inner_text(), cells.nth(3).inner_text()
    login = next(site[4] for site in SITES if site[1] == site_name)

    winner = visitor(f"submitter.{login}@example.com")
    with winner.navigation():
        winner.page.get_by_role("link", name=title).first.click()
    link = winner.page.locator("#outcome a[href$='.pdf']")
    expect(link).to_contain_text(serial)
    with winner.download() as download:
        link.click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename.endswith(".pdf")


def test_site_sees_its_outcome_in_japanese(visitor):
    tokyo = visitor("submitter.tokyo@example.com")
    page = tokyo.page
    expect(page.get_by_role("heading", level=2).first).to_contain_text("結果確定")
    with tokyo.navigation():
        page.get_by_role("link", name="里山の竹林整備と子ども自然教室").click()
    expect(page.locator("main")).to_contain_text("Clear goals and good partners")  # the judge's comment, unsigned
    expect(page.locator("main")).not_to_contain_text("Daniel Becker")


def _photo_loaded(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")


def test_anyone_reads_the_public_winners_page_in_english(visitor, tmp_path):
    """The demo's past years are public: no login, both winners with their photo and a
    verification link that leads back to the page."""
    stranger = visitor()
    stranger.goto("/winners")
    page = stranger.page
    with stranger.navigation():
        page.get_by_role("link", name="Winners of FY2013").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Winners · FY2013")
    winners = page.locator("article.winner")
    expect(winners).to_have_count(2)
    expect(winners.first.get_by_role("heading", level=2)).to_have_text("Grand Award (Japan)")
    expect(page.locator("img.winner-photo")).to_have_count(2)
    page.locator("img.winner-photo").last.scroll_into_view_if_needed()
    expect(page.locator("img.winner-photo").first).to_be_visible()
    assert _photo_loaded(page, "article.winner:first-of-type img.winner-photo")
    expect(page.locator("main")).not_to_contain_text("@example.com")
    page.screenshot(path=tmp_path / "winners-en.png", full_page=True)
    with stranger.navigation():
        page.locator("article.winner").first.get_by_role("link", name=re.compile("Verify certificate")).click()
    expect(page.locator("#verify-result")).to_have_attribute("data-status", "valid")
    with stranger.navigation():
        page.locator("#winners-link a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Winners · FY2013")


def test_a_judge_reads_the_winners_page_in_japanese(visitor, tmp_path):
    judge = visitor("judge1@example.com")  # a Japanese account
    page = judge.page
    with judge.navigation():
        page.locator("nav").get_by_role("link", name="受賞者").click()
    with judge.navigation():
        page.locator("#winner-years a").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("article.winner").first.get_by_role("heading", level=2)).to_have_text("大賞（国内）")
    expect(page.locator("form.photo-form")).to_have_count(0)  # only admins choose
    page.screenshot(path=tmp_path / "winners-ja.png", full_page=True)


def test_admin_chooses_a_photo_and_closes_and_reopens_a_winners_page(visitor, tmp_path):
    admin = visitor("admin@example.com")
    admin.goto("/winners/2011")
    page = admin.page
    first = page.locator("article.winner").first
    options = first.locator("input[type=radio]")
    expect(options).to_have_count(3)  # no photo, and the nomination's two photos
    options.nth(2).check()
    with admin.navigation():
        first.get_by_role("button").click()
    # In the admin's language: Japanese, or English once an earlier journey switched it.
    expect(page.get_by_role("alert").first).to_contain_text(re.compile("写真を保存しました|photo .* has been saved"))
    assert page.locator("article.winner").first.locator("input[type=radio]").nth(2).is_checked()
    page.screenshot(path=tmp_path / "winners-admin.png", full_page=True)
    # Logged-in users only: a stranger is asked to log in; public again: they read it.
    page.locator("#winners-visibility input[value=members]").check()
    with admin.navigation():
        page.locator("#winners-visibility button").click()
    stranger = visitor()
    stranger.goto("/winners/2011")
    expect(stranger.page.locator("#email")).to_be_visible()
    page.locator("#winners-visibility input[value=public]").check()
    with admin.navigation():
        page.locator("#winners-visibility button").click()
    stranger.goto("/winners/2011")
    expect(stranger.page.get_by_role("heading", level=1)).to_have_text("Winners · FY2011")


DOWNLOADS = re.compile(r"\.(pdf|zip|csv|xlsx)$|/attachments/\d+(/thumbnail)?$")
DOWNLOADS = re.compile(r"\.(pdf|zip|csv|xlsx)$|/attachments/\d+(/thumbnail|/view)?$")


def crawl(person, limit: int) -> list[str]:
    """Visit every page linked from the home page, then from those, as the person can see them:
    one page per kind of address (ids replaced), downloads and logging out left aside."""
    seen_kinds, visited, queue = set(), [], ["/"]
    while queue and len(visited) < limit:
        path = queue.pop(0)
        kind = re.sub(r"\d+", "N", path.split("#")[0])
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        person.goto(path)
        visited.append(path)
        for href in person.page.eval_on_selector_all("main a[href^='/'], nav a[href^='/']", "links => links.map(a => a.getAttribute('href'))"):
            if not DOWNLOADS.search(href.split("?")[0]) and not href.startswith("/static/"):
                queue.append(href.split("#")[0])
    return visited


def test_every_page_an_admin_reaches_passes_the_checks(visitor):
    visited = crawl(visitor("admin@example.com"), limit=60)
    assert len(visited) >= 25, visited


def test_every_page_an_admin_reaches_passes_the_checks_in_japanese(visitor):
    """The whole crawl again in Japanese: each page also fails on any English from the catalog."""
    admin = visitor("admin@example.com", locale="ja-JP")
    if admin.page.evaluate("document.documentElement.lang") != "ja":  # switched to English above
        with admin.navigation():
            admin.page.get_by_role("button", name="日本語").click()
    expect(admin.page.locator("html")).to_have_attribute("lang", "ja")
    visited = crawl(admin, limit=60)
    assert len(visited) >= 25, visited
    expect(admin.page.locator("html")).to_have_attribute("lang", "ja")


def test_every_page_a_judge_and_a_site_reach_pass_the_checks_in_japanese(visitor):
    for email in ("judge1@example.com", "submitter.kansai@example.com"):  # Japanese accounts
        person = visitor(email)
        visited = crawl(person, limit=30)
        assert len(visited) >= 3, visited
        expect(person.page.locator("html")).to_have_attribute("lang", "ja")


# A header or button whose text is one word (no space) and takes more than one line was broken
# inside the word (審査/数, 加重平/均, 表/示, FY2027-/0001). The host has no Japanese font, so
# Japanese renders as boxes one em wide; where a line breaks is still the browser's own decision.
WRAPPED_INSIDE_A_WORD = """() => [...document.querySelectorAll('main th, main .btn, main .identifier')]
  .filter(e => e.offsetParent !== null)
  .map(e => {
    // The visible text only: a visually hidden label is clipped to one pixel and always "wraps".
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) {
      if (walker.currentNode.textContent.trim() && !walker.currentNode.parentElement.closest('.visually-hidden')) nodes.push(walker.currentNode);
    }
    const text = nodes.map(n => n.textContent).join('').trim();
    if (!text || /\\s/.test(text)) return null;
    const tops = new Set();
    for (const node of nodes) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return tops.size > 1 ? text : null;
  })
  .filter(Boolean)"""


def test_headers_and_buttons_never_break_inside_a_word(visitor, tmp_path_factory):
    """The admin's busiest pages at a desktop and a phone width, in both languages, with
    screenshots left in pytest's temporary folder (layout-<lang>-<width>-<page>.png)."""
    folder = tmp_path_factory.mktemp("layout")
    admin = visitor("admin@example.com", locale="ja-JP")
    admin.goto("/admin/cycles")
    cycle = admin.page.eval_on_selector_all(
        "main a[href^='/admin/cycles/']", "links => links.map(a => a.getAttribute('href'))")
    cycle = next(href for href in cycle if re.fullmatch(r"/admin/cycles/\d+", href))
    pages = {"ranking": f"{cycle}/ranking?region=japan", "certificates": f"{cycle}/certificates",
             "progress": f"{cycle}/progress", "assignments": f"{cycle}/assignments", "activities": "/activities/",
             "cycle": cycle}
    broken = []
    for language, button in (("ja", "日本語"), ("en", "English")):
        admin.page.set_viewport_size({"width": 1280, "height": 900})  # the switch is in the expanded menu
        if admin.page.evaluate("document.documentElement.lang") != language:
            with admin.navigation():
                admin.page.get_by_role("button", name=button).click()
        for width in (1280, 390):
            admin.page.set_viewport_size({"width": width, "height": 900})
            for name, path in pages.items():
                admin.goto(path)
                admin.page.screenshot(path=folder / f"layout-{language}-{width}-{name}.png", full_page=True)
                broken += [f"{language} {width}px {name}: {text}" for text in admin.page.evaluate(WRAPPED_INSIDE_A_WORD)]
                overflow = admin.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 0:  # only a table may scroll sideways, inside its wrapper
                    broken.append(f"{language} {width}px {name}: the page is {overflow}px wider than the screen")
    assert not broken, "\n".join(broken)


def test_error_pages_pass_the_checks(visitor):
    judge = visitor("judge2@example.com")
    judge.goto("/admin/users")  # 403
    expect(judge.page.get_by_role("heading", level=1)).to_be_visible()
    judge.goto("/no-such-page")  # 404
    expect(judge.page.get_by_role("heading", level=1)).to_be_visible()
    stranger = visitor()
    stranger.goto("/login")
    stranger.page.locator("#email").fill("judge2@example.com")
    stranger.page.locator("#password").fill("not the password")
    with stranger.navigation():
        stranger.page.locator("#password").press("Enter")
    expect(stranger.page.get_by_role("alert").first).to_be_visible()
    expect(stranger.page.locator("#email")).to_have_value("judge2@example.com")


def test_every_page_visited_is_valid_html(html_errors, report):
    assert len(report.pages) >= 20, "the journeys above ran first and kept their pages"
    errors = html_errors()
    assert not errors, "\n".join(errors)
