"""Content checks, names on disk and thumbnails (no database, no request)."""
from __future__ import annotations

import io
import threading

import filetype
import pytest
from PIL import Image, ImageCms, PngImagePlugin

from awards_app.nominations import storage

from .support import HTML_BYTES, PDF_BYTES, SVG_BYTES, TEXT_BYTES, jpeg_bytes, png_bytes

LIMIT = 1024 * 1024


def check(data: bytes, limit: int = LIMIT) -> storage.CheckedFile:
    return storage.check_upload(io.BytesIO(data), limit)


@pytest.mark.parametrize(
    "data, content_type, size",
    [(png_bytes(), "image/png", (64, 48)), (jpeg_bytes(), "image/jpeg", (64, 48)), (PDF_BYTES, "application/pdf", None)],
)
def test_accepted_by_content(data, content_type, size):
    checked = check(data)
    assert checked.content_type == content_type
    assert ((checked.width, checked.height) if size else None) == size
    if size:  # a photo is saved again, without metadata; the same kind of image, the same size
        assert Image.open(io.BytesIO(checked.data)).size == size
        assert filetype.guess(checked.data).mime == content_type
    else:
        assert checked.data == data


@pytest.mark.parametrize(
    "data",
    [TEXT_BYTES, SVG_BYTES, HTML_BYTES, b"%PDX", b"GIF89a" + b"\x00" * 32, b"PK\x03\x04" + b"\x00" * 32,
     b"\x89PNG\r\n\x1a\n" + b"garbage" * 10],
)
def test_refused_by_content(data):
    with pytest.raises(storage.UploadRejected):
        check(data)


def test_pdf_magic_must_be_at_the_start():
    with pytest.raises(storage.UploadRejected):
        check(b"junk before " + PDF_BYTES)


def test_empty_and_too_large():
    with pytest.raises(storage.UploadRejected, match="empty"):
        check(b"")
    with pytest.raises(storage.UploadRejected, match="larger than 1 MB"):
        check(b"%PDF-" + b"0" * LIMIT)


def test_a_png_with_a_jpeg_inside_its_name_is_still_what_its_content_says():
    assert check(png_bytes()).content_type == "image/png"


def test_too_many_pixels_are_refused(monkeypatch):
    monkeypatch.setattr(storage, "MAX_PIXELS", 100)
    with pytest.raises(storage.UploadRejected, match="too many pixels"):
        check(png_bytes(size=(20, 20)))


@pytest.mark.parametrize(
    "given, content, expected",
    [
        ("photo.png", png_bytes(), "photo.png"),
        ("PHOTO.JPEG", jpeg_bytes(), "PHOTO.JPEG"),
        ("page.html", png_bytes(), "page.html.png"),
        ("report", PDF_BYTES, "report.pdf"),
        ("C:\\Users\\me\\写真.jpg", jpeg_bytes(), "写真.jpg"),
        ("../../etc/passwd", PDF_BYTES, "passwd.pdf"),
        ("evil\x00name\r\n.pdf", PDF_BYTES, "evilname.pdf"),
        ("", PDF_BYTES, "attachment.pdf"),
        (None, png_bytes(), "attachment.png"),
        ("a" * 300 + ".pdf", PDF_BYTES, "a" * 251 + ".pdf"),
    ],
)
def test_clean_original_name(given, content, expected):
    assert storage.clean_original_name(given, check(content)) == expected


def test_stored_names_are_random_hex_and_paths_refuse_anything_else(tmp_path):
    names = {storage.new_stored_name() for _ in range(50)}
    assert len(names) == 50 and all(len(n) == 32 and int(n, 16) >= 0 for n in names)
    for bad in ("../secret", "a/b", "ABCDEF" * 6, ""):
        with pytest.raises(ValueError):
            storage.file_path(tmp_path, bad)


def test_save_and_remove(tmp_path):
    checked = check(png_bytes())
    name = storage.save_file(tmp_path, checked)
    assert storage.file_path(tmp_path, name).read_bytes() == checked.data
    assert storage.thumbnail_path(tmp_path, name).exists()
    pdf_name = storage.save_file(tmp_path, check(PDF_BYTES))
    assert not storage.thumbnail_path(tmp_path, pdf_name).exists()
    storage.remove_files(tmp_path, [name, pdf_name, storage.new_stored_name()])  # a missing one is fine
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_thumbnail_is_a_small_upright_jpeg_without_metadata():
    # 800x400 landscape pixels, with EXIF saying "rotate 90° clockwise to view" and a camera maker.
    original = jpeg_bytes(size=(800, 400), orientation=6, gps=True)
    assert Image.open(io.BytesIO(original)).getexif()  # the original carries metadata
    thumb = Image.open(io.BytesIO(storage.make_thumbnail(original)))
    assert thumb.format == "JPEG"
    assert thumb.size == (160, 320)  # turned upright, at most 320 px a side
    assert not thumb.getexif()
    assert "exif" not in thumb.info and "icc_profile" not in thumb.info


def test_stored_photo_is_upright_and_keeps_no_metadata_but_its_colour_profile():
    source = Image.new("RGB", (800, 400), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    exif[0x010F] = "Secret Camera Maker"
    exif[0x8825] = {1: "N", 2: (35.0, 40.0, 0.0)}  # GPS: where the photo was taken
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    source.save(buffer, "JPEG", exif=exif.tobytes(), icc_profile=profile, comment=b"taken at home")
    checked = check(buffer.getvalue())
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.format == "JPEG"
    assert stored.size == (400, 800) == (checked.width, checked.height)  # turned upright
    assert not stored.getexif()
    assert "exif" not in stored.info and "comment" not in stored.info and "xmp" not in stored.info
    assert b"Secret Camera Maker" not in checked.data and b"taken at home" not in checked.data
    assert stored.info["icc_profile"] == profile


def test_stored_png_keeps_its_pixels_and_transparency_but_not_its_text():
    source = Image.new("RGBA", (20, 10), (0, 120, 200, 128))
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Someone's full name")
    buffer = io.BytesIO()
    source.save(buffer, "PNG", pnginfo=text)
    checked = check(buffer.getvalue())
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.format == "PNG" and stored.mode == "RGBA"
    assert stored.tobytes() == source.tobytes()  # lossless
    assert b"Someone's full name" not in checked.data and not stored.text


def test_thumbnail_of_a_transparent_png_has_a_white_background():
    thumb = Image.open(io.BytesIO(storage.make_thumbnail(png_bytes(size=(10, 10), color=(0, 0, 0, 0), mode="RGBA"))))
    assert thumb.mode == "RGB"
    assert all(channel > 240 for channel in thumb.getpixel((5, 5)))


def test_one_photo_is_decoded_at_a_time():
    """A second upload's photo waits while another is being decoded (memory adds up otherwise)."""
    done = []
    worker = threading.Thread(target=lambda: done.append(storage.check_upload(io.BytesIO(png_bytes()), 1024 * 1024)))
    with storage._DECODING:  # another photo is being decoded
        worker.start()
        worker.join(timeout=0.3)
        assert worker.is_alive() and done == []
    worker.join(timeout=10)
    assert len(done) == 1 and done[0].thumbnail
