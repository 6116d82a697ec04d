"""The user list of the department's administrator."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn

from .models import User


class UserTable(tables.Table):
    username = tables.Column(
        verbose_name=_("Username"), linkify=lambda record: reverse("accounts:user_detail", args=[record.pk])
    )
    name = tables.Column(verbose_name=_("Full name"), accessor="get_full_name", orderable=False)
    email = tables.Column(verbose_name=_("Email"))
    roles = tables.Column(verbose_name=_("Roles"), empty_values=(), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("Active"), yesno=(_("Yes"), _("No")))
    last_login = DateColumn(verbose_name=_("Last login"))
    # What the name and roles cells read (core.tables.shown_fields); the link and the roles (prefetched)
    # need the key only.
    row_fields = ("first_name", "last_name", "is_superuser")

    class Meta:
        model = User
        fields = ("username", "name", "email", "roles", "is_active", "last_login")

    def render_roles(self, record):
        if record.is_superuser:
            return _("Administrator (superuser)")
        return "; ".join(str(assignment) for assignment in record.role_assignments.all()) or "—"

    def value_roles(self, record):
        return self.render_roles(record)
