"""Blind review (issue 15, item 3): a round may hide the nominating site from its judges.

Whatever a judge of a blind round can reach — every page and file linked from where they land,
the forms they post, the messages they are sent — never shows the site's name (English and
Japanese), code, country, the people who entered the nomination, or the attachments' original
file names; the same judge in a round that is not blind sees them, and admins always do.
Conflicts of interest are enforced by the server all the same."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import pytest
from flask_migrate import downgrade, upgrade
from PIL import Image
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session

from awards_app import PROJECT_ROOT, create_app
from awards_app.core.enums import NominationStatus, Phase, Region
from awards_app.cycles.defaults import default_award_categories, default_criteria
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging import queries, services
from awards_app.judging.models import Assignment, JudgingRound, ShortlistEntry
from awards_app.notifications import reminders
from awards_app.notifications.models import Notification
from core.support import Page
from tests.conftest import PDF_BYTES, scratch_database

PHOTO_NAME = "Berlin team with Bernd Bauer.jpg"
PDF_NAME = "SITE-B annual report Berlin Office.pdf"
# What a judge of a blind round must never see of site B's nomination, in either language. The
# country is looked for outside the lists every user chooses from (the account page's time zones).
SECRETS = ("Berlin Office", "ベルリン事業所", "SITE-B", "Bernd", "Berlin team", "annual report")
COUNTRY = ("Germany", "ドイツ")


def _photo_with_exif() -> bytes:
    """A JPEG whose EXIF names the photographer and where it was taken."""
    exif = Image.Exif()
    exif[0x013B] = "Bernd Bauer, SITE-B"  # Artist
    exif[0x8298] = "Berlin Office"  # Copyright
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 140, 90)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def nominated(world, make_nomination, make_assignment, make_attachment):
    """Site B's submitted nomination (entered by its submitter Bernd B) with a photo and a PDF whose
    names give the site away (added by an admin: the cycle is in judging), assigned to the world's judge in
    round 1."""
    nomination = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED, created_by=world.submitter_b)
    photo = make_attachment(nomination, world.admin, PHOTO_NAME, _photo_with_exif())
    pdf = make_attachment(nomination, world.admin, PDF_NAME, PDF_BYTES)
    assignment = make_assignment(nomination, world.judge)
    return type("Nominated", (), {"nomination": nomination, "photo": photo, "pdf": pdf, "assignment": assignment})


def _make_blind(judging_round: JudgingRound, blind: bool = True) -> None:
    judging_round.blind = blind
    db.session.commit()


def _exposed(response) -> str:
    """Everything a response shows: its headers (a download's file name) and its body (a file's
    bytes read as text: a name written inside it shows too)."""
    shown = str(response.headers) + response.get_data().decode("utf-8", errors="replace")
    response.close()  # served files stay open until the response is closed
    return shown


def _crawl(client, *starts: str, limit: int = 60) -> dict[str, tuple[int, str]]:
    """GET every page and file of this site linked (href, src) from `starts`, following links and
    redirects; static files left out. Returns url → (status, what it exposed)."""
    seen: dict[str, tuple[int, str]] = {}
    waiting = list(starts)
    while waiting and len(seen) < limit:
        url = waiting.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        status, html = response.status_code, response.mimetype.startswith("text/html")
        location = response.headers.get("Location")
        seen[url] = (status, _exposed(response))
        if location:
            waiting.append(urlsplit(urljoin(url, location))._replace(scheme="", netloc="").geturl())
        elif html:
            for link in re.findall(r'(?:href|src)="([^"#]+)', seen[url][1]):
                link = link.replace("&amp;", "&")
                if link.startswith("/") and not link.startswith(("/static/", "//")) and link not in seen:
                    waiting.append(link)
    return seen


def _judge_sees(client, login, world, nominated, locale: str) -> dict[str, str]:
    world.judge.locale = locale
    db.session.commit()
    login(world.judge)
    # Where a judge lands, and the nomination's own page (not linked from judging, but theirs to open).
    crawled = _crawl(client, "/", f"/nominations/{nominated.nomination.id}")
    assert all(status in (200, 302) for status, _shown in crawled.values()), crawled.keys()
    pages = {url: shown for url, (_status, shown) in crawled.items()}
    # The forms the judge posts show the scoring page again: a refused save, an empty conflict.
    assignment = nominated.assignment.id
    refused = client.post(f"/judging/{assignment}", data={"action": "save", "version": "x"})
    empty = client.post(f"/judging/{assignment}/conflict", data={})
    assert (refused.status_code, empty.status_code) == (422, 422)
    pages["POST score"], pages["POST conflict"] = _exposed(refused), _exposed(empty)
    return pages


# --- what a judge of a blind round reaches ------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "ja"])
def test_a_blind_rounds_judge_never_sees_the_site_anywhere(client, login, world, nominated, upload_folder, locale):
    _make_blind(queries.get_round(world.cycle))
    pages = _judge_sees(client, login, world, nominated, locale)
    reached = set(pages)
    # The crawl did reach the nomination's pages and both files, not only the queue.
    for url in (f"/judging/{nominated.assignment.id}", f"/nominations/{nominated.nomination.id}",
                f"/nominations/attachments/{nominated.photo.id}", f"/nominations/attachments/{nominated.pdf.id}/view",
                f"/nominations/attachments/{nominated.photo.id}/thumbnail"):
        assert url in reached, url
    for url, shown in pages.items():
        for secret in SECRETS:
            assert secret not in shown, (url, secret)
        outside_lists = re.sub(r"<option[^>]*>.*?</option>", "", shown, flags=re.S)
        for country in COUNTRY:
            assert country not in outside_lists, (url, country)
    # It is still the nomination, with its region and its files under neutral names.
    score_page = pages[f"/judging/{nominated.assignment.id}"]
    assert "Beach clean-up with local schools" in score_page
    photo, pdf = ("写真 1.jpg", "添付資料 2.pdf") if locale == "ja" else ("Photo 1.jpg", "Attachment 2.pdf")
    assert photo in score_page and pdf in score_page
    assert ("海外" if locale == "ja" else "Overseas") in score_page
    download = pages[f"/nominations/attachments/{nominated.pdf.id}"]
    assert "attachment;" in download and ("filename*=UTF-8''%E6%B7%BB" if locale == "ja"
                                          else 'filename="Attachment 2.pdf"') in download


def test_the_photos_a_judge_gets_carry_no_metadata(client, login, world, nominated, upload_folder):
    _make_blind(queries.get_round(world.cycle))
    login(world.judge)
    for url in (f"/nominations/attachments/{nominated.photo.id}", f"/nominations/attachments/{nominated.photo.id}/view",
                f"/nominations/attachments/{nominated.photo.id}/thumbnail"):
        response = client.get(url)
        data = response.get_data()
        response.close()
        assert response.status_code == 200 and data.startswith(b"\xff\xd8")
        assert b"Bernd" not in data and b"Berlin" not in data and b"Exif" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()


def test_the_same_judge_sees_the_site_in_a_round_that_is_not_blind(client, login, world, nominated, upload_folder):
    pages = _judge_sees(client, login, world, nominated, "en")
    assert "Berlin Office" in pages["/judging"] and "Germany" in pages["/judging"]
    score_page = pages[f"/judging/{nominated.assignment.id}"]
    assert "Berlin Office" in score_page and PHOTO_NAME in score_page and PDF_NAME in score_page
    assert "Blind review" not in score_page
    assert "SITE-B" in pages[f"/nominations/{nominated.nomination.id}"]
    assert "Bernd B" in pages[f"/nominations/{nominated.nomination.id}"]
    assert "SITE-B%20annual%20report" in pages[f"/nominations/attachments/{nominated.pdf.id}"] or \
        PDF_NAME in pages[f"/nominations/attachments/{nominated.pdf.id}"]


def test_admins_always_see_the_site_of_a_blind_rounds_nomination(client, login, world, nominated, upload_folder):
    _make_blind(queries.get_round(world.cycle))
    login(world.admin)
    page = client.get(f"/nominations/{nominated.nomination.id}").get_data(as_text=True)
    assert "SITE-B" in page and "Berlin Office" in page and PHOTO_NAME in page and "Bernd B" in page
    assert "Blind review" not in page
    download = client.get(f"/nominations/attachments/{nominated.pdf.id}")
    download.close()
    assert "SITE-B" in download.headers["Content-Disposition"]
    assignments = client.get(f"/admin/cycles/{world.cycle.id}/assignments?region=overseas").get_data(as_text=True)
    assert "SITE-B" in assignments


def test_the_sites_own_submitter_still_sees_their_files_names(client, login, world, nominated, upload_folder):
    _make_blind(queries.get_round(world.cycle))
    login(world.submitter_b)
    page = client.get(f"/nominations/{nominated.nomination.id}").get_data(as_text=True)
    assert PHOTO_NAME in page and "Berlin Office" in page


def test_blind_wins_a_judge_of_both_rounds_sees_the_nomination_blind_in_both(client, login, world, nominated,
                                                                            make_assignment, upload_folder):
    first = queries.get_round(world.cycle)
    first.closed_at, first.closed_reason = world.now, "Round 1 done"
    second = services.add_round(world.admin, world.cycle, name="Final panel", blind=True,
                                judging_deadline=world.cycle.judging_deadline + timedelta(days=10))
    db.session.add(ShortlistEntry(round_id=second.id, nomination_id=nominated.nomination.id))
    db.session.commit()
    final = make_assignment(nominated.nomination, world.judge, judging_round=second)
    login(world.judge)
    queue = client.get(f"/judging?cycle={world.cycle.id}").get_data(as_text=True)
    assert queue.count("Blind review") == 2 and "Berlin Office" not in queue
    for assignment, editable in ((nominated.assignment, False), (final, True)):
        page = client.get(f"/judging/{assignment.id}").get_data(as_text=True)
        assert "Blind review" in page and "Berlin Office" not in page and PHOTO_NAME not in page
        assert "You review this nomination blind" in page
        # Told to declare a conflict only where the form to declare it is (round 1 is closed).
        assert ("have a conflict of interest, declare it below" in page) is editable


def test_a_judges_assignment_messages_never_name_the_site(world, nominated):
    _make_blind(queries.get_round(world.cycle))
    assert reminders.assignment_digests(world.now) == 1
    [message] = db.session.scalars(select(Notification).where(Notification.kind == "assignments")).all()
    assert "Beach clean-up with local schools" in message.body_text
    for secret in SECRETS:
        assert secret not in message.subject + message.body_text + message.body_html
    for country in COUNTRY:
        assert country not in message.body_text + message.body_html


# --- conflicts of interest ------------------------------------------------------------------------


def test_a_judge_from_the_nominating_site_is_never_assigned_in_a_blind_round(world, make_nomination, panel):
    _make_blind(queries.get_round(world.cycle))
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED)
    panel(world.cycle, Region.JAPAN, world.judge, world.judge_site_a)
    plan = services.assign_automatically(world.admin, world.cycle, Region.JAPAN)
    db.session.commit()
    judges = set(db.session.scalars(select(Assignment.judge_id).where(Assignment.nomination_id == nomination.id)))
    assert judges == {world.judge.id} and plan.shortages  # short rather than conflicted
    with pytest.raises(services.JudgingError) as refused:
        services.add_assignment(world.admin, nomination, world.judge_site_a)
    assert "conflict of interest" in str(refused.value.message)


# --- the round's setting ----------------------------------------------------------------------------


def test_a_round_is_not_blind_unless_asked(world, events):
    assert queries.get_round(world.cycle).blind is False
    added = services.add_round(world.admin, world.cycle, judging_deadline=world.cycle.judging_deadline + timedelta(days=1))
    assert added.blind is False
    assert events("round.added")[-1].details["settings"]["blind"] is False


def test_the_admin_adds_a_blind_round_and_the_rounds_page_says_so(client, login, world, events):
    login(world.admin)
    deadline = (world.cycle.judging_deadline + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    form = client.get(f"/admin/cycles/{world.cycle.id}/rounds").get_data(as_text=True)
    assert 'name="blind"' in form and "hide the nominating site" in form
    response = client.post(f"/admin/cycles/{world.cycle.id}/rounds",
                           data={"name": "Final panel", "judging_deadline": deadline, "blind": "y"})
    assert response.status_code == 302
    added = db.session.scalars(select(JudgingRound).where(JudgingRound.cycle_id == world.cycle.id,
                                                          JudgingRound.number == 2)).one()
    assert added.blind is True and events("round.added")[-1].details["settings"]["blind"] is True
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/rounds"))
    assert page.by_id(f"round-{added.id}-blind").get("data-blind") == "yes"
    assert page.by_id(f"round-{queries.get_round(world.cycle).id}-blind").get("data-blind") == "no"
    assert "Judges do not see the nominating site." in page.by_id(f"round-{added.id}-blind").text


def test_the_admin_makes_the_first_round_blind_on_its_edit_form(client, login, world, events):
    """Round 1, which every cycle gets, is made blind (and open again) on its edit form."""
    login(world.admin)
    first = queries.get_round(world.cycle)
    page = Page(client.get(f"/admin/rounds/{first.id}/edit"))
    assert "checked" not in page.find("input", name="blind").attrs
    deadline = page.input_value("judging_deadline")
    response = client.post(f"/admin/rounds/{first.id}/edit", data={"judging_deadline": deadline, "blind": "y"})
    assert response.status_code == 302
    assert db.session.get(JudgingRound, first.id).blind is True
    assert events("round.updated")[-1].details["changes"] == {"blind": [False, True]}
    page = Page(client.get(f"/admin/rounds/{first.id}/edit"))
    assert "checked" in page.find("input", name="blind").attrs
    client.post(f"/admin/rounds/{first.id}/edit", data={"judging_deadline": deadline})  # the box left empty
    db.session.expire_all()
    assert db.session.get(JudgingRound, first.id).blind is False


def test_a_refused_round_keeps_the_blind_box_ticked(client, login, world):
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/rounds", data={"judging_deadline": "", "blind": "y"})
    assert response.status_code == 422
    assert "checked" in Page(response).find("input", name="blind").attrs


# --- the sites are told ---------------------------------------------------------------------------


@pytest.mark.parametrize("locale, words", [("en", "without seeing which site made them"),
                                           ("ja", "どの拠点の応募かを知らずに審査")])
def test_the_nomination_form_says_judges_may_not_see_the_site(client, login, make_user, make_site, make_cycle,
                                                             locale, words):
    user = make_user("submitter", sites=[make_site("SITE-N")], locale=locale)
    cycle = make_cycle()
    login(user)
    page = Page(client.get(f"/nominations/new/{cycle.id}"))
    assert words in page.by_id("blind-notice").text


# --- the migration ----------------------------------------------------------------------------------


def test_the_migration_adds_blind_off_for_existing_rounds_and_removes_it(tmp_path):
    with scratch_database(tmp_path, "blind_migration") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(tmp_path / "u")})
        directory = str(PROJECT_ROOT / "migrations")
        with app.app_context():
            upgrade(directory=directory)
            engine = create_engine(url)
            with Session(engine) as session:
                cycle = Cycle(fiscal_year=2013, phase=Phase.JUDGING, nomination_deadline=datetime(2013, 1, 1, tzinfo=timezone.utc),
                              judging_deadline=datetime(2013, 2, 1, tzinfo=timezone.utc), criteria=default_criteria(),
                              award_categories=default_award_categories())
                session.add(cycle)
                session.flush()  # its first round comes with it
                session.scalars(select(JudgingRound)).one().blind = True
                session.commit()
            downgrade(directory=directory, revision="0002_rounds")
            assert "blind" not in {column["name"] for column in inspect(engine).get_columns("judging_rounds")}
            with engine.connect() as connection:
                assert connection.execute(text("SELECT number FROM judging_rounds")).all() == [(1,)]
            upgrade(directory=directory)
            # A round that existed before blind review is not blind: its judges may have seen the sites.
            with engine.connect() as connection:
                assert connection.execute(text("SELECT number, blind FROM judging_rounds")).all() == [(1, False)]
            downgrade(directory=directory, revision="0002_rounds")
            engine.dispose()
            db.engine.dispose()


# --- once the results are out -------------------------------------------------------------------


def test_the_winners_page_names_the_winning_site_but_its_photos_names_only_to_admins(
        client, login, world, nominated, make_decision, upload_folder):
    """The winners' page is the results' publication (every logged-in user's): it names the winning
    site, blind round or not. The photos' original names are listed only in the admins' photo choice."""
    _make_blind(queries.get_round(world.cycle))
    world.cycle.phase, world.cycle.finalised_at = Phase.FINALISED, world.now
    make_decision(world.cycle, "grand_overseas", nominated.nomination, world.admin)
    url = f"/winners/{world.cycle.fiscal_year}"
    login(world.judge)
    page = client.get(url).get_data(as_text=True)
    assert "Berlin Office" in page and PHOTO_NAME not in page
    login(world.admin)
    assert PHOTO_NAME in client.get(url).get_data(as_text=True)
