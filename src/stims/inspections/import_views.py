"""The establishments' Excel import pages: upload → preview → confirm (`EstablishmentImportView`, on
the import framework's `stims.core.import_views.ImportView`), the template and the export."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views import View

from stims.core import permissions
from stims.core.import_views import ImportView, UploadForm
from stims.core.imports import workbook_response

from . import imports
from .models import Establishment


def require(user, action=permissions.ADD) -> None:
    if not permissions.has_perm(user, action, Establishment):
        raise PermissionDenied


class EstablishmentImportView(ImportView):
    """The import of a district's list of establishments; every row checked, then all or none saved."""

    namespace = "inspections"
    session_key = "inspections_import"
    form_class = UploadForm
    form_template = "inspections/import_form.html"
    preview_template = "inspections/import_preview.html"

    def check_upload(self, request):
        require(request.user)

    def check_confirm(self, request):
        require(request.user)

    def form_context(self, form):
        return {"form": form, "columns": imports.EstablishmentResource.column_variants}

    def kind(self, options):
        return imports.KIND


class EstablishmentTemplateView(LoginRequiredMixin, View):
    """The headers and one example row for the user's own locality."""

    def get(self, request):
        require(request.user)
        return workbook_response(imports.template_workbook(request.user), "stims-co-so-mau.xlsx")


class EstablishmentExportView(LoginRequiredMixin, View):
    """The establishments the user may see, in the import layout: export → edit → import updates them."""

    def get(self, request):
        require(request.user, permissions.VIEW)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return workbook_response(imports.export_workbook(request.user), f"stims-co-so-{stamp}.xlsx")
