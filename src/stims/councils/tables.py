import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn

from .models import Council, CriteriaSet


class CouncilTable(tables.Table):
    """Counts come from annotations of the list's queryset: no query per row."""

    name = tables.Column(linkify=True)
    kind = tables.Column()
    decision_number = tables.Column()
    decision_date = DateColumn()
    meeting_date = DateColumn()
    dossier_count = tables.Column(verbose_name=capfirst(_("dossiers")), attrs={"td": {"class": "text-end"}})
    passed_count = tables.Column(verbose_name=capfirst(_("passed")), attrs={"td": {"class": "text-end"}})
    concluded_on = DateColumn()

    class Meta:
        model = Council
        fields = (
            "name",
            "kind",
            "decision_number",
            "decision_date",
            "meeting_date",
            "dossier_count",
            "passed_count",
            "concluded_on",
        )
        sequence = fields

    # What `render_passed_count` reads besides its value: the list reads only these (core.tables).
    row_fields = ("concluded_on",)

    def render_passed_count(self, value, record):
        return value if record.concluded_on else "—"

    def value_passed_count(self, value, record):
        return value if record.concluded_on else ""


class CriteriaSetTable(tables.Table):
    name = tables.Column(linkify=True)
    criterion_count = tables.Column(verbose_name=capfirst(_("criteria")), attrs={"td": {"class": "text-end"}})
    total_max = tables.Column(verbose_name=capfirst(_("maximum total")), attrs={"td": {"class": "text-end"}})
    valid_from = DateColumn()
    valid_to = DateColumn()

    class Meta:
        model = CriteriaSet
        fields = (
            "name",
            "council_kind",
            "legal_basis",
            "criterion_count",
            "total_max",
            "pass_mark",
            "outlier_tolerance",
            "valid_from",
            "valid_to",
        )
        sequence = fields
