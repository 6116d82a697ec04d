"""Pages of the task import: upload → preview → confirm, and the example workbook.

The same flow as the registries' import (`stims.registries.import_views`), whose helpers for keeping
the upload between preview and confirm are reused: the workbook waits in a per-user temporary file
under MEDIA_ROOT/imports, the session holds only a random token (and whether to update tasks already
on record), and the path is rebuilt on the server from the user's id and that token.
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from stims.core import permissions
from stims.registries.import_views import XLSX, pending_path, sweep_stale, workbook_response

from . import imports
from .models import Task

SESSION_KEY = "sttasks_import"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        help_text=gettext_lazy("At most 5 MB and 5,000 rows; the first row holds the column headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX, "class": "form-control"}),
    )
    update_existing = forms.BooleanField(
        label=gettext_lazy("Update tasks already on record"),
        required=False,
        help_text=gettext_lazy(
            "A row whose code is already on record updates that task; without this, such a row is an error."
        ),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def require_import(user) -> None:
    if not permissions.has_perm(user, permissions.ADD, Task):
        raise PermissionDenied


def discard_pending(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        try:
            pending_path(request.user, pending.get("token", "")).unlink(missing_ok=True)
        except PermissionDenied:
            pass


def list_url() -> str:
    try:
        return reverse("sttasks:task_list")
    except NoReverseMatch:
        return reverse("sttasks:import")


def read(data: bytes) -> imports.Sheet:
    return imports.normalise_headers(imports.read_workbook(data))


def preview_context(name, token, outcome, update_existing, **extra):
    return {
        "file_name": name,
        "token": token,
        "outcome": outcome,
        "update_existing": update_existing,
        "can_confirm": not outcome.has_errors and (outcome.counts["new"] + outcome.counts["update"]) > 0,
        **extra,
    }


class ImportView(LoginRequiredMixin, View):
    """GET: the upload form. POST: read the workbook, keep it, and show the preview (nothing saved)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_import(request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_page(self, form, status=200):
        return render(
            request=self.request,
            template_name="sttasks/import_form.html",
            context={
                "form": form,
                "columns": imports.COLUMNS,
                "required_columns": imports.REQUIRED_COLUMNS,
            },
            status=status,
        )

    def get(self, request):
        return self.form_page(UploadForm())

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.form_page(form, status=400)
        upload = form.cleaned_data["file"]
        update_existing = form.cleaned_data["update_existing"]
        if upload.size > imports.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(size)d MB. Split it into smaller workbooks.")
                % {"size": imports.MAX_BYTES // (1024 * 1024)},
            )
            return self.form_page(form, status=400)
        data = upload.read()
        try:
            outcome = imports.TaskResource(request.user, update_existing=update_existing).run(
                read(data), dry_run=True
            )
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_page(form, status=400)

        discard_pending(request)
        sweep_stale(request.user)
        token = secrets.token_hex(16)
        path = pending_path(request.user, token)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        request.session[SESSION_KEY] = {
            "token": token,
            "name": upload.name[:200],
            "update_existing": update_existing,
            "at": timezone.now().isoformat(),
        }
        return render(
            request,
            "sttasks/import_preview.html",
            preview_context(upload.name, token, outcome, update_existing),
        )


DATABASE_LOST_MESSAGE = _(
    "The connection to the database was lost during the import: nothing was imported. Try again in a "
    "moment; if it happens again, tell the administrator."
)


class ImportConfirmView(LoginRequiredMixin, View):
    """Imports the kept workbook: every row in one transaction, or nothing."""

    def expired(self, request):
        messages.error(
            request,
            _("This import has expired or was replaced by another upload. Upload the workbook again."),
        )
        return HttpResponseRedirect(reverse("sttasks:import"))

    def post(self, request):
        require_import(request.user)
        pending = request.session.get(SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("token"):
            return self.expired(request)
        path = pending_path(request.user, pending["token"])
        if not path.is_file():
            request.session.pop(SESSION_KEY, None)
            return self.expired(request)
        update_existing = bool(pending.get("update_existing"))
        try:
            outcome = imports.TaskResource(request.user, update_existing=update_existing).run(
                read(path.read_bytes()), dry_run=False
            )
        except imports.ImportFileError as exc:
            discard_pending(request)
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("sttasks:import"))
        except (OperationalError, InterfaceError):
            # The database went away mid-import: its transaction is rolled back, so nothing was written.
            # The kept workbook stays, so the user can confirm again once the database is back.
            messages.error(request, DATABASE_LOST_MESSAGE)
            return HttpResponseRedirect(reverse("sttasks:import"))
        if outcome.has_errors:
            # The data changed since the preview (or the rows conflict): nothing was saved; show why.
            return render(
                request,
                "sttasks/import_preview.html",
                preview_context(
                    pending.get("name", ""), pending["token"], outcome, update_existing, refused=True
                ),
                status=409,
            )
        discard_pending(request)
        messages.success(
            request,
            _("Imported %(new)d new tasks and updated %(update)d tasks already on record.")
            % {"new": outcome.counts["new"], "update": outcome.counts["update"]},
        )
        return HttpResponseRedirect(list_url())


class ImportCancelView(LoginRequiredMixin, View):
    def post(self, request):
        discard_pending(request)
        return HttpResponseRedirect(reverse("sttasks:import"))


class ImportTemplateView(LoginRequiredMixin, View):
    """The headers, an example row for the user's own locality, and a sheet explaining each column;
    built at request time so the lists of types, fields and states are today's."""

    def get(self, request):
        require_import(request.user)
        return workbook_response(imports.template_workbook(request.user), "stims-nhiem-vu-mau.xlsx")
