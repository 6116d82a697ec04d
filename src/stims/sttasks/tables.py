import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn

from .models import Call, Task


class TaskTable(tables.Table):
    """Every column comes from the joins of the list's queryset: no query per row."""

    # The list joins only what the columns show (ObjectListView.get_table_data): the detail page's ten
    # joins took PostgreSQL longer to plan (55–245 ms) than to run (under 10 ms), issue #20.
    select_related = ("task_type", "state", "ordering_unit", "ordering_organization", "lead_organization")
    # What `render_ordering` reads besides the columns' fields: the list reads only these (core.tables).
    row_fields = ("ordering_unit__name", "ordering_organization__name")

    code = tables.Column(linkify=True)
    title = tables.Column(linkify=True, order_by=("search_name",))
    task_type = tables.Column(
        accessor="task_type__name", verbose_name=capfirst(_("type")), order_by="task_type__sort_order"
    )
    level = tables.Column(verbose_name=capfirst(_("level")))
    ordering = tables.Column(
        verbose_name=capfirst(_("ordered by")),
        accessor="ordering_unit__name",
        order_by=("ordering_unit__name",),
        empty_values=(),
    )
    lead_organization = tables.Column(
        accessor="lead_organization__name", verbose_name=capfirst(_("lead organization"))
    )
    state = tables.Column(
        accessor="state__name", verbose_name=capfirst(_("state")), order_by=("state__sort_order",)
    )
    end_date = DateColumn()

    class Meta:
        model = Task
        fields = (
            "code",
            "title",
            "task_type",
            "level",
            "proposal_year",
            "ordering",
            "lead_organization",
            "state",
            "end_date",
        )
        sequence = fields

    def render_ordering(self, record):
        return (
            record.ordering_unit.name
            if record.ordering_unit_id
            else (record.ordering_organization.name if record.ordering_organization_id else "—")
        )

    def value_ordering(self, record):
        return self.render_ordering(record).replace("—", "")


class DeadlineTable(tables.Table):
    """Rows are `deadlines.Deadline`s (a list, not a queryset)."""

    due_on = DateColumn(verbose_name=capfirst(_("due on")))
    days_late = tables.Column(verbose_name=capfirst(_("days late")))
    kind = tables.Column(accessor="label", verbose_name=capfirst(_("what is due")), orderable=False)
    task = tables.Column(
        linkify=lambda record: record.task.get_absolute_url(), verbose_name=capfirst(_("task"))
    )
    state = tables.Column(accessor="task__state__name", verbose_name=capfirst(_("state")), orderable=False)
    officer = tables.Column(
        accessor="task__officer", verbose_name=capfirst(_("officer in charge")), orderable=False
    )

    class Meta:
        orderable = False


class CallTable(tables.Table):
    """Every column comes from the joins of the list's queryset: no query per row."""

    number = tables.Column(linkify=True)
    title = tables.Column(linkify=True, order_by=("search_name",))
    issued_on = DateColumn()
    open_from = DateColumn()
    open_until = DateColumn()
    task_type = tables.Column(
        accessor="task_type__name", verbose_name=capfirst(_("type")), order_by="task_type__sort_order"
    )
    programme = tables.Column(accessor="programme__name", verbose_name=capfirst(_("programme")))
    publish_on_portal = tables.BooleanColumn()

    class Meta:
        model = Call
        fields = (
            "number",
            "title",
            "issued_on",
            "open_from",
            "open_until",
            "level",
            "task_type",
            "programme",
            "publish_on_portal",
        )
        sequence = fields
