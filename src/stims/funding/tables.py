import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.tables import DateColumn
from stims.core.templatetags.stims import vnd

from .models import Allocation

RIGHT = {
    "th": {"class": "text-end"},
    "td": {"class": "text-end text-nowrap"},
    "tf": {"class": "text-end text-nowrap"},
}


class MoneyColumn(tables.Column):
    """VND with dots on the page; the exact integer in CSV and XLSX exports, so spreadsheets can add it up."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", RIGHT)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return vnd(value)

    def value(self, value):
        return value


class AllocationTable(tables.Table):
    """Every column comes from the list's queryset (recipient joins, spent as a subquery): no query per row."""

    year = tables.Column(linkify=True)
    recipient = tables.Column(
        verbose_name=capfirst(_("recipient")),
        accessor="recipient_unit__name",
        empty_values=(),
        order_by=("recipient_unit__name", "recipient_organization__name"),
    )
    purpose = tables.Column(linkify=True)
    amount = MoneyColumn(verbose_name=capfirst(_("allocated")))
    spent = MoneyColumn(verbose_name=capfirst(_("spent")))
    remaining = MoneyColumn(verbose_name=capfirst(_("remaining")))
    decision_date = DateColumn()

    class Meta:
        model = Allocation
        fields = (
            "year",
            "recipient",
            "purpose",
            "amount",
            "spent",
            "remaining",
            "decision_number",
            "decision_date",
        )
        sequence = fields

    # What the recipient's label reads: the list reads only the columns' fields and these (core.tables).
    row_fields = ("recipient_unit", "recipient_organization")

    def render_recipient(self, record):
        return _recipient(record)

    def value_recipient(self, record):
        return _recipient(record)


def _recipient(allocation) -> str:
    names = [
        unit.name
        for unit in (allocation.recipient_unit, allocation.recipient_organization)
        if unit is not None
    ]
    return " — ".join(names) or "—"


def _total(name):
    def footer(table):
        return vnd(getattr(table.totals, name)) if table.totals is not None else ""

    return footer


class BudgetYearTable(tables.Table):
    """Rows of `services.budget_by_year`; the totals are the footer on the page and the last row in
    exports."""

    year = tables.Column(  # empty_values=(): the totals row (year None) is labelled by value_year
        verbose_name=capfirst(_("year")),
        footer=capfirst(pgettext_lazy("total row", "total")),
        empty_values=(),
    )
    planned = MoneyColumn(verbose_name=capfirst(_("planned (all sources)")), footer=_total("planned"))
    planned_state = MoneyColumn(
        verbose_name=capfirst(_("planned (state budget)")), footer=_total("planned_state")
    )
    allocated = MoneyColumn(verbose_name=capfirst(_("allocated in tranches")), footer=_total("allocated"))
    disbursed = MoneyColumn(verbose_name=capfirst(_("disbursed")), footer=_total("disbursed"))

    class Meta:
        orderable = False
        attrs = {"class": "table table-sm table-hover", "data-testid": "budget-by-year"}

    def __init__(self, data, *, totals=None, **kwargs):
        super().__init__(data, **kwargs)
        self.totals = totals

    def render_year(self, value):
        return value if value is not None else capfirst(pgettext_lazy("total row", "total"))

    def value_year(self, value):
        return value if value is not None else str(capfirst(pgettext_lazy("total row", "total")))
