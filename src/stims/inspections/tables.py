import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn, record_link

from .models import (
    Establishment,
    Inspection,
    InspectionPlan,
    MeasuringInstrument,
    RadiationLicence,
    Violation,
)


class EstablishmentTable(tables.Table):
    name = tables.Column(linkify=True, order_by=("search_name",))
    sector = tables.Column(
        accessor="sector__name", verbose_name=capfirst(_("sector")), order_by=("sector__sort_order",)
    )
    admin_unit = tables.Column(
        accessor="admin_unit__name",
        verbose_name=capfirst(_("administrative unit")),
        order_by="admin_unit__name",
    )
    address = tables.Column(verbose_name=capfirst(_("address")))

    class Meta:
        model = Establishment
        fields = ("name", "sector", "admin_unit", "address")


class InspectionPlanTable(tables.Table):
    title = tables.Column(linkify=True)
    year = tables.Column(verbose_name=capfirst(_("year")))
    sector = tables.Column(accessor="sector__name", verbose_name=capfirst(_("sector")))
    admin_unit = tables.Column(accessor="admin_unit__name", verbose_name=capfirst(_("province")))
    planned_count = tables.Column(verbose_name=capfirst(_("establishments planned")))
    approved_on = DateColumn(verbose_name=capfirst(_("approved on")))

    class Meta:
        model = InspectionPlan
        fields = ("title", "year", "sector", "admin_unit", "planned_count", "approved_on")


class InspectionTable(tables.Table):
    establishment = tables.Column(
        accessor="establishment__name",
        linkify=record_link,
        verbose_name=capfirst(_("establishment")),
        order_by=("establishment__search_name",),
    )
    sector = tables.Column(accessor="establishment__sector__name", verbose_name=capfirst(_("sector")))
    planned_on = DateColumn(verbose_name=capfirst(_("planned for")))
    inspected_on = DateColumn(verbose_name=capfirst(_("inspected on")))
    decision = tables.Column(accessor="decision__number", verbose_name=capfirst(_("decision")))
    state = tables.Column(verbose_name=capfirst(_("state")))
    result = tables.Column(verbose_name=capfirst(_("result")))

    class Meta:
        model = Inspection
        fields = ("establishment", "sector", "planned_on", "inspected_on", "decision", "state", "result")

    # What `render_result` reads: the list reads only the columns' fields and this (core.tables).
    row_fields = ("result",)

    def render_result(self, record):
        return record.get_result_display() or "—"


class ViolationTable(tables.Table):
    violation_type = tables.Column(
        accessor="violation_type__name",
        verbose_name=capfirst(_("violation type")),
        linkify=record_link,
    )
    legal_basis = tables.Column(
        accessor="violation_type__legal_basis", verbose_name=capfirst(_("legal basis"))
    )
    establishment = tables.Column(
        accessor="inspection__establishment__name", verbose_name=capfirst(_("establishment"))
    )
    planned_on = DateColumn(accessor="inspection__planned_on", verbose_name=capfirst(_("planned for")))

    class Meta:
        model = Violation
        fields = ("violation_type", "legal_basis", "establishment", "planned_on")


class MeasuringInstrumentTable(tables.Table):
    kind = tables.Column(linkify=True, verbose_name=capfirst(_("kind of instrument")))
    serial_number = tables.Column(verbose_name=capfirst(_("serial number")))
    establishment = tables.Column(accessor="establishment__name", verbose_name=capfirst(_("establishment")))
    last_verified_on = DateColumn(verbose_name=capfirst(_("last verified on")))
    verification_due = DateColumn(verbose_name=capfirst(_("verification due")))

    class Meta:
        model = MeasuringInstrument
        fields = ("kind", "serial_number", "establishment", "last_verified_on", "verification_due")


class RadiationLicenceTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=capfirst(_("licence number")))
    establishment = tables.Column(accessor="establishment__name", verbose_name=capfirst(_("establishment")))
    issued_on = DateColumn(verbose_name=capfirst(_("issued on")))
    expires_on = DateColumn(verbose_name=capfirst(_("expires on")))

    class Meta:
        model = RadiationLicence
        fields = ("number", "establishment", "issued_on", "expires_on")
