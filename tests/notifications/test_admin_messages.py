"""An admin writes to a group: preview with the recipients, then send, each in their language."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from awards_app.core.enums import NominationStatus, Phase
from awards_app.extensions import db
from awards_app.notifications.models import Notification
from core.support import Page
from tests.notifications.support import html, plain


@pytest.fixture
def world(make_site, make_user, make_cycle, make_nomination, make_assignment, make_sheet):
    quiet_site, busy_site = make_site("QUIET"), make_site("BUSY")
    cycle = make_cycle(phase=Phase.JUDGING)
    nomination = make_nomination(cycle, busy_site, status=NominationStatus.SUBMITTED)
    people = {
        "admin": make_user("admin", email="admin@example.com"),
        "quiet": make_user("submitter", sites=[quiet_site], email="quiet@example.com", locale="ja", name="静か"),
        "busy": make_user("submitter", sites=[busy_site], email="busy@example.com"),
        "late": make_user("judge", email="late@example.com", name="Late Judge"),
        "done": make_user("judge", email="done@example.com", name="Done Judge"),
        "gone": make_user("judge", email="gone@example.com", active=False),
    }
    make_assignment(nomination, people["late"])
    make_sheet(make_assignment(nomination, people["done"]), [3, 3, 3])
    return cycle, people


def data(cycle, **changes):
    values = {"cycle": str(cycle.id), "group": "judges_unfinished", "subject_en": "Please finish",
              "subject_ja": "採点のお願い", "body_en": "Dear judges,\n<b>thank you</b>.", "body_ja": "審査員の皆様\nよろしく。"}
    values.update(changes)
    return values


def test_preview_then_send_to_judges_with_unfinished_sheets(login, client, world, smtp, events):
    cycle, people = world
    login(people["admin"])
    page = Page(client.post("/admin/messages", data=data(cycle, action="preview")))
    assert "1 recipient" in page.main_text and "late@example.com" in page.main_text
    assert "done@example.com" not in page.main_text and smtp.messages == []
    response = client.post("/admin/messages", data=data(cycle, action="send"))
    assert response.status_code == 302
    [message] = smtp.messages
    assert message["To"] == "late@example.com" and message["Subject"] == "Please finish"
    assert "<b>thank you</b>" in plain(message) and "&lt;b&gt;thank you&lt;/b&gt;" in html(message)
    assert events("notification.admin_message")[0].details["recipients"] == 1


@pytest.mark.parametrize("group, expected", [
    ("submitters_without_submission", {"quiet@example.com"}),
    ("all_judges", {"late@example.com", "done@example.com"}),
    ("winners", set()),
])
def test_the_groups(login, client, world, smtp, group, expected):
    cycle, people = world
    login(people["admin"])
    client.post("/admin/messages", data=data(cycle, group=group, action="send"))
    assert {row.email for row in db.session.scalars(select(Notification))} == expected


def test_each_recipient_reads_their_language(login, client, world, smtp):
    cycle, people = world
    login(people["admin"])
    client.post("/admin/messages", data=data(cycle, group="submitters_without_submission", action="send"))
    [message] = smtp.messages
    assert message["Subject"] == "採点のお願い" and "審査員の皆様" in plain(message)


@pytest.mark.parametrize("field, value, error", [
    ("subject_en", "", "This field is required."),
    ("subject_ja", "x" * 151, "Field cannot be longer than 150 characters."),
    ("body_en", "a\u202eb", "This field contains characters that are not allowed."),
    ("group", "everyone", "Not a valid choice."),
])
def test_bad_input_is_refused_beside_the_field_and_kept(login, client, world, smtp, field, value, error):
    cycle, people = world
    login(people["admin"])
    response = client.post("/admin/messages", data=data(cycle, **{field: value}, action="send"))
    assert response.status_code == 200
    page = Page(response)
    assert page.field_error(field) == error
    assert smtp.messages == []
    if field != "group":
        assert value.strip() in page.response.get_data(as_text=True) or not value
