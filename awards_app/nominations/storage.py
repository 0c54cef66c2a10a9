"""Attachment files: content checks, storage under random names, and photo thumbnails.

Files live in ``app.config["UPLOAD_FOLDER"]`` (outside ``static/``), so they are only ever
served through the permission-checked download routes. On disk a file is named by a random
hex token, never by anything the user typed; photos get a JPEG thumbnail beside them.

What a file *is* is decided by its content, never by its name or the browser's content type:
magic bytes (``filetype``), then Pillow must be able to decode an image, and a PDF must start
with ``%PDF-``. An SVG, an HTML page or a text file renamed ``.png`` is refused.
"""
from __future__ import annotations

import io
import re
import secrets
import threading
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePath

import filetype
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from awards_app.core.logs import get_logger

log = get_logger(__name__)

# Content type -> (Pillow format, file extension). The only kinds we accept.
ACCEPTED = {
    "image/jpeg": ("JPEG", ".jpg"),
    "image/png": ("PNG", ".png"),
    "application/pdf": (None, ".pdf"),
}
EXTENSION_ALIASES = {".jpg": {".jpg", ".jpeg", ".jpe"}, ".png": {".png"}, ".pdf": {".pdf"}}
THUMBNAIL_SIZE = 320
THUMBNAIL_SUFFIX = "_thumb.jpg"
# A photo of more pixels than this is refused, from its header, before it is decoded: it bounds
# a worker's memory against "decompression bombs" (a 186 KB PNG can hold 7000 x 7000 pixels).
# 40 MP is above what phones and cameras save by default (12-24 MP; a 48-50 MP sensor saves 12 MP
# unless asked, and 48 MP = 8000 x 6000 only in its "high resolution" mode) and decodes to 120 MB
# (RGB) or 160 MB (RGBA); see bench/upload_memory.py for what a worker needs.
MAX_PIXELS = 40_000_000
# One photo decoded at a time per worker (process): a few large uploads at once wait for each
# other instead of adding up in memory.
_DECODING = threading.BoundedSemaphore(1)
ORIGINAL_NAME_MAX = 255
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


class UploadRejected(Exception):
    """The file is not acceptable; the message says why and is shown beside the field."""


@dataclass(frozen=True)
class CheckedFile:
    """A file whose content has been checked: what it really is, and its bytes."""

    content_type: str
    data: bytes
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None  # a photo's, made while it was decoded for the check

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def extension(self) -> str:
        return ACCEPTED[self.content_type][1]


def check_upload(stream, max_bytes: int) -> CheckedFile:
    """Read an uploaded file (at most `max_bytes`) and say what it really is.

    Raises UploadRejected with a message for the user when the file is empty, too large, or
    not a JPEG, PNG or PDF by its content.
    """
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(
            _l("The file is larger than %(mb)d MB. Please choose a smaller file.", mb=max_bytes // (1024 * 1024))
        )
    if not data:
        raise UploadRejected(_l("The file is empty."))
    kind = filetype.guess(data[:8192])
    content_type = kind.mime if kind is not None else None
    if content_type == "application/pdf":
        if not data.startswith(b"%PDF-"):
            raise _not_accepted()
        return CheckedFile(content_type, data)
    if content_type in ("image/jpeg", "image/png"):
        data, width, height, thumbnail = _clean_image(data, ACCEPTED[content_type][0])
        return CheckedFile(content_type, data, width, height, thumbnail)
    raise _not_accepted()


def _not_accepted() -> UploadRejected:
    return UploadRejected(
        _l("Only JPEG and PNG photos and PDF documents are accepted, and this file is none of them "
           "(its content was checked, not its name).")
    )


def _clean_image(data: bytes, expected_format: str) -> tuple[bytes, int, int, bytes]:
    """Let Pillow verify the image and decode it completely (truncation shows then), and return
    it saved again without metadata (`_without_metadata`), with its upright size and thumbnail.

    The size is checked from the header, before decoding; one image is decoded at a time per
    worker, once, and the thumbnail is made from that decoded image."""
    with _DECODING:
        return _decode_and_clean(data, expected_format)


def _decode_and_clean(data: bytes, expected_format: str) -> tuple[bytes, int, int, bytes]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != expected_format:
                    raise _not_accepted()
                if probe.width * probe.height > MAX_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            # verify() leaves the image unusable; decode it again, fully, to catch truncation.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                cleaned, width, height = _without_metadata(image, expected_format)
                return cleaned, width, height, _thumbnail_of(image)
    except UploadRejected:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UploadRejected(_l("The photo could not be read. It may be damaged; please export it again.")) from None


def _too_many_pixels() -> UploadRejected:
    return UploadRejected(
        _l("The photo has too many pixels (at most %(mp)d million). Please save it smaller, for example "
           "4000 × 3000 pixels, and upload it again.", mp=MAX_PIXELS // 1_000_000)
    )


def _without_metadata(image: Image.Image, image_format: str) -> tuple[bytes, int, int]:
    """The photo turned upright and saved again with its pixels and colour profile only; its size.

    Phones write where and when a photo was taken (GPS), the camera's serial number and more into
    EXIF and XMP; the stored photo is shared with judges and downloaded, so none of that is kept.
    A PNG is saved losslessly; a JPEG at quality 92, which no one sees in a volunteering photo.
    `image` is turned upright in place (no copy of a large photo).
    """
    profile = image.info.get("icc_profile")
    ImageOps.exif_transpose(image, in_place=True)
    upright = image
    # Pillow carries some metadata (comment, XMP) from `info` into the saved file: keep only
    # what the pixels need.
    upright.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
    options = {"icc_profile": profile} if profile else {}
    buffer = io.BytesIO()
    if image_format == "JPEG":
        upright.save(buffer, "JPEG", quality=92, optimize=True, **options)
    else:
        upright.save(buffer, "PNG", optimize=True, **options)
    return buffer.getvalue(), upright.width, upright.height


def clean_original_name(filename: str | None, checked: CheckedFile) -> str:
    """The name to show and offer on download: no folders, no control characters, and an
    extension that matches the real content (a PNG named page.html downloads as page.html.png)."""
    name = unicodedata.normalize("NFC", filename or "")
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    name = name or "attachment"
    if PurePath(name).suffix.lower() not in EXTENSION_ALIASES[checked.extension]:
        name += checked.extension  # "page.html" holding a PNG becomes "page.html.png"
    stem, suffix = name[: -len(PurePath(name).suffix)], PurePath(name).suffix
    return stem[: ORIGINAL_NAME_MAX - len(suffix)] + suffix


# --- files on disk ----------------------------------------------------------------------------


def new_stored_name() -> str:
    return secrets.token_hex(16)


def _path(folder: str | Path, stored_name: str, suffix: str = "") -> Path:
    if not _STORED_NAME.match(stored_name):
        raise ValueError("not a stored attachment name")
    # Two levels keep directories small with thousands of files.
    return Path(folder) / stored_name[:2] / (stored_name + suffix)


def file_path(folder: str | Path, stored_name: str) -> Path:
    return _path(folder, stored_name)


def thumbnail_path(folder: str | Path, stored_name: str) -> Path:
    return _path(folder, stored_name, THUMBNAIL_SUFFIX)


def save_file(folder: str | Path, checked: CheckedFile, stored_name: str | None = None) -> str:
    """Write the file (and a thumbnail for a photo) under `stored_name` (by default a new random
    name); return the name."""
    stored_name = stored_name or new_stored_name()
    path = file_path(folder, stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(checked.data)
    if checked.is_image:
        try:
            thumbnail = checked.thumbnail or make_thumbnail(checked.data)
            thumbnail_path(folder, stored_name).write_bytes(thumbnail)
        except Exception:
            remove_files(folder, [stored_name])
            raise
    return stored_name


def make_thumbnail(data: bytes, size: int = THUMBNAIL_SIZE) -> bytes:
    """A JPEG of at most `size` pixels a side: EXIF orientation applied, all metadata dropped."""
    with _DECODING, Image.open(io.BytesIO(data)) as image:
        if image.format == "JPEG":
            image.draft("RGB", (size * 2, size * 2))  # decode at a reduced scale: less memory
        ImageOps.exif_transpose(image, in_place=True)
        return _thumbnail_of(image, size)


def _thumbnail_of(image: Image.Image, size: int = THUMBNAIL_SIZE) -> bytes:
    """The thumbnail of an upright image; `image` is shrunk in place (``thumbnail()`` reduces by
    an integer factor first, ``reduce()``, so no full-size copy is made of an RGB photo)."""
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        image.thumbnail((size, size))
    if image.mode in ("RGBA", "LA", "P"):
        small = image.convert("RGBA")
        background = Image.new("RGB", small.size, (255, 255, 255))
        background.paste(small, mask=small.getchannel("A"))
        small = background
    else:
        small = image.convert("RGB")
    small.thumbnail((size, size))
    buffer = io.BytesIO()
    # No exif=, icc_profile= or comment: the thumbnail carries pixels only.
    small.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def remove_files(folder: str | Path, stored_names: list[str]) -> None:
    """Delete stored files and their thumbnails; a file already gone is not an error."""
    for stored_name in stored_names:
        for path in (file_path(folder, stored_name), thumbnail_path(folder, stored_name)):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                log.exception("could not delete attachment file %s", path)
