import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn, record_link

from .models import Startup, StEnterprise
from .services import meets_threshold


def _percent(value) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"


class StEnterpriseTable(tables.Table):
    organization = tables.Column(
        accessor="organization__name",
        verbose_name=capfirst(_("enterprise")),
        order_by=("search_name",),
        linkify=record_link,
    )
    tax_code = tables.Column(accessor="organization__tax_code", verbose_name=capfirst(_("tax code")))
    certificate_number = tables.Column(verbose_name=capfirst(_("certificate number")))
    certificate_date = DateColumn(verbose_name=capfirst(_("certificate date")))
    admin_unit = tables.Column(
        accessor="organization__admin_unit__name",
        verbose_name=capfirst(_("administrative unit")),
        order_by="organization__admin_unit__name",
    )
    latest_share = tables.Column(verbose_name=capfirst(_("latest S&T revenue share")), empty_values=())
    status = tables.Column(
        verbose_name=capfirst(_("status")), accessor="revoked_on", empty_values=(), order_by="revoked_on"
    )

    class Meta:
        model = StEnterprise
        fields = (
            "organization",
            "tax_code",
            "certificate_number",
            "certificate_date",
            "admin_unit",
            "latest_share",
            "status",
        )
        sequence = fields

    # What the share and status cells read (the share's figures are annotations of the list's query):
    # the list reads only the columns' fields and these (core.tables).
    row_fields = ("revoked_on",)

    def render_latest_share(self, record):
        if record.latest_share is None:
            return "—"
        text = f"{_percent(record.latest_share)} ({record.latest_share_year})"
        if meets_threshold(record.latest_share) is False:
            return format_html(
                '<span class="text-danger" title="{}">{}</span>', _("Below the required share"), text
            )
        return text

    def value_latest_share(self, record):
        return "" if record.latest_share is None else round(record.latest_share, 1)

    def render_status(self, record):
        if record.revoked_on is None:
            return _("Active")
        return _("Revoked on %(date)s") % {"date": date_format(record.revoked_on, "SHORT_DATE_FORMAT")}

    def value_status(self, record):
        return self.render_status(record)


class StartupTable(tables.Table):
    name = tables.Column(linkify=True, order_by=("search_name",))
    admin_unit = tables.Column(
        accessor="admin_unit__name",
        verbose_name=capfirst(_("administrative unit")),
        order_by="admin_unit__name",
    )
    founder_count = tables.Column(verbose_name=capfirst(_("founders")))
    last_support = DateColumn(verbose_name=capfirst(_("last support")))

    class Meta:
        model = Startup
        fields = ("name", "admin_unit", "field", "stage", "founder_count", "last_support")
        sequence = fields
