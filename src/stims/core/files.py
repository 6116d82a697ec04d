"""Uploaded documents: what may be uploaded, where it is kept, and who may download it.

Files are stored on disk under MEDIA_ROOT (outside the database) and are never served from a public
URL: `protected_download` streams a file only after the permission layer says the user may see the
record it belongs to.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import uuid

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.views import View

from . import permissions
from .text import fold

logger = logging.getLogger("stims.uploads")

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


# Room left on the uploads' disk after a file is saved: the database and its journal need some too.
DISK_RESERVE_BYTES = 16 * 1024 * 1024
DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
DISK_FULL_MESSAGE = _(
    "The server's disk is full: nothing was saved. Try again later, or tell the administrator."
)


def max_upload_bytes() -> int:
    return int(getattr(settings, "STIMS_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def free_upload_space() -> int:
    """Bytes free on the disk that holds MEDIA_ROOT (or the nearest folder of it that exists)."""
    folder = os.path.abspath(settings.MEDIA_ROOT)
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return shutil.disk_usage(folder).free


class DiskFullError(OSError):
    """The disk filled up while a file was written; the partial file has been removed."""

    def __init__(self, filename=None):
        super().__init__(errno.ENOSPC, str(DISK_FULL_MESSAGE), filename)

    def __str__(self):
        return str(DISK_FULL_MESSAGE)


class DocumentStorage(FileSystemStorage):
    """The file system storage, minus the half-written file a full disk leaves behind, and with every
    file's URL the permission-checked download (`/files/<name>`, `FileDownloadView`): no upload has a
    public address, so a form's "Currently: …" link and the API's `file` fields lead to the check.

    Django's FileSystemStorage leaves whatever was written before ENOSPC on disk; this one removes
    it and raises `DiskFullError`, whose message says what happened (STORAGES["default"]).
    """

    def url(self, name):
        from django.urls import reverse

        return reverse("file_download", args=[name])

    def _save(self, name, content):
        existed = self.exists(name)
        try:
            return super()._save(name, content)
        except OSError as exc:
            if not existed:
                try:
                    os.remove(self.path(name))
                except FileNotFoundError:
                    pass
            if exc.errno in DISK_FULL_ERRNOS:
                logger.error("upload refused (disk_full): %r could not be written, the disk is full", name)
                raise DiskFullError(name) from exc
            raise


def validate_document_file(upload) -> None:
    """Refuses a file whose type is not allowed, whose content does not match its extension, or that
    is too large, with a message naming the problem; every refusal is one log line (why, name, size)."""
    try:
        _check_document_file(upload)
    except ValidationError as refusal:
        logger.warning(
            "upload refused (%s): %r, %s bytes",
            refusal.code or "invalid",
            getattr(upload, "name", "") or "",
            getattr(upload, "size", 0) or 0,
        )
        raise


def _check_document_file(upload) -> None:
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
    # Only a new upload is about to be written (a form's model field holds it uncommitted); an existing
    # file, on a record being edited, is already on disk.
    new = isinstance(upload, UploadedFile) or getattr(upload, "_committed", True) is False
    if new and free_upload_space() < size + DISK_RESERVE_BYTES:
        raise ValidationError(DISK_FULL_MESSAGE, code="disk_full")
    signatures = ALLOWED_SIGNATURES[extension]
    if signatures:
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(8)
        upload.seek(position)
        if not any(head.startswith(signature) for signature in signatures):
            raise ValidationError(
                _("The file's content is not a %(ext)s document."),
                params={"ext": extension.upper()},
                code="file_content",
            )


def safe_file_name(filename: str, *, limit: int = 120) -> str:
    """The name a user gave a file, folded to ASCII without any directory, its extension kept:
    "Báo cáo tổng kết.PDF" → "bao_cao_tong_ket.pdf"; nothing usable left → "file"."""
    base = os.path.basename(filename.replace("\\", "/"))
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extension = re.sub(r"[^a-z0-9]", "", extension.lower())[:10]
    folded = fold(stem).replace(" ", "_").strip("._")
    # get_valid_filename refuses a name with nothing usable left ("", "..") instead of returning "".
    safe = get_valid_filename(folded) if re.search(r"[\w]", folded) else "file"
    suffix = f".{extension}" if extension else ""
    return safe[: limit - len(suffix)] + suffix


def document_upload_path(instance, filename: str) -> str:
    """documents/<app>/<year>/<random>-<safe name>.<extension>: no user-chosen directory, no
    collisions, and the extension kept (the download's type and name come from it)."""
    from django.utils import timezone

    safe = safe_file_name(filename)
    return f"documents/{instance._meta.app_label}/{timezone.now():%Y}/{uuid.uuid4().hex[:12]}-{safe}"


# The type each allowed extension is served as (anything else: a download of unknown type).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain; charset=utf-8",
}
# The only types a page may show inline (PDF in a frame, pictures in <img>): none of them runs script.
# HTML, SVG, XML… are never among them, whatever the file is called, so an upload cannot run in our
# origin; everything else is a download (`Content-Disposition: attachment`).
PREVIEW_KINDS = {"pdf": "pdf", "jpg": "image", "jpeg": "image", "png": "image"}
# The policy of a file shown inline: it loads nothing, runs nothing, and only our own pages may frame it.
INLINE_FILE_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
)
ATTACHMENT_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def extension_of(name: str) -> str:
    base = os.path.basename(name or "")
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def preview_kind(stored) -> str:
    """ "pdf", "image" or "" (no preview): how a page may show the stored file `stored` (a FieldFile)."""
    return PREVIEW_KINDS.get(extension_of(getattr(stored, "name", "") or ""), "") if stored else ""


def record_file_name(record, field_name: str, stored_name: str) -> str:
    """The name a downloaded file gets: the record's own words (its summary, or what it is), in
    Vietnamese, with the stored file's extension: "Quyết định phê duyệt.pdf", "Minh chứng — ….png"."""
    field = type(record)._meta.get_field(field_name)
    title = (getattr(record, "title", "") or "").strip() if field_name == "file" else ""
    if not title:
        title = str(record)
        if field_name != "file":
            title = f"{str(field.verbose_name).capitalize()} — {title}"
    # No directory, no control character, nothing a file system or a header refuses.
    title = re.sub(r"[\\/]+", "-", title)  # "1234/QĐ-UBND" → "1234-QĐ-UBND"
    title = re.sub(r'[:*?"<>|\x00-\x1f\x7f]+', " ", title)
    title = re.sub(r"\s+", " ", title).strip(" .") or os.path.basename(stored_name).split("-", 1)[-1]
    extension = extension_of(stored_name)
    suffix = f".{extension}" if extension else ""
    if title.lower().endswith(suffix):
        suffix = ""
    return title[: 150 - len(suffix)].rstrip() + suffix


def content_disposition(disposition: str, filename: str) -> str:
    """`attachment`/`inline` with the file's name: an ASCII `filename` for old clients and the exact
    name as `filename*` (RFC 5987/6266) for every browser, so Vietnamese names arrive intact."""
    from urllib.parse import quote

    ascii_name = safe_file_name(filename)
    header = f'{disposition}; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def protected_download(request, obj, field_name: str = "file", *, download_name: str | None = None):
    """The file of `obj`, to a user who may see `obj`; 404 for a record they cannot see or a missing file.

    Named after the record, typed by its extension. `?inline=1` shows a PDF or a picture in the page
    (`Content-Disposition: inline`, framable by our own pages only); any other file, and above all HTML or
    SVG, is always an attachment. `nosniff` keeps the browser to the declared type.
    """
    if not permissions.has_perm(request.user, permissions.VIEW, obj):
        if request.user.is_authenticated and permissions.has_perm(request.user, permissions.VIEW, type(obj)):
            raise Http404
        raise PermissionDenied
    stored = getattr(obj, field_name)
    if not stored or not stored.storage.exists(stored.name):
        raise Http404
    name = download_name or record_file_name(obj, field_name, stored.name)
    extension = extension_of(stored.name)
    inline = request.GET.get("inline") == "1" and extension in PREVIEW_KINDS
    response = FileResponse(
        stored.open("rb"), content_type=CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["Content-Disposition"] = content_disposition("inline" if inline else "attachment", name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    # The site's policy (django-csp) is for pages; a file gets its own, which the middleware keeps.
    response["Content-Security-Policy"] = INLINE_FILE_CSP if inline else ATTACHMENT_CSP
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def file_fields():
    """(model, field name) of every file field kept in the documents' storage, over all apps."""
    from django.apps import apps
    from django.db import models

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and isinstance(field.storage, DocumentStorage)
    ]


def record_of_file(name: str):
    """(record, field name) of the record whose file is stored as `name`, or (None, None)."""
    for model, field_name in file_fields():
        record = model._default_manager.filter(**{field_name: name}).first()
        if record is not None:
            return record, field_name
    return None, None


class FileDownloadView(LoginRequiredMixin, View):
    """/files/<stored name>: the file, to a user who may see the record it belongs to (else 404)."""

    def get(self, request, name: str):
        record, field_name = record_of_file(name)
        if record is None:
            raise Http404
        return protected_download(request, record, field_name)
