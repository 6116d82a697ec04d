import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Target


class TargetTable(tables.Table):
    indicator = tables.Column(linkify=True)
    admin_unit = tables.Column(
        accessor="admin_unit__name",
        verbose_name=capfirst(_("administrative unit")),
        order_by="admin_unit__name",
    )

    class Meta:
        model = Target
        fields = ("year", "admin_unit", "indicator", "value", "legal_basis")
