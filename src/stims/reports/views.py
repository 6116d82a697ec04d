"""The reports pages: ask for a report (type, period, locality, format, the editable summary), watch it
being generated (htmx polls the progress), download it; the template versions; the leaders' dashboard.
Every page asks the permission layer: a report is visible to whoever may see its locality's reports,
and a user asks only for the units they may report on (a local officer: their own)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from stims.core import permissions
from stims.core.views import register_model_view
from stims.geo.models import AdminUnit, Generation, Level
from stims.geo.services import home_province

from . import periods, services
from .dashboard import dashboard_context
from .figures import compute
from .models import Format, Report, ReportTemplate
from .tasks import generate_report


def reportable_units(user):
    """The units the user may report on; for deployment-wide users, every province and district and the
    home province's communes of today (not the country's ten thousand communes)."""
    units = permissions.assignable_units(user, Report, permissions.ADD).select_related("parent")
    if units.count() > 400:
        home = home_province()
        wide = Q(level__in=[Level.PROVINCE, Level.DISTRICT])
        if home is not None:
            wide |= Q(level=Level.COMMUNE, generation=Generation.CURRENT, province=home)
        units = units.filter(wide)
    return units.order_by("level", "generation", "name")


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Report type"), choices=[(k, v[0]) for k, v in periods.KINDS.items()]
    )
    period = forms.CharField(
        label=gettext_lazy("Period"),
        help_text=gettext_lazy(
            "A year (2023); month/year or quarter/year (3/2023); or two dates 01/02/2023-30/06/2023."
        ),
    )
    unit = forms.ModelChoiceField(label=gettext_lazy("Locality"), queryset=AdminUnit.objects.none())
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=Format.choices)
    number = forms.CharField(label=gettext_lazy("Number"), required=False, max_length=60)
    summary = forms.CharField(
        label=gettext_lazy("Summary of the period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Composed from the figures; edit it before generating. Left empty, it is composed."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = reportable_units(user)
        self.fields["unit"].label_from_instance = lambda u: (
            f"{u.name} ({_('before 2025')})" if u.is_legacy else u.name
        )
        # Bootstrap's controls, which keep to the column's width on a phone.
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("period"):
            try:
                data["parsed"] = periods.parse(data["kind"], data["period"])
            except periods.PeriodError as exc:
                self.add_error("period", str(exc))
        return data


class ReportsMixin(LoginRequiredMixin):
    def visible_reports(self):
        return permissions.restrict(Report.objects.select_related("admin_unit"), self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(request.user, permissions.VIEW, Report):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


@register_model_view(Report, "list")
class ReportListView(ReportsMixin, generic.FormView):
    """Ask for a report, and the reports made so far."""

    model = Report
    template_name = "reports/report_list.html"
    form_class = ReportForm

    def get_initial(self):
        return {"kind": periods.YEAR, "period": str(timezone.localdate().year), "format": Format.DOCX}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reports"] = self.visible_reports()[:50]
        context["may_add"] = permissions.has_perm(self.request.user, permissions.ADD, Report)
        context["kinds"] = [(k, v[0], v[1]) for k, v in periods.KINDS.items()]
        return context

    def post(self, request, *args, **kwargs):
        if not permissions.has_perm(request.user, permissions.ADD, Report):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        report = services.request_report(
            self.request.user,
            kind=data["kind"],
            period_text=data["period"],
            unit=data["unit"],
            fmt=data["format"],
            summary=data["summary"],
            number=data["number"],
        )
        generate_report.enqueue(report.pk)
        return redirect("reports:report_detail", pk=report.pk)


class SummaryView(ReportsMixin, generic.View):
    """The composed summary of the period (htmx fills the form's text box with it, to be edited)."""

    def get(self, request):
        form = ReportForm(request.GET, user=request.user)
        form.fields["format"].required = False
        if not form.is_valid():
            return HttpResponse(_("Choose the report type, the period and the locality first."), status=400)
        data = compute(form.cleaned_data["unit"], form.cleaned_data["parsed"], request.user)
        return HttpResponse(data.summary(), content_type="text/plain; charset=utf-8")


@register_model_view(Report, "detail")
class ReportDetailView(ReportsMixin, generic.DetailView):
    model = Report
    template_name = "reports/report_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return self.visible_reports()

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["reports/_progress.html"]
        return [self.template_name]


class ReportDownloadView(ReportsMixin, generic.View):
    def get(self, request, pk):
        report = get_object_or_404(self.visible_reports(), pk=pk)
        if not report.file:
            raise Http404
        return FileResponse(
            report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1]
        )


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ReportTemplate
        fields = ["file", "note"]


@register_model_view(ReportTemplate, "list", path="templates/")
class ReportTemplateListView(LoginRequiredMixin, generic.FormView):
    """Template versions; a leader or administrator uploads a new version (used from then on)."""

    model = ReportTemplate
    template_name = "reports/template_list.html"
    form_class = TemplateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, permissions.VIEW, ReportTemplate
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .documents import SHIPPED_VERSION

        context = super().get_context_data(**kwargs)
        context["templates"] = ReportTemplate.objects.all()
        context["shipped_version"] = SHIPPED_VERSION
        context["may_upload"] = permissions.has_perm(self.request.user, permissions.ADD, ReportTemplate)
        return context

    def form_valid(self, form):
        if not permissions.has_perm(self.request.user, permissions.ADD, ReportTemplate):
            raise PermissionDenied
        from .documents import SHIPPED_VERSION

        template = form.save(commit=False)
        template.version = (
            max(ReportTemplate.objects.aggregate(v=Max("version"))["v"] or 0, SHIPPED_VERSION) + 1
        )
        template._history_user = self.request.user
        template.save()
        return redirect("reports:reporttemplate_list")


class DashboardView(ReportsMixin, generic.TemplateView):
    """The leaders' dashboard: the report figures live, this year against last year, by locality."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dashboard_context(self.request))
        return context
