"""The public verification page and the admin's certificate pages, by what they show and do."""
from __future__ import annotations

import io
import zipfile

import pytest

from core.support import Page, is_layout_page
from sqlalchemy import select

from awards_app.audit.models import AuditEvent
from awards_app.certificates import services
from awards_app.certificates.models import Certificate
from awards_app.core.enums import Region
from awards_app.cycles.models import AwardCategory
from awards_app.extensions import db

from .conftest import SIGNATORY, pdf_reader, pdf_text, squeeze


def _japanese(client):
    client.post("/language", data={"locale": "ja"})
    return client


# --- the verification page ---------------------------------------------------------------------


def test_verify_shows_what_a_valid_certificate_says(client, world, issue):
    certificate = issue()[0]
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    page = Page(response)
    assert is_layout_page(page)
    result = page.by_id("verify-result")
    assert result.get("data-status") == "valid" and "Genuine certificate" in result.text
    assert page.by_id("fact-award").text == "Grand Award (Japan)"
    assert page.by_id("fact-site").text == "Tokyo Works"
    assert page.by_id("fact-activity").text == "地元の学校と海岸清掃 Beach clean-up with local schools"
    assert page.by_id("fact-cycle").text == "FY2013 April 1, 2012 – March 31, 2013"  # no region: the language's own
    assert page.by_id("fact-issued").text == f"{certificate.issued_on:%B} {certificate.issued_on.day}, {certificate.issued_on.year}"
    assert page.by_id("fact-serial").text == "FY2013-0001"


def test_verify_leaks_nothing_else(client, world, issue):
    certificate, other = issue()
    html = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    for private in (other.code, "Berlin Office", world.admin.name, world.japan.summary, world.japan.description,
                    world.japan.partners, "SITE-A", SIGNATORY["signatory_name_en"]):
        assert private not in html, private


def test_verify_in_japanese_shows_the_japanese_names(client, world, issue):
    certificate = issue()[0]
    page = Page(_japanese(client).get(f"/verify/{certificate.code}"))
    assert page.lang == "ja"
    assert page.by_id("fact-award").text == "大賞（国内）"
    assert page.by_id("fact-site").text == "東京事業所"
    day = certificate.issued_on
    assert page.by_id("fact-issued").text == f"{day.year}年{day.month}月{day.day}日"
    # 年度 by the year it starts: FY2013 is 2012年度, April 2012 to March 2013.
    assert page.by_id("fact-cycle").text == "2012年度 2012年4月1日〜2013年3月31日"


def test_verify_writes_dates_as_the_browser_region_does(client, world, issue):
    certificate = issue()[0]
    page = Page(client.get(f"/verify/{certificate.code}", headers={"Accept-Language": "en-GB,en;q=0.8"}))
    assert page.by_id("fact-period").text == "1 April 2012 – 31 March 2013"
    day = certificate.issued_on
    assert page.by_id("fact-issued").text == f"{day.day} {day:%B} {day.year}"


def test_a_certificate_keeps_the_fiscal_year_name_it_was_issued_with(app, client, world, issue, monkeypatch):
    """Issued under another convention (or before there was one), it still says what it said;
    re-issuing it names the year by today's convention."""
    monkeypatch.setitem(app.config, "FISCAL_YEAR_NAMING", {"ja": "end", "en": "end"})
    old = issue()[0]
    assert (old.fiscal_year_label_ja, old.fiscal_year_label_en) == ("2013年度", "FY2013")
    monkeypatch.setitem(app.config, "FISCAL_YEAR_NAMING", {"ja": "start", "en": "end"})
    new = services.reissue_certificate(world.admin, world.cycle, old)
    db.session.commit()
    page = Page(_japanese(client).get(f"/verify/{old.code}"))
    assert page.by_id("fact-cycle").text == "2013年度 2012年4月1日〜2013年3月31日"
    assert (new.fiscal_year_label_ja, new.fiscal_year_label_en) == ("2012年度", "FY2013")
    assert "2012年度" in squeeze(pdf_text(services.certificate_pdf(new)))


def test_verify_says_plainly_when_the_code_is_unknown(client, world, issue):
    issue()
    response = client.get("/verify/NoSuchCode000000")
    assert response.status_code == 404
    page = Page(response)
    assert is_layout_page(page)
    result = page.by_id("verify-result")
    assert result.get("data-status") == "unknown" and "No MDD Awards certificate has this verification code" in result.text
    assert page.by_id("certificate-facts") is None


def test_verify_says_revoked_with_the_date_and_not_the_reason(client, world, issue):
    certificate = issue()[0]
    services.revoke_certificate(world.admin, certificate, "Internal: the activity was misreported.")
    db.session.commit()
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 200
    page = Page(response)
    result = page.by_id("verify-result")
    day = certificate.revoked_on
    assert result.get("data-status") == "revoked"
    assert f"revoked on {day:%B} {day.day}, {day.year}" in result.text and "no longer valid" in result.text
    assert "misreported" not in page.html


def test_verify_says_replaced_without_giving_the_new_code(client, world, issue):
    old = issue()[0]
    new = services.reissue_certificate(world.admin, world.cycle, old)
    db.session.commit()
    page = Page(client.get(f"/verify/{old.code}"))
    assert page.by_id("verify-result").get("data-status") == "replaced"
    assert "Replaced by a newer certificate" in page.by_id("verify-result").text
    assert new.code not in page.html and new.serial not in page.html
    assert Page(client.get(f"/verify/{new.code}")).by_id("verify-result").get("data-status") == "valid"


def test_verify_of_a_revoked_then_reissued_certificate_says_both(client, world, issue):
    old = issue()[0]
    services.revoke_certificate(world.admin, old, "Wrong site.")
    services.reissue_certificate(world.admin, world.cycle, old)
    db.session.commit()
    result = Page(client.get(f"/verify/{old.code}")).by_id("verify-result")
    assert result.get("data-status") == "revoked" and "newer certificate" in result.text


# --- the admin list ----------------------------------------------------------------------------


def test_list_before_finalisation_offers_no_issuing(client, login, world):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.open_cycle.id}/certificates"))
    assert "once the results of FY2014 are finalised" in page.by_id("issue-state").text
    assert page.find("form", action=f"/admin/cycles/{world.open_cycle.id}/certificates/issue") is None


def test_issuing_before_finalisation_is_refused(client, login, world):
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.open_cycle.id}/certificates/issue", follow_redirects=True)
    assert "only once the results are finalised" in " ".join(Page(response).alerts())
    assert db.session.scalars(select(Certificate)).all() == []


def test_list_shows_pending_awards_then_issues_them(client, login, world):
    login(world.admin)
    url = f"/admin/cycles/{world.cycle.id}/certificates"
    page = Page(client.get(url))
    assert page.by_id("pending").text == (
        "Grand Award (Japan): 地元の学校と海岸清掃 (Tokyo Works) "
        "Grand Award (Overseas): Tree planting along the Spree (Berlin Office)"
    )
    assert "Taro Yamada" in page.by_id("signatory").text
    response = client.post(f"{url}/issue")
    assert response.status_code == 302 and response.headers["Location"] == url
    page = Page(client.get(url))
    assert "2 certificates issued." in page.alerts()
    rows = page.table_rows()[1:]
    assert [row[:3] + [row[5]] for row in rows] == [
        ["FY2013-0001", "Grand Award (Japan)", "Tokyo Works", "Valid"],
        ["FY2013-0002", "Grand Award (Overseas)", "Berlin Office", "Valid"],
    ]
    assert "Every award decided in FY2013 has its certificate." in page.by_id("issue-state").text
    client.post(f"{url}/issue")
    assert "Every award of FY2013 already has its certificate." in Page(client.get(url)).alerts()
    assert len(db.session.scalars(select(Certificate)).all()) == 2


def test_issuing_without_a_signatory_says_what_to_do(client, login, world):
    world.cycle.signatory_name_ja = ""
    db.session.commit()
    login(world.admin)
    page = Page(client.post(f"/admin/cycles/{world.cycle.id}/certificates/issue", follow_redirects=True))
    assert any("Set who signs the certificates" in alert for alert in page.alerts())
    assert "Nobody yet" in page.by_id("signatory").text


def test_list_shows_revoked_and_replaced_states(client, login, world, issue):
    first, second = issue()
    services.revoke_certificate(world.admin, first, "Misreported activity.")
    services.reissue_certificate(world.admin, world.cycle, second)
    db.session.commit()
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/certificates"))
    statuses = {row[0]: row[5] for row in page.table_rows()[1:]}
    assert statuses["FY2013-0001"].startswith("Revoked on") and "Misreported activity." in statuses["FY2013-0001"]
    assert statuses["FY2013-0002"] == "Replaced by FY2013-0003"
    assert statuses["FY2013-0003"] == "Valid"
    # Revoking is offered only for the certificate in force; re-issuing for the newest of each award.
    revoke_links = {a.get("href") for a in page.find_all("a") if (a.get("href") or "").endswith("/revoke")}
    assert revoke_links == {f"/admin/cycles/{world.cycle.id}/certificates/{second.replaced_by_id}/revoke"}
    reissue_forms = {f.get("action") for f in page.find_all("form") if (f.get("action") or "").endswith("/reissue")}
    assert reissue_forms == {
        f"/admin/cycles/{world.cycle.id}/certificates/{first.id}/reissue",
        f"/admin/cycles/{world.cycle.id}/certificates/{second.replaced_by_id}/reissue",
    }


def test_list_runs_as_many_queries_for_many_certificates_as_for_few(client, login, world, issue, count_queries):
    login(world.admin)
    issue()
    url = f"/admin/cycles/{world.cycle.id}/certificates"
    client.get(url)
    db.session.expire_all()
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        services.reissue_certificate(world.admin, world.cycle, db.session.get(Certificate, _newest(world.cycle.id)))
    services.revoke_certificate(world.admin, db.session.get(Certificate, _newest(world.cycle.id)), "Test.")
    db.session.commit()
    db.session.expire_all()
    with count_queries() as many:
        page = Page(client.get(url))
    assert len(page.table_rows()) == 1 + 6
    assert len(many) == len(few), many


def _newest(cycle_id: int) -> int:
    return db.session.scalar(select(db.func.max(Certificate.id)).where(Certificate.cycle_id == cycle_id))


# --- revoking and re-issuing -------------------------------------------------------------------


def test_revoke_form_shows_the_error_beside_the_field(client, login, world, issue):
    certificate = issue()[0]
    login(world.admin)
    url = f"/admin/cycles/{world.cycle.id}/certificates/{certificate.id}/revoke"
    page = Page(client.get(url))
    assert page.by_id("reason") is not None and "Tokyo Works" in page.main_text
    response = client.post(url, data={"reason": "   "})
    assert response.status_code == 200
    assert Page(response).field_error("reason") == "Give the reason for revoking the certificate."
    response = client.post(url, data={"reason": "x" * 1001})
    assert "1000" in Page(response).field_error("reason")
    assert certificate.revoked_at is None


def test_revoking_through_the_form(client, login, world, issue, events):
    certificate = issue()[0]
    login(world.admin)
    base = f"/admin/cycles/{world.cycle.id}/certificates"
    response = client.post(f"{base}/{certificate.id}/revoke", data={"reason": "Misreported activity."})
    assert response.status_code == 302 and response.headers["Location"] == base
    assert certificate.revoked_reason == "Misreported activity."
    assert events("certificate.revoked")[0].actor_id == world.admin.id
    # Once revoked there is nothing to revoke: back to the list, with a word why.
    page = Page(client.get(f"{base}/{certificate.id}/revoke", follow_redirects=True))
    assert any("no longer in force" in alert for alert in page.alerts())


def test_reissuing_through_the_button(client, login, world, issue):
    old = issue()[0]
    login(world.admin)
    base = f"/admin/cycles/{world.cycle.id}/certificates"
    response = client.post(f"{base}/{old.id}/reissue", follow_redirects=True)
    assert "Certificate FY2013-0001 has been replaced by FY2013-0003." in Page(response).alerts()
    assert db.session.get(Certificate, old.replaced_by_id).serial == "FY2013-0003"
    page = Page(client.post(f"{base}/{old.id}/reissue", follow_redirects=True))
    assert any("already been replaced" in alert for alert in page.alerts())


# --- downloads ---------------------------------------------------------------------------------


def test_download_one_certificate(client, login, world, issue):
    certificate = issue()[0]
    login(world.admin)
    response = client.get(f"/admin/cycles/{world.cycle.id}/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=certificate-FY2013-0001.pdf"
    pdf = response.get_data()
    text = squeeze(pdf_text(pdf))
    assert "大賞（国内）" in text and "GrandAward(Japan)" in text and "FY2013-0001" in text
    assert certificate.code in text and f"http://localhost/verify/{certificate.code}" in text
    link = pdf_reader(pdf).pages[0]["/Annots"][0].get_object()["/A"]["/URI"]
    assert link == f"http://localhost/verify/{certificate.code}"


@pytest.mark.parametrize("path", ["/certificates/{id}.pdf", "/certificates.zip"])
def test_a_server_without_pdf_libraries_says_what_it_lacks(client, login, world, issue, monkeypatch, caplog, path):
    """Found on a fresh Debian without Pango: the download answered 500."""
    from awards_app.core import checks

    certificate = issue()[0]
    monkeypatch.setattr(checks, "pdf_renderer_problem", lambda: "WeasyPrint cannot load its system libraries")
    login(world.admin)
    response = client.get(f"/admin/cycles/{world.cycle.id}" + path.format(id=certificate.id))
    assert response.status_code == 503
    page = Page(response)
    assert "Certificates cannot be made on this server" in page.main_text
    assert "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in page.main_text
    assert "certificates cannot render: WeasyPrint cannot load its system libraries" in caplog.text


def test_a_forged_host_header_does_not_reach_the_qr_code(client, login, world, issue, app, monkeypatch):
    """With PUBLIC_BASE_URL set, the QR code (and the link and address printed beside it) point to
    the configured address, whatever Host the request claimed."""
    certificate = issue()[0]
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://awards.example.com")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)  # as in production: absolute URLs follow Host
    login(world.admin)
    # The test client sends a cookie only to the host that set it: hand the session to evil.example.
    session_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    client.set_cookie(session_cookie.key, session_cookie.value, domain="evil.example")
    expected = f"https://awards.example.com/verify/{certificate.code}"
    response = client.get(f"/admin/cycles/{world.cycle.id}/certificates/{certificate.id}.pdf",
                          base_url="http://evil.example")
    assert response.status_code == 200
    pdf = response.get_data()
    assert pdf_reader(pdf).pages[0]["/Annots"][0].get_object()["/A"]["/URI"] == expected
    assert expected in squeeze(pdf_text(pdf)) and "evil.example" not in pdf_text(pdf)
    response = client.get(f"/admin/cycles/{world.cycle.id}/certificates.zip", base_url="http://evil.example")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        for name in archive.namelist():
            assert pdf_reader(archive.read(name)).pages[0]["/Annots"][0].get_object()["/A"]["/URI"].startswith(
                "https://awards.example.com/verify/")
    response.close()


def test_download_all_zips_one_pdf_per_certificate_in_force(client, login, world, issue):
    first, second = issue()
    services.revoke_certificate(world.admin, first, "Misreported.")
    third = services.reissue_certificate(world.admin, world.cycle, second)
    db.session.commit()
    login(world.admin)
    response = client.get(f"/admin/cycles/{world.cycle.id}/certificates.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == "attachment; filename=certificates-FY2013.zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["certificate-FY2013-0003.pdf"]
        text = squeeze(pdf_text(archive.read("certificate-FY2013-0003.pdf")))
    response.close()
    assert third.code in text and "BerlinOffice" in text


def test_download_all_with_both_in_force(client, login, world, issue):
    issue()
    login(world.admin)
    response = client.get(f"/admin/cycles/{world.cycle.id}/certificates.zip")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = archive.namelist()
        assert names == ["certificate-FY2013-0001.pdf", "certificate-FY2013-0002.pdf"]
        assert all(archive.read(name).startswith(b"%PDF-") for name in names)
    response.close()


def test_download_all_without_certificates_explains(client, login, world):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/certificates.zip", follow_redirects=True))
    assert "FY2013 has no certificate in force to download." in page.alerts()


def test_audit_log_names_every_operation(client, login, world, issue):
    login(world.admin)
    base = f"/admin/cycles/{world.cycle.id}/certificates"
    client.post(f"{base}/issue")
    first = db.session.scalar(select(Certificate).order_by(Certificate.serial_number))
    client.post(f"{base}/{first.id}/reissue")
    client.post(f"{base}/{first.replaced_by_id}/revoke", data={"reason": "Test."})
    actions = list(db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.startswith("certificate.")).order_by(AuditEvent.id)))
    assert actions == ["certificate.issued", "certificate.issued", "certificate.reissued", "certificate.revoked"]


def test_a_decision_added_later_gets_its_certificate_next_time(world, issue, make_nomination, make_decision):
    """Issuing numbers on from the last serial, e.g. for a special award decided afterwards."""
    issue()
    special = AwardCategory(cycle_id=world.cycle.id, key="special", name_en="Special Award", name_ja="特別賞",
                            region=Region.JAPAN, position=5)
    db.session.add(special)
    db.session.commit()
    make_decision(world.cycle, "special", make_nomination(world.cycle, world.site_a, title="Mountain trail repair"),
                  world.admin)
    db.session.refresh(world.cycle)
    assert [(c.serial, c.award_name_en) for c in issue()] == [("FY2013-0003", "Special Award")]


def test_the_naming_convention_is_checked_when_the_app_starts(monkeypatch, tmp_path):
    from awards_app.config import load_config

    monkeypatch.setenv("FISCAL_YEAR_NAMING_JA", "End ")
    assert load_config(str(tmp_path))["FISCAL_YEAR_NAMING"] == {"ja": "end", "en": "end"}
    monkeypatch.setenv("FISCAL_YEAR_NAMING_EN", "middle")
    with pytest.raises(ValueError, match="FISCAL_YEAR_NAMING_EN"):
        load_config(str(tmp_path))
