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
    path("import/preview/<str:token>/", TaskImportView.as_view(step="preview"), name="import_preview"),
    path("import/progress/<str:token>/", TaskImportView.as_view(step="progress"), name="import_progress"),

The preview checks every row without writing anything and is paged (100 rows a page, every error
listed above the rows); the confirm runs as a background job (`stims.core.import_jobs`) whose
progress page polls with htmx until the import is done. The upload waits between preview and confirm in a per-user file (`stims.core.imports.pending_path`);
the session holds its random token and the importer's options (`import_options()`), nothing else.
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import import_jobs, imports

DATABASE_LOST_MESSAGE = imports.DATABASE_LOST_MESSAGE
PAGE_ROWS = 100  # rows a preview page shows


class UploadForm(forms.Form):
    """The upload of one workbook, with nothing else to choose (an import of one kind of record)."""

    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        help_text=gettext_lazy(
            "At most 5 MB and 5,000 rows. Title rows above the column headers, merged headers and a total "
            "row are recognised."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + imports.XLSX, "class": "form-control"}),
    )


class ImportView(LoginRequiredMixin, View):
    """GET on the upload step: the form. POST on the upload step: read the workbook, keep it, and show
    the preview (nothing saved). POST on the confirm step: import the kept workbook, every row in one
    transaction or nothing. POST on the cancel step: forget the kept workbook."""

    step = "upload"  # "upload", "confirm", "cancel", "preview" (another page) or "progress"
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
        """The resource reading this upload: the registered importer's (`imports.register_importer`)."""
        return imports.importer(self.kind(options)).resource(self.request.user, options)

    def read(self, data: bytes, resource: imports.ImportResource) -> imports.Sheet:
        return imports.read_for(resource, data)

    def kind(self, options: dict) -> str:
        """The importer's kind ("products", "ip", "tasks") the background job looks up."""
        raise NotImplementedError

    def preview_extra(self, options: dict) -> dict:
        return {}

    # ---- the flow

    def url(self, name: str, *args) -> str:
        return reverse(f"{self.namespace}:{name}", args=args)

    def dispatch(self, request, *args, **kwargs):
        if self.step in {"upload", "preview", "progress"} and request.user.is_authenticated:
            self.check_upload(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.step == "preview":
            return self.preview_page(request, kwargs["token"])
        if self.step == "progress":
            return self.progress_page(request, kwargs["token"])
        if self.step != "upload":
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self.form_page(self.get_form())

    def post(self, request, *args, **kwargs):
        if self.step not in {"upload", "confirm", "cancel"}:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return {"upload": self.upload, "confirm": self.confirm, "cancel": self.cancel}[self.step](request)

    def form_page(self, form, status=200):
        return render(self.request, self.form_template, self.form_context(form), status=status)

    def preview_context(self, name, token, outcome, options, *, page=1, **extra) -> dict:
        pages = max(1, -(-len(outcome.rows) // PAGE_ROWS))
        page = min(max(1, page), pages)
        page_rows = outcome.rows[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
        for row in page_rows:  # each value with its cell's errors, so the preview marks the cell
            row.marked = list(zip(row.values, row.cell_errors(outcome.headers), strict=False))
        return {
            "file_name": name,
            "token": token,
            "outcome": outcome,
            "page_rows": page_rows,
            "page": page,
            "page_numbers": range(1, pages + 1),
            "pages": pages,
            "page_url": self.url("import_preview", token),
            "skipped_rows": [number for number, _why in outcome.skipped],
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
        if upload.size > imports.byte_limit():
            form.add_error(
                "file",
                _("The file is larger than %(size)d MB. Split it into smaller workbooks.")
                % {"size": imports.byte_limit() // (1024 * 1024)},
            )
            return self.form_page(form, status=400)
        data = upload.read()
        try:
            resource = self.resource(options)
            outcome = resource.run(self.read(data, resource), dry_run=True)  # nothing is written
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_page(form, status=400)

        self.discard_pending(request)
        imports.sweep_stale(request.user)
        token = secrets.token_hex(16)
        path = imports.pending_path(request.user, token)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        stored = stored_outcome(outcome)
        if not outcome.has_errors:  # the checked rows, kept on disk for the confirm
            stored["checked"] = imports.keep_checked(
                resource, imports.side_path(request.user, token, imports.CHECKED)
            )
        del resource
        imports.write_json(imports.side_path(request.user, token, ".preview.json"), stored)
        request.session[self.session_key] = {
            "token": token,
            **options,
            "name": upload.name[:200],
            "at": timezone.now().isoformat(),
        }
        return render(
            request, self.preview_template, self.preview_context(upload.name, token, outcome, options)
        )

    def pending_for(self, request, token: str) -> dict | None:
        pending = request.session.get(self.session_key)
        if not pending or pending.get("token") != token:
            return None
        return pending

    def preview_page(self, request, token):
        """Another page of the preview of the kept upload (read from its stored preview)."""
        pending = self.pending_for(request, token)
        stored = (
            imports.read_json(imports.side_path(request.user, token, ".preview.json")) if pending else None
        )
        if stored is None:
            return self.expired(request)
        options = {key: value for key, value in pending.items() if key not in {"token", "name", "at"}}
        self.check_options(request.user, options)
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        return render(
            request,
            self.preview_template,
            self.preview_context(pending.get("name", ""), token, loaded_outcome(stored), options, page=page),
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
        token = pending["token"]
        path = imports.pending_path(request.user, token)
        if not path.is_file():
            request.session.pop(self.session_key, None)
            return self.expired(request)
        stored = imports.read_json(imports.side_path(request.user, token, ".preview.json"))
        if stored is None or stored.get("has_errors"):
            # Confirmed although the preview had errors (or its record is gone): check again, and refuse
            # with the rows' errors if any remain. Nothing is written.
            try:
                resource = self.resource(options)
                outcome = resource.run(self.read(path.read_bytes(), resource), dry_run=True)
            except imports.ImportFileError as exc:
                self.discard_pending(request)
                messages.error(request, str(exc))
                return HttpResponseRedirect(self.url("import"))
            if outcome.has_errors:
                return render(
                    request,
                    self.preview_template,
                    self.preview_context(pending.get("name", ""), token, outcome, options, refused=True),
                    status=409,
                )
        request.session.pop(self.session_key, None)  # the job owns the kept upload from now on
        import_jobs.mark_queued(request.user, token, self.kind(options), pending.get("name", ""))
        import_jobs.run_import.enqueue(
            self.kind(options),
            request.user.pk,
            token,
            options,
            pending.get("name", ""),
            getattr(request, "LANGUAGE_CODE", ""),
        )
        return HttpResponseRedirect(self.url("import_progress", token))

    def progress_page(self, request, token):
        """Where a confirmed import stands; polled by htmx every second until it ends."""
        try:
            state = import_jobs.status(request.user, token)
        except PermissionDenied:
            raise Http404 from None
        if state is None:
            raise Http404
        context = {
            "state": state,
            "token": token,
            "running": state.get("state") in {import_jobs.QUEUED, import_jobs.RUNNING},
            "percent": int(100 * state.get("done", 0) / state["total"]) if state.get("total") else 0,
            "progress_url": self.url("import_progress", token),
            "import_url": self.url("import"),
        }
        if request.headers.get("HX-Request"):
            return render(request, "core/_import_progress.html", context)
        return render(request, "core/import_progress.html", context)

    def cancel(self, request):
        self.discard_pending(request)
        return HttpResponseRedirect(self.url("import"))


def _cell(value):
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return value


def stored_outcome(outcome: imports.ImportOutcome) -> dict:
    """The preview, as kept beside the upload for its other pages and for the confirm."""
    return {
        "headers": outcome.headers,
        "counts": outcome.counts,
        "has_errors": outcome.has_errors,
        "skipped": outcome.skipped,
        "proposals": outcome.proposals,
        "rows": [
            [row.number, row.status, [_cell(v) for v in row.values], row.errors, list(row.cells.items())]
            for row in outcome.rows
        ],
    }


def loaded_outcome(stored: dict) -> imports.ImportOutcome:
    rows = [
        imports.PreviewRow(number, status, values, errors, {column: messages for column, messages in cells})
        for number, status, values, errors, cells in stored["rows"]
    ]
    return imports.ImportOutcome(
        rows,
        stored["headers"],
        stored["counts"],
        [tuple(item) for item in stored.get("skipped", [])],
        stored.get("proposals", []),
    )
