"""The winners' page: what it shows in both languages, the public page, the only file it serves,
the admin's choices and refusals."""
from __future__ import annotations

from core.support import Page

from awards_app.core.enums import NominationStatus
from awards_app.extensions import db
from awards_app.winners import services

XSS = "<script>alert(1)</script>"


def _page(client, url="/winners/2013") -> Page:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return Page(response)


def test_each_award_shows_titles_site_country_summary_photo_and_certificate_link(client, login, world, choose):
    choose(world.photo)
    login(world.judge)
    page = _page(client)
    japan = page.by_id(f"winner-{world.japan_decision.id}")
    assert japan is not None and "Grand Award (Japan)" in japan.text
    text = page.main_text
    for expected in ("地元の学校と海岸清掃", "Beach clean-up with local schools", "Tokyo Works", "Japan",
                     "児童と一緒に海岸を清掃しました。", "Berlin Office", "Germany", "Staff and families planted 200 trees."):
        assert expected in text, expected
    period = page.by_id("winners-period").text  # the fiscal year's first and last day
    assert period in ("April 1, 2012 – March 31, 2013", "1 April 2012 – 31 March 2013"), period
    assert page.find("p", class_="winner-title", lang="ja").text == "地元の学校と海岸清掃"
    assert page.find("p", class_="winner-title-other", lang="en").text == "Beach clean-up with local schools"
    photos = page.find_all("img", class_="winner-photo")
    assert [img.get("src") for img in photos] == [f"/winners/2013/photos/{world.japan_decision.id}"]
    links = [a.get("href") for a in page.find_all("a") if (a.get("href") or "").startswith("/verify/")]
    assert links == [f"/verify/{c.code}" for c in world.certificates]
    # No form for anyone but an admin, and the judge sees no one's name but their own.
    assert page.find("form", class_="photo-form") is None and page.by_id("winners-visibility") is None
    assert "Ada Admin" not in page.html


def test_the_page_in_japanese(client, login, world, choose):
    choose(world.photo)
    login(world.submitter)
    client.post("/language", data={"locale": "ja"})
    page = _page(client)
    assert page.lang == "ja"
    for expected in ("大賞（国内）", "東京事業所", "ベルリン事業所", "ドイツ", "地元の学校と海岸清掃"):
        assert expected in page.main_text, expected


def test_the_photo_served_is_the_chosen_one_and_nothing_else(client, login, world, choose, upload_folder):
    choose(world.second_photo)
    login(world.judge)
    response = client.get(f"/winners/2013/photos/{world.japan_decision.id}")
    body = response.get_data()
    response.close()
    stored = (upload_folder / world.second_photo.stored_name[:2] / world.second_photo.stored_name)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert body == stored.read_bytes()
    # The nomination's other files stay behind the nominations' own checks: a judge not assigned
    # to it gets nothing.
    for attachment in (world.photo, world.pdf):
        assert client.get(f"/nominations/attachments/{attachment.id}").status_code == 404


def test_a_public_page_needs_no_login_shows_no_personal_data_and_the_verification_page_links_to_it(
        client, login, world, choose):
    choose(world.photo)
    code = world.certificates[0].code
    assert Page(client.get(f"/verify/{code}")).by_id("winners-link") is None
    assert client.get("/winners/2013").status_code == 302
    services.set_winners_public(world.admin, world.cycle, True)
    db.session.commit()
    page = _page(client)
    assert "Tokyo Works" in page.main_text
    for private in ("Ada Admin", "Aiko Submitter", "Jiro Judge", "@", "beach.png", "report.pdf"):
        assert private not in page.main_text, private
    assert "Winners of FY2013" in _page(client, "/winners").main_text
    photo = client.get(f"/winners/2013/photos/{world.japan_decision.id}")
    photo.close()
    assert photo.status_code == 200
    verify = Page(client.get(f"/verify/{code}"))
    assert verify.by_id("winners-link") is not None
    assert 'href="/winners/2013"' in verify.html
    # Private again: the anonymous visitor is asked to log in, and the link goes.
    services.set_winners_public(world.admin, world.cycle, False)
    db.session.commit()
    assert client.get("/winners/2013").status_code == 302
    assert Page(client.get(f"/verify/{code}")).by_id("winners-link") is None


def test_admin_chooses_a_photo_among_the_winners_photos_only(client, login, world, events):
    login(world.admin)
    page = _page(client)
    form = page.find("form", action=f"/admin/cycles/{world.cycle.id}/winners/{world.japan_decision.id}/photo")
    assert form is not None
    name = f"photo-{world.japan_decision.id}-photo_id"
    values = [i.get("value") for i in page.find_all("input", name=name)]
    assert values == ["0", str(world.photo.id), str(world.second_photo.id)]  # no PDF, no other nomination's
    response = client.post(form.get("action"), data={name: str(world.second_photo.id)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/winners/2013#winner-{world.japan_decision.id}")
    db.session.expire_all()
    assert world.japan_decision.photo_id == world.second_photo.id
    assert "The photo for the Grand Award (Japan) has been saved." in _page(client).main_text
    assert len(events("award.photo_chosen")) == 1


def test_a_refused_photo_is_explained_beside_the_field_and_changes_nothing(client, login, world):
    login(world.admin)
    url = f"/admin/cycles/{world.cycle.id}/winners/{world.japan_decision.id}/photo"
    name = f"photo-{world.japan_decision.id}-photo_id"
    for value in (str(world.loser_photo.id), str(world.pdf.id), "999999", "abc", ""):
        response = client.post(url, data={name: value})
        assert response.status_code == 422, value
        page = Page(response)
        error = page.by_id(f"{name}-error")
        assert error is not None and "Choose one of the photos of the winning nomination." in error.text, value
        assert "The photo has NOT been saved." in page.main_text
    db.session.expire_all()
    assert world.japan_decision.photo_id is None


def test_a_refused_visibility_keeps_the_page_as_it_was(client, login, world):
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/winners/visibility", data={"visibility": "all"})
    assert response.status_code == 422
    assert Page(response).by_id("visibility-error") is not None
    response = client.post(f"/admin/cycles/{world.cycle.id}/winners/visibility", data={"visibility": "public"})
    assert response.status_code == 302
    db.session.expire_all()
    assert world.cycle.winners_public is True


def test_before_the_results_are_final_there_is_no_page_and_no_change(client, login, world):
    login(world.admin)
    assert client.get("/winners/2014").status_code == 404
    response = client.post(f"/admin/cycles/{world.open_cycle.id}/winners/visibility", data={"visibility": "public"})
    assert response.status_code == 302
    assert "once the results are final" in _page(client, "/winners").main_text
    db.session.expire_all()
    assert world.open_cycle.winners_public is False


def test_what_sites_typed_is_escaped(client, login, world):
    world.japan.title, world.japan.summary = XSS, XSS
    db.session.commit()
    login(world.judge)
    html = client.get("/winners/2013").get_data(as_text=True)
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_page_runs_as_many_queries_for_many_awards_as_for_few(client, login, world, make_nomination,
                                                                   count_queries):
    login(world.admin)
    client.get("/winners/2013")
    with count_queries() as few:
        client.get("/winners/2013")
    from awards_app.cycles.models import AwardCategory
    from awards_app.core.enums import Region

    for index in range(3):
        category = AwardCategory(cycle=world.cycle, key=f"extra{index}", name_en=f"Extra {index}",
                                 name_ja=f"特別賞{index}", region=Region.OVERSEAS, position=10 + index)
        db.session.add(category)
        db.session.flush()
        nomination = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED, title=f"Extra {index}")
        from awards_app.awards.models import AwardDecision

        db.session.add(AwardDecision(cycle_id=world.cycle.id, category_id=category.id, nomination_id=nomination.id,
                                     proposed_nomination_id=nomination.id, decided_by_id=world.admin.id))
    db.session.commit()
    with count_queries() as many:
        page = _page(client)
    assert "Extra 2" in page.main_text
    assert len(many) == len(few)
