import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn

from .models import IpAsset


class IpAssetTable(tables.Table):
    """Every column comes from the joins of the list's queryset (type, status, owner, unit): no query per row."""

    name = tables.Column(linkify=True, order_by=("search_name",))
    ip_type = tables.Column(
        accessor="ip_type__name",
        verbose_name=capfirst(_("type")),
        order_by=("ip_type__sort_order", "ip_type__name"),
    )
    owner_label = tables.Column(
        verbose_name=capfirst(_("owner")),
        accessor="owner_label",
        order_by=("owner__name", "owner_name"),
        empty_values=(),
    )
    admin_unit = tables.Column(
        accessor="admin_unit__name",
        verbose_name=capfirst(_("administrative unit")),
        order_by="admin_unit__name",
    )
    status = tables.Column(
        accessor="status__name",
        verbose_name=capfirst(_("status")),
        order_by=("status__sort_order", "status__name"),
    )
    expiry_date = DateColumn()

    class Meta:
        model = IpAsset
        fields = (
            "name",
            "ip_type",
            "owner_label",
            "admin_unit",
            "application_number",
            "title_number",
            "status",
            "expiry_date",
        )
        sequence = fields

    # What the owner's label (a property) reads besides the columns' fields: the list reads only these
    # (core.tables).
    row_fields = ("owner__name", "owner_name")

    def render_owner_label(self, value):
        return value or "—"

    def value_owner_label(self, value):
        return value or ""
