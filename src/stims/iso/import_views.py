"""The ISO 9001 records' Excel import pages: upload → preview → confirm (`IsoImportView`, on the import
framework's `stims.core.import_views.ImportView`) and the template."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views import View

from stims.core import permissions
from stims.core.import_views import ImportView, UploadForm
from stims.core.imports import workbook_response

from . import imports
from .models import IsoRecord


def require(user) -> None:
    if not permissions.has_perm(user, permissions.ADD, IsoRecord):
        raise PermissionDenied


class IsoImportView(ImportView):
    """The import of agencies' ISO 9001 records, one row per agency and year."""

    namespace = "iso"
    session_key = "iso_import"
    form_class = UploadForm
    form_template = "iso/import_form.html"
    preview_template = "iso/import_preview.html"

    def check_upload(self, request):
        require(request.user)

    def check_confirm(self, request):
        require(request.user)

    def form_context(self, form):
        return {"form": form, "columns": imports.IsoRecordResource.column_variants}

    def kind(self, options):
        return imports.KIND


class IsoTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        require(request.user)
        return workbook_response(imports.template_workbook(request.user), "stims-iso-9001-mau.xlsx")
