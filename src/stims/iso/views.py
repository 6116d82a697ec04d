from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.views import generic

from stims.core import permissions
from stims.core.views import (
    ChildRecordMixin,
    DeletedObjectsView,
    ModelPermissionMixin,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    register_model_view,
)

from . import filters, forms, services, tables
from . import rules as iso_rules
from .models import AgencyLevel, IsoActivity, IsoCheck, IsoRecord

last_check = Subquery(IsoCheck.objects.filter(record=OuterRef("pk")).order_by("-date").values("date")[:1])


class IsoRecordRowsMixin:
    def base_queryset(self):
        return (
            IsoRecord.objects.select_related("agency__admin_unit")
            # A subquery per row shown, not a join and GROUP BY over every record and check: the list's
            # page is then ordered and read by key like any long list (issue #20).
            .annotate(last_check=last_check)
            .order_by("-year", "search_name")
        )


@register_model_view(IsoRecord, "list")
class IsoRecordListView(IsoRecordRowsMixin, ObjectListView):
    model = IsoRecord
    table_class = tables.IsoRecordTable
    filterset_class = filters.IsoRecordFilterSet


@register_model_view(IsoRecord, "detail")
class IsoRecordDetailView(IsoRecordRowsMixin, ObjectDetailView):
    model = IsoRecord

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, record = self.request.user, self.object
        context["activities"] = record.activities.order_by("-date", "-pk")
        context["checks"] = record.checks.order_by("-date", "-pk")
        context["can_add_activity"] = context["can_change"] and permissions.has_perm(
            user, permissions.ADD, IsoActivity
        )
        context["can_add_check"] = permissions.has_perm(user, permissions.ADD, IsoCheck) and iso_rules.has(
            iso_rules.RECORD_CHECK, user, record
        )
        return context


@register_model_view(IsoRecord, "add")
class IsoRecordCreateView(ObjectCreateView):
    model = IsoRecord
    form_class = forms.IsoRecordForm


@register_model_view(IsoRecord, "edit")
class IsoRecordUpdateView(IsoRecordRowsMixin, ObjectUpdateView):
    model = IsoRecord
    form_class = forms.IsoRecordForm


@register_model_view(IsoRecord, "delete")
class IsoRecordDeleteView(IsoRecordRowsMixin, ObjectDeleteView):
    model = IsoRecord


@register_model_view(IsoRecord, "deleted")
class IsoRecordDeletedView(DeletedObjectsView):
    model = IsoRecord


# --- Audits and reviews, checks: on their record's page ------------------------------------------------


class IsoActivityRowsMixin:
    def base_queryset(self):
        return IsoActivity.objects.select_related("record__agency")


@register_model_view(IsoActivity, "detail")
class IsoActivityDetailView(IsoActivityRowsMixin, ObjectDetailView):
    model = IsoActivity


@register_model_view(IsoActivity, "add")
class IsoActivityCreateView(ChildRecordMixin, ObjectCreateView):
    model = IsoActivity
    form_class = forms.IsoActivityForm
    parent_field = "record"


@register_model_view(IsoActivity, "edit")
class IsoActivityUpdateView(ChildRecordMixin, IsoActivityRowsMixin, ObjectUpdateView):
    model = IsoActivity
    form_class = forms.IsoActivityForm
    parent_field = "record"


@register_model_view(IsoActivity, "delete")
class IsoActivityDeleteView(ChildRecordMixin, IsoActivityRowsMixin, ObjectDeleteView):
    model = IsoActivity
    parent_field = "record"


class CheckRuleMixin:
    """Asks the rule `iso.record_check` of the record a check is saved on (the matrix is asked first)."""

    def form_valid(self, form):
        record = form.cleaned_data["record"]
        iso_rules.require(iso_rules.RECORD_CHECK, self.request.user, record)
        return super().form_valid(form)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not iso_rules.has(iso_rules.RECORD_CHECK, request.user, None):
            raise iso_rules.core_rules.deny(iso_rules.RECORD_CHECK)
        return super().dispatch(request, *args, **kwargs)


class IsoCheckRowsMixin:
    def base_queryset(self):
        return IsoCheck.objects.select_related("record__agency")


@register_model_view(IsoCheck, "detail")
class IsoCheckDetailView(IsoCheckRowsMixin, ObjectDetailView):
    model = IsoCheck


@register_model_view(IsoCheck, "add")
class IsoCheckCreateView(CheckRuleMixin, ChildRecordMixin, ObjectCreateView):
    model = IsoCheck
    form_class = forms.IsoCheckForm
    parent_field = "record"


@register_model_view(IsoCheck, "edit")
class IsoCheckUpdateView(CheckRuleMixin, ChildRecordMixin, IsoCheckRowsMixin, ObjectUpdateView):
    model = IsoCheck
    form_class = forms.IsoCheckForm
    parent_field = "record"


@register_model_view(IsoCheck, "delete")
class IsoCheckDeleteView(ChildRecordMixin, IsoCheckRowsMixin, ObjectDeleteView):
    model = IsoCheck
    parent_field = "record"


# --- Compliance --------------------------------------------------------------------------------------


class ComplianceView(ModelPermissionMixin, generic.TemplateView):
    """The share of agencies applying the system and announcing conformity, per year and level, over the
    records the user may see; each figure links to the list behind it."""

    model = IsoRecord
    template_name = "iso/compliance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.model_context())
        records = permissions.restrict(IsoRecord.objects.all(), self.request.user, permissions.VIEW)
        context["rows"] = services.compliance(records)
        context["levels"] = AgencyLevel.choices
        context["title"] = _("ISO 9001 compliance of state agencies")
        return context
