"""Every rule of the URL map, for every kind of visitor: exactly the status each one gets.

One row per (endpoint, method) of the whole application; test_every_route_has_a_row fails as
soon as a route is added without a row here, so a new route cannot ship without its check.
The columns are the parties of PRODUCT.md's "Who may do what": an anonymous visitor, the
submitter of site A (the nominating site), the submitter of site B, the judge assigned to site A's
nomination, a judge who belongs to site A (never assignable to it: conflict of interest), and an
admin. POSTs send empty or invalid data, so that an allowed request shows its form again or is
refused by the service, changing little; every test is rolled back anyway.

The per-feature matrices (tests/*/test_access.py, tests/main/test_route_matrix.py) test more
objects per route; this one guarantees that no route is left out of all of them.
"""
from __future__ import annotations

import pytest
from flask import url_for


ROLES = ("anonymous", "submitter_a", "submitter_b", "judge", "judge_conflict", "admin")

ANON_LOGIN = 302  # anonymous visitors of a protected page are sent to the login page
ADMIN_ONLY = (ANON_LOGIN, 403, 403, 403, 403)

# The objects a row's URL is built from (see the `world` fixture).
CYCLE = lambda w: {"cycle_id": w.cycle.id}
NOMINATION = lambda w: {"nomination_id": w.nomination.id}
DRAFT = lambda w: {"nomination_id": w.draft.id}
ATTACHMENT = lambda w: {"attachment_id": w.attachment.id}
ASSIGNMENT = lambda w: {"assignment_id": w.assignment.id}
SHEET = lambda w: {"sheet_id": w.sheet.id}
USER = lambda w: {"user_id": w.other_user.id}
SITE = lambda w: {"site_id": w.site_a.id}
CRITERION = lambda w: {"cycle_id": w.cycle.id, "criterion_id": w.cycle.criteria[0].id}
CATEGORY = lambda w: {"cycle_id": w.cycle.id, "category_id": w.cycle.award_categories[0].id}
FINAL = lambda w: {"cycle_id": w.final.id}
CERTIFICATE = lambda w: {"cycle_id": w.final.id, "certificate_id": w.certificate.id}
NONE = lambda w: {}
ACTIVITY = lambda w: {"activity_id": w.activity.id}
OWN_SITE = lambda w: {"site": w.site_a.id}
SITE_ONLY = (ANON_LOGIN, 200, 404, 403, 403, 200)  # site A's submitter and admins; B's sees nothing


def ROUND2(w, *, shortlisted: bool = True) -> dict:  # noqa: N802 — a row value like the others
    """{cycle} judged in two rounds: its first round closed, and site A's nomination on the
    second round's shortlist (unless not `shortlisted`: then it may be added by hand)."""
    from datetime import timedelta

    from sqlalchemy import select

    from awards_app.core.models import utcnow
    from awards_app.extensions import db
    from awards_app.judging.models import JudgingRound, ShortlistEntry

    rounds = db.session.scalars(select(JudgingRound).where(JudgingRound.cycle_id == w.cycle.id)
                                .order_by(JudgingRound.number)).all()
    if len(rounds) == 1:
        rounds[0].closed_at, rounds[0].closed_reason = utcnow(), "First round done"
        second = JudgingRound(cycle_id=w.cycle.id, number=2, name="Final panel",
                              judging_deadline=w.cycle.judging_deadline + timedelta(days=30))
        db.session.add(second)
        db.session.flush()
        if shortlisted:
            db.session.add(ShortlistEntry(round_id=second.id, nomination_id=w.nomination.id))
        db.session.commit()
        rounds.append(second)
    return {"round_id": rounds[1].id}


def ROUND1_NOMINATION(w) -> dict:  # noqa: N802 — a row value like the others
    """The world's nomination in its cycle's first round."""
    from awards_app.judging.queries import get_round

    return {"round_id": get_round(w.cycle).id, "nomination_id": w.nomination.id}


def MESSAGE(w) -> dict:  # noqa: N802 — a row value like the others
    from awards_app.core.models import utcnow
    from awards_app.extensions import db
    from awards_app.notifications.outbox import queue_message

    notification_id = queue_message("password_changed", w.submitter_a, f"url-map:{w.submitter_a.id}",
                                    subject="Hello", template="password_changed", name="x", when=utcnow(),
                                    link="http://localhost/")
    db.session.commit()
    return {"notification_id": notification_id}

# endpoint, method, URL values, form data, expected status per role (see ROLES).
# {cycle}: the cycle in judging, with site A's submitted nomination assigned to the judge (a draft
# sheet with scores) and a photo; {draft}: site A's draft in a cycle open for nominations;
# {final}: a finalised cycle whose Grand Award went to {winner}, site A's nomination, with its
# certificate issued. The `world` fixture is in conftest.py.
TABLE = [
    # main
    ("main.index", "GET", NONE, None, (200, 302, 302, 302, 302, 302)),
    ("main.healthz", "GET", NONE, None, (200, 200, 200, 200, 200, 200)),
    ("main.set_language", "POST", NONE, {"locale": "ja"}, (302, 302, 302, 302, 302, 302)),
    # accounts
    ("accounts.login", "GET", NONE, None, (200, 302, 302, 302, 302, 302)),
    ("accounts.login", "POST", NONE, {}, (200, 302, 302, 302, 302, 302)),
    ("accounts.logout", "POST", NONE, {}, (302, 302, 302, 302, 302, 302)),
    ("accounts.edit_profile", "GET", NONE, None, (302, 200, 200, 200, 200, 200)),
    ("accounts.edit_profile", "POST", NONE, {"name": ""}, (302, 200, 200, 200, 200, 200)),
    ("accounts.change_password", "GET", NONE, None, (302, 200, 200, 200, 200, 200)),
    ("accounts.change_password", "POST", NONE, {}, (302, 200, 200, 200, 200, 200)),
    ("accounts.end_session", "POST", lambda w: {"login_id": w.other_session.id}, {}, (302, 404, 404, 404, 404, 404)),
    ("accounts.end_other_sessions", "POST", NONE, {}, (302, 302, 302, 302, 302, 302)),
    ("accounts.accept_invitation", "GET", lambda w: {"token": "not-a-real-token"}, None, (404,) * 6),
    ("accounts.accept_invitation", "POST", lambda w: {"token": "not-a-real-token"}, {}, (404,) * 6),
    ("accounts.request_password_reset", "GET", NONE, None, (200,) * 6),
    ("accounts.request_password_reset", "POST", NONE, {"email": ""}, (200,) * 6),
    ("accounts.reset_password", "GET", lambda w: {"token": "not-a-real-token"}, None, (404,) * 6),
    ("accounts.reset_password", "POST", lambda w: {"token": "not-a-real-token"}, {}, (404,) * 6),
    ("accounts.list_users", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("accounts.invite_user", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("accounts.invite_user", "POST", NONE, {"email": ""}, (*ADMIN_ONLY, 200)),
    ("accounts.edit_user", "GET", USER, None, (*ADMIN_ONLY, 200)),
    ("accounts.edit_user", "POST", USER, {"name": ""}, (*ADMIN_ONLY, 200)),
    ("accounts.reinvite_user", "POST", USER, {}, (*ADMIN_ONLY, 302)),
    ("accounts.set_user_active", "POST", USER, {}, (*ADMIN_ONLY, 302)),
    # sites, audit
    # activities
    ("activities.list_activities", "GET", OWN_SITE, None, SITE_ONLY),
    ("activities.create_activity", "GET", OWN_SITE, None, SITE_ONLY),
    ("activities.create_activity", "POST", OWN_SITE, {}, SITE_ONLY),
    ("activities.edit_activity", "GET", ACTIVITY, None, SITE_ONLY),
    ("activities.edit_activity", "POST", ACTIVITY, {}, SITE_ONLY),
    ("activities.delete_activity", "POST", ACTIVITY, {}, (ANON_LOGIN, 302, 404, 403, 403, 302)),
    ("activities.download_template", "GET", NONE, None, (ANON_LOGIN, 200, 200, 403, 403, 200)),
    ("activities.upload_import", "GET", OWN_SITE, None, SITE_ONLY),
    ("activities.upload_import", "POST", OWN_SITE, {}, SITE_ONLY),
    ("activities.confirm_import", "POST", lambda w: {"token": "0" * 32, "site": w.site_a.id}, {},
     (ANON_LOGIN, 404, 404, 403, 403, 404)),
    ("activities.edit_reporting_year", "GET", lambda w: {"fiscal_year": 2013}, None, (*ADMIN_ONLY, 200)),
    ("activities.edit_reporting_year", "POST", lambda w: {"fiscal_year": 2013}, {}, (*ADMIN_ONLY, 200)),
    # sites
    ("sites.list_sites", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("sites.create_site", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("sites.create_site", "POST", NONE, {"code": ""}, (*ADMIN_ONLY, 200)),
    ("sites.edit_site", "GET", SITE, None, (*ADMIN_ONLY, 200)),
    ("sites.edit_site", "POST", SITE, {"code": ""}, (*ADMIN_ONLY, 200)),
    ("audit.list_events", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    # cycles. Criteria and award categories are locked once judging has started: the admin is sent
    # back to the cycle (302); everyone else is refused before that.
    ("cycles.list_cycles", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("cycles.create_cycle", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("cycles.create_cycle", "POST", NONE, {}, (*ADMIN_ONLY, 200)),
    ("cycles.show_cycle", "GET", CYCLE, None, (*ADMIN_ONLY, 200)),
    ("cycles.edit_cycle", "GET", CYCLE, None, (*ADMIN_ONLY, 200)),
    ("cycles.edit_cycle", "POST", CYCLE, {}, (*ADMIN_ONLY, 200)),
    ("cycles.change_phase", "POST", CYCLE, {}, (*ADMIN_ONLY, 400)),
    ("cycles.create_criterion", "GET", CYCLE, None, (*ADMIN_ONLY, 302)),
    ("cycles.create_criterion", "POST", CYCLE, {}, (*ADMIN_ONLY, 302)),
    ("cycles.edit_criterion", "GET", CRITERION, None, (*ADMIN_ONLY, 302)),
    ("cycles.edit_criterion", "POST", CRITERION, {}, (*ADMIN_ONLY, 302)),
    ("cycles.delete_criterion", "POST", CRITERION, {}, (*ADMIN_ONLY, 302)),
    ("cycles.move_criterion", "POST", CRITERION, {}, (*ADMIN_ONLY, 400)),
    ("cycles.create_award_category", "GET", CYCLE, None, (*ADMIN_ONLY, 302)),
    ("cycles.create_award_category", "POST", CYCLE, {}, (*ADMIN_ONLY, 302)),
    ("cycles.edit_award_category", "GET", CATEGORY, None, (*ADMIN_ONLY, 302)),
    ("cycles.edit_award_category", "POST", CATEGORY, {}, (*ADMIN_ONLY, 302)),
    ("cycles.delete_award_category", "POST", CATEGORY, {}, (*ADMIN_ONLY, 302)),
    ("cycles.move_award_category", "POST", CATEGORY, {}, (*ADMIN_ONLY, 400)),
    # nominations
    # Judges are sent to their queue: they nominate nothing.
    ("nominations.dashboard", "GET", NONE, None, (302, 200, 200, 302, 302, 200)),
    ("nominations.create_nomination", "GET", lambda w: {"cycle_id": w.open.id}, None, (302, 200, 200, 403, 403, 200)),
    ("nominations.create_nomination", "POST", lambda w: {"cycle_id": w.open.id}, {}, (302, 200, 200, 403, 403, 200)),
    ("nominations.view_nomination", "GET", NOMINATION, None, (302, 200, 404, 200, 404, 200)),
    ("nominations.edit_nomination", "GET", DRAFT, None, (302, 200, 404, 404, 404, 200)),
    ("nominations.edit_nomination", "POST", DRAFT, {}, (302, 200, 404, 404, 404, 200)),
    # The form's own saves (a refused field answers 400 with a line for the page).
    ("nominations.autosave_new_nomination", "POST", lambda w: {"cycle_id": w.open.id}, {},
     (302, 400, 400, 403, 403, 400)),
    ("nominations.autosave_nomination", "POST", DRAFT, {}, (302, 400, 404, 404, 404, 400)),
    ("nominations.submit_nomination", "POST", DRAFT, {}, (302, 400, 404, 404, 404, 400)),
    ("nominations.withdraw_nomination", "POST", DRAFT, {}, (302, 302, 404, 404, 404, 302)),
    ("nominations.upload_attachment", "POST", DRAFT, {}, (302, 200, 404, 404, 404, 200)),
    ("nominations.download_attachment", "GET", ATTACHMENT, None, (302, 200, 404, 200, 404, 200)),
    ("nominations.view_attachment", "GET", ATTACHMENT, None, (302, 200, 404, 200, 404, 200)),
    ("nominations.view_thumbnail", "GET", ATTACHMENT, None, (302, 200, 404, 200, 404, 200)),
    # The photo's nomination is in judging: site A may no longer delete it; the assigned judge, who
    # may see it, is told no (403) rather than that it does not exist.
    ("nominations.delete_attachment", "POST", ATTACHMENT, {}, (302, 403, 404, 403, 404, 302)),
    # judging
    ("judging.show_queue", "GET", NONE, None, (302, 403, 403, 200, 200, 403)),
    ("judging.score_nomination", "GET", ASSIGNMENT, None, (302, 403, 403, 200, 404, 403)),
    ("judging.score_nomination", "POST", ASSIGNMENT, {}, (302, 403, 403, 422, 404, 403)),
    ("judging.declare_conflict", "POST", ASSIGNMENT, {}, (302, 403, 403, 422, 404, 403)),
    ("judging.list_assignments", "GET", CYCLE, None, (*ADMIN_ONLY, 200)),
    ("judging.update_panel", "POST", lambda w: {"cycle_id": w.cycle.id, "region": "japan"}, {}, (*ADMIN_ONLY, 302)),
    ("judging.assign_automatically", "POST", CYCLE, {}, (*ADMIN_ONLY, 302)),
    ("judging.add_assignment", "POST", NOMINATION, {}, (*ADMIN_ONLY, 302)),
    ("judging.remove_assignment", "POST", ASSIGNMENT, {}, (*ADMIN_ONLY, 409)),
    ("judging.mark_ineligible", "POST", NOMINATION, {}, (*ADMIN_ONLY, 302)),
    ("judging.restore_eligibility", "POST", NOMINATION, {}, (*ADMIN_ONLY, 302)),
    ("judging.show_sheet", "GET", SHEET, None, (*ADMIN_ONLY, 200)),
    ("judging.reopen_sheet", "POST", SHEET, {}, (*ADMIN_ONLY, 302)),
    ("judging.show_ranking", "GET", CYCLE, None, (*ADMIN_ONLY, 200)),
    ("judging.show_progress", "GET", CYCLE, None, (*ADMIN_ONLY, 200)),
    ("judging.close_judging", "POST", CYCLE, {}, (*ADMIN_ONLY, 422)),
    ("judging.show_results", "GET", NOMINATION, None, (*ADMIN_ONLY, 200)),
    ("judging.show_method", "GET", NONE, None, (ANON_LOGIN, 200, 200, 200, 200, 200)),
    ("judging.list_rounds", "GET", CYCLE, None, (*ADMIN_ONLY, 200)),
    ("judging.add_round", "POST", CYCLE, {}, (*ADMIN_ONLY, 422)),
    ("judging.promote_shortlist", "POST", ROUND2, {}, (*ADMIN_ONLY, 422)),
    ("judging.add_to_shortlist", "POST", ROUND2, {}, (*ADMIN_ONLY, 422)),
    ("judging.remove_from_shortlist", "POST", ROUND2, {}, (*ADMIN_ONLY, 422)),
    ("judging.edit_round", "GET", ROUND2, None, (*ADMIN_ONLY, 200)),
    ("judging.edit_round", "POST", ROUND2, {}, (*ADMIN_ONLY, 422)),
    # Publishing site A's shortlisted nomination (back to the rounds page); withdrawing what is not
    # published is refused there, with the reason flashed.
    ("judging.publish_shortlist", "POST", ROUND2, {}, (*ADMIN_ONLY, 302)),
    ("judging.withdraw_shortlist", "POST", ROUND2, {}, (*ADMIN_ONLY, 302)),
    # The world's first round has no deliberation: the judge's posts are refused (403), and so is the
    # admin's opening (back to the ranking with the reason).
    ("judging.revise_scores", "POST", ASSIGNMENT, {}, (302, 403, 403, 403, 404, 403)),
    ("judging.post_discussion_message", "POST", ASSIGNMENT, {}, (302, 403, 403, 403, 404, 403)),
    ("judging.open_deliberation", "POST", ROUND1_NOMINATION, {}, (*ADMIN_ONLY, 302)),
    # awards
    ("awards.show_awards", "GET", CYCLE, None, (*ADMIN_ONLY, 200)),
    ("awards.decide_award", "POST", CATEGORY, {}, (*ADMIN_ONLY, 422)),
    ("awards.clear_award", "POST", CATEGORY, {}, (*ADMIN_ONLY, 302)),
    ("awards.finalise_cycle", "POST", CYCLE, {}, (*ADMIN_ONLY, 422)),
    # certificates
    ("certificates.verify_certificate", "GET", lambda w: {"code": w.certificate.code}, None, (200,) * 6),
    # The winning site's own certificate, from its nomination's page; nobody else's.
    ("certificates.download_nomination_certificate", "GET",
     lambda w: {"nomination_id": w.winner.id, "certificate_id": w.certificate.id}, None,
     (302, 200, 404, 404, 404, 200)),
    ("certificates.list_certificates", "GET", FINAL, None, (*ADMIN_ONLY, 200)),
    ("certificates.issue_certificates", "POST", FINAL, {}, (*ADMIN_ONLY, 302)),
    ("certificates.download_certificate", "GET", CERTIFICATE, None, (*ADMIN_ONLY, 200)),
    ("certificates.download_certificates", "GET", FINAL, None, (*ADMIN_ONLY, 200)),
    ("certificates.revoke_certificate", "GET", CERTIFICATE, None, (*ADMIN_ONLY, 200)),
    ("certificates.revoke_certificate", "POST", CERTIFICATE, {"reason": ""}, (*ADMIN_ONLY, 200)),
    ("certificates.reissue_certificate", "POST", CERTIFICATE, {}, (*ADMIN_ONLY, 302)),
    # exports, stats
    ("exports.list_exports", "GET", CYCLE, None, (*ADMIN_ONLY, 200)),
    ("exports.download_export", "GET", lambda w: {"cycle_id": w.cycle.id, "kind": "nominations", "fmt": "csv"},
     None, (*ADMIN_ONLY, 200)),
    ("stats.show_overview", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("stats.show_programme", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("stats.show_programme_year", "GET", lambda w: {"fiscal_year": w.activity.fiscal_year}, None, (*ADMIN_ONLY, 200)),
    ("exports.download_programme", "GET", lambda w: {"fmt": "xlsx"}, None, (*ADMIN_ONLY, 200)),
    ("exports.download_programme_table", "GET",
     lambda w: {"fiscal_year": w.activity.fiscal_year, "key": "site", "fmt": "csv"}, None, (*ADMIN_ONLY, 200)),
    ("stats.show_cycle_stats", "GET", CYCLE, None, (*ADMIN_ONLY, 200)),
    ("stats.download_cycle_table", "GET", lambda w: {"cycle_id": w.cycle.id, "key": "site", "fmt": "csv"}, None,
     (*ADMIN_ONLY, 200)),
    ("stats.download_overview_table", "GET", lambda w: {"key": "totals", "fmt": "xlsx"}, None, (*ADMIN_ONLY, 200)),
    # winners: {final}'s page is every logged-in user's (not public); its award has no photo chosen
    ("winners.list_winner_years", "GET", NONE, None, (200,) * 6),
    ("winners.show_winners", "GET", lambda w: {"fiscal_year": w.final.fiscal_year}, None, (ANON_LOGIN, *(200,) * 5)),
    ("winners.view_winner_photo", "GET",
     lambda w: {"fiscal_year": w.final.fiscal_year, "decision_id": w.certificate.decision_id}, None,
     (ANON_LOGIN, *(404,) * 5)),
    ("winners.choose_winner_photo", "POST", lambda w: {"cycle_id": w.final.id, "decision_id": w.certificate.decision_id},
     {}, (*ADMIN_ONLY, 422)),
    ("winners.set_winners_visibility", "POST", FINAL, {}, (*ADMIN_ONLY, 422)),
    # notifications: the outbox (a message to site A's submitter), the progress page's reminder
    ("notifications.list_outbox", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("notifications.compose_message", "GET", NONE, None, (*ADMIN_ONLY, 200)),
    ("notifications.compose_message", "POST", NONE, {}, (*ADMIN_ONLY, 200)),
    ("notifications.show_notification", "GET", MESSAGE, None, (*ADMIN_ONLY, 200)),
    ("notifications.retry_notification", "POST", MESSAGE, {}, (*ADMIN_ONLY, 302)),
    ("notifications.cancel_notification", "POST", MESSAGE, {}, (*ADMIN_ONLY, 302)),
    ("notifications.remind_judge", "POST", lambda w: {"cycle_id": w.cycle.id, "judge_id": w.judge.id}, {},
     (*ADMIN_ONLY, 302)),
]

CASES = [
    pytest.param(endpoint, method, values, data, role, expected[ROLES.index(role)], id=f"{method} {endpoint} {role}")
    for endpoint, method, values, data, expected in TABLE
    for role in ROLES
]


@pytest.mark.parametrize("endpoint, method, values, data, role, expected", CASES)
def test_route_answers_role(client, login, world, endpoint, method, values, data, role, expected):
    if role != "anonymous":
        login(getattr(world, role))
    url = url_for(endpoint, **values(world))
    response = client.open(url, method=method, data=data)
    response.close()  # served files stay open until the response is closed
    assert response.status_code == expected
    if expected == ANON_LOGIN and role == "anonymous" and endpoint not in ANONYMOUS_REDIRECTS:
        assert response.headers["Location"].startswith("/login?next=")


# Where an anonymous visitor is redirected elsewhere than to the login page.
ANONYMOUS_REDIRECTS = {"main.set_language", "accounts.logout"}


def test_every_route_has_a_row(app):
    """A route (endpoint and method) added to the application without a row here fails."""
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    rows = [(endpoint, method) for endpoint, method, _values, _data, _expected in TABLE]
    assert routes - set(rows) == set(), "routes without a row in tests/security/test_url_map.py"
    assert set(rows) - routes == set(), "rows for routes that no longer exist"
    assert len(rows) == len(set(rows)), "one row per route"


def test_every_row_has_a_status_per_role():
    assert all(len(expected) == len(ROLES) for *_row, expected in TABLE)
