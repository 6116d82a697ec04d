import django_tables2 as tables
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.tables import DateColumn

from .models import LocalBody, Organization, Person


class OrganizationTable(tables.Table):
    # Sorted on the folded name, so "Đạp Thanh" sits among the D's, not after Z.
    name = tables.Column(linkify=True, order_by=("search_name",))
    parent = tables.Column(
        accessor="parent__name", verbose_name=capfirst(_("parent organization")), order_by="parent__name"
    )
    admin_unit = tables.Column(
        accessor="admin_unit__name",
        verbose_name=capfirst(_("administrative unit")),
        order_by="admin_unit__name",
    )

    class Meta:
        model = Organization
        fields = ("name", "short_name", "kind", "parent", "admin_unit", "tax_code", "phone", "is_active")


class PersonTable(tables.Table):
    full_name = tables.Column(linkify=True, order_by=("search_name",))
    current_positions = tables.Column(verbose_name=capfirst(_("positions")), empty_values=(), orderable=False)
    admin_unit = tables.Column(
        accessor="admin_unit__name",
        verbose_name=capfirst(_("administrative unit")),
        order_by="admin_unit__name",
    )
    # render_current_positions reads the positions (prefetched, by the key): nothing more of the person.
    row_fields = ()

    class Meta:
        model = Person
        fields = (
            "full_name",
            "academic_title",
            "degree",
            "current_positions",
            "admin_unit",
            "expertise",
            "email",
            "phone",
        )

    def render_current_positions(self, record):
        """Positions held today; for someone who holds none, the last one and when it ended."""
        today = timezone.localdate()
        positions = list(record.positions.all())
        current = [p for p in positions if p.is_held_on(today)]
        if current:
            return "; ".join(f"{p.title}, {p.organization.name}" for p in current)
        ended = sorted((p for p in positions if p.end_date), key=lambda p: p.end_date)
        if not ended:
            return "—"
        last = ended[-1]
        return _("%(title)s, %(organization)s (until %(date)s)") % {
            "title": last.title,
            "organization": last.organization.name,
            "date": last.end_date.strftime("%d/%m/%Y"),
        }

    def value_current_positions(self, record):
        return self.render_current_positions(record)


class LocalBodyTable(tables.Table):
    name = tables.Column(linkify=True)
    admin_unit = tables.Column(
        accessor="admin_unit__name",
        verbose_name=capfirst(_("administrative unit")),
        order_by="admin_unit__name",
    )
    decision_date = DateColumn()
    member_count = tables.Column(
        verbose_name=capfirst(pgettext_lazy("count", "members")), accessor="member_count", orderable=True
    )

    class Meta:
        model = LocalBody
        fields = ("name", "kind", "admin_unit", "decision_number", "decision_date", "member_count")
