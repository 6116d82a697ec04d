"""The task import's pages: upload → preview → confirm (`TaskImportView`, on the import framework's
`stims.core.import_views.ImportView`), and the example workbook.

Besides the workbook, the session keeps whether to update tasks already on record.
"""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy
from django.views import View

from stims.core import permissions
from stims.core.import_views import ImportView
from stims.core.imports import XLSX, workbook_response

from . import imports
from . import rules as task_rules
from .models import Task


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        help_text=gettext_lazy(
            "At most 5 MB and 5,000 rows. Title rows above the column headers, merged headers and a total "
            "row are recognised."
        ),
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


def list_url() -> str:
    try:
        return reverse("sttasks:task_list")
    except NoReverseMatch:
        return reverse("sttasks:import")


class TaskImportView(ImportView):
    """The import of S&T tasks, e.g. the lists of earlier years."""

    namespace = "sttasks"
    session_key = "sttasks_import"
    form_class = UploadForm
    form_template = "sttasks/import_form.html"
    preview_template = "sttasks/import_preview.html"

    def check_upload(self, request):
        require_import(request.user)

    def check_confirm(self, request):
        require_import(request.user)

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        if not task_rules.has(task_rules.UPDATE_TASK_BY_IMPORT, self.request.user):
            # Offered only to those the rule `sttasks.update_task_by_import` lets update tasks on record;
            # the import itself refuses such rows to anyone else, whatever the request says.
            del form.fields["update_existing"]
        return form

    def form_context(self, form):
        return {"form": form, "columns": imports.COLUMNS, "required_columns": imports.REQUIRED_COLUMNS}

    def import_options(self, form):
        return {"update_existing": bool(form.cleaned_data.get("update_existing"))}

    def kind(self, options):
        return "tasks"

    def preview_extra(self, options):
        return {"update_existing": bool(options.get("update_existing"))}


class ImportTemplateView(LoginRequiredMixin, View):
    """The headers, an example row for the user's own locality, and a sheet explaining each column;
    built at request time so the lists of types, fields and states are today's."""

    def get(self, request):
        require_import(request.user)
        return workbook_response(imports.template_workbook(request.user), "stims-nhiem-vu-mau.xlsx")
