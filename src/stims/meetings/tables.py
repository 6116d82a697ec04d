import django_tables2 as tables
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn

from . import services
from .models import Directive, LocalityRequest, Recurrence, WorkingSession


def is_overdue(directive, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        directive.state in services.OPEN_STATES
        and directive.deadline is not None
        and directive.deadline < today
    )


def deadline_label(directive) -> str:
    """The deadline as people say it: a date, "regularly", or "annually, by dd/mm"; a date the source
    did not give (set as an example) is marked "(illustrative)"."""
    if directive.recurrence == Recurrence.REGULARLY:
        return str(_("regularly"))
    if directive.deadline is None:
        return ""
    if directive.recurrence == Recurrence.ANNUALLY:
        label = str(_("annually, next by %(date)s") % {"date": f"{directive.deadline:%d/%m/%Y}"})
    else:
        label = f"{directive.deadline:%d/%m/%Y}"
    if getattr(directive, "deadline_is_illustrative", False):
        label = f"{label} ({_('illustrative')})"
    return label


class WorkingSessionTable(tables.Table):
    """Every column comes from the list's joins and annotations: no query per row."""

    held_on = DateColumn(verbose_name=capfirst(_("date")))
    title = tables.Column(linkify=True, order_by=("search_name",))
    place = tables.Column(verbose_name=capfirst(_("place")))
    admin_unit = tables.Column(accessor="admin_unit__name", verbose_name=capfirst(_("locality met")))
    host_organization = tables.Column(accessor="host_organization__name", verbose_name=capfirst(_("host")))
    chair = tables.Column(accessor="chair__full_name", verbose_name=capfirst(_("chaired by")))
    status = tables.Column(verbose_name=capfirst(_("status")))
    directive_count = tables.Column(
        verbose_name=capfirst(_("directives")), attrs={"td": {"class": "text-end"}}
    )
    open_count = tables.Column(verbose_name=capfirst(_("still open")), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = WorkingSession
        fields = (
            "held_on",
            "title",
            "place",
            "admin_unit",
            "host_organization",
            "chair",
            "status",
            "directive_count",
            "open_count",
        )
        sequence = fields


class LocalityRequestTable(tables.Table):
    held_on = DateColumn(accessor="session__held_on", verbose_name=capfirst(_("session date")))
    session = tables.Column(
        accessor="session__title",
        verbose_name=capfirst(_("session")),
        linkify=lambda record: record.session.get_absolute_url(),
    )
    locality = tables.Column(
        verbose_name=capfirst(_("locality")),
        empty_values=(),
        order_by=("from_unit__name", "session__admin_unit__name"),
    )
    text = tables.Column(verbose_name=capfirst(_("request")))
    addressed_to = tables.Column(accessor="addressed_to__name", verbose_name=capfirst(_("addressed to")))
    status = tables.Column(verbose_name=capfirst(_("status")))
    response = tables.Column(verbose_name=capfirst(_("answer")))
    answering = tables.Column(
        verbose_name=capfirst(_("directives answering it")), empty_values=(), orderable=False
    )
    # What render_locality reads besides the columns' own fields (core.tables.shown_fields); the session's
    # link and the answering directives (prefetched) need the keys only.
    row_fields = ("from_unit__name", "session__admin_unit__name", "from_organization__name")

    class Meta:
        model = LocalityRequest
        fields = ("held_on", "session", "locality", "text", "addressed_to", "status", "response", "answering")
        sequence = fields

    def render_locality(self, record):
        unit = record.from_unit or record.session.admin_unit
        return unit.name if unit else (record.from_organization.name if record.from_organization_id else "—")

    def value_locality(self, record):
        return self.render_locality(record).replace("—", "")

    def render_answering(self, record):
        from django.utils.html import format_html, format_html_join

        directives = list(record.directives.all())
        if not directives:
            return "—"
        return format_html(
            '<ul class="list-unstyled mb-0">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> <span class="text-muted small">({}, {})</span></li>',
                (
                    (d.get_absolute_url(), d.text[:100], d.lead_organization.name, d.get_state_display())
                    for d in directives
                ),
            ),
        )

    def value_answering(self, record):
        return "; ".join(
            f"{d.text[:100]} ({d.lead_organization.name}, {d.get_state_display()})"
            for d in record.directives.all()
        )


class DirectiveTable(tables.Table):
    text = tables.Column(linkify=True, verbose_name=capfirst(_("assignment")), order_by=("search_name",))
    session = tables.Column(
        accessor="session__title",
        verbose_name=capfirst(_("session")),
        linkify=lambda record: record.session.get_absolute_url() if record.session_id else None,
    )
    lead_organization = tables.Column(
        accessor="lead_organization__name", verbose_name=capfirst(_("lead unit"))
    )
    supporting = tables.Column(verbose_name=capfirst(_("supporting units")), empty_values=(), orderable=False)
    deadline = tables.Column(
        verbose_name=capfirst(_("deadline")), empty_values=(), order_by=("deadline", "pk")
    )
    state = tables.Column(verbose_name=capfirst(_("state")))

    # What the row's class, the session's link and the deadline's label read besides the columns'
    # fields: the list reads only these (core.tables).
    row_fields = ("state", "deadline", "recurrence", "deadline_is_illustrative")

    class Meta:
        model = Directive
        fields = ("text", "session", "lead_organization", "supporting", "deadline", "state")
        sequence = fields
        row_attrs = {
            "class": lambda record: "table-danger" if is_overdue(record) else "",
            "data-overdue": lambda record: "1" if is_overdue(record) else "0",
        }

    def render_text(self, value):
        return value if len(value) <= 160 else f"{value[:157]}…"

    def value_text(self, value):
        return value

    def render_supporting(self, record):
        return ", ".join(o.name for o in record.supporting_organizations.all()) or "—"

    def value_supporting(self, record):
        return ", ".join(o.name for o in record.supporting_organizations.all())

    def render_deadline(self, record):
        label = deadline_label(record)
        if is_overdue(record):
            return f"{label} ({_('overdue')})"
        return label or "—"

    def value_deadline(self, record):
        # Exports: a one-off deadline is a date (a real Excel date); a recurring one says so in words.
        if record.recurrence == Recurrence.ONCE and record.deadline is not None:
            return record.deadline
        return deadline_label(record)
