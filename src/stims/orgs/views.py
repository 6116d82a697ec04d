from django.db.models import Count, Prefetch

from stims.core.views import (
    ChildRecordMixin,
    DeletedObjectsView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    SearchOptionsView,
    register_model_view,
)

from . import filters, forms, tables
from .models import LocalBody, LocalBodyMember, Organization, Person, Position

# --- Organizations ------------------------------------------------------------------------------------


class OrganizationRowsMixin:
    def base_queryset(self):
        return Organization.objects.select_related("parent", "admin_unit__province", "admin_unit__parent")


@register_model_view(Organization, "list")
class OrganizationListView(OrganizationRowsMixin, ObjectListView):
    model = Organization
    table_class = tables.OrganizationTable
    filterset_class = filters.OrganizationFilterSet


@register_model_view(Organization, "detail")
class OrganizationDetailView(OrganizationRowsMixin, ObjectDetailView):
    model = Organization

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["positions"] = self.object.positions.select_related("person").order_by(
            "end_date", "person__full_name"
        )
        return context


@register_model_view(Organization, "add")
class OrganizationCreateView(ObjectCreateView):
    model = Organization
    form_class = forms.OrganizationForm


@register_model_view(Organization, "edit")
class OrganizationUpdateView(OrganizationRowsMixin, ObjectUpdateView):
    model = Organization
    form_class = forms.OrganizationForm


@register_model_view(Organization, "delete")
class OrganizationDeleteView(OrganizationRowsMixin, ObjectDeleteView):
    model = Organization


@register_model_view(Organization, "deleted")
class OrganizationDeletedView(DeletedObjectsView):
    model = Organization


# --- People -------------------------------------------------------------------------------------------


class PersonRowsMixin:
    def base_queryset(self):
        return Person.objects.select_related("admin_unit__province", "admin_unit__parent").prefetch_related(
            Prefetch("positions", queryset=Position.objects.select_related("organization"))
        )


@register_model_view(Person, "list")
class PersonListView(PersonRowsMixin, ObjectListView):
    model = Person
    table_class = tables.PersonTable
    filterset_class = filters.PersonFilterSet


@register_model_view(Person, "detail")
class PersonDetailView(PersonRowsMixin, ObjectDetailView):
    model = Person

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["positions"] = self.object.positions.select_related("organization").order_by(
            "end_date", "-start_date"
        )
        context["memberships"] = self.object.body_memberships.select_related("body")
        return context


@register_model_view(Person, "add")
class PersonCreateView(ObjectCreateView):
    model = Person
    form_class = forms.PersonForm


@register_model_view(Person, "edit")
class PersonUpdateView(PersonRowsMixin, ObjectUpdateView):
    model = Person
    form_class = forms.PersonForm


@register_model_view(Person, "delete")
class PersonDeleteView(PersonRowsMixin, ObjectDeleteView):
    model = Person


@register_model_view(Person, "deleted")
class PersonDeletedView(DeletedObjectsView):
    model = Person


# --- Local bodies -------------------------------------------------------------------------------------


class LocalBodyRowsMixin:
    def base_queryset(self):
        return (
            LocalBody.objects.select_related("admin_unit__province", "admin_unit__parent", "decision_issuer")
            .annotate(member_count=Count("members"))
            .order_by("admin_unit__name", "kind", "pk")
        )  # explicit: default ordering is dropped with GROUP BY


@register_model_view(LocalBody, "list")
class LocalBodyListView(LocalBodyRowsMixin, ObjectListView):
    model = LocalBody
    table_class = tables.LocalBodyTable
    filterset_class = filters.LocalBodyFilterSet


@register_model_view(LocalBody, "detail")
class LocalBodyDetailView(LocalBodyRowsMixin, ObjectDetailView):
    model = LocalBody

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.object.members.select_related("person").order_by(
            "role", "person__full_name"
        )
        return context


@register_model_view(LocalBody, "add")
class LocalBodyCreateView(ObjectCreateView):
    model = LocalBody
    form_class = forms.LocalBodyForm


@register_model_view(LocalBody, "edit")
class LocalBodyUpdateView(LocalBodyRowsMixin, ObjectUpdateView):
    model = LocalBody
    form_class = forms.LocalBodyForm


@register_model_view(LocalBody, "delete")
class LocalBodyDeleteView(LocalBodyRowsMixin, ObjectDeleteView):
    model = LocalBody


@register_model_view(LocalBody, "deleted")
class LocalBodyDeletedView(DeletedObjectsView):
    model = LocalBody


# --- Positions and members: on their person's and body's page ------------------------------------------


class PositionRowsMixin:
    def base_queryset(self):
        return Position.objects.select_related("person", "organization")


@register_model_view(Position, "detail")
class PositionDetailView(PositionRowsMixin, ObjectDetailView):
    model = Position


@register_model_view(Position, "add")
class PositionCreateView(ChildRecordMixin, ObjectCreateView):
    model = Position
    form_class = forms.PositionForm
    parent_field = "person"


@register_model_view(Position, "edit")
class PositionUpdateView(ChildRecordMixin, PositionRowsMixin, ObjectUpdateView):
    model = Position
    form_class = forms.PositionForm
    parent_field = "person"


@register_model_view(Position, "delete")
class PositionDeleteView(ChildRecordMixin, PositionRowsMixin, ObjectDeleteView):
    model = Position
    parent_field = "person"


class LocalBodyMemberRowsMixin:
    def base_queryset(self):
        return LocalBodyMember.objects.select_related("person", "body")


@register_model_view(LocalBodyMember, "detail")
class LocalBodyMemberDetailView(LocalBodyMemberRowsMixin, ObjectDetailView):
    model = LocalBodyMember


@register_model_view(LocalBodyMember, "add")
class LocalBodyMemberCreateView(ChildRecordMixin, ObjectCreateView):
    model = LocalBodyMember
    form_class = forms.LocalBodyMemberForm
    parent_field = "body"


@register_model_view(LocalBodyMember, "edit")
class LocalBodyMemberUpdateView(ChildRecordMixin, LocalBodyMemberRowsMixin, ObjectUpdateView):
    model = LocalBodyMember
    form_class = forms.LocalBodyMemberForm
    parent_field = "body"


@register_model_view(LocalBodyMember, "delete")
class LocalBodyMemberDeleteView(ChildRecordMixin, LocalBodyMemberRowsMixin, ObjectDeleteView):
    model = LocalBodyMember
    parent_field = "body"


# --- Search boxes -----------------------------------------------------------------------------------------


class OrganizationOptionsView(SearchOptionsView):
    model = Organization


class PersonOptionsView(SearchOptionsView):
    model = Person
