"""The import of a plan's targets: upload → preview → confirm (`TargetImportView`, on the import
framework's `stims.core.import_views.ImportView`), and the example workbook. The plan is chosen on the
form (`?plan=` from the plan's page) among the plans the user may change."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from django.views import View

from stims.core import permissions
from stims.core.import_views import ImportView
from stims.core.imports import XLSX, workbook_response

from . import imports
from .models import Plan, Target


class UploadForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=gettext_lazy("Plan or programme"))
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        help_text=gettext_lazy(
            "At most 5 MB and 5,000 rows. Title rows above the column headers, merged headers and a total "
            "row are recognised."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX, "class": "form-control"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = permissions.restrict(Plan.objects.all(), user, permissions.CHANGE)
        self.fields["plan"].widget.attrs["class"] = "form-select"


def require_import(user) -> None:
    if not permissions.has_perm(user, permissions.ADD, Target):
        raise PermissionDenied


class TargetImportView(ImportView):
    namespace = "programmes"
    session_key = "programmes_import"
    form_template = "programmes/import_form.html"
    preview_template = "programmes/import_preview.html"

    def check_upload(self, request):
        require_import(request.user)

    def check_confirm(self, request):
        require_import(request.user)

    def check_options(self, user, options):
        imports.plan_for(user, options.get("plan"))

    def get_form(self, data=None, files=None):
        user = self.request.user
        if data is None:
            return UploadForm(user=user, initial={"plan": self.request.GET.get("plan")})
        return UploadForm(data, files, user=user)

    def form_context(self, form):
        return {"form": form, "columns": imports.COLUMNS, "required_columns": imports.REQUIRED_COLUMNS}

    def import_options(self, form):
        return {"plan": form.cleaned_data["plan"].pk}

    def kind(self, options):
        return "plan-targets"

    def preview_extra(self, options):
        return {"plan": Plan.objects.filter(pk=options.get("plan")).first()}


class ImportTemplateView(LoginRequiredMixin, View):
    """The headers and an example row for the plan."""

    def get(self, request, pk):
        require_import(request.user)
        plan = imports.plan_for(request.user, pk)
        return workbook_response(imports.template_workbook(plan, request.user), "stims-chi-tieu-mau.xlsx")
