import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import YesNoColumn

from .models import Product


def stars_text(stars) -> str:
    return "★" * stars if stars else "—"


class ProductTable(tables.Table):
    # Sorted on the folded name, so "Đặc sản" sits among the D's, not after Z.
    name = tables.Column(linkify=True, order_by=("search_name",))
    group = tables.Column(
        accessor="group__name",
        verbose_name=capfirst(_("product group")),
        order_by=("group__sort_order", "group__name"),
    )
    producer = tables.Column(
        accessor="producer_label",
        verbose_name=capfirst(_("producer")),
        order_by=("producer__name", "producer_name"),
        empty_values=(),
    )
    admin_unit = tables.Column(
        accessor="admin_unit__name",
        verbose_name=capfirst(_("administrative unit")),
        order_by="admin_unit__name",
    )
    is_key_product = YesNoColumn(verbose_name=capfirst(_("key product")))
    is_ocop = YesNoColumn(verbose_name=capfirst(_("OCOP")))
    latest_stars = tables.Column(
        verbose_name=capfirst(_("stars (latest evaluation)")), empty_values=(), order_by=("latest_stars",)
    )

    # What the producer's label (a property) and `render_latest_stars` read besides the columns' fields:
    # the list reads only these (core.tables).
    row_fields = ("producer_name", "latest_year")

    class Meta:
        model = Product
        fields = ("name", "group", "producer", "admin_unit", "is_key_product", "is_ocop", "latest_stars")

    def render_latest_stars(self, value, record):
        if not value:
            return "—"
        return f"{stars_text(value)} ({record.latest_year})"

    def value_latest_stars(self, value):
        return value or ""

    def value_is_key_product(self, value):
        return str(_("Yes") if value else _("No"))

    def value_is_ocop(self, value):
        return str(_("Yes") if value else _("No"))
