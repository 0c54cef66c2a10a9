"""The nomination form and page through HTTP: create, save, submit, edit, withdraw, the
deadline, bad input, escaping, Japanese text and optimistic locking."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from awards_app.core.enums import Language, NominationStatus, Phase, Theme
from awards_app.extensions import db
from awards_app.nominations import services
from awards_app.nominations.models import TITLE_MAX, Nomination

from .conftest import close_deadline
from .support import ESCAPED_XSS, XSS, checked_value, events, field_error, form_data, input_value, main_text


def _reload(nomination_id: int) -> Nomination:
    db.session.expire_all()
    return db.session.get(Nomination, nomination_id)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Nomination))


def _created_id(response) -> int:
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith("/nominations/")
    return int(location.rsplit("/", 1)[1])


# --- create, save, submit --------------------------------------------------------------------


def test_submitter_saves_a_partial_draft(client, login, world):
    login(world.submitter_a)
    response = client.post(
        f"/nominations/new/{world.cycle.id}",
        data={"language": "en", "title": "Tree planting", "site_id": str(world.site_a.id), "save_draft": "1"},
    )
    nomination = _reload(_created_id(response))
    assert (nomination.status, nomination.title, nomination.site_id) == (NominationStatus.DRAFT, "Tree planting", world.site_a.id)
    assert nomination.cycle_id == world.cycle.id
    assert nomination.created_by_id == world.submitter_a.id
    assert nomination.summary == "" and nomination.participants is None and nomination.theme is None
    assert nomination.submitted_at is None
    assert [(e.action, e.actor_id, e.object_id) for e in events("nomination.created")] == [
        ("nomination.created", world.submitter_a.id, nomination.id)
    ]
    page = client.get(response.headers["Location"], follow_redirects=True).text
    assert "Your draft has been saved" in page
    assert "Before submitting, please fill in" in page
    assert "Summary" in main_text(page)


def test_submitter_with_one_site_is_not_asked_to_choose(client, login, world):
    login(world.submitter_a)
    page = client.get(f"/nominations/new/{world.cycle.id}").text
    assert '<select' not in page.split('name="site_id"')[0][-200:]
    assert input_value(page, "site_id") == str(world.site_a.id)
    assert "SITE-B" not in page
    # The language starts as the user's own.
    assert checked_value(page, "language") == "en"


def test_submitter_with_several_sites_chooses_one(client, login, world, make_user):
    both = make_user("submitter", sites=[world.site_a, world.site_b])
    db.session.commit()
    login(both)
    page = client.get(f"/nominations/new/{world.cycle.id}?site={world.site_b.id}").text
    assert '<select class="form-select" id="site_id" name="site_id"' in page
    assert f'<option selected value="{world.site_b.id}">' in page
    response = client.post(f"/nominations/new/{world.cycle.id}", data=form_data(world.cycle, site_id=str(world.site_b.id)))
    assert _reload(_created_id(response)).site_id == world.site_b.id


def test_submitter_cannot_nominate_for_another_site(client, login, world):
    login(world.submitter_b)
    response = client.post(f"/nominations/new/{world.cycle.id}", data=form_data(world.cycle, site_id=str(world.site_a.id)))
    assert response.status_code == 200
    assert field_error(response.text, "site_id") == "Not a valid choice."
    assert _count() == 0


def test_admin_nominates_for_any_site(client, login, world):
    login(world.admin)
    page = client.get(f"/nominations/new/{world.cycle.id}").text
    assert "SITE-A" in page and "SITE-B" in page
    response = client.post(f"/nominations/new/{world.cycle.id}", data=form_data(world.cycle, site_id=str(world.site_b.id)))
    nomination = _reload(_created_id(response))
    assert nomination.site_id == world.site_b.id and nomination.created_by_id == world.admin.id


def test_inactive_site_cannot_nominate(client, login, world):
    world.site_a.active = False
    db.session.commit()
    login(world.submitter_a)
    assert client.get(f"/nominations/new/{world.cycle.id}").status_code == 403
    assert "New nomination" not in client.get("/nominations").text


def test_create_and_submit_in_one_step(client, login, world):
    login(world.submitter_a)
    response = client.post(
        f"/nominations/new/{world.cycle.id}", data=form_data(world.cycle, action="submit", site_id=str(world.site_a.id))
    )
    nomination = _reload(_created_id(response))
    assert nomination.status == NominationStatus.SUBMITTED
    assert nomination.submitted_at is not None
    assert nomination.theme == Theme.NATURE and nomination.biodiversity is True
    assert nomination.volunteer_hours == Decimal("255.5") and nomination.participants == 85
    assert nomination.language == Language.EN
    assert sorted(s.text for s in nomination.statements) == sorted(
        f"Our statement on {c.name_en}." for c in world.cycle.criteria
    )
    assert [e.action for e in events()] [-2:] == ["nomination.created", "nomination.submitted"]


def test_submitting_requires_every_required_field(client, login, world):
    login(world.submitter_a)
    statement = f"statement_{world.cycle.criteria[1].id}"
    data = form_data(world.cycle, action="submit", site_id=str(world.site_a.id), summary="", participants="",
                     theme=None, **{statement: ""})
    response = client.post(f"/nominations/new/{world.cycle.id}", data=data)
    assert response.status_code == 200
    page = response.text
    for field_id in ("summary", "participants", "theme", statement):
        assert field_error(page, field_id) == "This is required to submit the nomination.", field_id
    assert field_error(page, "title") == ""
    assert "Please correct the 4 fields marked below." in page
    # Everything typed is kept.
    assert input_value(page, "title") == "River clean-up with the city"
    assert input_value(page, "description") == "We cleaned 3 km of riverbank and counted the birds."
    assert input_value(page, "volunteer_hours") == "255.5"
    # ... and saved as a draft, which the form now edits: reloading loses nothing.
    assert "Everything else you typed has been saved in the draft; it is not submitted." in page
    [nomination] = db.session.scalars(select(Nomination)).all()
    assert (nomination.status, nomination.title, nomination.volunteer_hours) == (
        NominationStatus.DRAFT, "River clean-up with the city", Decimal("255.5"))
    assert f'action="/nominations/{nomination.id}/edit"' in page
    assert input_value(page, "version") == str(nomination.version)
    assert input_value(client.get(f"/nominations/{nomination.id}/edit").text, "title") == "River clean-up with the city"


def test_submit_draft_from_its_page(client, login, world, nomination_a):
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/submit", data={"version": str(nomination_a.version)})
    assert response.status_code == 302
    nomination = _reload(nomination_a.id)
    assert nomination.status == NominationStatus.SUBMITTED and nomination.submitted_at is not None
    assert [e.object_id for e in events("nomination.submitted")] == [nomination_a.id]
    page = client.get(f"/nominations/{nomination_a.id}").text
    assert "Your nomination has been submitted" in page
    assert ">Submitted</span>" in page


def test_submit_incomplete_draft_from_its_page_shows_what_is_missing(client, login, world, make_nomination):
    draft = make_nomination(world.cycle, world.site_a, outcomes="", participants=None)
    db.session.commit()
    login(world.submitter_a)
    response = client.post(f"/nominations/{draft.id}/submit", data={"version": str(draft.version)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/nominations/{draft.id}/edit?check=1"
    page = client.get(response.headers["Location"]).text
    assert "Some information required to submit is missing" in page
    assert field_error(page, "outcomes") == "This is required to submit the nomination."
    assert field_error(page, "participants") == "This is required to submit the nomination."
    assert _reload(draft.id).status == NominationStatus.DRAFT


def test_edit_a_draft_then_submit_it(client, login, world, nomination_a):
    login(world.submitter_a)
    page = client.get(f"/nominations/{nomination_a.id}/edit").text
    assert input_value(page, "title") == "Tokyo bay clean-up"
    assert input_value(page, "version") == "1"
    assert checked_value(page, "theme") == "nature"
    response = client.post(f"/nominations/{nomination_a.id}/edit",
                           data=form_data(world.cycle, version=1, title="Tokyo bay clean-up 2"))
    assert response.status_code == 302
    nomination = _reload(nomination_a.id)
    assert nomination.title == "Tokyo bay clean-up 2" and nomination.status == NominationStatus.DRAFT
    assert nomination.version == 2
    updated = events("nomination.updated")
    assert len(updated) == 1 and "title" in updated[0].details["fields"]
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, action="submit", version=2))
    assert response.status_code == 302
    assert _reload(nomination_a.id).status == NominationStatus.SUBMITTED


def test_editing_a_submitted_nomination_keeps_it_submitted_and_complete(client, login, world, make_nomination):
    submitted = make_nomination(world.cycle, world.site_a, status=NominationStatus.SUBMITTED)
    db.session.commit()
    login(world.submitter_a)
    page = client.get(f"/nominations/{submitted.id}/edit").text
    assert "Save changes" in page and 'name="save_draft"' not in page
    # Emptying a required field is refused: a submitted nomination stays complete.
    response = client.post(f"/nominations/{submitted.id}/edit",
                           data=form_data(world.cycle, action="submit", version=submitted.version, summary=""))
    assert response.status_code == 200
    assert field_error(response.text, "summary") == "This is required to submit the nomination."
    assert _reload(submitted.id).summary == "Employees and pupils cleaned the beach."
    # A proper change is saved and the nomination remains submitted.
    response = client.post(f"/nominations/{submitted.id}/edit",
                           data=form_data(world.cycle, action="submit", version=submitted.version, summary="Better."))
    assert response.status_code == 302
    nomination = _reload(submitted.id)
    assert (nomination.summary, nomination.status) == ("Better.", NominationStatus.SUBMITTED)
    assert "remains submitted" in client.get(f"/nominations/{submitted.id}").text


def test_statement_only_change_moves_the_version_on(client, login, world, nomination_a):
    login(world.submitter_a)
    statement = f"statement_{world.cycle.criteria[0].id}"
    data = form_data(world.cycle, version=1, title="Tokyo bay clean-up", **{statement: "A new statement."})
    # Keep every other field as stored so that only the statement differs.
    stored = services.nomination_values(nomination_a)
    data.update(summary=stored["summary"], description=stored["description"], partners=stored["partners"],
                outcomes=stored["outcomes"], title_other=stored["title_other"], participants=str(stored["participants"]),
                volunteer_hours=str(stored["volunteer_hours"]), start_date=stored["start_date"].isoformat(),
                end_date=stored["end_date"].isoformat(), language="en")
    for criterion in world.cycle.criteria[1:]:
        data[f"statement_{criterion.id}"] = f"Statement on {criterion.name_en}."
    assert client.post(f"/nominations/{nomination_a.id}/edit", data=data).status_code == 302
    nomination = _reload(nomination_a.id)
    assert nomination.statement_for(world.cycle.criteria[0].id) == "A new statement."
    assert nomination.version == 2
    assert events("nomination.updated")[-1].details["fields"] == [statement]


# --- withdraw --------------------------------------------------------------------------------------


def test_withdraw_keeps_the_reason_and_ends_editing(client, login, world, nomination_a):
    login(world.submitter_a)
    page = client.get(f"/nominations/{nomination_a.id}").text
    assert 'data-confirm="Withdraw this nomination? This cannot be undone."' in page
    response = client.post(f"/nominations/{nomination_a.id}/withdraw", data={"reason": "The event was cancelled."})
    assert response.status_code == 302
    nomination = _reload(nomination_a.id)
    assert nomination.status == NominationStatus.WITHDRAWN
    assert nomination.status_reason == "The event was cancelled."
    assert nomination.withdrawn_at is not None
    event = events("nomination.withdrawn")[0]
    assert event.details == {"previous_status": "draft", "reason": "The event was cancelled."}
    page = client.get(f"/nominations/{nomination_a.id}").text
    assert "The event was cancelled." in page and ">Withdrawn</span>" in page
    assert f'/nominations/{nomination_a.id}/edit"' not in page
    # Further changes are refused, with the reason on the page.
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, version=nomination.version))
    assert response.status_code == 403
    assert "it can no longer be changed" in response.text
    assert client.post(f"/nominations/{nomination_a.id}/withdraw", data={}).status_code == 403


def test_withdraw_reason_too_long_is_refused_beside_the_field(client, login, world, nomination_a):
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/withdraw", data={"reason": "x" * 1001})
    assert response.status_code == 200
    assert "1000" in field_error(response.text, "reason")
    assert _reload(nomination_a.id).status == NominationStatus.DRAFT


# --- the deadline and the phase -----------------------------------------------------------------


def test_after_the_deadline_every_change_is_refused_and_the_draft_stays(client, login, world, nomination_a, attachment_a):
    close_deadline(world.cycle)
    db.session.commit()
    login(world.submitter_a)

    dashboard = client.get("/nominations").text
    assert "Tokyo bay clean-up" in dashboard
    assert ">Draft</span>" in dashboard and "Not submitted before the deadline" in dashboard
    assert "New nomination" not in dashboard

    page = client.get(f"/nominations/{nomination_a.id}").text
    assert "The nomination deadline of FY" in page and "what was saved is kept" in page
    assert f'/nominations/{nomination_a.id}/edit"' not in page and "Upload" not in page
    assert f"/nominations/{nomination_a.id}/withdraw" not in page

    response = client.get(f"/nominations/{nomination_a.id}/edit")
    assert response.status_code == 302 and response.headers["Location"] == f"/nominations/{nomination_a.id}"

    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, version=1, title="Too late"))
    assert response.status_code == 403
    assert "The nomination deadline of FY" in response.text
    assert input_value(response.text, "title") == "Too late"  # the user's input is not lost

    for url, data in [
        (f"/nominations/{nomination_a.id}/submit", {"version": "1"}),
        (f"/nominations/{nomination_a.id}/withdraw", {}),
        (f"/nominations/attachments/{attachment_a.id}/delete", {}),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 403, url
        assert "The nomination deadline of FY" in response.text

    response = client.get(f"/nominations/new/{world.cycle.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/nominations"
    response = client.post(f"/nominations/new/{world.cycle.id}", data=form_data(world.cycle, title="Late idea"))
    assert response.status_code == 403 and input_value(response.text, "title") == "Late idea"

    nomination = _reload(nomination_a.id)
    assert (nomination.title, nomination.status, nomination.version) == ("Tokyo bay clean-up", NominationStatus.DRAFT, 1)
    assert len(nomination.attachments) == 1 and _count() == 1
    assert events("nomination.updated") == [] and events("attachment.deleted") == []


@pytest.mark.parametrize("phase", [Phase.SETUP, Phase.JUDGING, Phase.FINALISED])
def test_outside_the_nominations_phase_changes_are_refused(client, login, world, nomination_a, phase):
    world.cycle.phase = phase
    db.session.commit()
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, version=1, title="No"))
    assert response.status_code == 403
    assert ("finalised" if phase == Phase.FINALISED else "is not accepting nominations now") in response.text
    assert _reload(nomination_a.id).title == "Tokyo bay clean-up"
    # The nomination is still shown, read-only, with the reason it is closed.
    response = client.get(f"/nominations/{nomination_a.id}")
    assert response.status_code == 200
    text = main_text(response.text)
    assert text.startswith("Tokyo bay clean-up") and "SITE-A — Tokyo Works (Japan)" in text
    assert ("have been finalised" if phase == Phase.FINALISED else f"(phase: {phase.name.title()})") in text
    for action in ("edit", "submit", "attachments"):
        assert f'"/nominations/{nomination_a.id}/{action}"' not in response.text, action


def test_admin_corrects_content_after_the_deadline_but_cannot_submit(client, login, world, nomination_a):
    """Documented choice: admins may correct content until the results are finalised; status
    changes (submit, withdraw, create) follow the window for everyone."""
    world.cycle.phase = Phase.JUDGING
    db.session.commit()
    login(world.admin)
    page = client.get(f"/nominations/{nomination_a.id}").text
    assert "As an administrator you can still correct its content" in page
    edit = client.get(f"/nominations/{nomination_a.id}/edit").text
    assert 'name="save_draft"' in edit and 'name="submit"' not in edit
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, version=1, title="Typo fixed"))
    assert response.status_code == 302
    assert _reload(nomination_a.id).title == "Typo fixed"
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, action="submit", version=2))
    assert response.status_code == 403
    assert _reload(nomination_a.id).status == NominationStatus.DRAFT
    assert client.post(f"/nominations/{nomination_a.id}/withdraw", data={}).status_code == 403

    world.cycle.phase = Phase.FINALISED
    db.session.commit()
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, version=2, title="Later"))
    assert response.status_code == 403
    assert _reload(nomination_a.id).title == "Typo fixed"


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("start_date", "2001-05-01", "The date must lie in FY"),
        ("end_date", "2199-01-01", "The date must lie in FY"),
        ("start_date", "2024-02-30", "Not a valid date value."),
        ("participants", "-3", "Enter a whole number from 0 to 1000000."),
        ("participants", "12.5", "Enter a whole number, such as 25."),
        ("participants", "many", "Enter a whole number, such as 25."),
        ("volunteer_hours", "10.25", "Use at most one decimal place, such as 12.5."),
        ("volunteer_hours", "-1", "Enter a number of hours from 0 to 10000000."),
        ("volunteer_hours", "NaN", "Enter a number, such as 12.5."),
        ("volunteer_hours", "lots", "Enter a number, such as 12.5."),
        ("title", "T" * (TITLE_MAX + 1), f"Field cannot be longer than {TITLE_MAX} characters."),
        ("summary", "bad\x00byte", "This field contains characters that are not allowed."),
        ("theme", "sports", "Not a valid choice."),
    ],
)
@pytest.mark.parametrize("action", ["save_draft", "submit"])
def test_bad_input_gets_a_message_beside_the_field_and_keeps_what_was_typed(
    client, login, world, nomination_a, field, typed, message, action
):
    login(world.submitter_a)
    saved = services.nomination_values(nomination_a)
    data = form_data(world.cycle, action=action, version=1, **{"title": "My typed title", field: typed})
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=data)
    assert response.status_code == 200
    assert message in field_error(response.text, field)
    assert "Please correct the field marked below." in response.text
    if field not in ("theme", "summary"):
        assert input_value(response.text, field) == typed
    if field != "title":
        assert input_value(response.text, "title") == "My typed title"
    assert input_value(response.text, "outcomes") == "400 kg of litter removed."
    # The draft keeps everything else that was typed; the refused field keeps its saved value.
    nomination = _reload(nomination_a.id)
    kept = services.nomination_values(nomination)
    assert nomination.status == NominationStatus.DRAFT and nomination.version == 2
    assert kept[field] == saved[field]
    assert kept["outcomes"] == "400 kg of litter removed."
    assert nomination.title == ("Tokyo bay clean-up" if field == "title" else "My typed title")
    assert input_value(response.text, "version") == "2"


def test_start_after_end_is_refused(client, login, world, nomination_a):
    login(world.submitter_a)
    start = world.cycle.start_date + timedelta(days=100)
    data = form_data(world.cycle, version=1, start_date=start.isoformat(), end_date=(start - timedelta(days=1)).isoformat())
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=data)
    assert response.status_code == 200
    assert field_error(response.text, "end_date") == "The end date cannot be before the start date."
    assert input_value(response.text, "start_date") == start.isoformat()


def test_fiscal_year_edges_are_accepted(client, login, world, nomination_a):
    login(world.submitter_a)
    data = form_data(world.cycle, version=1, start_date=world.cycle.start_date.isoformat(),
                     end_date=world.cycle.end_date.isoformat(), volunteer_hours="0", participants="0")
    assert client.post(f"/nominations/{nomination_a.id}/edit", data=data).status_code == 302
    nomination = _reload(nomination_a.id)
    assert (nomination.start_date, nomination.end_date) == (world.cycle.start_date, world.cycle.end_date)
    assert (nomination.participants, nomination.volunteer_hours) == (0, Decimal("0"))
    assert world.cycle.start_date == date(world.cycle.fiscal_year - 1, 4, 1)


def test_day_before_the_fiscal_year_is_refused_with_the_dates_shown(client, login, world, nomination_a):
    login(world.submitter_a)
    day_before = world.cycle.start_date - timedelta(days=1)
    response = client.post(f"/nominations/{nomination_a.id}/edit",
                           data=form_data(world.cycle, version=1, start_date=day_before.isoformat()))
    year = world.cycle.fiscal_year
    assert field_error(response.text, "start_date") == (
        f"The date must lie in FY{year}: April 1, {year - 1} – March 31, {year}."
    )


# --- escaping and Japanese ------------------------------------------------------------------------


def test_script_in_a_title_is_shown_as_text_everywhere(client, login, world):
    login(world.submitter_a)
    response = client.post(
        f"/nominations/new/{world.cycle.id}",
        data=form_data(world.cycle, site_id=str(world.site_a.id), title=XSS, summary=XSS,
                       **{f"statement_{world.cycle.criteria[0].id}": XSS}),
    )
    nomination_id = _created_id(response)
    assert _reload(nomination_id).title == XSS
    pages = {
        "page": client.get(f"/nominations/{nomination_id}").text,
        "edit": client.get(f"/nominations/{nomination_id}/edit").text,
        "dashboard": client.get("/nominations").text,
    }
    login(world.admin)
    pages["admin dashboard"] = client.get("/nominations").text
    pages["admin page"] = client.get(f"/nominations/{nomination_id}").text
    for name, page in pages.items():
        assert XSS not in page, name
        assert ESCAPED_XSS in page or "&lt;script&gt;alert(1)&lt;/script&gt;" in page.replace("&#34;", '"'), name
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · MDD Awards</title>" in pages["page"]


def test_japanese_text_round_trips(client, login, world, make_user):
    site_user = make_user("submitter", sites=[world.site_a], locale="ja")
    db.session.commit()
    login(site_user)
    page = client.get(f"/nominations/new/{world.cycle.id}").text
    assert '<html lang="ja">' in page
    assert checked_value(page, "language") == "ja"
    assert "事業との関連性" in page  # the criterion's name in the interface language
    data = form_data(world.cycle, action="submit", site_id=str(world.site_a.id), language="ja", title="海岸清掃",
                     title_other="Beach clean-up", summary="社員と家族が海岸を清掃しました。",
                     partners="〇〇市、NPO法人うみ")
    nomination_id = _created_id(client.post(f"/nominations/new/{world.cycle.id}", data=data))
    nomination = _reload(nomination_id)
    assert (nomination.title, nomination.summary, nomination.language) == ("海岸清掃", "社員と家族が海岸を清掃しました。", Language.JA)
    assert "海岸清掃" in client.get(f"/nominations/{nomination_id}").text
    assert "社員と家族が海岸を清掃しました。" in client.get(f"/nominations/{nomination_id}").text
    assert "海岸清掃" in client.get("/nominations").text
    assert input_value(client.get(f"/nominations/{nomination_id}/edit").text, "title") == "海岸清掃"


# --- optimistic locking ----------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_keeps_the_users_input(client, login, world, nomination_a):
    login(world.submitter_a)
    page = client.get(f"/nominations/{nomination_a.id}/edit").text
    assert input_value(page, "version") == "1"
    # Meanwhile the admin saves a change.
    values = services.nomination_values(nomination_a)
    values["title"] = "The admin's title"
    services.update_nomination(world.admin, nomination_a, values, expected_version=1)
    db.session.commit()
    assert _reload(nomination_a.id).version == 2

    response = client.post(f"/nominations/{nomination_a.id}/edit",
                           data=form_data(world.cycle, version=1, title="My title", summary="My summary"))
    assert response.status_code == 409
    assert "your changes have NOT been saved" in response.text
    assert input_value(response.text, "title") == "My title"
    assert input_value(response.text, "summary") == "My summary"
    assert input_value(response.text, "version") == "2"  # saving again deliberately replaces theirs
    assert _reload(nomination_a.id).title == "The admin's title"

    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, version=2, title="My title"))
    assert response.status_code == 302
    assert _reload(nomination_a.id).title == "My title"


def test_a_missing_version_counts_as_stale(client, login, world, nomination_a):
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, title="No version"))
    assert response.status_code == 409
    assert _reload(nomination_a.id).title == "Tokyo bay clean-up"


def test_a_stale_submit_from_the_page_is_refused(client, login, world, nomination_a):
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/submit", data={"version": "0"})
    assert response.status_code == 302
    assert "Someone else changed this nomination" in client.get(response.headers["Location"]).text
    assert _reload(nomination_a.id).status == NominationStatus.DRAFT


# --- the page ----------------------------------------------------------------------------------------


def test_nomination_page_shows_every_field_and_the_history(client, login, world, nomination_a, attachment_a):
    login(world.submitter_a)
    text = main_text(client.get(f"/nominations/{nomination_a.id}").text)
    for expected in ("Tokyo bay clean-up", "地元の学校と海岸清掃", "Nature", "Biodiversity preservation",
                     "Employees and pupils cleaned the beach.", "A long description of the activity.", "120", "360.5",
                     "City of Example; Ocean NPO", "2 tonnes of litter collected.", "Business relevance",
                     "Statement on Sustainability.", "Novelty of the plan", "bay.png", "Created", "Not submitted",
                     "SITE-A", "Tokyo Works"):
        assert expected in text, expected
    page = client.get(f"/nominations/{nomination_a.id}").text
    assert f'src="/nominations/attachments/{attachment_a.id}/thumbnail"' in page
    assert 'alt="bay.png"' in page


def test_a_judge_finds_their_assigned_nominations_in_the_queue(client, login, world, nomination_a, make_nomination,
                                                                 make_assignment, make_sheet):
    """/nominations sends a judge to their queue, which lists the nominations assigned to them,
    submitted sheets too, and nothing else; the menu has no "Nominations" for them."""
    scored = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED, title="Berlin garden")
    make_sheet(make_assignment(scored, world.judge), [3, 3, 3])
    world.cycle.phase = Phase.JUDGING
    db.session.commit()
    login(world.judge)
    response = client.get("/nominations", follow_redirects=True)
    assert response.request.path == "/judging"
    text = main_text(response.text)
    assert "Berlin garden" in text and "1 of 1 submitted" in text
    assert "Tokyo bay clean-up" not in text
    assert 'href="/nominations"' not in response.text


def test_a_concurrent_save_between_check_and_write_is_caught_by_the_version_column(
    client, login, world, nomination_a, monkeypatch
):
    """The explicit version check passes, then another request commits before ours writes: the
    UPDATE ... WHERE version = 1 matches no row, and the user gets the conflict page, not a crash."""
    original = services.check_values

    def check_then_someone_else_saves(values, cycle):
        original(values, cycle)
        db.session.execute(
            text("UPDATE nominations SET version = version + 1, title = 'Concurrent' WHERE id = :id"),
            {"id": nomination_a.id},
        )

    monkeypatch.setattr(services, "check_values", check_then_someone_else_saves)
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, version=1, title="Mine"))
    assert response.status_code == 409
    assert input_value(response.text, "title") == "Mine"
    assert "your changes have NOT been saved" in response.text


def test_fields_left_out_of_the_request_are_saved_as_empty_not_a_crash(client, login, world, nomination_a):
    """Browsers send every field, but a script or an old form may not: that must not be a 500."""
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/edit",
                           data={"version": "1", "language": "ja", "title": "Only this", "save_draft": "1"})
    assert response.status_code == 302
    nomination = _reload(nomination_a.id)
    assert (nomination.title, nomination.title_other, nomination.summary, nomination.participants) == ("Only this", "", "", None)
    assert nomination.statement_for(world.cycle.criteria[0].id) == ""


def test_form_pages_have_headings_and_labels(client, login, world, nomination_a):
    login(world.submitter_a)
    new = client.get(f"/nominations/new/{world.cycle.id}").text
    assert "<title>New nomination · MDD Awards</title>" in new and "<h1>New nomination" in new
    edit = client.get(f"/nominations/{nomination_a.id}/edit").text
    assert "<title>Edit nomination · MDD Awards</title>" in edit
    # Every visible control has a label; groups are fieldsets with legends.
    for name in ("title", "title_other", "summary", "description", "start_date", "end_date", "participants",
                 "volunteer_hours", "partners", "outcomes", "biodiversity",
                 *(f"statement_{c.id}" for c in world.cycle.criteria)):
        assert '<label class="form' in edit and f'for="{name}"' in edit, name
    assert edit.count("<fieldset") >= 7 and edit.count("<legend") == edit.count("<fieldset")
    assert "Business relevance" in edit and "How does the activity relate to our business" in edit


# --- the draft the form saves by itself -------------------------------------------------------------


def test_the_form_saves_a_new_draft_by_itself_and_never_submits(client, login, world):
    login(world.submitter_a)
    page = client.get(f"/nominations/new/{world.cycle.id}").text
    assert f'data-autosave="/nominations/new/{world.cycle.id}/autosave" data-autosave-seconds="30"' in page
    data = form_data(world.cycle, action="submit", site_id=str(world.site_a.id), summary="")
    response = client.post(f"/nominations/new/{world.cycle.id}/autosave", data=data)
    assert response.status_code == 200
    [nomination] = db.session.scalars(select(Nomination)).all()
    assert (nomination.status, nomination.title, nomination.summary) == (
        NominationStatus.DRAFT, "River clean-up with the city", "")
    answer = response.get_json()
    assert re.fullmatch(r"Draft saved at \d{1,2}:\d\d\s?[AP]?M?\.", answer["message"]), answer["message"]
    assert answer == answer | {"version": nomination.version, "edit_url": f"/nominations/{nomination.id}/edit",
                               "autosave_url": f"/nominations/{nomination.id}/autosave"}

    # The next saves go to the draft; a refused field keeps its saved value; still a draft.
    data = form_data(world.cycle, action="submit", version=nomination.version, title="Typed on", participants="-3")
    response = client.post(answer["autosave_url"], data=data)
    assert response.status_code == 200
    assert "without the fields that need correcting" in response.get_json()["message"]
    nomination = _reload(nomination.id)
    assert (nomination.status, nomination.title, nomination.participants) == (NominationStatus.DRAFT, "Typed on", 85)
    assert [e.action for e in events("nomination.submitted")] == []
    assert "data-autosave=" in client.get(answer["edit_url"]).text


def test_autosave_refuses_a_submitted_nomination_and_a_stale_version(client, login, world, nomination_a):
    login(world.submitter_a)
    url = f"/nominations/{nomination_a.id}/autosave"
    response = client.post(url, data=form_data(world.cycle, version=99, title="Stale"))
    assert response.status_code == 409 and "someone else changed" in response.get_json()["message"]
    client.post(f"/nominations/{nomination_a.id}/submit", data={"version": str(nomination_a.version)})
    assert _reload(nomination_a.id).status == NominationStatus.SUBMITTED
    assert "data-autosave=" not in client.get(f"/nominations/{nomination_a.id}/edit").text
    version = _reload(nomination_a.id).version
    response = client.post(url, data=form_data(world.cycle, version=version, title="Half-typed change"))
    assert response.status_code == 403
    assert _reload(nomination_a.id).title == "Tokyo bay clean-up"


def test_autosave_needs_the_csrf_token(client, login, world, nomination_a, app, monkeypatch):
    login(world.submitter_a)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/nominations/{nomination_a.id}/autosave"
    assert client.post(url, data=form_data(world.cycle, version=1, title="Forged")).status_code == 400
    assert _reload(nomination_a.id).title == "Tokyo bay clean-up"
    token = input_value(client.get(f"/nominations/{nomination_a.id}/edit").text, "csrf_token")
    response = client.post(url, data=form_data(world.cycle, version=1, title="Mine", csrf_token=token))
    assert response.status_code == 200
    assert _reload(nomination_a.id).title == "Mine"


def test_autosave_says_when_in_japanese(client, login, world, nomination_a):
    world.submitter_a.locale = "ja"
    db.session.commit()
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/autosave", data=form_data(world.cycle, version=1))
    assert re.fullmatch(r"\d{1,2}:\d\dに下書きを保存しました。", response.get_json()["message"])
