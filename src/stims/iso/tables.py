import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn, record_link

from .models import IsoRecord


class IsoRecordTable(tables.Table):
    agency = tables.Column(
        accessor="agency__name",
        verbose_name=capfirst(_("agency")),
        order_by=("search_name",),
        linkify=record_link,
    )
    year = tables.Column(verbose_name=capfirst(_("year")))
    level = tables.Column(verbose_name=capfirst(_("level of government")))
    status = tables.Column(verbose_name=capfirst(_("ISO 9001 status")))
    announcement_number = tables.Column(verbose_name=capfirst(_("announcement number")))
    announcement_date = DateColumn(verbose_name=capfirst(_("announcement date")))
    last_check = DateColumn(verbose_name=capfirst(_("last check")), orderable=False)

    class Meta:
        model = IsoRecord
        fields = (
            "agency",
            "year",
            "level",
            "status",
            "announcement_number",
            "announcement_date",
            "last_check",
        )
        sequence = fields
