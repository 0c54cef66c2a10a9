"""The cycle pages through the test client: every route for every role, forms, phases, locks."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from flask import url_for
from sqlalchemy import func, select

from awards_app.audit.models import AuditEvent
from awards_app.core.enums import NominationStatus, Phase, Region
from awards_app.cycles.models import AwardCategory, Criterion, Cycle, RubricLevel
from awards_app.extensions import db
from core.support import Page


def path(endpoint, **kwargs):
    return url_for(endpoint, _external=False, **kwargs)


def field_error(html: str, field: str) -> str:
    """The text of the error shown beside `field`, or '' when there is none."""
    match = re.search(rf'<div id="{field}-error"[^>]*>(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""


def input_value(html: str, field: str) -> str | None:
    match = re.search(rf'<input[^>]*\bname="{field}"[^>]*>', html)
    if not match:
        return None
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def other_events() -> int:
    """Audit events other than logins: what the cycle pages wrote."""
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(~AuditEvent.action.startswith("user."))
    )


def snapshot(cycle: Cycle):
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    return (
        cycle.phase,
        cycle.nomination_deadline,
        [(c.key, c.name_en, c.weight, c.position, [(r.level, r.text_en) for r in c.rubric_levels]) for c in cycle.criteria],
        [(a.key, a.name_en, a.region, a.position) for a in cycle.award_categories],
        db.session.scalar(select(func.count()).select_from(Cycle)),
        other_events(),
    )


# --- every route × every role ------------------------------------------------------------------

# (method, endpoint, URL arguments, payload for an admin that succeeds)
ROUTES = [
    ("GET", "cycles.list_cycles", (), None),
    ("GET", "cycles.create_cycle", (), None),
    ("POST", "cycles.create_cycle", (), lambda f: f.cycle()),
    ("GET", "cycles.show_cycle", ("cycle_id",), None),
    ("GET", "cycles.edit_cycle", ("cycle_id",), None),
    ("POST", "cycles.edit_cycle", ("cycle_id",), lambda f: f.cycle(fiscal_year=None, judging_deadline="2031-03-01T12:00")),
    ("POST", "cycles.change_phase", ("cycle_id",), lambda f: {"phase": "nominations_open", "current_phase": "setup"}),
    ("GET", "cycles.create_criterion", ("cycle_id",), None),
    ("POST", "cycles.create_criterion", ("cycle_id",), lambda f: f.criterion()),
    ("GET", "cycles.edit_criterion", ("cycle_id", "criterion_id"), None),
    ("POST", "cycles.edit_criterion", ("cycle_id", "criterion_id"),
     lambda f: f.criterion(key="business_relevance", name_en="Link to the business")),
    ("POST", "cycles.delete_criterion", ("cycle_id", "criterion_id"), lambda f: {}),
    ("POST", "cycles.move_criterion", ("cycle_id", "criterion_id"), lambda f: {"direction": "down"}),
    ("GET", "cycles.create_award_category", ("cycle_id",), None),
    ("POST", "cycles.create_award_category", ("cycle_id",), lambda f: f.category()),
    ("GET", "cycles.edit_award_category", ("cycle_id", "category_id"), None),
    ("POST", "cycles.edit_award_category", ("cycle_id", "category_id"),
     lambda f: f.category(key="grand_japan", name_en="Grand Award (Japan) 2030", region="japan")),
    ("POST", "cycles.delete_award_category", ("cycle_id", "category_id"), lambda f: {}),
    ("POST", "cycles.move_award_category", ("cycle_id", "category_id"), lambda f: {"direction": "down"}),
]
ROUTE_IDS = [f"{method} {endpoint}" for method, endpoint, _, _ in ROUTES]
# The heading of each page, for the FY2030 cycle in setup (its first criterion and category).
HEADINGS = {
    "cycles.list_cycles": "Cycles",
    "cycles.create_cycle": "New cycle",
    "cycles.show_cycle": "FY2030 Setup",
    "cycles.edit_cycle": "Settings of FY2030",
    "cycles.create_criterion": "Add a criterion to FY2030",
    "cycles.edit_criterion": "Edit the criterion “Business relevance”",
    "cycles.create_award_category": "Add an award category to FY2030",
    "cycles.edit_award_category": "Edit the award category “Grand Award (Japan)”",
}


@pytest.fixture
def setup_cycle(make_cycle):
    return make_cycle(2030, phase=Phase.SETUP)


def route_url(endpoint, arguments, cycle):
    values = {
        "cycle_id": cycle.id,
        "criterion_id": cycle.criteria[0].id,
        "category_id": cycle.award_categories[0].id,
    }
    return path(endpoint, **{name: values[name] for name in arguments})


def send(client, method, url, payload, payloads):
    if method == "GET":
        return client.get(url)
    data = {k: v for k, v in (payload(payloads) if payload else {}).items() if v is not None}
    return client.post(url, data=data)


@pytest.mark.parametrize(("method", "endpoint", "arguments", "payload"), ROUTES, ids=ROUTE_IDS)
def test_anonymous_users_are_sent_to_the_login_page(client, setup_cycle, payloads, method, endpoint, arguments, payload):
    before = snapshot(setup_cycle)
    url = route_url(endpoint, arguments, setup_cycle)
    response = send(client, method, url, payload, payloads)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert snapshot(setup_cycle) == before


@pytest.mark.parametrize("role", ["submitter", "judge"])
@pytest.mark.parametrize(("method", "endpoint", "arguments", "payload"), ROUTES, ids=ROUTE_IDS)
def test_submitters_and_judges_are_refused(
    login, make_user, make_site, setup_cycle, payloads, role, method, endpoint, arguments, payload
):
    client = login(make_user(role, sites=[make_site()]))
    before = snapshot(setup_cycle)
    response = send(client, method, route_url(endpoint, arguments, setup_cycle), payload, payloads)
    assert response.status_code == 403
    assert "Not allowed" in response.text
    assert snapshot(setup_cycle) == before


@pytest.mark.parametrize(("method", "endpoint", "arguments", "payload"), ROUTES, ids=ROUTE_IDS)
def test_admins_may_use_every_route(admin_client, setup_cycle, payloads, method, endpoint, arguments, payload):
    before = snapshot(setup_cycle)
    response = send(admin_client, method, route_url(endpoint, arguments, setup_cycle), payload, payloads)
    if method == "GET":
        assert response.status_code == 200
        assert Page(response).find("h1").text == HEADINGS[endpoint]
        assert snapshot(setup_cycle) == before
    else:
        assert response.status_code == 302, response.text
        after = snapshot(setup_cycle)
        assert after != before  # the action did something …
        assert after[-1] > before[-1]  # … and wrote it to the audit log


def test_a_deactivated_admin_is_logged_out(login, make_user, setup_cycle):
    admin = make_user("admin")
    client = login(admin)
    admin.active = False
    db.session.flush()
    response = client.get(path("cycles.list_cycles"))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_unknown_cycles_and_items_of_another_cycle_are_not_found(admin_client, make_cycle):
    first, second = make_cycle(2030, phase=Phase.SETUP), make_cycle(2031, phase=Phase.SETUP)
    # Error pages roll the session back; in real life these cycles were committed long before.
    db.session.commit()
    assert admin_client.get(path("cycles.show_cycle", cycle_id=99999)).status_code == 404
    assert admin_client.get(path("cycles.edit_criterion", cycle_id=first.id, criterion_id=99999)).status_code == 404
    foreign_criterion = second.criteria[0].id
    foreign_category = second.award_categories[0].id
    assert admin_client.get(
        path("cycles.edit_criterion", cycle_id=first.id, criterion_id=foreign_criterion)
    ).status_code == 404
    assert admin_client.post(
        path("cycles.delete_criterion", cycle_id=first.id, criterion_id=foreign_criterion)
    ).status_code == 404
    assert admin_client.post(
        path("cycles.delete_award_category", cycle_id=first.id, category_id=foreign_category)
    ).status_code == 404
    db.session.expire_all()
    assert db.session.get(Criterion, foreign_criterion) is not None
    assert db.session.get(AwardCategory, foreign_category) is not None


def test_the_urls_are_under_admin_cycles(app):
    assert path("cycles.list_cycles") == "/admin/cycles/"
    assert path("cycles.show_cycle", cycle_id=3) == "/admin/cycles/3"
    assert path("cycles.change_phase", cycle_id=3) == "/admin/cycles/3/phase"
    assert path("cycles.move_criterion", cycle_id=3, criterion_id=4) == "/admin/cycles/3/criteria/4/move"


# --- the list ----------------------------------------------------------------------------------


def test_the_list_shows_newest_first_with_phase_deadlines_and_counts(
    admin_client, make_cycle, make_site, make_nomination
):
    deadline = datetime(2031, 1, 15, 8, 0, tzinfo=timezone.utc)  # 17:00 in Tokyo
    old = make_cycle(2013, phase=Phase.FINALISED, nomination_deadline=datetime(2013, 1, 31, tzinfo=timezone.utc),
                     judging_deadline=datetime(2013, 2, 28, tzinfo=timezone.utc))
    new = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN, nomination_deadline=deadline,
                     judging_deadline=deadline + timedelta(days=30))
    site = make_site()
    for status in (NominationStatus.DRAFT, NominationStatus.SUBMITTED, NominationStatus.SUBMITTED):
        make_nomination(new, site, status=status)
    make_nomination(old, site, status=NominationStatus.INELIGIBLE)

    html = admin_client.get(path("cycles.list_cycles")).text
    assert html.index("FY2031") < html.index("FY2013")
    assert "Nominations open" in html and "Results finalised" in html
    assert "Jan 15, 2031, 5:00\u202fPM JST" in html  # shown in the admin's time zone (Asia/Tokyo)
    row_new = html[html.index("FY2031"):html.index("FY2013")]
    assert re.search(r'data-status="draft">1<', row_new)
    assert re.search(r'data-status="submitted">2<', row_new)
    assert re.search(r'data-status="ineligible">0<', row_new)
    row_old = html[html.index("FY2013"):]
    assert re.search(r'data-status="ineligible">1<', row_old)
    assert "Apr 1, 2012" in row_old and "Mar 31, 2013" in row_old


def test_deadlines_follow_the_viewers_time_zone(login, make_user, make_cycle):
    make_cycle(2031, nomination_deadline=datetime(2031, 1, 15, 8, 0, tzinfo=timezone.utc),
               judging_deadline=datetime(2031, 2, 15, 8, 0, tzinfo=timezone.utc))
    html = login(make_user("admin", timezone="UTC")).get(path("cycles.list_cycles")).text
    assert "Jan 15, 2031, 8:00\u202fAM UTC" in html
    assert "5:00\u202fPM" not in html


def test_the_list_makes_the_same_number_of_queries_for_2_and_10_cycles(
    admin_client, make_cycle, make_site, make_nomination, count_queries
):
    site = make_site()

    def add_cycles(years):
        for year in years:
            cycle = make_cycle(year)
            make_nomination(cycle, site)
            make_nomination(cycle, site, status=NominationStatus.SUBMITTED)

    def measure():
        admin_client.get(path("cycles.list_cycles"))  # warm up: session and user loading
        with count_queries() as statements:
            html = admin_client.get(path("cycles.list_cycles")).text
        return len(statements), html

    add_cycles(range(2020, 2022))
    with_two, html = measure()
    assert html.count('data-status="submitted">1<') == 2
    add_cycles(range(2022, 2030))
    with_ten, html = measure()
    assert html.count('data-status="submitted">1<') == 10
    assert with_ten == with_two
    assert with_two <= 4


def test_the_overview_makes_the_same_number_of_queries_for_few_and_many_criteria(
    admin_client, make_cycle, count_queries
):
    from awards_app.cycles.defaults import default_criteria

    cycle = make_cycle(2030, phase=Phase.SETUP)
    url = path("cycles.show_cycle", cycle_id=cycle.id)

    def measure():
        db.session.expire_all()
        admin_client.get(url)
        db.session.expire_all()
        with count_queries() as statements:
            admin_client.get(url)
        return len(statements)

    few = measure()
    for index, criterion in enumerate(default_criteria()):
        criterion.key = f"extra_{index}"
        criterion.position = 10 + index
        cycle.criteria.append(criterion)
    db.session.flush()
    assert measure() == few


def test_an_empty_list_invites_to_create_a_cycle(admin_client):
    html = admin_client.get(path("cycles.list_cycles")).text
    assert "No cycles yet" in html
    assert path("cycles.create_cycle") in html


# --- creating and editing a cycle --------------------------------------------------------------


def test_creating_a_cycle_converts_local_times_and_adds_the_defaults(admin_client, audit_events, payloads):
    response = admin_client.post(path("cycles.create_cycle"), data=payloads.cycle())
    cycle = db.session.scalar(select(Cycle).where(Cycle.fiscal_year == 2031))
    assert response.status_code == 302
    assert response.headers["Location"] == path("cycles.show_cycle", cycle_id=cycle.id)
    assert cycle.phase == Phase.SETUP
    # Typed in Asia/Tokyo (UTC+9), stored in UTC.
    assert cycle.nomination_deadline == datetime(2031, 1, 15, 8, 0, tzinfo=timezone.utc)
    assert cycle.judging_deadline == datetime(2031, 2, 28, 8, 0, tzinfo=timezone.utc)
    assert [c.key for c in cycle.criteria] == ["business_relevance", "sustainability", "novelty"]
    assert [a.region for a in cycle.award_categories] == [Region.JAPAN, Region.OVERSEAS]
    assert len(audit_events("cycle.created", cycle.id)) == 1

    html = admin_client.get(response.headers["Location"]).text
    assert "The cycle FY2031 has been created" in html
    assert "事業との関連性" not in html and "Business relevance" in html


def test_the_create_form_suggests_a_free_fiscal_year_and_explains_its_dates(admin_client, make_cycle):
    from awards_app.cycles.fiscal import fiscal_year_of
    from datetime import date

    current = fiscal_year_of(date.today())
    make_cycle(current)
    html = admin_client.get(path("cycles.create_cycle")).text
    assert input_value(html, "fiscal_year") == str(current + 1)
    assert f"FY{current + 1} runs from April 1, {current}" in html
    assert input_value(html, "scale_min") == "1" and input_value(html, "scale_max") == "5"
    assert 'type="datetime-local"' in html


def test_judging_before_nominations_is_refused_beside_the_field_keeping_the_input(admin_client, payloads):
    typed = payloads.cycle(judging_deadline="2031-01-01T09:30")
    response = admin_client.post(path("cycles.create_cycle"), data=typed)
    assert response.status_code == 200
    html = response.text
    assert "cannot be before the nomination deadline" in field_error(html, "judging_deadline")
    assert field_error(html, "nomination_deadline") == ""
    assert input_value(html, "judging_deadline") == "2031-01-01T09:30"
    assert input_value(html, "nomination_deadline") == "2031-01-15T17:00"
    assert input_value(html, "fiscal_year") == "2031"
    assert "Please correct the field marked below." in html
    assert re.search(r'<input[^>]*aria-describedby="[^"]*judging_deadline-error"[^>]*name="judging_deadline"', html)
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 0


def test_a_duplicate_fiscal_year_is_refused_beside_the_field(admin_client, make_cycle, payloads):
    make_cycle(2031)
    response = admin_client.post(path("cycles.create_cycle"), data=payloads.cycle())
    assert response.status_code == 200
    assert "There is already a cycle for FY2031." in field_error(response.text, "fiscal_year")
    assert input_value(response.text, "nomination_deadline") == "2031-01-15T17:00"
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"fiscal_year": "1850"}, "fiscal_year", "Enter a year from 2000 to 2100."),
        ({"fiscal_year": "next year"}, "fiscal_year", "Enter a fiscal year as a number"),
        ({"fiscal_year": ""}, "fiscal_year", "Enter a fiscal year"),
        ({"nomination_deadline": ""}, "nomination_deadline", "Enter a date and time."),
        ({"nomination_deadline": "15/01/2031"}, "nomination_deadline", "Enter a date and time."),
        ({"scale_min": "5", "scale_max": "5"}, "scale_max", "greater than the lowest"),
        ({"scale_max": "11"}, "scale_max", "between"),
    ],
)
def test_bad_cycle_input_is_explained_beside_its_field(admin_client, changes, field, message, payloads):
    data = payloads.cycle(**changes)
    response = admin_client.post(path("cycles.create_cycle"), data=data)
    assert response.status_code == 200
    assert message.lower() in field_error(response.text, field).lower()
    for name, value in changes.items():
        assert input_value(response.text, name) == value
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 0


def test_the_settings_form_is_prefilled_in_the_admins_time_zone(admin_client, make_cycle):
    cycle = make_cycle(2031, phase=Phase.SETUP,
                       nomination_deadline=datetime(2031, 1, 15, 8, 0, tzinfo=timezone.utc),
                       judging_deadline=datetime(2031, 2, 28, 23, 30, tzinfo=timezone.utc))
    html = admin_client.get(path("cycles.edit_cycle", cycle_id=cycle.id)).text
    assert input_value(html, "nomination_deadline") == "2031-01-15T17:00"
    assert input_value(html, "judging_deadline") == "2031-03-01T08:30"
    assert input_value(html, "fiscal_year") is None  # the year of a cycle does not change
    assert "April 1, 2030" in html and "March 31, 2031" in html


def test_editing_settings_in_setup_changes_deadlines_and_scale(admin_client, make_cycle, audit_events, payloads):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    response = admin_client.post(
        path("cycles.edit_cycle", cycle_id=cycle.id),
        data=payloads.cycle(fiscal_year=None, nomination_deadline="2031-01-20T12:00", scale_min="0", scale_max="10"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    assert cycle.nomination_deadline == datetime(2031, 1, 20, 3, 0, tzinfo=timezone.utc)
    assert (cycle.scale_min, cycle.scale_max) == (0, 10)
    [event] = audit_events("cycle.updated", cycle.id)
    assert event.details["changes"]["scale_max"] == [5, 10]


def test_a_scale_that_would_drop_rubric_text_is_refused_beside_the_field(admin_client, make_cycle, payloads):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    response = admin_client.post(path("cycles.edit_cycle", cycle_id=cycle.id),
                                 data=payloads.cycle(fiscal_year=None, scale_max="3"))
    assert response.status_code == 200
    assert "level 5" in field_error(response.text, "scale_max")
    assert input_value(response.text, "scale_max") == "3"
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).scale_max == 5


def test_after_setup_the_scale_is_shown_but_cannot_be_changed(admin_client, make_cycle, payloads):
    cycle = make_cycle(2031, phase=Phase.JUDGING)
    url = path("cycles.edit_cycle", cycle_id=cycle.id)
    html = admin_client.get(url).text
    assert input_value(html, "scale_max") is None
    assert "The scale can only be changed while the cycle is in setup." in html
    new_deadline = cycle.judging_deadline + timedelta(days=3)
    local = new_deadline.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    response = admin_client.post(url, data=payloads.cycle(
        fiscal_year=None,
        nomination_deadline=cycle.nomination_deadline.astimezone(local.tzinfo).strftime("%Y-%m-%dT%H:%M"),
        judging_deadline=local.strftime("%Y-%m-%dT%H:%M"), scale_max="10",
    ))
    assert response.status_code == 302
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    assert cycle.scale_max == 5
    assert cycle.judging_deadline == new_deadline.replace(second=0, microsecond=0)


def test_a_finalised_cycle_keeps_only_its_results_settings(admin_client, make_cycle, payloads):
    """Deadlines, scale and judging settings are frozen; sharing comments and the signatory stay
    editable (certificates are issued after finalisation)."""
    cycle = make_cycle(2013, phase=Phase.FINALISED)
    before = snapshot(cycle)
    html = admin_client.get(path("cycles.edit_cycle", cycle_id=cycle.id)).text
    assert 'name="judging_deadline"' not in html and 'name="signatory_name_en"' in html
    response = admin_client.post(path("cycles.edit_cycle", cycle_id=cycle.id),
                                 data=payloads.cycle(fiscal_year=None, judging_deadline="2099-01-01T00:00"))
    assert response.status_code == 302
    db.session.expire_all()
    assert snapshot(cycle)[:5] == before[:5]  # deadlines, criteria, categories unchanged
    assert db.session.get(Cycle, cycle.id).share_comments_with_sites is False  # the checkbox was not sent


# --- phases ------------------------------------------------------------------------------------


def change_phase(client, cycle, target, current=None):
    data = {"phase": target}
    if current:
        data["current_phase"] = current
    return client.post(path("cycles.change_phase", cycle_id=cycle.id), data=data, follow_redirects=True)


def test_the_overview_shows_the_stepper_and_the_allowed_transitions(admin_client, make_cycle):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    html = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    current = re.search(r'<li[^>]*aria-current="step"[^>]*>(.*?)</li>', html, re.S).group(1)
    assert "Nominations open" in current
    assert html.count('name="phase"') == 2
    assert 'value="judging"' in html and 'value="setup"' in html and 'value="finalised"' not in html
    # The deadline is 30 days away: starting judging now needs a clear confirmation.
    assert re.search(r'data-confirm="The nomination deadline \([^"]*\) has not passed yet\.', html)


def test_finalising_leads_to_the_awards_page(admin_client, make_cycle):
    cycle = make_cycle(2031, phase=Phase.JUDGING)
    html = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert f'href="{path("awards.show_awards", cycle_id=cycle.id)}#finalise"' in html
    assert 'value="finalised"' not in html


def test_opening_nominations_changes_the_phase_and_is_audited(admin_client, admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    response = change_phase(admin_client, cycle, "nominations_open", "setup")
    assert "FY2031 is now in phase “Nominations open”." in response.text
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).phase == Phase.NOMINATIONS_OPEN
    [event] = audit_events("cycle.phase_changed", cycle.id)
    assert event.details == {"from": "setup", "to": "nominations_open"}
    assert event.actor_id == admin.id


def test_the_whole_life_of_a_cycle_through_the_pages(admin_client, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    for current, target in [("setup", "nominations_open"), ("nominations_open", "judging"),
                            ("judging", "nominations_open"), ("nominations_open", "judging")]:
        change_phase(admin_client, cycle, target, current)
    # Finalising is done on the awards page: the generic phase change sends the admin there.
    response = change_phase(admin_client, cycle, "finalised", "judging")
    assert "The results are finalised on the Awards page" in response.text
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).phase == Phase.JUDGING
    assert [(e.details["from"], e.details["to"]) for e in audit_events("cycle.phase_changed", cycle.id)] == [
        ("setup", "nominations_open"), ("nominations_open", "judging"), ("judging", "nominations_open"),
        ("nominations_open", "judging"),
    ]
    cycle.phase = Phase.FINALISED  # as awards.services.finalise_cycle leaves it
    db.session.commit()
    html = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert 'name="phase"' not in html
    assert "The results are final." in html


@pytest.mark.parametrize(
    ("start", "target"),
    [(Phase.SETUP, "judging"), (Phase.SETUP, "finalised"), (Phase.FINALISED, "judging"), (Phase.JUDGING, "setup")],
)
def test_transitions_outside_the_map_are_refused_with_a_message(admin_client, make_cycle, start, target):
    cycle = make_cycle(2031, phase=start)
    before = snapshot(cycle)
    response = change_phase(admin_client, cycle, target)
    assert "cannot move to" in response.text
    assert 'class="alert alert-danger"' in response.text
    assert snapshot(cycle) == before


def test_an_unknown_phase_is_a_bad_request(admin_client, make_cycle):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    db.session.commit()  # error pages roll back what the request did not commit
    response = admin_client.post(path("cycles.change_phase", cycle_id=cycle.id), data={"phase": "party"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).phase == Phase.SETUP


def test_a_stale_page_changes_nothing(admin_client, make_cycle):
    cycle = make_cycle(2031, phase=Phase.JUDGING)
    before = snapshot(cycle)
    # The admin's page still showed "nominations open" with its "back to setup" button … and its
    # "start judging" button, which someone already used.
    response = change_phase(admin_client, cycle, "judging", "nominations_open")
    assert "changed phase in the meantime" in response.text
    assert snapshot(cycle) == before


def test_opening_nominations_with_a_past_deadline_is_refused(admin_client, make_cycle):
    cycle = make_cycle(2031, phase=Phase.SETUP, nomination_deadline=datetime.now(timezone.utc) - timedelta(days=1))
    html = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert re.search(r"<button[^>]*disabled[^>]*>Open nominations</button>", html)
    assert "The nomination deadline has passed" in html
    response = change_phase(admin_client, cycle, "nominations_open", "setup")
    assert "The nomination deadline has passed. Move it to a later date first." in response.text
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).phase == Phase.SETUP


def test_opening_nominations_without_criteria_or_categories_is_refused(admin_client, make_cycle):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    cycle.criteria.clear()
    cycle.award_categories.clear()
    db.session.flush()
    response = change_phase(admin_client, cycle, "nominations_open", "setup")
    assert "Add at least one criterion first." in response.text
    assert "Add at least one award category first." in response.text
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).phase == Phase.SETUP


def test_back_to_setup_is_refused_when_sites_have_nominated(
    admin_client, make_cycle, make_site, make_nomination, audit_events
):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    make_nomination(cycle, make_site())
    html = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert re.search(r"<button[^>]*disabled[^>]*>Back to setup</button>", html)
    response = change_phase(admin_client, cycle, "setup", "nominations_open")
    assert "cannot go back to setup" in response.text
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).phase == Phase.NOMINATIONS_OPEN
    assert audit_events("cycle.phase_changed") == []


def test_back_to_setup_without_nominations_works(admin_client, make_cycle):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    change_phase(admin_client, cycle, "setup", "nominations_open")
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).phase == Phase.SETUP


# --- criteria ----------------------------------------------------------------------------------


def test_adding_a_criterion_with_a_japanese_rubric_round_trips(login, make_user, make_cycle, audit_events, payloads):
    admin = make_user("admin", locale="ja")
    client = login(admin)
    cycle = make_cycle(2031, phase=Phase.SETUP)
    data = payloads.criterion(
        rubric_1_en="Each on their own.", rubric_1_ja="各自が個別に活動した。",
        rubric_5_ja="部署や世代を越えて協力し、地域の人々も巻き込んだ。",
    )
    response = client.post(path("cycles.create_criterion", cycle_id=cycle.id), data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#criteria")
    criterion = db.session.scalar(select(Criterion).where(Criterion.cycle_id == cycle.id, Criterion.key == "teamwork"))
    assert (criterion.name_ja, criterion.weight, criterion.position) == ("チームワーク", Decimal("1.5"), 3)
    rows = db.session.scalars(
        select(RubricLevel).where(RubricLevel.criterion_id == criterion.id).order_by(RubricLevel.level)
    ).all()
    assert [(r.level, r.text_en, r.text_ja) for r in rows] == [
        (1, "Each on their own.", "各自が個別に活動した。"),
        (5, "", "部署や世代を越えて協力し、地域の人々も巻き込んだ。"),
    ]
    assert len(audit_events("criterion.created", criterion.id)) == 1

    overview = client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert "チームワーク" in overview and "部署や世代を越えて協力し、地域の人々も巻き込んだ。" in overview
    form = client.get(path("cycles.edit_criterion", cycle_id=cycle.id, criterion_id=criterion.id)).text
    assert re.search(r'<textarea[^>]*name="rubric_1_ja"[^>]*>\s*各自が個別に活動した。</textarea>', form)
    assert re.search(r'<textarea[^>]*name="rubric_5_en"[^>]*>\s*</textarea>', form)
    assert input_value(form, "weight") == "1.50"


def test_the_rubric_form_follows_the_cycles_scale(admin_client, make_cycle):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    cycle.scale_min, cycle.scale_max = 0, 3
    for criterion in cycle.criteria:
        criterion.rubric_levels = [r for r in criterion.rubric_levels if r.level <= 3]
    db.session.flush()
    html = admin_client.get(path("cycles.create_criterion", cycle_id=cycle.id)).text
    assert re.findall(r'name="rubric_(\d+)_en"', html) == ["0", "1", "2", "3"]
    assert re.search(r'<label [^>]*for="rubric_0_ja">Level 0 \(Japanese\)</label>', html)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight": "0"}, "weight", "greater than 0"),
        ({"weight": "-1"}, "weight", "greater than 0"),
        ({"weight": "NaN"}, "weight", "greater than 0"),
        ({"weight": "1.234"}, "weight", "two decimal places"),
        ({"weight": "heavy"}, "weight", "Enter a number"),
        ({"key": "Team work!"}, "key", "lower-case letters"),
        ({"key": "1st"}, "key", "Start with a letter"),
        ({"key": "novelty"}, "key", "already uses this key"),
        ({"name_ja": ""}, "name_ja", "required"),
        ({"name_en": "x" * 121}, "name_en", "120"),
    ],
)
def test_bad_criterion_input_is_explained_and_everything_typed_is_kept(
    admin_client, make_cycle, changes, field, message, payloads):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    before = snapshot(cycle)
    data = payloads.criterion(rubric_3_ja="半数が参加した。", **changes)
    response = admin_client.post(path("cycles.create_criterion", cycle_id=cycle.id), data=data)
    assert response.status_code == 200
    html = response.text
    assert message.lower() in field_error(html, field).lower()
    if field != "key":
        assert input_value(html, "key") == "teamwork"
    if field != "name_en":
        assert input_value(html, "name_en") == "Teamwork"
    assert re.search(r'<textarea[^>]*name="rubric_3_ja"[^>]*>\s*半数が参加した。</textarea>', html)
    assert "どのように協力しましたか。" in html
    if field == "weight":
        assert input_value(html, "weight") == changes["weight"]
    assert snapshot(cycle) == before


def test_a_script_in_a_criterion_name_is_shown_as_text(admin_client, make_cycle, payloads):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    evil = '<script>alert("x")</script>'
    response = admin_client.post(
        path("cycles.create_criterion", cycle_id=cycle.id),
        data=payloads.criterion(name_en=evil, rubric_2_en=evil), follow_redirects=True,
    )
    html = response.text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    criterion = db.session.scalar(select(Criterion).where(Criterion.key == "teamwork"))
    assert criterion.name_en == evil  # stored as typed, escaped only when shown
    form = admin_client.get(path("cycles.edit_criterion", cycle_id=cycle.id, criterion_id=criterion.id)).text
    assert "<script>alert" not in form


def test_editing_a_criterion_in_setup_may_change_its_key(admin_client, make_cycle, audit_events, payloads):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    criterion = cycle.criteria[0]
    response = admin_client.post(
        path("cycles.edit_criterion", cycle_id=cycle.id, criterion_id=criterion.id),
        data=payloads.criterion(key="business", name_en="Business", weight="2", rubric_1_en="None."),
    )
    assert response.status_code == 302
    db.session.expire_all()
    criterion = db.session.get(Criterion, criterion.id)
    assert (criterion.key, criterion.name_en, criterion.weight) == ("business", "Business", Decimal("2"))
    assert [(r.level, r.text_en) for r in criterion.rubric_levels] == [(1, "None.")]
    changes = audit_events("criterion.updated", criterion.id)[0].details["changes"]
    assert changes["key"] == ["business_relevance", "business"]
    assert changes["weight"] == ["1.00", "2.00"]
    assert changes["rubric_levels"] == [1, 3, 5]


def test_while_nominations_are_open_criteria_can_be_edited_but_not_rekeyed(admin_client, make_cycle, payloads):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    criterion = cycle.criteria[1]
    url = path("cycles.edit_criterion", cycle_id=cycle.id, criterion_id=criterion.id)
    html = admin_client.get(url).text
    assert input_value(html, "key") is None
    assert "<code>sustainability</code>" in html
    assert input_value(html, "name_en") == "Sustainability"
    assert re.search(r'<textarea[^>]*name="rubric_3_ja"[^>]*>\s*毎年実施している', html)
    response = admin_client.post(url, data=payloads.criterion(key="hacked", name_en="Continuity", weight="2"))
    assert response.status_code == 302
    db.session.expire_all()
    criterion = db.session.get(Criterion, criterion.id)
    assert (criterion.key, criterion.name_en, criterion.weight) == ("sustainability", "Continuity", Decimal("2"))


def test_while_nominations_are_open_criteria_cannot_be_added_or_removed(admin_client, make_cycle, payloads):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    criterion = cycle.criteria[0]
    before = snapshot(cycle)
    response = admin_client.get(path("cycles.create_criterion", cycle_id=cycle.id), follow_redirects=True)
    assert "Criteria can only be added while the cycle is in setup." in response.text
    response = admin_client.post(path("cycles.create_criterion", cycle_id=cycle.id), data=payloads.criterion(),
                                 follow_redirects=True)
    assert "Criteria can only be added while the cycle is in setup." in response.text
    response = admin_client.post(path("cycles.delete_criterion", cycle_id=cycle.id, criterion_id=criterion.id),
                                 follow_redirects=True)
    assert "Criteria can only be removed while the cycle is in setup." in response.text
    assert snapshot(cycle) == before
    overview = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert path("cycles.create_criterion", cycle_id=cycle.id) not in overview
    assert path("cycles.delete_criterion", cycle_id=cycle.id, criterion_id=criterion.id) not in overview
    assert path("cycles.edit_criterion", cycle_id=cycle.id, criterion_id=criterion.id) in overview


@pytest.mark.parametrize("phase", [Phase.JUDGING, Phase.FINALISED])
def test_once_judging_starts_criteria_are_locked(admin_client, make_cycle, phase, payloads):
    cycle = make_cycle(2031, phase=phase)
    criterion = cycle.criteria[0]
    before = snapshot(cycle)
    attempts = [
        ("GET", path("cycles.edit_criterion", cycle_id=cycle.id, criterion_id=criterion.id), None),
        ("POST", path("cycles.edit_criterion", cycle_id=cycle.id, criterion_id=criterion.id),
         payloads.criterion(key="business_relevance", weight="5")),
        ("POST", path("cycles.move_criterion", cycle_id=cycle.id, criterion_id=criterion.id), {"direction": "down"}),
        ("POST", path("cycles.delete_criterion", cycle_id=cycle.id, criterion_id=criterion.id), None),
        ("GET", path("cycles.create_criterion", cycle_id=cycle.id), None),
    ]
    for method, url, data in attempts:
        response = admin_client.open(url, method=method, data=data)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith(path("cycles.show_cycle", cycle_id=cycle.id))
        page = admin_client.get(response.headers["Location"]).text
        assert re.search(r'alert-danger" role="alert">[^<]*(Judging has started|only be)', page), url
    assert snapshot(cycle) == before
    overview = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert "the criteria, weights and rubric are fixed" in overview
    assert path("cycles.edit_criterion", cycle_id=cycle.id, criterion_id=criterion.id) not in overview


def test_deleting_a_criterion_in_setup(admin_client, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    criterion_id = cycle.criteria[0].id
    html = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert 'data-confirm="Delete the criterion “Business relevance” and its rubric?"' in html
    response = admin_client.post(path("cycles.delete_criterion", cycle_id=cycle.id, criterion_id=criterion_id),
                                 follow_redirects=True)
    assert "The criterion “Business relevance” has been removed." in response.text
    db.session.expire_all()
    assert db.session.get(Criterion, criterion_id) is None
    assert [(c.key, c.position) for c in db.session.get(Cycle, cycle.id).criteria] == [
        ("sustainability", 0), ("novelty", 1)
    ]
    assert len(audit_events("criterion.deleted", criterion_id)) == 1


def test_reordering_criteria(admin_client, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    first, second, third = (c.id for c in cycle.criteria)
    html = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    # No "up" for the first, no "down" for the last.
    assert html.count("Move up") == 2 + 1 and html.count("Move down") == 2 + 1  # + award categories
    admin_client.post(path("cycles.move_criterion", cycle_id=cycle.id, criterion_id=third), data={"direction": "up"})
    admin_client.post(path("cycles.move_criterion", cycle_id=cycle.id, criterion_id=first), data={"direction": "down"})
    response = admin_client.post(path("cycles.move_criterion", cycle_id=cycle.id, criterion_id=third),
                                 data={"direction": "sideways"})
    assert response.status_code == 400
    # [1, 2, 3] → third up → [1, 3, 2] → first down → [3, 1, 2]; third is now first.
    response = admin_client.post(path("cycles.move_criterion", cycle_id=cycle.id, criterion_id=third),
                                 data={"direction": "up"}, follow_redirects=True)
    assert "“Novelty of the plan” cannot move further." in response.text
    db.session.expire_all()
    assert [c.id for c in db.session.get(Cycle, cycle.id).criteria] == [third, first, second]
    assert len(audit_events("criterion.moved")) == 2
    html = admin_client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert html.index("1. Novelty of the plan") < html.index("2. Business relevance") < html.index("3. Sustainability")


# --- award categories --------------------------------------------------------------------------


def test_adding_editing_and_deleting_an_award_category(admin_client, make_cycle, audit_events, payloads):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    response = admin_client.post(path("cycles.create_award_category", cycle_id=cycle.id), data=payloads.category(),
                                 follow_redirects=True)
    assert "The award category “Special Prize” has been added." in response.text
    category = db.session.scalar(select(AwardCategory).where(AwardCategory.key == "special_prize"))
    assert (category.name_ja, category.region, category.position) == ("特別賞", Region.OVERSEAS, 2)
    assert len(audit_events("award_category.created", category.id)) == 1

    url = path("cycles.edit_award_category", cycle_id=cycle.id, category_id=category.id)
    form = admin_client.get(url).text
    assert re.search(r'<option selected value="overseas">|<option value="overseas" selected>', form)
    admin_client.post(url, data=payloads.category(name_en="Special Prize for Youth", region="japan"))
    db.session.expire_all()
    category = db.session.get(AwardCategory, category.id)
    assert (category.name_en, category.region) == ("Special Prize for Youth", Region.JAPAN)
    assert audit_events("award_category.updated", category.id)[0].details["changes"]["region"] == ["overseas", "japan"]

    category_id = category.id
    admin_client.post(path("cycles.delete_award_category", cycle_id=cycle.id, category_id=category_id))
    db.session.expire_all()
    assert db.session.get(AwardCategory, category_id) is None
    assert len(audit_events("award_category.deleted", category_id)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"key": "grand_japan"}, "key", "already uses this key"),
        ({"key": "Grand Prize"}, "key", "lower-case letters"),
        ({"region": "mars"}, "region", "Not a valid choice"),
        ({"name_en": ""}, "name_en", "required"),
    ],
)
def test_bad_award_category_input_is_explained(admin_client, make_cycle, changes, field, message, payloads):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    before = snapshot(cycle)
    response = admin_client.post(path("cycles.create_award_category", cycle_id=cycle.id),
                                 data=payloads.category(**changes))
    assert response.status_code == 200
    assert message.lower() in field_error(response.text, field).lower()
    if field != "name_ja":
        assert input_value(response.text, "name_ja") == "特別賞"
    assert snapshot(cycle) == before


def test_award_categories_follow_the_phase_rules(admin_client, make_cycle, payloads):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    category = cycle.award_categories[0]
    before = snapshot(cycle)
    response = admin_client.post(path("cycles.create_award_category", cycle_id=cycle.id), data=payloads.category(),
                                 follow_redirects=True)
    assert "Award categories can only be added while the cycle is in setup." in response.text
    response = admin_client.post(path("cycles.delete_award_category", cycle_id=cycle.id, category_id=category.id),
                                 follow_redirects=True)
    assert "Award categories can only be removed while the cycle is in setup." in response.text
    assert snapshot(cycle) == before

    url = path("cycles.edit_award_category", cycle_id=cycle.id, category_id=category.id)
    assert input_value(admin_client.get(url).text, "key") is None
    admin_client.post(url, data=payloads.category(key="hacked", name_en="Grand Award Japan", region="japan"))
    db.session.expire_all()
    category = db.session.get(AwardCategory, category.id)
    assert (category.key, category.name_en) == ("grand_japan", "Grand Award Japan")

    cycle = db.session.get(Cycle, cycle.id)
    cycle.phase = Phase.JUDGING
    db.session.flush()
    before = snapshot(cycle)
    response = admin_client.post(url, data=payloads.category(key="grand_japan", name_en="Too late", region="japan"),
                                 follow_redirects=True)
    assert "the award categories of this cycle can no longer change" in response.text
    assert snapshot(cycle) == before


# --- language ----------------------------------------------------------------------------------


def test_a_japanese_admin_sees_japanese_names(login, make_user, make_cycle):
    client = login(make_user("admin", locale="ja"))
    cycle = make_cycle(2031, phase=Phase.SETUP)
    html = client.get(path("cycles.show_cycle", cycle_id=cycle.id)).text
    assert '<html lang="ja">' in html
    assert "事業との関連性" in html and "大賞（海外）" in html
    assert "Business relevance" not in html


def test_more_minimum_reviews_than_judges_is_refused_beside_the_field_keeping_the_input(admin_client, payloads):
    typed = payloads.cycle(judges_per_nomination="2", minimum_reviews="3", ranking_method="normalised")
    response = admin_client.post(path("cycles.create_cycle"), data=typed)
    assert response.status_code == 200
    html = response.text
    assert "At most the number of judges per nomination (2)." in field_error(html, "minimum_reviews")
    assert input_value(html, "minimum_reviews") == "3"
    assert re.search(r'<option selected value="normalised">|<option value="normalised" selected>', html)
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 0


def test_a_new_cycle_keeps_its_minimum_and_method(admin_client, payloads):
    admin_client.post(path("cycles.create_cycle"), data=payloads.cycle(minimum_reviews="3", ranking_method="weighted"))
    cycle = db.session.scalar(select(Cycle))
    assert (cycle.minimum_reviews, cycle.ranking_method.value) == (3, "weighted")
