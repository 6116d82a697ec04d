"""The import of indicator values from Excel: upload (with the framework) → preview → confirm, on the
import framework's `stims.core.import_views.ImportView`; and the template workbook of a framework."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views import View

from stims.core import permissions
from stims.core.import_views import ImportView
from stims.core.imports import XLSX, workbook_response, write_workbook

from . import imports, services
from .models import Framework, IndicatorValue


class UploadForm(forms.Form):
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.order_by("-year", "code"),
        label=gettext_lazy("Framework"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX, "class": "form-control"}),
    )


def require_import(user) -> None:
    if not permissions.has_perm(user, permissions.ADD, IndicatorValue):
        raise PermissionDenied


class IndicatorValueImportView(ImportView):
    namespace = "innovation"
    session_key = "innovation_import"
    form_class = UploadForm
    form_template = "innovation/import_form.html"
    preview_template = "innovation/import_preview.html"

    def check_upload(self, request):
        require_import(request.user)

    def check_confirm(self, request):
        require_import(request.user)

    def form_context(self, form):
        return {"form": form, "columns": imports.COLUMNS, "required_columns": imports.REQUIRED_COLUMNS}

    def import_options(self, form):
        return {"framework": form.cleaned_data["framework"].pk}

    def kind(self, options):
        return "innovation"


class ImportTemplateView(LoginRequiredMixin, View):
    """A framework's workbook to fill in: one row per indicator and unit the user may enter."""

    def get(self, request, pk):
        require_import(request.user)
        framework = get_object_or_404(Framework, pk=pk)
        allowed = permissions.assignable_units(request.user, IndicatorValue, permissions.ADD)
        units = services.units_of(framework).filter(pk__in=allowed.values("pk"))
        frame = services.frame(framework)
        headers = [vi for _n, vi, _en in imports.COLUMNS]
        rows = [[i.code, u.code, None, i.source, ""] for u in units for i in frame.indicators]
        content = write_workbook(headers, rows, title=f"{framework.code} {framework.year}")
        return workbook_response(content, f"chi-so-{framework.code}-{framework.year}.xlsx")
