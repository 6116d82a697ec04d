from django.db.models import Count, Prefetch

from stims.core.views import SearchOptionsView, child_views, model_views

from . import filters, forms, tables
from .models import LocalBody, LocalBodyMember, Organization, Person, Position

organization_views = model_views(
    Organization,
    form_class=forms.OrganizationForm,
    table_class=tables.OrganizationTable,
    filterset_class=filters.OrganizationFilterSet,
    queryset=lambda: Organization.objects.select_related(
        "parent", "admin_unit__province", "admin_unit__parent"
    ),
)
person_views = model_views(
    Person,
    form_class=forms.PersonForm,
    table_class=tables.PersonTable,
    filterset_class=filters.PersonFilterSet,
    queryset=lambda: Person.objects.select_related(
        "admin_unit__province", "admin_unit__parent"
    ).prefetch_related(Prefetch("positions", queryset=Position.objects.select_related("organization"))),
)
localbody_views = model_views(
    LocalBody,
    form_class=forms.LocalBodyForm,
    table_class=tables.LocalBodyTable,
    filterset_class=filters.LocalBodyFilterSet,
    queryset=lambda: (
        LocalBody.objects.select_related("admin_unit__province", "admin_unit__parent", "decision_issuer")
        .annotate(member_count=Count("members"))
        .order_by("admin_unit__name", "kind", "pk")
    ),  # explicit: default ordering is dropped with GROUP BY
)


position_views = child_views(
    Position,
    form_class=forms.PositionForm,
    parent_field="person",
    queryset=lambda: Position.objects.select_related("person", "organization"),
)
member_views = child_views(
    LocalBodyMember,
    form_class=forms.LocalBodyMemberForm,
    parent_field="body",
    queryset=lambda: LocalBodyMember.objects.select_related("person", "body"),
)


class OrganizationOptionsView(SearchOptionsView):
    model = Organization


class PersonOptionsView(SearchOptionsView):
    model = Person


class OrganizationDetailView(organization_views["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["positions"] = self.object.positions.select_related("person").order_by(
            "end_date", "person__full_name"
        )
        return context


class PersonDetailView(person_views["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["positions"] = self.object.positions.select_related("organization").order_by(
            "end_date", "-start_date"
        )
        context["memberships"] = self.object.body_memberships.select_related("body")
        return context


class LocalBodyDetailView(localbody_views["detail"]):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.object.members.select_related("person").order_by(
            "role", "person__full_name"
        )
        return context


organization_views["detail"] = OrganizationDetailView
person_views["detail"] = PersonDetailView
localbody_views["detail"] = LocalBodyDetailView
