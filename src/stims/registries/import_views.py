"""The registries' Excel import pages: upload → preview → confirm (`RegistryImportView`, on the
import framework's `stims.core.import_views.ImportView`), plus the template and the export.

One upload page serves every registry the user may add to (products, IP assets): the form asks which.
"""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from stims.core import permissions
from stims.core.import_views import ImportView
from stims.core.imports import XLSX, workbook_response

from . import imports


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
        help_text=gettext_lazy(
            "At most 5 MB and 5,000 rows. Title rows above the column headers, merged headers and a total "
            "row are recognised."
        ),
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


class RegistryImportView(ImportView):
    """The import of a registry's records; the kind ("products", "ip") is chosen on the form."""

    namespace = "registries"
    session_key = "registries_import"
    form_template = "registries/import_form.html"
    preview_template = "registries/import_preview.html"

    def check_upload(self, request):
        if not importable_kinds(request.user):
            raise PermissionDenied

    def check_post(self, request):
        require_kind(request.user, request.POST.get("kind", ""))

    def check_options(self, user, options):
        require_kind(user, options.get("kind", ""))

    def get_form(self, data=None, files=None):
        kinds = importable_kinds(self.request.user)
        if data is None:
            return UploadForm(kinds=kinds, initial={"kind": self.request.GET.get("kind") or kinds[0][0]})
        return UploadForm(data, files, kinds=kinds)

    def form_context(self, form):
        return {
            "form": form,
            "downloads": [
                {
                    "kind": kind,
                    "label": label,
                    "template_url": reverse("registries:import_template", args=[kind]),
                    "export_url": reverse("registries:import_export", args=[kind]),
                }
                for kind, label in importable_kinds(self.request.user)
            ],
        }

    def import_options(self, form):
        return {"kind": form.cleaned_data["kind"]}

    def kind(self, options):
        return options["kind"]

    def preview_extra(self, options):
        return {"kind": options["kind"], "kind_label": imports.kind_label(options["kind"])}


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
