import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn, record_link

from .models import TaskResult
from .services import status_label


class TaskResultTable(tables.Table):
    """Every column comes from the list's joins (task) and annotations (`services.with_result_figures`):
    no query per row."""

    name = tables.Column(linkify=True, order_by=("name",))
    task = tables.Column(accessor="task__code", verbose_name=capfirst(_("task")), order_by=("task__code",))
    kind = tables.Column()
    certificate_number = tables.Column(verbose_name=capfirst(_("certificate")))
    certificate_date = DateColumn()
    handover_count = tables.Column(verbose_name=capfirst(_("handovers")), order_by=("handover_count",))
    last_handed_over_on = DateColumn(
        verbose_name=capfirst(_("last handed over on")), order_by=("last_handed_over_on",)
    )
    latest_status = tables.Column(
        verbose_name=capfirst(_("latest application")), empty_values=(), order_by=("-latest_year",)
    )

    class Meta:
        model = TaskResult
        fields = (
            "name",
            "task",
            "kind",
            "certificate_number",
            "certificate_date",
            "handover_count",
            "last_handed_over_on",
            "latest_status",
        )
        sequence = fields

    # What `render_latest_status` reads besides its value (an annotation of the list's query): the list
    # reads only the columns' fields (core.tables).
    row_fields = ("latest_year",)

    def render_certificate_number(self, value):
        return value or "—"

    def render_latest_status(self, value, record):
        if not value:
            return "—"
        return f"{status_label(value)} ({record.latest_year})"

    def value_latest_status(self, value, record):
        return f"{status_label(value)} ({record.latest_year})" if value else ""


class LocalityTable(tables.Table):
    """Rows of `services.application_by_unit`."""

    unit = tables.Column(verbose_name=capfirst(_("locality")), accessor="unit_name", orderable=False)
    results_applied = tables.Column(verbose_name=capfirst(_("results applied")), orderable=False)
    results_replicated = tables.Column(verbose_name=capfirst(_("results replicated")), orderable=False)
    results_on_trial = tables.Column(verbose_name=capfirst(_("results on trial")), orderable=False)
    reports = tables.Column(verbose_name=capfirst(_("reports")), orderable=False)
    latest_year = tables.Column(verbose_name=capfirst(_("latest year")), orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-striped", "data-testid": "by-locality"}


class NeverAppliedTable(tables.Table):
    """Results handed over and never reported applied (`services.never_applied`)."""

    name = tables.Column(
        verbose_name=capfirst(_("result")),
        linkify=record_link,
        order_by=("name",),
    )
    task = tables.Column(accessor="task__code", verbose_name=capfirst(_("task")), order_by=("task__code",))
    task_title = tables.Column(
        accessor="task__title", verbose_name=capfirst(_("task title")), orderable=False
    )
    kind = tables.Column(verbose_name=capfirst(_("kind")))
    first_handed_over_on = DateColumn(
        verbose_name=capfirst(_("handed over on")), order_by=("first_handed_over_on",)
    )
    handover_count = tables.Column(verbose_name=capfirst(_("handovers")))
    report_count = tables.Column(verbose_name=capfirst(_("reports of any status")))

    class Meta:
        attrs = {"class": "table table-sm table-striped", "data-testid": "never-applied"}
