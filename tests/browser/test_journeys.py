"""Journeys through a whole awards year in a real browser, in the order the year runs.

They share one server and its demo data (the current fiscal year's cycle, open for nominations),
so each journey starts where the one before it left off: a site nominates, the admin opens the
judging, a judge scores, the admin decides the Grand Awards and issues the certificates.
"""
import re

from PIL import Image
from playwright.sync_api import expect


def photo(tmp_path):
    path = tmp_path / "植樹の様子.jpg"
    Image.new("RGB", (640, 480), (40, 140, 60)).save(path, "JPEG")
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
    with tokyo.navigation():
        page.get_by_role("button", name="下書き保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("下書き")

    page.get_by_label("写真（JPEG・PNG）または資料（PDF）").set_input_files(photo(tmp_path))
    with tokyo.navigation():
        page.get_by_role("button", name="アップロード").click()
    expect(page.get_by_role("heading", name=re.compile("写真・資料"))).to_contain_text("1 / 10")
    expect(page.get_by_role("img", name=re.compile("植樹の様子"))).to_be_visible()

    # Finish the form; a mistake is caught beside its field and everything typed stays.
    with tokyo.navigation():
        page.get_by_role("link", name="編集").click()
    page.get_by_label("活動の詳細").fill("2026年5月から毎月第2土曜日に実施。延べ12回。")
    page.get_by_label("開始日").fill("2026-05-09")
    page.get_by_label("終了日").fill("2026-04-01")
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

    page.get_by_label("終了日").fill("2026-10-10")
    page.get_by_label("参加者数").fill("64")
    with tokyo.navigation():
        page.get_by_role("button", name="提出").click()
    expect(page.get_by_role("alert").first).to_contain_text("応募を提出しました")
    expect(page.locator(".badge", has_text="提出済み").first).to_be_visible()
