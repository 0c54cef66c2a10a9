"""Uploading, serving and deleting attachments through HTTP."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from awards_app.core.enums import NominationStatus
from awards_app.extensions import db
from awards_app.nominations import services, storage
from awards_app.nominations.models import Attachment, Nomination

from .support import (
    HTML_BYTES,
    PDF_BYTES,
    SVG_BYTES,
    TEXT_BYTES,
    events,
    field_error,
    form_data,
    jpeg_bytes,
    png_bytes,
)

MB = 1024 * 1024
NOT_ACCEPTED = ("Only JPEG and PNG photos and PDF documents are accepted, and this file is none of them "
                "(its content was checked, not its name).")


def _upload(client, nomination, data: bytes, name: str):
    # The body is encoded in memory: the test client would spool a big one to a temporary file
    # that nobody closes (a ResourceWarning, hence an error in this suite).
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=name)})
    return client.post(
        f"/nominations/{nomination.id}/attachments",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _attachments() -> list[Attachment]:
    db.session.expire_all()
    return list(db.session.scalars(select(Attachment).order_by(Attachment.id)))


def _stored_files(folder) -> list:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


@pytest.mark.parametrize(
    "data, name, content_type, thumbnail",
    [
        (png_bytes(), "beach.png", "image/png", True),
        (jpeg_bytes(), "team photo.JPG", "image/jpeg", True),
        (PDF_BYTES, "report.pdf", "application/pdf", False),
    ],
)
def test_valid_files_are_accepted_stored_under_random_names_and_served_as_attachments(
    client, login, world, nomination_a, upload_folder, data, name, content_type, thumbnail
):
    login(world.submitter_a)
    response = _upload(client, nomination_a, data, name)
    assert response.status_code == 302, response.text
    assert response.headers["Location"] == f"/nominations/{nomination_a.id}#attachments"
    [attachment] = _attachments()
    assert (attachment.nomination_id, attachment.original_name, attachment.content_type) == (nomination_a.id, name, content_type)
    stored = storage.file_path(str(upload_folder), attachment.stored_name).read_bytes()
    # A PDF is kept as sent; a photo is saved again without its metadata (tests/nominations/test_storage.py).
    assert stored == data if content_type == "application/pdf" else Image.open(io.BytesIO(stored)).size == (64, 48)
    assert attachment.size_bytes == len(stored) and attachment.uploaded_by_id == world.submitter_a.id
    # On disk: a random hex name (and a thumbnail for photos), never the user's file name.
    files = _stored_files(upload_folder)
    assert [f.name for f in files] == sorted(
        [attachment.stored_name] + ([attachment.stored_name + "_thumb.jpg"] if thumbnail else [])
    )
    assert all(name.split(".")[0] not in f.name for f in files)
    assert [e.details["name"] for e in events("attachment.added")] == [name]

    response = client.get(f"/nominations/attachments/{attachment.id}")
    assert response.status_code == 200
    assert response.data == stored
    assert response.headers["Content-Type"].startswith(content_type)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert name.replace(" ", "_") in response.headers["Content-Disposition"] or name in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    response.close()

    # Shown by the browser itself (the photo viewer, a PDF's own tab): inline, the same headers.
    shown = client.get(f"/nominations/attachments/{attachment.id}/view")
    assert shown.status_code == 200 and shown.data == stored
    assert shown.headers["Content-Type"].startswith(content_type)
    assert shown.headers["Content-Disposition"].startswith("inline;")
    for header in ("X-Content-Type-Options", "Content-Security-Policy", "Cache-Control", "X-Frame-Options"):
        assert shown.headers[header] == response.headers[header], header
    shown.close()

    thumb = client.get(f"/nominations/attachments/{attachment.id}/thumbnail")
    if thumbnail:
        assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/jpeg"
        assert thumb.headers["X-Content-Type-Options"] == "nosniff"
        assert Image.open(io.BytesIO(thumb.data)).format == "JPEG"
    else:
        assert thumb.status_code == 404
    thumb.close()

    page = client.get(f"/nominations/{nomination_a.id}").text
    assert name in page
    assert (f"/nominations/attachments/{attachment.id}/thumbnail" in page) == thumbnail


@pytest.mark.parametrize("role, expected", [("submitter_a", 200), ("admin", 200), ("submitter_b", 404), ("judge", 404)])
def test_only_permitted_users_download(client, login, world, attachment_a, role, expected):
    login(getattr(world, role))
    for url in (f"/nominations/attachments/{attachment_a.id}", f"/nominations/attachments/{attachment_a.id}/thumbnail",
                f"/nominations/attachments/{attachment_a.id}/view"):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 404:
            assert b"\x89PNG" not in response.data and "bay.png" not in response.text
        response.close()


def test_a_japanese_file_name_is_offered_on_download(client, login, world, nomination_a):
    login(world.submitter_a)
    assert _upload(client, nomination_a, PDF_BYTES, "活動報告.pdf").status_code == 302
    [attachment] = _attachments()
    assert attachment.original_name == "活動報告.pdf"
    response = client.get(f"/nominations/attachments/{attachment.id}")
    assert "filename*=UTF-8''%E6%B4%BB%E5%8B%95%E5%A0%B1%E5%91%8A.pdf" in response.headers["Content-Disposition"]
    response.close()


@pytest.mark.parametrize(
    "data, name",
    [
        (TEXT_BYTES, "photo.png"),
        (SVG_BYTES, "drawing.png"),
        (SVG_BYTES, "drawing.svg"),
        (HTML_BYTES, "page.png"),
        (HTML_BYTES, "page.pdf"),
        (b"%PDX-1.4 not really", "fake.pdf"),
        (b"GIF89a" + b"\x00" * 64, "anim.gif"),
    ],
)
def test_files_that_are_not_jpeg_png_or_pdf_by_content_are_refused(
    client, login, world, nomination_a, upload_folder, data, name
):
    login(world.submitter_a)
    response = _upload(client, nomination_a, data, name)
    assert response.status_code == 200
    assert field_error(response.text, "file") == NOT_ACCEPTED
    assert _attachments() == [] and _stored_files(upload_folder) == []


def test_a_truncated_photo_is_refused(client, login, world, nomination_a, upload_folder):
    login(world.submitter_a)
    data = png_bytes(size=(400, 300))
    response = _upload(client, nomination_a, data[: len(data) // 2], "broken.png")
    assert response.status_code == 200
    assert "could not be read" in field_error(response.text, "file")
    assert _attachments() == []


def test_a_decompression_bomb_is_refused_beside_the_field_before_it_is_decoded(client, login, world, nomination_a,
                                                                             upload_folder, monkeypatch):
    """The attacker's photo: a PNG of 7000 × 7000 px (49 MP) in a few hundred KB. Refused from
    its header (over 40 MP), with a message that says what to do; nothing is decoded or stored."""
    buffer = io.BytesIO()
    Image.new("1", (7000, 7000)).save(buffer, "PNG")  # 1 bit a pixel: quick to make here
    assert len(buffer.getvalue()) < 200 * 1024
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("the photo was decoded"))
    login(world.submitter_a)
    response = _upload(client, nomination_a, buffer.getvalue(), "bomb.png")
    assert response.status_code == 200
    assert field_error(response.text, "file") == (
        "The photo has too many pixels (at most 40 million). Please save it smaller, for example "
        "4000 × 3000 pixels, and upload it again.")
    assert _attachments() == [] and _stored_files(upload_folder) == []


def test_the_largest_photo_accepted_is_40_megapixels():
    assert storage.MAX_PIXELS == 40_000_000


def test_no_file_chosen(client, login, world, nomination_a):
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/attachments", data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert field_error(response.text, "file") == "Choose a file to upload."


def test_a_20_mb_upload_gets_the_413_page(client, login, world, nomination_a, upload_folder):
    login(world.submitter_a)
    response = _upload(client, nomination_a, b"%PDF-1.4\n" + b"0" * (20 * MB), "huge.pdf")
    assert response.status_code == 413
    assert "File too large" in response.text
    assert _attachments() == [] and _stored_files(upload_folder) == []


def test_a_file_just_over_the_limit_gets_a_field_message(client, login, world, nomination_a, upload_folder):
    """Between MAX_UPLOAD_MB and the request limit (one MB more, for the form around the file)
    the request is read and the file is refused beside the field."""
    login(world.submitter_a)
    response = _upload(client, nomination_a, b"%PDF-1.4\n" + b"0" * (10 * MB), "big.pdf")
    assert response.status_code == 200
    assert field_error(response.text, "file") == "The file is larger than 10 MB. Please choose a smaller file."
    assert _attachments() == [] and _stored_files(upload_folder) == []


def test_at_most_max_attachments(app, client, login, world, nomination_a, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENTS", 2)
    login(world.submitter_a)
    assert _upload(client, nomination_a, png_bytes(), "1.png").status_code == 302
    assert _upload(client, nomination_a, png_bytes(), "2.png").status_code == 302
    page = client.get(f"/nominations/{nomination_a.id}").text
    assert "maximum number of files" in page and 'type="file"' not in page
    response = _upload(client, nomination_a, png_bytes(), "3.png")
    assert response.status_code == 200
    assert field_error(response.text, "file") == "A nomination can have at most 2 files. Delete one to add another."
    assert [a.original_name for a in _attachments()] == ["1.png", "2.png"]


def test_an_upload_refused_after_its_file_was_written_leaves_no_file(client, login, world, nomination_a, upload_folder,
                                                                   monkeypatch):
    """A refusal that comes after the file was written (here: from a receiver of the event) rolls
    the row back, and the file with it."""
    def refuse(*args, **kwargs):
        raise services.NominationError("Refused late.", "file")

    login(world.submitter_a)
    monkeypatch.setattr(services.events, "announce", refuse)
    response = _upload(client, nomination_a, png_bytes(), "late.png")
    assert response.status_code == 200
    assert field_error(response.text, "file") == "Refused late."
    assert _attachments() == [] and _stored_files(upload_folder) == []


def test_an_upload_whose_row_the_database_refuses_writes_no_file(app, client, login, world, nomination_a, upload_folder):
    """The database refuses the row (as SQLite's "database is locked" did under concurrent
    uploads): the file must not have been written before."""
    def locked(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO ATTACHMENTS"):
            raise OperationalError(statement, {}, Exception("database is locked"))

    login(world.submitter_a)
    event.listen(db.engine, "before_cursor_execute", locked)
    try:
        with pytest.raises(OperationalError):
            _upload(client, nomination_a, png_bytes(), "locked.png")
    finally:
        event.remove(db.engine, "before_cursor_execute", locked)
    db.session.rollback()
    assert _attachments() == [] and _stored_files(upload_folder) == []


def test_delete_attachment_removes_row_and_files(client, login, world, nomination_a, attachment_a, upload_folder):
    login(world.submitter_a)
    stored = attachment_a.stored_name
    assert storage.file_path(str(upload_folder), stored).exists()
    page = client.get(f"/nominations/{nomination_a.id}").text
    assert 'data-confirm="Delete this file?"' in page
    response = client.post(f"/nominations/attachments/{attachment_a.id}/delete")
    assert response.status_code == 302
    assert _attachments() == []
    assert not storage.file_path(str(upload_folder), stored).exists()
    assert not storage.thumbnail_path(str(upload_folder), stored).exists()
    assert [e.details for e in events("attachment.deleted")] == [{"nomination_id": nomination_a.id, "name": "bay.png"}]
    assert client.get(f"/nominations/attachments/{attachment_a.id}").status_code == 404


def test_other_site_cannot_delete(client, login, world, attachment_a, upload_folder):
    login(world.submitter_b)
    assert client.post(f"/nominations/attachments/{attachment_a.id}/delete").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
    assert storage.file_path(str(upload_folder), attachment_a.stored_name).exists()


def test_file_missing_on_disk_is_a_404_not_a_crash(client, login, world, attachment_a, upload_folder):
    storage.remove_files(str(upload_folder), [attachment_a.stored_name])
    login(world.submitter_a)
    assert client.get(f"/nominations/attachments/{attachment_a.id}").status_code == 404


def test_upload_after_the_deadline_is_refused(client, login, world, nomination_a, upload_folder):
    from .conftest import close_deadline

    close_deadline(world.cycle)
    db.session.commit()
    login(world.submitter_a)
    response = _upload(client, nomination_a, png_bytes(), "late.png")
    assert response.status_code == 403
    assert "The nomination deadline of FY" in response.text
    assert _attachments() == [] and _stored_files(upload_folder) == []


# --- files chosen with a new nomination -------------------------------------------------------------


def _create(client, world, files, **fields):
    data = MultiDict(form_data(world.cycle, site_id=str(world.site_a.id), **fields))
    for content, name in files:
        data.add("files", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(data)
    return client.post(f"/nominations/new/{world.cycle.id}", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_photos_and_pdfs_are_attached_while_creating_a_nomination(client, login, world, upload_folder):
    login(world.submitter_a)
    page = client.get(f"/nominations/new/{world.cycle.id}").text
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page and "multiple" in page
    response = _create(client, world, [(png_bytes(), "river.png"), (PDF_BYTES, "plan.pdf")])
    assert response.status_code == 302
    [nomination] = db.session.scalars(select(Nomination)).all()
    assert sorted((a.original_name, a.content_type) for a in _attachments()) == [
        ("plan.pdf", "application/pdf"), ("river.png", "image/png")]
    assert all(a.nomination_id == nomination.id for a in _attachments())
    assert len(_stored_files(upload_folder)) == 3  # two files and the photo's thumbnail
    assert sorted(e.details["name"] for e in events("attachment.added")) == ["plan.pdf", "river.png"]


def test_a_refused_file_is_named_beside_the_field_and_the_good_ones_are_kept(client, login, world, upload_folder):
    login(world.submitter_a)
    response = _create(client, world, [(png_bytes(), "river.png"), (TEXT_BYTES, "notes.png")], action="submit")
    assert response.status_code == 200
    # The nomination is kept as a draft with the good file; the refused one is named.
    [nomination] = db.session.scalars(select(Nomination)).all()
    assert nomination.status == NominationStatus.DRAFT
    assert [a.original_name for a in _attachments()] == ["river.png"]
    assert "notes.png was not added: Only JPEG and PNG photos" in response.text


def test_a_form_refused_for_its_text_stores_no_file_it_cannot_keep(client, login, world, upload_folder):
    login(world.submitter_a)
    response = _create(client, world, [(png_bytes(), "river.png")], language="xx")
    assert response.status_code == 200
    assert db.session.scalars(select(Nomination)).all() == [] and _attachments() == []
    assert _stored_files(upload_folder) == []
