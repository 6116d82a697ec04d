"""The IP status workflow, in one place: pages, the API and imports all go through these functions.

Which moves are allowed follows the data (`IpStatus.is_final`, `is_protected`; `IpType.renewable`,
`protection_years`), so a change of the regulations is a change in the admin, not in code. The moves
have the shape of every state machine (`stims.core.transitions`): `status_move_problems` and
`renewal_problems` say what would stop one, `record_status` and `renew` apply it with the asset locked.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from stims.core import transitions
from stims.core.dates import add_months, add_years

from .models import IpAsset, IpRenewal, IpStatus, IpStatusEvent


def expires_soon(asset: IpAsset, months: int = 12, today: datetime.date | None = None) -> bool:
    """Whether a protected asset's term ends within `months` (the detail page warns about it)."""
    today = today or timezone.localdate()
    return bool(
        asset.expiry_date
        and asset.status.is_protected
        and today <= asset.expiry_date <= add_months(today, months)
    )


def has_lapsed(asset: IpAsset, today: datetime.date | None = None) -> bool:
    """Whether a title still recorded as protected has passed its expiry date (renewal or status due)."""
    today = today or timezone.localdate()
    return bool(asset.expiry_date and asset.status.is_protected and asset.expiry_date < today)


def default_expiry(asset: IpAsset, grant_date: datetime.date | None) -> datetime.date | None:
    """End of the term of protection: counted from the filing date (IP Law, art. 93), or from the grant
    date when no filing date is on record; None for an indefinite term (geographical indications)."""
    years = asset.ip_type.protection_years
    start = asset.application_date or grant_date
    if not years or start is None:
        return None
    return add_years(start, years)


def initial_status() -> IpStatus:
    """The status a new application starts in: the first one that is neither final nor protected."""
    status = IpStatus.objects.filter(is_final=False, is_protected=False).order_by("sort_order", "pk").first()
    if status is None:
        raise ValidationError(_("No initial IP status is defined; add one in the administration."))
    return status


def _stamp(obj, user):
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user  # django-simple-history records who made the change
    return obj


def last_event(asset: IpAsset) -> IpStatusEvent | None:
    return asset.status_events.order_by("-date", "-pk").first()


def open_history(asset: IpAsset, user=None) -> IpStatusEvent:
    """First step of a new asset's history: its current status on its status date (or filing date)."""
    if asset.status_events.exists():
        return last_event(asset)
    date = asset.status_date or asset.application_date or timezone.localdate()
    event = _stamp(IpStatusEvent(asset=asset, status=asset.status, date=date), user)
    event.save()
    if asset.status_date != date:
        _stamp(asset, user)
        asset.status_date = date
        asset.save(update_fields=["status_date", "updated_at"])
    return event


def status_move_problems(
    asset: IpAsset,
    status: IpStatus,
    date: datetime.date,
    *,
    title_number: str | None = None,
    grant_date: datetime.date | None = None,
) -> list[str] | dict[str, str]:
    """What would stop moving a saved `asset` (as it is in the database) to `status` on `date` (empty:
    nothing). The first rule that fails is the reason; a reason about one field is keyed by it."""
    if asset.status.is_final:
        return [
            _("“%(asset)s” is %(status)s, a final status: no further status can be recorded.")
            % {"asset": asset, "status": asset.status}
        ]
    previous = last_event(asset)
    if previous is not None and date < previous.date:
        return {
            "date": _("The date cannot be before the previous status change (%(date)s).")
            % {"date": previous.date.strftime("%d/%m/%Y")}
        }
    if asset.application_date and date < asset.application_date:
        return {
            "date": _("The date cannot be before the application date (%(date)s).")
            % {"date": asset.application_date.strftime("%d/%m/%Y")}
        }
    errors = {}
    if status.is_protected:
        if not (title_number or asset.title_number or "").strip():
            errors["title_number"] = _("A protected status needs the protection title number.")
        if (grant_date or asset.grant_date) is None:
            errors["grant_date"] = _("A protected status needs the grant date.")
    return errors


def check_status_move(
    asset: IpAsset,
    status: IpStatus,
    date: datetime.date,
    *,
    title_number: str | None = None,
    grant_date: datetime.date | None = None,
) -> None:
    """The workflow's rules for moving a saved `asset` (as it is in the database) to `status` on
    `date`; raises `Refused` (a ValidationError) naming what is wrong. Used by `record_status` and by
    imports."""
    transitions.refuse(
        status_move_problems(asset, status, date, title_number=title_number, grant_date=grant_date)
    )


def record_status(
    asset: IpAsset,
    status: IpStatus,
    date: datetime.date,
    document: str = "",
    note: str = "",
    user=None,
    *,
    title_number: str | None = None,
    grant_date: datetime.date | None = None,
    expiry_date: datetime.date | None = None,
) -> IpStatusEvent:
    """Move `asset` to `status` on `date`, recording the step; all or nothing, with the asset row locked
    (`stims.core.transitions`).

    Refused (`Refused`, a ValidationError, nothing saved): a move out of a final status, a date before
    the previous step, a protected status without a protection title number and grant date
    (`status_move_problems`). `title_number`, `grant_date` and `expiry_date` fill the asset's protection
    title; the expiry defaults to the type's term of protection. Who may record it is the rule
    `ip.record_status`, asked by the callers.
    """

    def move_problems(locked):
        return status_move_problems(locked, status, date, title_number=title_number, grant_date=grant_date)

    def record(locked):
        nonlocal title_number, grant_date, expiry_date
        changed = {"status", "status_date"}
        if status.is_protected:
            title_number = (title_number or locked.title_number or "").strip()
            grant_date = grant_date or locked.grant_date
            expiry_date = expiry_date or locked.expiry_date or default_expiry(locked, grant_date)
            locked.title_number, locked.grant_date, locked.expiry_date = title_number, grant_date, expiry_date
            changed |= {"title_number", "grant_date", "expiry_date"}
        event = _stamp(
            IpStatusEvent(asset=locked, status=status, date=date, document=document, note=note), user
        )
        event.full_clean()
        event.save()
        locked.status, locked.status_date = status, date
        _stamp(locked, user).save(update_fields=[*changed, "updated_at"])
        return locked, event

    locked, event = transitions.apply_locked(
        IpAsset.objects.select_related("status", "ip_type"), asset.pk, problems=move_problems, apply=record
    )
    # The caller's object reflects the move too.
    for name in ("status", "status_date", "title_number", "grant_date", "expiry_date"):
        setattr(asset, name, getattr(locked, name))
    return event


def renewal_problems(
    asset: IpAsset, renewed_on: datetime.date, new_expiry: datetime.date
) -> list[str] | dict[str, str]:
    """What would stop renewing a saved `asset`'s protection to `new_expiry` (empty: nothing); the first
    rule that fails."""
    if not asset.ip_type.renewable:
        return [_("A %(type)s cannot be renewed.") % {"type": asset.ip_type}]
    if not asset.status.is_protected:
        return [
            _("Only a protected asset can be renewed; “%(asset)s” is %(status)s.")
            % {"asset": asset, "status": asset.status}
        ]
    if asset.expiry_date and new_expiry <= asset.expiry_date:
        return {
            "new_expiry_date": _("The new expiry date must be after the current one (%(date)s).")
            % {"date": asset.expiry_date.strftime("%d/%m/%Y")}
        }
    if asset.grant_date and renewed_on < asset.grant_date:
        return {"renewed_on": _("A renewal cannot be dated before the grant date.")}
    return []


def renew(
    asset: IpAsset, renewed_on: datetime.date, new_expiry: datetime.date, decision_number: str = "", user=None
) -> IpRenewal:
    """Extend the protection of a renewable, protected asset to `new_expiry`; all or nothing, with the
    asset row locked. Refused (`Refused`): `renewal_problems`. Who may renew is the rule `ip.renew`,
    asked by the callers."""

    def record(locked):
        renewal = _stamp(
            IpRenewal(
                asset=locked,
                renewed_on=renewed_on,
                new_expiry_date=new_expiry,
                decision_number=decision_number,
            ),
            user,
        )
        renewal.full_clean()
        renewal.save()
        locked.expiry_date = new_expiry
        _stamp(locked, user).save(update_fields=["expiry_date", "updated_at"])
        return renewal

    renewal = transitions.apply_locked(
        IpAsset.objects.select_related("status", "ip_type"),
        asset.pk,
        problems=lambda locked: renewal_problems(locked, renewed_on, new_expiry),
        apply=record,
    )
    asset.expiry_date = new_expiry
    return renewal
