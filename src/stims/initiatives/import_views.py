"""The initiatives' Excel import pages: upload → preview → confirm (`InitiativeImportView`, on the
import framework's `stims.core.import_views.ImportView`) and the template."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views import View

from stims.core import permissions
from stims.core.import_views import ImportView, UploadForm
from stims.core.imports import workbook_response

from . import imports
from .models import Initiative


def require(user) -> None:
    if not permissions.has_perm(user, permissions.ADD, Initiative):
        raise PermissionDenied


class InitiativeImportView(ImportView):
    """The import of a district's list of initiative applications, with their authors."""

    namespace = "initiatives"
    session_key = "initiatives_import"
    form_class = UploadForm
    form_template = "initiatives/import_form.html"
    preview_template = "initiatives/import_preview.html"

    def check_upload(self, request):
        require(request.user)

    def check_confirm(self, request):
        require(request.user)

    def form_context(self, form):
        return {"form": form, "columns": imports.InitiativeResource.column_variants}

    def kind(self, options):
        return imports.KIND


class InitiativeTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        require(request.user)
        return workbook_response(imports.template_workbook(request.user), "stims-sang-kien-mau.xlsx")
