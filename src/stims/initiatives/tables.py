import django_tables2 as tables
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn

from .models import CouncilRound, Initiative


class InitiativeTable(tables.Table):
    title = tables.Column(verbose_name=capfirst(_("title")), linkify=True, order_by=("search_name",))
    agency = tables.Column(accessor="agency__name", verbose_name=capfirst(_("agency")))
    field = tables.Column(verbose_name=capfirst(_("field")))
    submitted_on = DateColumn(verbose_name=capfirst(_("submitted on")))
    state = tables.Column(verbose_name=capfirst(_("state")))
    effect_scope = tables.Column(verbose_name=capfirst(_("scope of effect")))
    decision_number = tables.Column(verbose_name=capfirst(_("decision number")))

    class Meta:
        model = Initiative
        fields = ("title", "agency", "field", "submitted_on", "state", "effect_scope", "decision_number")
        sequence = fields


class CouncilRoundTable(tables.Table):
    name = tables.Column(verbose_name=capfirst(_("name")), linkify=True, order_by=("search_name",))
    year = tables.Column(verbose_name=capfirst(_("year")))
    admin_unit = tables.Column(accessor="admin_unit__name", verbose_name=capfirst(_("administrative unit")))
    decision_number = tables.Column(verbose_name=capfirst(_("decision establishing the council")))
    pass_mark = tables.Column(verbose_name=capfirst(_("pass mark")))

    class Meta:
        model = CouncilRound
        fields = ("name", "year", "admin_unit", "decision_number", "pass_mark")
        sequence = fields


class ReportTable(tables.Table):
    """Initiatives by agency and year (the report page and its export)."""

    year = tables.Column(verbose_name=capfirst(_("year")))
    agency = tables.Column(verbose_name=capfirst(_("agency")))
    submitted = tables.Column(verbose_name=capfirst(_("submitted")))
    recognised = tables.Column(verbose_name=capfirst(_("recognised")))
    not_recognised = tables.Column(verbose_name=capfirst(_("not recognised")))
    reward = tables.Column(verbose_name=capfirst(_("rewards (VND)")))

    class Meta:
        orderable = False

    def render_recognised(self, record, value):
        return (
            format_html('<a href="{}">{}</a>', record.list_url, value)
            if hasattr(record, "list_url")
            else value
        )

    def render_reward(self, value):
        return f"{value:,}".replace(",", ".")

    def value_recognised(self, value):
        return value

    def value_reward(self, value):
        return value
