import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn, record_link

from .models import Activity, Agreement, BodyMeeting, LegalDocument, LocalOfficer, Plan


class PlanTable(tables.Table):
    name = tables.Column(verbose_name=capfirst(_("name")), linkify=True, order_by=("search_name",))
    kind = tables.Column(verbose_name=capfirst(_("kind")))
    decision_number = tables.Column(verbose_name=capfirst(_("issuing decision number")))
    decision_date = DateColumn(verbose_name=capfirst(_("issuing decision date")))
    start_year = tables.Column(verbose_name=capfirst(_("from year")))
    end_year = tables.Column(verbose_name=capfirst(_("to year")))
    owner = tables.Column(accessor="owner__name", verbose_name=capfirst(_("owner organization")))
    admin_unit = tables.Column(accessor="admin_unit__name", verbose_name=capfirst(_("administrative unit")))

    class Meta:
        model = Plan
        fields = (
            "name",
            "kind",
            "decision_number",
            "decision_date",
            "start_year",
            "end_year",
            "owner",
            "admin_unit",
        )
        sequence = fields


class LegalDocumentTable(tables.Table):
    number = tables.Column(verbose_name=capfirst(_("number and symbol")), linkify=True)
    title = tables.Column(verbose_name=capfirst(_("summary")), linkify=True, order_by=("search_name",))
    doc_type = tables.Column(verbose_name=capfirst(_("document type")))
    issued_on = DateColumn(verbose_name=capfirst(_("date issued")))
    issuer = tables.Column(verbose_name=capfirst(_("issued by")))
    role = tables.Column(verbose_name=capfirst(_("the department's role")))
    status = tables.Column(verbose_name=capfirst(_("status")))

    class Meta:
        model = LegalDocument
        fields = ("number", "title", "doc_type", "issued_on", "issuer", "role", "status")
        sequence = fields


class AgreementTable(tables.Table):
    name = tables.Column(verbose_name=capfirst(_("name")), linkify=True, order_by=("search_name",))
    number = tables.Column(verbose_name=capfirst(_("number")))
    signed_on = DateColumn(verbose_name=capfirst(_("signed on")))
    end_date = DateColumn(verbose_name=capfirst(_("to")))
    owner = tables.Column(accessor="owner__name", verbose_name=capfirst(_("organization in charge")))
    admin_unit = tables.Column(accessor="admin_unit__name", verbose_name=capfirst(_("administrative unit")))

    class Meta:
        model = Agreement
        fields = ("name", "number", "signed_on", "end_date", "owner", "admin_unit")
        sequence = fields


class ActivityTable(tables.Table):
    title = tables.Column(verbose_name=capfirst(_("title")), linkify=True, order_by=("search_name",))
    kind = tables.Column(verbose_name=capfirst(_("kind")))
    held_on = DateColumn(verbose_name=capfirst(_("date")))
    audience = tables.Column(verbose_name=capfirst(_("audience")))
    attendees = tables.Column(verbose_name=capfirst(_("attendees")))
    organizer = tables.Column(accessor="organizer__name", verbose_name=capfirst(_("organizing unit")))
    admin_unit = tables.Column(accessor="admin_unit__name", verbose_name=capfirst(_("where")))

    class Meta:
        model = Activity
        fields = ("title", "kind", "held_on", "audience", "attendees", "organizer", "admin_unit")
        sequence = fields


class BodyMeetingTable(tables.Table):
    held_on = DateColumn(verbose_name=capfirst(_("date")), linkify=True)
    body = tables.Column(accessor="body__name", verbose_name=capfirst(_("local S&T body")))
    admin_unit = tables.Column(
        accessor="body__admin_unit__name", verbose_name=capfirst(_("administrative unit"))
    )
    agenda = tables.Column(verbose_name=capfirst(_("agenda")))
    attendees = tables.Column(verbose_name=capfirst(_("attendees")))

    class Meta:
        model = BodyMeeting
        fields = ("held_on", "body", "admin_unit", "agenda", "attendees")
        sequence = fields


class LocalOfficerTable(tables.Table):
    person = tables.Column(
        accessor="person__full_name",
        verbose_name=capfirst(_("person")),
        linkify=record_link,
    )
    position = tables.Column(verbose_name=capfirst(_("position")))
    status = tables.Column(verbose_name=capfirst(_("status")))
    since = DateColumn(verbose_name=capfirst(_("since")))
    admin_unit = tables.Column(accessor="admin_unit__name", verbose_name=capfirst(_("administrative unit")))

    class Meta:
        model = LocalOfficer
        fields = ("person", "position", "status", "since", "admin_unit")
        sequence = fields


class ActivityCountTable(tables.Table):
    """Outreach and training activities counted by kind (the report page and its export)."""

    kind = tables.Column(verbose_name=capfirst(_("kind")))
    activities = tables.Column(verbose_name=capfirst(_("activities")))
    attendees = tables.Column(verbose_name=capfirst(_("attendees")))

    class Meta:
        orderable = False
