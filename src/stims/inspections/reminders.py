"""Reminders of the quality division: measuring instruments due for verification and radiation
licences expiring, within `days` days (overdue and expired ones included).

Who hears: the active users holding the inspector or specialist role today whose scope reaches the
record (`permissions.has_perm`), i.e. the department's inspectors and quality division. Each user hears
once per record and due date (`accounts.notify`, key `inspections:instrument:<id>:<due>` or
`inspections:licence:<id>:<expiry>`): however often the job runs nobody hears twice, and a renewed
verification or licence is a new date, reminded again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stims.core import permissions

from . import services

REMINDED_ROLES = ("inspector", "specialist")


def recipients():
    from stims.accounts.models import RoleAssignment, User

    holders = RoleAssignment.objects.active().filter(role__in=REMINDED_ROLES).values("user")
    return list(User.objects.filter(is_active=True, pk__in=holders).order_by("pk"))


def send_quality_reminders(days: int = 30, today: datetime.date | None = None) -> dict[str, int]:
    """Notify; returns how many instruments and licences were found and how many notifications were
    new."""
    from stims.accounts.notify import notify_each

    today = today or timezone.localdate()
    users = recipients()
    items = []
    instruments = list(services.instruments_due(days, today).order_by("verification_due", "pk"))
    licences = list(services.licences_expiring(days, today).order_by("expires_on", "pk"))
    with translation.override(settings.LANGUAGE_CODE):
        for instrument in instruments:
            message = _(
                "Measuring instrument “%(instrument)s” of %(establishment)s is due for verification on %(date)s."
            ) % {
                "instrument": instrument,
                "establishment": instrument.establishment,
                "date": f"{instrument.verification_due:%d/%m/%Y}",
            }
            link = reverse("inspections:measuringinstrument_detail", args=[instrument.pk])
            key = f"inspections:instrument:{instrument.pk}:{instrument.verification_due.isoformat()}"
            items += [
                (user, key, message, link)
                for user in users
                if permissions.has_perm(user, permissions.VIEW, instrument)
            ]
        for licence in licences:
            message = _("Radiation licence %(number)s of %(establishment)s expires on %(date)s.") % {
                "number": licence.number,
                "establishment": licence.establishment,
                "date": f"{licence.expires_on:%d/%m/%Y}",
            }
            link = reverse("inspections:radiationlicence_detail", args=[licence.pk])
            key = f"inspections:licence:{licence.pk}:{licence.expires_on.isoformat()}"
            items += [
                (user, key, message, link)
                for user in users
                if permissions.has_perm(user, permissions.VIEW, licence)
            ]
    sent = notify_each(items)
    return {"instruments": len(instruments), "licences": len(licences), "sent": sent}
