"""Site administration: validation, region, escaping, list queries."""
from __future__ import annotations


import pytest
from sqlalchemy import func, select

from awards_app.audit.models import AuditEvent
from awards_app.core.enums import Region
from awards_app.extensions import db
from awards_app.sites import services
from awards_app.sites.models import Site
from core.support import Page


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def browser(login, admin):
    return login(admin)


def site_data(**fields):
    data = {"code": "NEC-TOKYO", "name_en": "Tokyo Head Office", "name_ja": "東京本社", "country": "JP", "active": "y"}
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def site_by_code(code: str) -> Site | None:
    return db.session.scalar(select(Site).where(Site.code == code))


def site_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Site))


# --- create and edit ------------------------------------------------------------------------------


def test_create_site(browser, admin):
    response = browser.post("/admin/sites/new", data=site_data(code=" nec-tokyo "))
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/sites/"
    site = site_by_code("NEC-TOKYO")  # trimmed and upper-cased
    assert (site.name_en, site.name_ja, site.country, site.active) == ("Tokyo Head Office", "東京本社", "JP", True)
    assert site.region == Region.JAPAN
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "site.created"))
    assert (event.actor_id, event.object_type, event.object_id) == (admin.id, "sites", site.id)
    assert event.details == {"code": "NEC-TOKYO", "country": "JP"}
    page = Page(browser.get("/admin/sites/"))
    assert "The site NEC-TOKYO has been added." in page.alerts()


def test_japanese_name_round_trips(browser):
    name = "日本電気株式会社　玉川事業場（ＮＥＣ）①"
    browser.post("/admin/sites/new", data=site_data(name_ja=name))
    site = site_by_code("NEC-TOKYO")
    db.session.expire(site)
    assert site.name_ja == name
    # The form shows it back unchanged, and a Japanese page lists the site by its Japanese name.
    assert Page(browser.get(f"/admin/sites/{site.id}")).input_value("name_ja") == name
    browser.post("/language", data={"locale": "ja"})
    page = Page(browser.get("/admin/sites/"))
    assert page.lang == "ja"
    assert f"<td>{name}</td>" in page.html


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"code": ""}, "code", "This field is required."),
        ({"code": "with space"}, "code", "Use letters, digits, - and _ only."),
        ({"code": "-LEADING"}, "code", "Use letters, digits, - and _ only."),
        ({"code": "東京"}, "code", "Use letters, digits, - and _ only."),
        ({"code": "X" * 33}, "code", "Field cannot be longer than 32 characters."),
        ({"name_en": ""}, "name_en", "This field is required."),
        ({"name_ja": "   "}, "name_ja", "This field is required."),
        ({"name_en": "a" * 201}, "name_en", "Field cannot be longer than 200 characters."),
        ({"name_en": "bell\x07"}, "name_en", "This field contains characters that are not allowed."),
        ({"country": ""}, "country", None),
        ({"country": "XX"}, "country", "Not a valid choice."),
        ({"country": "jp"}, "country", "Not a valid choice."),
        ({"country": "JPN"}, "country", "Not a valid choice."),
        ({"country": "EU"}, "country", "Not a valid choice."),  # CLDR region, not a country
        ({"country": "ZZ"}, "country", "Not a valid choice."),
        ({"country": "UN"}, "country", "Not a valid choice."),
    ],
)
def test_invalid_site_is_a_field_error_and_keeps_input(browser, fields, field, message):
    response = browser.post("/admin/sites/new", data=site_data(**fields))
    assert response.status_code == 200
    page = Page(response)
    error = page.field_error(field)
    assert error if message is None else error == message
    if field != "name_ja":
        assert page.input_value("name_ja") == "東京本社"
    assert site_count() == 0


def test_duplicate_code_is_a_field_error(browser, make_site):
    make_site("NEC-TOKYO")
    response = browser.post("/admin/sites/new", data=site_data(code="nec-tokyo", name_en="Another"))
    assert response.status_code == 200
    page = Page(response)
    assert page.field_error("code") == "Another site already uses this code."
    assert page.input_value("name_en") == "Another"
    assert site_count() == 1


def test_country_choices_are_real_countries_sorted_by_name(browser):
    page = Page(browser.get("/admin/sites/new"))
    options = [(e.get("value"), e.text) for e in page.find_all("option") if e.get("value") is not None]
    codes = [code for code, _ in options]
    assert codes[0] == ""
    assert {"JP", "US", "GB", "FR", "CN", "IN", "BR"} <= set(codes)
    assert not {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"} & set(codes)
    names = [name for code, name in options[1:]]
    assert names == sorted(names)
    assert ("JP", "Japan") in options


def test_edit_site_changes_fields_and_records_changes(browser, admin, make_site):
    site = make_site("OSAKA", "JP", name_en="Osaka", name_ja="大阪")
    page = Page(browser.get(f"/admin/sites/{site.id}"))
    assert page.input_value("code") == "OSAKA"
    assert page.selected_value("country") == "JP"

    response = browser.post(f"/admin/sites/{site.id}", data=site_data(code="OSAKA", name_en="Osaka Works",
                                                                       name_ja="大阪", country="TH", active=None))
    assert response.status_code == 302
    assert (site.name_en, site.country, site.active, site.region) == ("Osaka Works", "TH", False, Region.OVERSEAS)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "site.updated"))
    assert event.details == {
        "changes": {"name_en": ["Osaka", "Osaka Works"], "country": ["JP", "TH"], "active": [True, False]}
    }


def test_edit_site_may_keep_its_own_code_but_not_take_another(browser, make_site):
    make_site("KOBE")
    site = make_site("OSAKA")
    assert browser.post(f"/admin/sites/{site.id}", data=site_data(code="OSAKA")).status_code == 302
    response = browser.post(f"/admin/sites/{site.id}", data=site_data(code="KOBE", name_en="Changed"))
    assert response.status_code == 200
    assert Page(response).field_error("code") == "Another site already uses this code."
    assert (site.code, site.name_en) == ("OSAKA", "Tokyo Head Office")


def test_update_site_service_without_changes_records_nothing(admin, make_site):
    site = make_site("OSAKA", "JP", name_en="Osaka", name_ja="大阪")
    same = {"code": "OSAKA", "name_en": "Osaka", "name_ja": "大阪", "country": "JP", "active": True}
    services.update_site(admin, site, same)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


# --- region -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("country, region", [("JP", Region.JAPAN), ("US", Region.OVERSEAS), ("CN", Region.OVERSEAS)])
def test_region_is_derived_from_country(make_site, country, region):
    site = make_site(country=country)
    assert site.region is region


def test_region_expression_filters_in_sql(make_site):
    tokyo, osaka = make_site("TOKYO", "JP"), make_site("OSAKA", "JP")
    london, manila = make_site("LONDON", "GB"), make_site("MANILA", "PH")
    japan = db.session.scalars(select(Site).where(Site.region == Region.JAPAN.value).order_by(Site.code)).all()
    overseas = db.session.scalars(select(Site).where(Site.region == Region.OVERSEAS.value).order_by(Site.code)).all()
    assert japan == [osaka, tokyo]
    assert overseas == [london, manila]
    ordered = db.session.scalars(select(Site).order_by(Site.region, Site.code)).all()
    assert ordered == [osaka, tokyo, london, manila]


def test_region_expression_can_be_grouped_by(make_site):
    for code, country in [("TOKYO", "JP"), ("OSAKA", "JP"), ("LONDON", "GB"), ("MANILA", "PH"), ("LIMA", "PE")]:
        make_site(code, country)
    counts = dict(db.session.execute(select(Site.region, func.count()).group_by(Site.region)).all())
    assert counts == {"japan": 2, "overseas": 3}


# --- the list -----------------------------------------------------------------------------------


def test_list_shows_sites_japan_first_with_members(browser, make_site, make_user):
    paris = make_site("AA-PARIS", "FR", name_en="Paris Office")
    tokyo = make_site("ZZ-TOKYO", "JP", name_en="Tokyo Office", active=False)
    make_user("submitter", sites=[paris])
    make_user("judge", sites=[paris, tokyo])
    page = Page(browser.get("/admin/sites/"))
    assert page.table_rows()[1:] == [
        ["ZZ-TOKYO", "Tokyo Office", "Japan", "Japan", "1", "Inactive"],
        ["AA-PARIS", "Paris Office", "France", "Overseas", "2", "Active"],
    ]


def test_list_escapes_script_in_site_names(browser, make_site):
    make_site("XSS", "US", name_en="<script>alert('x')</script>", name_ja="<b>太字</b>")
    html = browser.get("/admin/sites/").get_data(as_text=True)
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    browser.post("/language", data={"locale": "ja"})
    html = browser.get("/admin/sites/").get_data(as_text=True)
    assert "<b>太字</b>" not in html and "&lt;b&gt;太字&lt;/b&gt;" in html


def test_list_query_count_does_not_grow_with_sites(browser, make_site, make_user, count_queries):
    def add_sites(count):
        for n in range(count):
            site = make_site(country="JP" if n % 2 else "US")
            make_user("submitter", sites=[site])

    def queries_for_list():
        db.session.expire_all()
        with count_queries() as statements:
            response = browser.get("/admin/sites/")
        assert response.status_code == 200
        return len(statements), len(Page(response).table_rows()) - 1

    add_sites(2)
    few, shown_few = queries_for_list()
    add_sites(18)
    many, shown_many = queries_for_list()
    assert (shown_few, shown_many) == (2, 20)
    assert few == many <= 3
