"""The pages of an Excel import: upload → preview → confirm (or cancel), for any import resource.

One view class, `ImportView`, serves the three pages of the flow (its `step`); an app's import is a
named subclass that says which resource reads the workbook, which form uploads it, which templates
show it and where to go afterwards:

    class TaskImportView(ImportView):
        namespace, session_key = "sttasks", "sttasks_import"
        ...

    path("import/", TaskImportView.as_view(), name="import"),
    path("import/confirm/", TaskImportView.as_view(step="confirm"), name="import_confirm"),
    path("import/cancel/", TaskImportView.as_view(step="cancel"), name="import_cancel"),

The upload waits between preview and confirm in a per-user file (`stims.core.imports.pending_path`);
the session holds its random token and the importer's options (`import_options()`), nothing else.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from . import imports

DATABASE_LOST_MESSAGE = _(
    "The connection to the database was lost during the import: nothing was imported. Try again in a "
    "moment; if it happens again, tell the administrator."
)


class ImportView(LoginRequiredMixin, View):
    """GET on the upload step: the form. POST on the upload step: read the workbook, keep it, and show
    the preview (nothing saved). POST on the confirm step: import the kept workbook, every row in one
    transaction or nothing. POST on the cancel step: forget the kept workbook."""

    step = "upload"  # "upload", "confirm" or "cancel"
    namespace = ""  # the URL namespace of the app's import, import_confirm and import_cancel pages
    session_key = ""  # where the session keeps the pending upload
    form_class = None  # the upload form: a "file" field, and the importer's options
    form_template = ""
    preview_template = ""

    # ---- what a subclass says

    def check_upload(self, request) -> None:
        """Raise PermissionDenied if the user may not use the upload page (checked on every request)."""

    def check_post(self, request) -> None:
        """Raise PermissionDenied if the user may not post this upload (before the form is read)."""

    def check_confirm(self, request) -> None:
        """Raise PermissionDenied if the user may not confirm any import (before the session is read)."""

    def check_options(self, user, options: dict) -> None:
        """Raise PermissionDenied if the user may not import with these options (kept in the session)."""

    def get_form(self, data=None, files=None):
        return self.form_class(data, files)

    def form_context(self, form) -> dict:
        return {"form": form}

    def import_options(self, form) -> dict:
        """What the resource needs besides the workbook, kept in the session until the confirm."""
        return {}

    def resource(self, options: dict) -> imports.ImportResource:
        """The importer for this upload (abstract: RegistryImportView and TaskImportView say)."""
        raise NotImplementedError

    def read(self, data: bytes) -> imports.Sheet:
        return imports.read_workbook(data)

    def preview_extra(self, options: dict) -> dict:
        return {}

    def success_message(self, outcome: imports.ImportOutcome, options: dict) -> str:
        """What the page says after the import (abstract: each import view says)."""
        raise NotImplementedError

    def success_url(self, options: dict) -> str:
        return self.url("import")

    # ---- the flow

    def url(self, name: str) -> str:
        return reverse(f"{self.namespace}:{name}")

    def dispatch(self, request, *args, **kwargs):
        if self.step == "upload" and request.user.is_authenticated:
            self.check_upload(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.step != "upload":
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self.form_page(self.get_form())

    def post(self, request, *args, **kwargs):
        return {"upload": self.upload, "confirm": self.confirm, "cancel": self.cancel}[self.step](request)

    def form_page(self, form, status=200):
        return render(self.request, self.form_template, self.form_context(form), status=status)

    def preview_context(self, name, token, outcome, options, **extra) -> dict:
        return {
            "file_name": name,
            "token": token,
            "outcome": outcome,
            "can_confirm": not outcome.has_errors and (outcome.counts["new"] + outcome.counts["update"]) > 0,
            "import_url": self.url("import"),
            "confirm_url": self.url("import_confirm"),
            "cancel_url": self.url("import_cancel"),
            **self.preview_extra(options),
            **extra,
        }

    def discard_pending(self, request) -> None:
        imports.discard_pending(request, self.session_key)

    def upload(self, request):
        self.check_post(request)
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.form_page(form, status=400)
        upload = form.cleaned_data["file"]
        options = self.import_options(form)
        if upload.size > imports.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(size)d MB. Split it into smaller workbooks.")
                % {"size": imports.MAX_BYTES // (1024 * 1024)},
            )
            return self.form_page(form, status=400)
        data = upload.read()
        try:
            outcome = self.resource(options).run(self.read(data), dry_run=True)
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_page(form, status=400)

        self.discard_pending(request)
        imports.sweep_stale(request.user)
        token = secrets.token_hex(16)
        path = imports.pending_path(request.user, token)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        request.session[self.session_key] = {
            "token": token,
            **options,
            "name": upload.name[:200],
            "at": timezone.now().isoformat(),
        }
        return render(
            request, self.preview_template, self.preview_context(upload.name, token, outcome, options)
        )

    def expired(self, request):
        messages.error(
            request,
            _("This import has expired or was replaced by another upload. Upload the workbook again."),
        )
        return HttpResponseRedirect(self.url("import"))

    def confirm(self, request):
        self.check_confirm(request)
        pending = request.session.get(self.session_key)
        if not pending or pending.get("token") != request.POST.get("token"):
            return self.expired(request)
        options = {key: value for key, value in pending.items() if key not in {"token", "name", "at"}}
        self.check_options(request.user, options)
        path = imports.pending_path(request.user, pending["token"])
        if not path.is_file():
            request.session.pop(self.session_key, None)
            return self.expired(request)
        try:
            outcome = self.resource(options).run(self.read(path.read_bytes()), dry_run=False)
        except imports.ImportFileError as exc:
            self.discard_pending(request)
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.url("import"))
        except (OperationalError, InterfaceError):
            # The database went away mid-import: its transaction is rolled back, so nothing was written.
            # The kept workbook stays, so the user can confirm again once the database is back.
            messages.error(request, DATABASE_LOST_MESSAGE)
            return HttpResponseRedirect(self.url("import"))
        if outcome.has_errors:
            # The data changed since the preview (or the rows conflict): nothing was saved; show why.
            return render(
                request,
                self.preview_template,
                self.preview_context(
                    pending.get("name", ""), pending["token"], outcome, options, refused=True
                ),
                status=409,
            )
        self.discard_pending(request)
        messages.success(request, self.success_message(outcome, options))
        return HttpResponseRedirect(self.success_url(options))

    def cancel(self, request):
        self.discard_pending(request)
        return HttpResponseRedirect(self.url("import"))
