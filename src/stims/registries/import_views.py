"""Pages of the Excel import: upload → preview → confirm, plus the template and the export.

The uploaded workbook is kept between preview and confirm in a per-user temporary file under
MEDIA_ROOT/imports; the session holds only a random token, and the path is always rebuilt on the
server from the user's id and that token (never from anything the browser sends).
"""

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from stims.core import permissions

from . import imports

SESSION_KEY = "registries_import"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
STALE_SECONDS = 24 * 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def pending_path(user, token: str) -> Path:
    if not TOKEN.match(token or ""):
        raise PermissionDenied
    return import_dir() / f"{int(user.pk)}-{token}.xlsx"


def discard_pending(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        try:
            pending_path(request.user, pending.get("token", "")).unlink(missing_ok=True)
        except PermissionDenied:
            pass


def sweep_stale(user) -> None:
    """Forget this user's uploads left unconfirmed for more than a day."""
    folder = import_dir()
    if not folder.is_dir():
        return
    now = time.time()
    for path in folder.glob(f"{int(user.pk)}-*.xlsx"):
        if now - path.stat().st_mtime > STALE_SECONDS:
            path.unlink(missing_ok=True)


def importable_kinds(user, action=permissions.ADD) -> list[tuple[str, str]]:
    return [
        (kind, imports.kind_label(kind))
        for kind, resource in imports.RESOURCES.items()
        if permissions.has_perm(user, action, resource._meta.model)
    ]


def require_kind(user, kind: str, action=permissions.ADD) -> str:
    if kind not in imports.RESOURCES or not permissions.has_perm(
        user, action, imports.RESOURCES[kind]._meta.model
    ):
        raise PermissionDenied
    return kind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"))
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        help_text=gettext_lazy("At most 5 MB and 5,000 rows; the first row holds the column headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["class"] = "form-control"


def list_url(kind: str) -> str | None:
    name = {"products": "products:product_list", "ip": "ip:ipasset_list"}[kind]
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class ImportView(LoginRequiredMixin, View):
    """GET: the upload form. POST: read the workbook, keep it, and show the preview (nothing saved)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not importable_kinds(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def context(self, form, **extra):
        kinds = importable_kinds(self.request.user)
        return {
            "form": form,
            "downloads": [
                {
                    "kind": kind,
                    "label": label,
                    "template_url": reverse("registries:import_template", args=[kind]),
                    "export_url": reverse("registries:import_export", args=[kind]),
                }
                for kind, label in kinds
            ],
            **extra,
        }

    def get(self, request):
        kinds = importable_kinds(request.user)
        form = UploadForm(kinds=kinds, initial={"kind": request.GET.get("kind") or kinds[0][0]})
        return render(request, "registries/import_form.html", self.context(form))

    def post(self, request):
        kind = require_kind(request.user, request.POST.get("kind", ""))
        form = UploadForm(request.POST, request.FILES, kinds=importable_kinds(request.user))
        if not form.is_valid():
            return render(request, "registries/import_form.html", self.context(form), status=400)
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(size)d MB. Split it into smaller workbooks.")
                % {"size": imports.MAX_BYTES // (1024 * 1024)},
            )
            return render(request, "registries/import_form.html", self.context(form), status=400)
        data = upload.read()
        try:
            sheet = imports.read_workbook(data)
            outcome = imports.RESOURCES[kind](request.user).run(sheet, dry_run=True)
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, "registries/import_form.html", self.context(form), status=400)

        discard_pending(request)
        sweep_stale(request.user)
        token = secrets.token_hex(16)
        path = pending_path(request.user, token)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        request.session[SESSION_KEY] = {
            "token": token,
            "kind": kind,
            "name": upload.name[:200],
            "at": timezone.now().isoformat(),
        }
        return render(
            request, "registries/import_preview.html", preview_context(kind, upload.name, token, outcome)
        )


def preview_context(kind, name, token, outcome, **extra):
    return {
        "kind": kind,
        "kind_label": imports.kind_label(kind),
        "file_name": name,
        "token": token,
        "outcome": outcome,
        "can_confirm": not outcome.has_errors and (outcome.counts["new"] + outcome.counts["update"]) > 0,
        **extra,
    }


DATABASE_LOST_MESSAGE = _(
    "The connection to the database was lost during the import: nothing was imported. Try again in a "
    "moment; if it happens again, tell the administrator."
)


class ImportConfirmView(LoginRequiredMixin, View):
    """Imports the kept workbook: every row in one transaction, or nothing."""

    def post(self, request):
        pending = request.session.get(SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("token"):
            messages.error(
                request,
                _("This import has expired or was replaced by another upload. Upload the workbook again."),
            )
            return HttpResponseRedirect(reverse("registries:import"))
        kind = require_kind(request.user, pending.get("kind", ""))
        path = pending_path(request.user, pending["token"])
        if not path.is_file():
            request.session.pop(SESSION_KEY, None)
            messages.error(
                request,
                _("This import has expired or was replaced by another upload. Upload the workbook again."),
            )
            return HttpResponseRedirect(reverse("registries:import"))
        try:
            sheet = imports.read_workbook(path.read_bytes())
            outcome = imports.RESOURCES[kind](request.user).run(sheet, dry_run=False)
        except imports.ImportFileError as exc:
            discard_pending(request)
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("registries:import"))
        except (OperationalError, InterfaceError):
            # The database went away mid-import: its transaction is rolled back, so nothing was written.
            # The kept workbook stays, so the user can confirm again once the database is back.
            messages.error(request, DATABASE_LOST_MESSAGE)
            return HttpResponseRedirect(reverse("registries:import"))
        if outcome.has_errors:
            # The data changed since the preview (or the rows conflict): nothing was saved; show why.
            return render(
                request,
                "registries/import_preview.html",
                preview_context(kind, pending.get("name", ""), pending["token"], outcome, refused=True),
                status=409,
            )
        discard_pending(request)
        messages.success(
            request,
            _("Imported %(new)d new and updated %(update)d existing records.")
            % {"new": outcome.counts["new"], "update": outcome.counts["update"]},
        )
        return HttpResponseRedirect(list_url(kind) or reverse("registries:import"))


class ImportCancelView(LoginRequiredMixin, View):
    def post(self, request):
        discard_pending(request)
        return HttpResponseRedirect(reverse("registries:import"))


def workbook_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImportTemplateView(LoginRequiredMixin, View):
    """An empty workbook with the expected headers and one example row."""

    def get(self, request, kind):
        require_kind(request.user, kind)
        return workbook_response(imports.template_workbook(kind, request.user), f"stims-{kind}-template.xlsx")


class ImportExportView(LoginRequiredMixin, View):
    """The records the user may see, in the import layout: export → edit → import updates them."""

    def get(self, request, kind):
        require_kind(request.user, kind, permissions.VIEW)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return workbook_response(imports.export_workbook(kind, request.user), f"stims-{kind}-{stamp}.xlsx")
