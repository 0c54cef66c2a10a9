"""Hostile and random values posted to every form: never a server error, never unescaped markup.

Every POST route of the URL map has a row in FORMS (test_every_post_route_has_a_row fails when a
route is added without one): who posts it, to which objects of the `world` (tests/security/
conftest.py), and which page shows the form. The test reads the form's fields from that page, as a
browser would (names with their prefixes, the options of radios, check boxes and selects, hidden
values). It posts a fixed SWEEP first (NUL, control characters, markup, 100,000 characters, a
formula, numbers no database integer holds: in every text field, then in every field), then
hypothesis-drawn data (form_data): mostly the page's own values with one to three fields made
hostile, so that the hostile text gets stored and shown, sometimes every field hostile. Hostile
values (payloads.field_value) are the corpus of payloads.py, random text with control
characters, huge and negative numbers, odd number spellings, a field sent twice or left out. It
asserts that the answer is below 500 and that neither it, nor
the page it redirects to, nor the pages that show what the form stores, hold payload markup
unescaped. The forms that search (GET) are fuzzed the same way (GET_FORMS), and
test_every_search_form_has_a_row walks every page to find them.

Each example runs inside its own SAVEPOINT, rolled back afterwards, so the examples of one test
do not see each other's data. FUZZ_EXAMPLES=200 runs more examples per form.
"""
from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from awards_app.accounts import services as account_services
from awards_app.accounts.models import PasswordReset
from awards_app.awards.models import AwardDecision
from awards_app.core import tokens
from awards_app.core.enums import NominationStatus, Phase, SheetStatus
from awards_app.core.models import utcnow
from awards_app.extensions import db, limiter
from awards_app.notifications.models import Notification, NotificationState
from tests.conftest import log_in, png_bytes
from tests.security import payloads
from tests.security.forms import Field, fields_of, forms_on
from tests.security.test_url_map import (
    ACTIVITY,
    ASSIGNMENT,
    ATTACHMENT,
    CERTIFICATE,
    CYCLE,
    DRAFT,
    FINAL,
    NOMINATION,
    NONE,
    OWN_SITE,
    ROLES,
    ROUND1_NOMINATION,
    ROUND2,
    SHEET,
    SITE,
    TABLE,
    USER,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- which form, as whom, on which page --------------------------------------------------------

OPEN = lambda w: {"cycle_id": w.open.id}
OPEN_CRITERION = lambda w: {"cycle_id": w.open.id, "criterion_id": w.open.criteria[1].id}
OPEN_CATEGORY = lambda w: {"cycle_id": w.open.id, "category_id": w.open.award_categories[1].id}
CATEGORY = lambda w: {"cycle_id": w.cycle.id, "category_id": w.cycle.award_categories[0].id}
WINNERS_YEAR = lambda w: {"fiscal_year": w.final.fiscal_year}
WINNER_DECISION = lambda w: {"cycle_id": w.final.id, "decision_id": w.certificate.decision_id}


def _page(endpoint: str, values: Callable = NONE) -> Callable:
    return lambda w: url_for(endpoint, **values(w))


def _invitation(w) -> dict:
    token = account_services.issue_invitation(w.admin, w.other_user, days=7)
    db.session.commit()
    return {"token": token}


def _password_reset(w) -> dict:
    token = "fuzz-password-reset-token"
    db.session.add(PasswordReset(user_id=w.other_user.id, token_hash=tokens.hash_token(token),
                                 expires_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    return {"token": token}


def _message(state: NotificationState) -> Callable:
    """A message to site A's submitter in `state` (the outbox page of a failed one offers to send it
    again; of a queued one, to cancel it)."""

    def prepare(w) -> dict:
        db.session.add(Notification(kind="password_changed", idempotency_key=f"fuzz:{state.value}",
                                    recipient_id=w.submitter_a.id, email=w.submitter_a.email, subject="Hello",
                                    body_text="Hello", body_html="<p>Hello</p>", state=state))
        db.session.commit()
        return {"notification_id": db.session.scalar(select(Notification.id).where(
            Notification.idempotency_key == f"fuzz:{state.value}"))}

    return prepare


def _submitted_sheet(w) -> dict:
    w.sheet.status = SheetStatus.SUBMITTED
    db.session.commit()
    return SHEET(w)


def _deliberating(w) -> dict:
    """The judge's sheet submitted in a round whose panels deliberate on every nomination: the
    scoring page shows the revision form and the discussion."""
    from awards_app.core.enums import Deliberation
    from awards_app.judging.queries import get_round

    get_round(w.cycle).deliberation = Deliberation.ALL
    w.sheet.status = SheetStatus.SUBMITTED
    db.session.commit()
    return ASSIGNMENT(w)


def _in_setup(values: Callable) -> Callable:
    """`values` of the cycle open for nominations, put back in setup: criteria and award
    categories can be changed only then."""

    def prepare(w) -> dict:
        w.open.phase = Phase.SETUP
        db.session.commit()
        return values(w)

    return prepare


def _ineligible(w) -> dict:
    w.nomination.status = NominationStatus.INELIGIBLE
    w.nomination.status_reason = "Outside the fiscal year"
    db.session.commit()
    return NOMINATION(w)


def _decided(w) -> dict:
    category = w.cycle.award_categories[0]
    db.session.add(AwardDecision(cycle_id=w.cycle.id, category_id=category.id, nomination_id=w.nomination.id,
                                 proposed_nomination_id=w.nomination.id, decided_by_id=w.admin.id))
    db.session.commit()
    return CATEGORY(w)


@dataclass(frozen=True)
class Form:
    role: str  # one of test_url_map.ROLES
    values: Callable  # world → the URL's values (may prepare the world, before any example)
    page: Callable | None = None  # world → the page that shows the form; default: the route's GET
    shows: tuple[Callable, ...] = ()  # world → pages that show what the form stores
    examples: int = EXAMPLES
    # The field names of a form that no page of the world shows (page is then not read).
    fields: tuple[str, ...] | None = None
    # world → values a new record needs, where the page leaves the field empty
    valid: Callable = lambda w: {}
    # A route that a script posts another form's fields to (a draft saved as the user types):
    # the endpoint of that form, on the page, built from the same values.
    same_fields_as: str | None = None


NOMINATION_PAGES = (_page("nominations.view_nomination", DRAFT), _page("nominations.dashboard"))
USERS_PAGES = (_page("accounts.list_users"),)
ACTIVITY_PAGES = (_page("activities.list_activities", OWN_SITE), _page("activities.edit_activity", ACTIVITY))

FORMS: dict[str, Form] = {
    "main.set_language": Form("anonymous", NONE, _page("main.index")),
    "accounts.login": Form("anonymous", NONE),
    "accounts.logout": Form("submitter_a", NONE, _page("accounts.edit_profile")),
    "accounts.edit_profile": Form("submitter_a", NONE),
    "accounts.change_password": Form("submitter_a", NONE),
    "accounts.end_session": Form("submitter_a", lambda w: {"login_id": w.other_session.id}, _page("accounts.edit_profile"),
                                 fields=()),
    "accounts.end_other_sessions": Form("submitter_a", NONE, _page("accounts.edit_profile"), fields=()),
    "accounts.accept_invitation": Form("anonymous", _invitation),
    "accounts.request_password_reset": Form("anonymous", NONE),
    "notifications.retry_notification": Form("admin", _message(NotificationState.FAILED),
                                             lambda w: url_for("notifications.list_outbox"), fields=()),
    "notifications.cancel_notification": Form("admin", _message(NotificationState.QUEUED),
                                              lambda w: url_for("notifications.list_outbox"), fields=()),
    "notifications.compose_message": Form("admin", NONE, valid=lambda w: {"cycle": str(w.cycle.id)}),
    "judging.close_judging": Form("admin", lambda w: {"cycle_id": w.cycle.id},
                                  lambda w: url_for("judging.show_progress", cycle_id=w.cycle.id)),
    "notifications.remind_judge": Form("admin", lambda w: {"cycle_id": w.cycle.id, "judge_id": w.judge.id},
                                       lambda w: url_for("judging.show_progress", cycle_id=w.cycle.id)),
    "accounts.reset_password": Form("anonymous", _password_reset),
    "accounts.invite_user": Form("admin", NONE, shows=USERS_PAGES,
                                 valid=lambda w: {"email": "new.judge@example.com", "name": "New Judge",
                                                  "roles": "judge"}),
    "accounts.edit_user": Form("admin", USER, shows=USERS_PAGES),
    "accounts.reinvite_user": Form("admin", USER, _page("accounts.edit_user", USER)),
    "accounts.set_user_active": Form("admin", USER, _page("accounts.edit_user", USER)),
    "sites.create_site": Form("admin", NONE, shows=(_page("sites.list_sites"),),
                              valid=lambda w: {"code": "FUZZ-1", "name_en": "Fuzz", "name_ja": "ファズ", "country": "JP"}),
    "sites.edit_site": Form("admin", SITE, shows=(_page("sites.list_sites"),)),
    "activities.create_activity": Form("submitter_a", OWN_SITE, shows=ACTIVITY_PAGES, valid=lambda w: {
        "title": "Fuzz", "theme": "nature", "start_date": w.activity.start_date.isoformat(),
        "end_date": w.activity.end_date.isoformat(), "participants": "3", "volunteer_hours": "4.5"}),
    "activities.edit_activity": Form("submitter_a", ACTIVITY, shows=ACTIVITY_PAGES),
    "activities.delete_activity": Form("submitter_a", ACTIVITY, _page("activities.edit_activity", ACTIVITY)),
    "activities.upload_import": Form("submitter_a", OWN_SITE),
    # Shown only after a valid upload (tests/activities/test_import.py); an unknown token is a 404.
    "activities.confirm_import": Form("submitter_a", lambda w: {"token": "0" * 32, "site": w.site_a.id}, fields=()),
    "activities.edit_reporting_year": Form("admin", lambda w: {"fiscal_year": 2013},
                                           shows=(_page("activities.list_activities", lambda w: {"fy": 2013}),)),
    "cycles.create_cycle": Form("admin", NONE, valid=lambda w: {
        "fiscal_year": "2090", "nomination_deadline": "2089-06-01T17:00", "judging_deadline": "2089-09-01T17:00"}),
    "cycles.edit_cycle": Form("admin", OPEN, shows=(_page("cycles.show_cycle", OPEN),)),
    "cycles.change_phase": Form("admin", OPEN, _page("cycles.show_cycle", OPEN)),
    "cycles.create_criterion": Form("admin", _in_setup(OPEN), shows=(_page("cycles.show_cycle", OPEN),),
                                    valid=lambda w: {"key": "fuzz", "name_en": "Fuzz", "name_ja": "ファズ"}),
    "cycles.edit_criterion": Form("admin", _in_setup(OPEN_CRITERION), shows=(_page("cycles.show_cycle", OPEN),)),
    "cycles.delete_criterion": Form("admin", _in_setup(OPEN_CRITERION), _page("cycles.show_cycle", OPEN)),
    "cycles.move_criterion": Form("admin", _in_setup(OPEN_CRITERION), _page("cycles.show_cycle", OPEN)),
    "cycles.create_award_category": Form("admin", _in_setup(OPEN), shows=(_page("cycles.show_cycle", OPEN),),
                                         valid=lambda w: {"key": "fuzz", "name_en": "Fuzz", "name_ja": "ファズ",
                                                          "region": "japan"}),
    "cycles.edit_award_category": Form("admin", _in_setup(OPEN_CATEGORY),
                                       shows=(_page("cycles.show_cycle", OPEN),)),
    "cycles.delete_award_category": Form("admin", _in_setup(OPEN_CATEGORY), _page("cycles.show_cycle", OPEN)),
    "cycles.move_award_category": Form("admin", _in_setup(OPEN_CATEGORY), _page("cycles.show_cycle", OPEN)),
    "nominations.create_nomination": Form("submitter_a", OPEN, shows=(_page("nominations.dashboard"),),
                                          examples=2 * EXAMPLES, valid=lambda w: {"title": "Fuzz"}),
    "nominations.edit_nomination": Form("submitter_a", DRAFT, shows=NOMINATION_PAGES, examples=2 * EXAMPLES),
    "nominations.autosave_new_nomination": Form("submitter_a", OPEN, _page("nominations.create_nomination", OPEN),
                                                shows=(_page("nominations.dashboard"),), examples=2 * EXAMPLES,
                                                valid=lambda w: {"title": "Fuzz"},
                                                same_fields_as="nominations.create_nomination"),
    "nominations.autosave_nomination": Form("submitter_a", DRAFT, _page("nominations.edit_nomination", DRAFT),
                                            shows=NOMINATION_PAGES, examples=2 * EXAMPLES,
                                            same_fields_as="nominations.edit_nomination"),
    "nominations.submit_nomination": Form("submitter_a", DRAFT, _page("nominations.view_nomination", DRAFT)),
    "nominations.withdraw_nomination": Form("submitter_a", DRAFT, _page("nominations.view_nomination", DRAFT),
                                            shows=NOMINATION_PAGES),
    "nominations.upload_attachment": Form("submitter_a", DRAFT, _page("nominations.view_nomination", DRAFT),
                                          shows=(_page("nominations.view_nomination", DRAFT),)),
    "nominations.delete_attachment": Form("admin", ATTACHMENT, _page("nominations.view_nomination", NOMINATION)),
    "judging.score_nomination": Form("judge", ASSIGNMENT, examples=2 * EXAMPLES),
    "judging.add_round": Form("admin", CYCLE, _page("judging.list_rounds", CYCLE), valid=lambda w: {
        "judging_deadline": (w.cycle.judging_deadline + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M")}),
    "judging.promote_shortlist": Form("admin", ROUND2, _page("judging.list_rounds", CYCLE)),
    "judging.add_to_shortlist": Form("admin", lambda w: ROUND2(w, shortlisted=False), _page("judging.list_rounds", CYCLE)),
    "judging.remove_from_shortlist": Form("admin", ROUND2, _page("judging.list_rounds", CYCLE)),
    "judging.edit_round": Form("admin", ROUND2, shows=(_page("judging.list_rounds", CYCLE),)),
    "judging.publish_shortlist": Form("admin", ROUND2, _page("judging.list_rounds", CYCLE), fields=(),
                                      shows=(_page("nominations.view_nomination", NOMINATION),)),
    "judging.withdraw_shortlist": Form("admin", ROUND2, _page("judging.list_rounds", CYCLE), fields=()),
    "judging.revise_scores": Form("judge", _deliberating, _page("judging.score_nomination", ASSIGNMENT)),
    "judging.post_discussion_message": Form("judge", _deliberating, _page("judging.score_nomination", ASSIGNMENT)),
    # The button shows only beside a nomination flagged for disagreement in a FLAGGED round.
    "judging.open_deliberation": Form("admin", ROUND1_NOMINATION, _page("judging.show_ranking", CYCLE), fields=()),
    "judging.declare_conflict": Form("judge", ASSIGNMENT, _page("judging.score_nomination", ASSIGNMENT),
                                     shows=(_page("judging.show_queue"),)),
    "judging.update_panel": Form("admin", lambda w: {"cycle_id": w.cycle.id, "region": "japan"},
                                 _page("judging.list_assignments", CYCLE)),
    "judging.assign_automatically": Form("admin", CYCLE, _page("judging.list_assignments", CYCLE)),
    "judging.add_assignment": Form("admin", NOMINATION, _page("judging.list_assignments", CYCLE)),
    "judging.remove_assignment": Form("admin", ASSIGNMENT, _page("judging.list_assignments", CYCLE)),
    "judging.mark_ineligible": Form("admin", NOMINATION, _page("judging.list_assignments", CYCLE),
                                    shows=(_page("nominations.view_nomination", NOMINATION),)),
    "judging.restore_eligibility": Form("admin", _ineligible, _page("judging.list_assignments", CYCLE)),
    "judging.reopen_sheet": Form("admin", _submitted_sheet, _page("judging.show_sheet", SHEET),
                                 shows=(_page("judging.show_sheet", SHEET),)),
    "awards.decide_award": Form("admin", CATEGORY, _page("awards.show_awards", CYCLE)),
    "awards.clear_award": Form("admin", _decided, _page("awards.show_awards", CYCLE)),
    # Offered only once every award has a winner; the service refuses it otherwise.
    "awards.finalise_cycle": Form("admin", CYCLE, fields=("confirm",)),
    # Offered only while an award has no certificate; in the world, every one has.
    "certificates.issue_certificates": Form("admin", FINAL, fields=()),
    "certificates.revoke_certificate": Form("admin", CERTIFICATE,
                                            shows=(_page("certificates.list_certificates", FINAL),)),
    "certificates.reissue_certificate": Form("admin", CERTIFICATE, _page("certificates.list_certificates", FINAL)),
    "winners.choose_winner_photo": Form("admin", WINNER_DECISION, _page("winners.show_winners", WINNERS_YEAR)),
    "winners.set_winners_visibility": Form("admin", FINAL, _page("winners.show_winners", WINNERS_YEAR),
                                           shows=(_page("winners.list_winner_years"),)),
}

# The forms that search or filter a list (method GET): who uses them, on which page.
GET_FORMS: dict[str, Form] = {
    "accounts.list_users": Form("admin", NONE),
    "activities.list_activities": Form("submitter_a", NONE),
    "audit.list_events": Form("admin", NONE),
    "notifications.list_outbox": Form("admin", NONE),
    "nominations.dashboard": Form("admin", NONE),  # the filters are for admins
    "judging.show_queue": Form("judge", NONE),
}


# --- hypothesis ---------------------------------------------------------------------------------------

files = st.builds(
    lambda content, name: (io.BytesIO(content), name),
    st.one_of(st.binary(max_size=2000), st.sampled_from([b"%PDF-1.4\n%%EOF", b"\x89PNG\r\n\x1a\n", b"<svg/>"]),
              st.just(png_bytes())),  # a real photo, so that the hostile file name gets stored and shown
    st.one_of(st.sampled_from(["photo.png", "../../etc/passwd", "x.pdf\x00.exe", "<img src=x onerror=alert(1)>.png",
                               "報告書.pdf", "a" * 300 + ".pdf"]), payloads.any_text),
)


def _hostile(draw, item: Field):
    if item.kind == "file":
        return draw(st.one_of(files, st.none(), payloads.hostile_text))
    return draw(payloads.field_value(item.choices, item.default))


@st.composite
def form_data(draw, fields: dict[str, Field], valid: dict[str, str]) -> dict:
    """One request's data. Mostly a valid form (the page's own values, and `valid` for what a new
    record needs) with hostile values in one to three fields, so that they get stored and shown;
    otherwise hostile values, or none, in every field."""
    names = sorted(fields)
    if names and draw(st.integers(0, 2)):
        chosen = draw(st.sets(st.sampled_from(names), min_size=1, max_size=3))
    else:
        chosen = set(names)
    data = {}
    for name in names:
        value = _hostile(draw, fields[name]) if name in chosen else valid.get(name, fields[name].default)
        if value is not None:
            data[name] = value
    return data


# --- the tests ----------------------------------------------------------------------------------------


@dataclass
class Target:
    url: str
    fields: dict[str, Field]
    shows: list[str]
    valid: dict[str, str]


def _log_in(client, world, role: str) -> None:
    if role != "anonymous":
        log_in(client, getattr(world, role))


def _target(client, world, endpoint: str, form: Form, method: str) -> Target:
    """Log in, build the URLs and read the form's fields: all before the first example, since the
    examples' rollbacks leave the world's ORM objects unusable."""
    assert form.role in ROLES
    values = form.values(world)
    url = url_for(endpoint, **values)
    page_url = form.page(world) if form.page else url
    shows = [show(world) for show in form.shows]
    _log_in(client, world, form.role)
    if form.fields is not None:
        fields = {name: Field("text") for name in form.fields}
    else:
        page = client.get(page_url)
        assert page.status_code == 200, page_url
        action = url_for(form.same_fields_as, **values) if form.same_fields_as else url
        fields = fields_of(page.get_data(as_text=True), page_url, action, method)
    valid = form.valid(world)
    assert set(valid) <= set(fields), "valid values for fields the form does not have"
    db.session.commit()
    return Target(url, fields, shows, valid)


def check_page(response, what: str) -> None:
    assert response.status_code < 500, f"{response.status_code} from {what}"
    if response.mimetype == "text/html":
        found = payloads.unescaped_markup(response.get_data(as_text=True))
        assert not found, f"unescaped {found} in {what}"


class Savepoint:
    """One example's database work, rolled back at the end (the test's own transaction stays)."""

    def __enter__(self):
        db.session.close()
        self.savepoint = db.session.get_bind().begin_nested()

    def __exit__(self, *exc):
        db.session.close()
        if self.savepoint.is_active:
            self.savepoint.rollback()


# Posted to every form in any case, before the random examples: each in every field at once.
SWEEP = [payloads.BY_NAME[name] for name in ("nul", "c0_controls", "script", "long", "formula_cmd")] + [
    "9" * 400, "-9223372036854775809", "2147483648", "1e400",
]


def sweep(fields: dict[str, Field]):
    """For each SWEEP value: once in every text field (choices keep the page's value, so that the
    text gets as far as it can), once in every field."""
    for value in SWEEP:
        yield {name: value if item.kind == "text" else (item.default or (item.choices or [""])[0])
               for name, item in fields.items() if item.kind != "file"}
        yield {name: value for name, item in fields.items() if item.kind != "file"}


def run_example(client, target: Target, method: str, data: dict) -> None:
    limiter.reset()  # so that login attempts are not all answered 429 once the limit is reached
    with Savepoint():
        if method == "post":
            response = client.post(target.url, data=data)
        else:
            response = client.get(target.url, query_string=data)
        response.close()
        check_page(response, f"{method.upper()} {target.url}")
        redirected = response.status_code in (301, 302, 303) and response.location.startswith("/")
        if redirected:
            check_page(client.get(response.location), f"{response.location} after {target.url}")
        if redirected or (response.is_json and response.status_code == 200):  # a draft saved by the script
            for show in target.shows:
                check_page(client.get(show), f"{show} after {target.url}")


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_form_survives_hostile_values(client, world, endpoint):
    form = FORMS[endpoint]
    target = _target(client, world, endpoint, form, "post")
    for data in sweep(target.fields):
        run_example(client, target, "post", data)

    @settings(FUZZ_SETTINGS, max_examples=form.examples)
    @given(data=form_data(target.fields, target.valid))
    def post(data):
        run_example(client, target, "post", data)

    post()


@pytest.mark.parametrize("endpoint", sorted(GET_FORMS))
def test_search_form_survives_hostile_values(client, world, endpoint):
    form = GET_FORMS[endpoint]
    target = _target(client, world, endpoint, form, "get")
    text_fields = {name: item for name, item in target.fields.items() if item.kind != "file"}
    text_fields.setdefault("page", Field("text", ["1", "2"]))  # what the lists' page links send
    for data in sweep(text_fields):
        run_example(client, target, "get", data)

    @settings(FUZZ_SETTINGS, max_examples=form.examples)
    @given(data=form_data(text_fields, {}))
    def search(data):
        run_example(client, target, "get", data)

    search()


def test_every_post_route_has_a_row(app):
    """A POST route added to the application without a row in FORMS fails here."""
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert routes - set(FORMS) == set(), "POST routes without a row in tests/security/test_fuzz.py"
    assert set(FORMS) - routes == set(), "rows for POST routes that no longer exist"


def test_every_search_form_has_a_row(client, world):
    """Every GET page of the URL map (tests/security/test_url_map.py), seen by every role that may
    see it: each search form on it sends to a route that has a row in GET_FORMS."""
    found = set()
    for role in ROLES:
        _log_in(client, world, role)
        for endpoint, method, values, _data, expected in TABLE:
            if method != "GET" or expected[ROLES.index(role)] != 200:
                continue
            url = url_for(endpoint, **values(world))
            response = client.get(url)
            response.close()
            if response.mimetype != "text/html":
                continue
            for form in forms_on(response.get_data(as_text=True), url):
                if form.method == "get":
                    found.add(app_endpoint(client, form.action))
        client.post("/logout")
    assert found - set(GET_FORMS) == set(), "search forms without a row in GET_FORMS"
    assert set(GET_FORMS) - found == set(), "rows for search forms that no page shows"


def app_endpoint(client, path: str) -> str:
    adapter = client.application.url_map.bind("localhost")
    endpoint, _values = adapter.match(path, method="GET")
    return endpoint


@pytest.mark.parametrize("path", [
    "/admin/cycles/99999999999999999999999",
    "/admin/cycles/9223372036854775808/settings",
    "/admin/audit/?object_id=99999999999999999999999",
    "/admin/audit/?page=99999999999999999999999",
    "/admin/users?page=92233720368547758",
    "/admin/audit/?object_id=2147483648",
    "/nominations?site=-99999999999999999999999&page=99999999999999999999999",
])
def test_numbers_no_database_holds_are_refused_quietly(client, world, path):
    """A number too large for a database integer, in a URL or a query argument, is a 404 or is
    ignored; it used to reach the driver, which raised (SQLite: OverflowError) — a 500."""
    _log_in(client, world, "admin")
    assert client.get(path).status_code in (200, 404)
