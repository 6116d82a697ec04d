"""Uploaded documents: what may be uploaded, where it is kept, and who may download it.

Files are stored on disk under MEDIA_ROOT (outside the database) and are never served from a public
URL: `protected_download` streams a file only after the permission layer says the user may see the
record it belongs to.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from . import permissions
from .text import fold

# Extension -> the bytes such a file starts with (None: plain text, no signature to check).
ALLOWED_SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG",),
    "txt": None,
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "STIMS_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def validate_document_file(upload) -> None:
    """Refuses a file whose type is not allowed, whose content does not match its extension, or that
    is too large, with a message naming the problem."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_SIGNATURES:
        raise ValidationError(
            _("Files of type “%(ext)s” cannot be uploaded. Allowed: %(allowed)s."),
            params={"ext": extension or "?", "allowed": ", ".join(sorted(ALLOWED_SIGNATURES))},
            code="file_type",
        )
    size = getattr(upload, "size", 0) or 0
    if size > max_upload_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            params={"size": round(size / 1024 / 1024, 1), "limit": max_upload_bytes() // 1024 // 1024},
            code="file_size",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    signatures = ALLOWED_SIGNATURES[extension]
    if signatures:
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(8)
        upload.seek(position)
        if not any(head.startswith(signature) for signature in signatures):
            raise ValidationError(
                _("The file's content is not a %(ext)s document."), params={"ext": extension.upper()}, code="file_content"
            )


def document_upload_path(instance, filename: str) -> str:
    """documents/<app>/<year>/<random>-<safe name>: no user-chosen directory, no collisions."""
    from django.utils import timezone

    base = os.path.basename(filename.replace("\\", "/"))
    safe = get_valid_filename(fold(base).replace(" ", "_")) or "file"
    return f"documents/{instance._meta.app_label}/{timezone.now():%Y}/{uuid.uuid4().hex[:12]}-{safe[-120:]}"


def protected_download(request, obj, field_name: str = "file", *, download_name: str | None = None):
    """The file of `obj`, to a user who may see `obj`; 404 for a record they cannot see or a missing file."""
    if not permissions.has_perm(request.user, permissions.VIEW, obj):
        if request.user.is_authenticated and permissions.has_perm(request.user, permissions.VIEW, type(obj)):
            raise Http404
        raise PermissionDenied
    stored = getattr(obj, field_name)
    if not stored or not stored.storage.exists(stored.name):
        raise Http404
    name = download_name or os.path.basename(stored.name).split("-", 1)[-1]
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)
