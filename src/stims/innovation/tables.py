import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.tables import DateColumn, record_link

from .models import Framework, IndicatorValue


class FrameworkTable(tables.Table):
    name = tables.Column(verbose_name=capfirst(_("name")), linkify=record_link)
    year = tables.Column(verbose_name=capfirst(_("year")))
    unit_level = tables.Column(verbose_name=capfirst(_("units ranked")))
    deadline = DateColumn(verbose_name=capfirst(_("data deadline")))
    synthetic = tables.BooleanColumn(verbose_name=capfirst(_("synthetic data")))

    class Meta:
        model = Framework
        fields = ("name", "year", "unit_level", "deadline", "synthetic")
        sequence = fields


class IndicatorValueTable(tables.Table):
    indicator = tables.Column(
        verbose_name=capfirst(pgettext_lazy("innovation index", "indicator")),
        linkify=record_link,
        order_by=("indicator__code",),
    )
    admin_unit = tables.Column(
        verbose_name=capfirst(_("administrative unit")), order_by=("admin_unit__code",)
    )
    value = tables.Column(verbose_name=capfirst(_("value")))
    source = tables.Column(verbose_name=capfirst(pgettext_lazy("data source", "source")))
    evidence = tables.Column(verbose_name=capfirst(_("evidence")), orderable=False)

    class Meta:
        model = IndicatorValue
        fields = ("indicator", "admin_unit", "value", "source", "evidence")
        sequence = fields

    def render_evidence(self, value):
        return _("Attached") if value else "—"
