"""The exports page and downloads, for every role."""
from __future__ import annotations

import pytest
from core.support import Page, is_layout_page

from .conftest import JAPANESE_TITLE, csv_records, open_workbook, read_zip

ROLES = ("anonymous", "submitter", "judge", "admin")
DOWNLOADS = [(kind, fmt) for kind in ("nominations", "scores", "results") for fmt in ("csv", "xlsx")]
PATHS = ["/admin/cycles/{cycle}/exports"] + [f"/admin/cycles/{{cycle}}/exports/{k}.{f}" for k, f in DOWNLOADS]
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


@pytest.fixture
def people(world, make_user):
    return {
        "anonymous": None,
        "submitter": world.submitter,
        "judge": world.judge,
        "admin": world.admin,
    }


def open_as(login, people, role, path):
    return login(people[role]).get(path)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PATHS)
def test_routes_answer_each_role(login, world, people, role, path):
    response = open_as(login, people, role, path.format(cycle=world.cycle.id))
    expected = {"anonymous": 302, "submitter": 403, "judge": 403, "admin": 200}[role]
    assert response.status_code == expected
    if role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")
    if expected == 200 and path.endswith("/exports"):
        assert Page(response).find("h1").text == "Exports · FY2013"
    elif expected == 200:
        kind, fmt = path.rsplit("/", 1)[1].split(".")
        assert f"mdd-awards-FY2013-{kind}." in response.headers["Content-Disposition"]
        assert response.get_data()  # a file with something in it
    if expected == 403:
        page = Page(response)
        assert is_layout_page(page) and page.find("p", class_="display-6").text == "403"
        assert JAPANESE_TITLE not in page.html and "judge1@example.com" not in page.html


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PATHS)
def test_unknown_cycle(login, world, people, role, path):
    response = open_as(login, people, role, path.format(cycle=999999))
    assert response.status_code == {"anonymous": 302, "submitter": 403, "judge": 403, "admin": 404}[role]
    if role == "admin":
        assert is_layout_page(Page(response))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ["bogus.csv", "results.pdf", "results", "results.csv.exe"])
def test_unknown_export_or_format_is_not_found(login, world, people, role, suffix):
    response = open_as(login, people, role, f"/admin/cycles/{world.cycle.id}/exports/{suffix}")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_downloads_refuse_post(login, world, people, role):
    assert login(people[role]).post(f"/admin/cycles/{world.cycle.id}/exports/results.xlsx").status_code == 405


def test_page_lists_the_three_exports_in_both_formats(client, login, world):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/exports"))
    assert is_layout_page(page)
    assert page.find("h1").text == "Exports · FY2013"
    links = {a.get("href"): a.get("download") for a in page.find_all("a") if "/exports/" in (a.get("href") or "")}
    assert links == {
        f"/admin/cycles/{world.cycle.id}/exports/{kind}.{fmt}":
            f"mdd-awards-FY2013-{kind}.{'zip' if (kind, fmt) == ('results', 'csv') else fmt}"
        for kind, fmt in DOWNLOADS
    }
    for kind in ("nominations", "scores", "results"):
        assert page.by_id(f"export-{kind}") is not None
    assert "flask --app awards_app export results --cycle FY2013" in page.main_text


@pytest.mark.parametrize("kind, fmt", DOWNLOADS)
def test_download_is_an_attachment_with_its_file_name(client, login, world, kind, fmt):
    login(world.admin)
    response = client.get(f"/admin/cycles/{world.cycle.id}/exports/{kind}.{fmt}")
    extension = "zip" if (kind, fmt) == ("results", "csv") else fmt
    assert response.headers["Content-Disposition"] == f'attachment; filename="mdd-awards-FY2013-{kind}.{extension}"'
    assert response.headers["Content-Type"] == MIMETYPES[extension]
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_data()
    if extension == "csv":
        assert data.startswith(b"\xef\xbb\xbf") and JAPANESE_TITLE in data.decode("utf-8-sig")
    elif extension == "zip":
        files = read_zip(data)
        assert len(files) == 9 and all(body.startswith(b"\xef\xbb\xbf") for body in files.values())
    else:
        assert open_workbook(data).sheetnames


def test_headers_and_words_follow_the_admins_language(client, login, world, make_user):
    admin = make_user("admin", locale="ja")
    login(admin)
    rows = csv_records(client.get(f"/admin/cycles/{world.cycle.id}/exports/nominations.csv").get_data())
    beach = next(r for r in rows if r["題名"] == JAPANESE_TITLE)
    assert beach["地域"] == "国内" and beach["状態"] == "提出済み" and beach["国"] == "日本"
    workbook = open_workbook(client.get(f"/admin/cycles/{world.cycle.id}/exports/results.xlsx").get_data())
    assert "審査員" in workbook.sheetnames
    ranking = next(name for name in workbook.sheetnames if "国内" in name)
    assert "順位" in [c.value for c in workbook[ranking][1]]
