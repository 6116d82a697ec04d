import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn

from .models import AdminUnit


class AdminUnitTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    parent = tables.Column(
        verbose_name=capfirst(_("parent unit")), accessor="parent__name", order_by="parent__name"
    )
    province = tables.Column(
        verbose_name=capfirst(_("province")), accessor="province__name", order_by="province__name"
    )
    valid_to = DateColumn()

    class Meta:
        model = AdminUnit
        fields = (
            "code",
            "name",
            "kind",
            "level",
            "generation",
            "parent",
            "province",
            "valid_from",
            "valid_to",
        )
        order_by = ("generation", "code")
