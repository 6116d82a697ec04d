"""A news image in the sizes the pages ask for, made once with Pillow when the article is saved.

The original is kept as uploaded; each size is a JPEG beside it named `<stem>-<width>.jpg`. They are
served by `NewsImageView` only for an article the public may read (uploads have no public URL).
"""

from __future__ import annotations

import os
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# name -> width in pixels
SIZES = {"thumb": 360, "large": 960}
MAX_PIXELS = 40_000_000


def rendition_name(name: str, size: str) -> str:
    stem, _ext = os.path.splitext(name)
    return f"{stem}-{SIZES[size]}.jpg"


def check(upload) -> None:
    """A clear error unless `upload` is an image Pillow can read (not a renamed script or SVG)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in {"JPEG", "PNG", "GIF", "WEBP"}:
                raise ValidationError(_("Upload a JPEG, PNG, GIF or WebP image."))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image is too large."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("The file is not an image.")) from exc
    finally:
        upload.seek(0)


def make_renditions(name: str) -> None:
    with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
        image.load()
        source = image.convert("RGB")
    for size, width in SIZES.items():
        copy = source.copy()
        if copy.width > width:
            copy.thumbnail((width, width * 10))
        buffer = BytesIO()
        copy.save(buffer, "JPEG", quality=82, optimize=True)
        target = rendition_name(name, size)
        if default_storage.exists(target):
            default_storage.delete(target)
        default_storage.save(target, ContentFile(buffer.getvalue()))
