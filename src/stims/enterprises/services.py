"""State changes of the S&T enterprise register beyond a plain form save, and revenue-share helpers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, FloatField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import StEnterprise, StRevenueShare

# NĐ 13/2019/NĐ-CP: an enterprise five years or older earns at least 30% of its revenue from S&T
# products. Regulations change (Law 93/2025/QH15), so a deployment may set another figure.
DEFAULT_REVENUE_SHARE_THRESHOLD = 30


def revenue_share_threshold() -> float:
    return float(getattr(settings, "STIMS_ST_REVENUE_SHARE_THRESHOLD", DEFAULT_REVENUE_SHARE_THRESHOLD))


def share_percent(st_revenue: int | None, total_revenue: int | None) -> float | None:
    """S&T revenue as a percentage of total revenue, one decimal; None when there is no revenue."""
    if not total_revenue or st_revenue is None:
        return None
    return round(100 * st_revenue / total_revenue, 1)


def meets_threshold(percent: float | None) -> bool | None:
    return None if percent is None else percent >= revenue_share_threshold()


@dataclass
class RevenueRow:
    year: int
    total_revenue: int
    st_revenue: int
    percent: float | None
    below_threshold: bool
    record: StRevenueShare


def revenue_by_year(enterprise: StEnterprise) -> list[RevenueRow]:
    """The enterprise's revenue shares, latest year first, each flagged when below the threshold."""
    rows = []
    for record in enterprise.revenues.order_by("-year"):
        percent = share_percent(record.st_revenue, record.total_revenue)
        rows.append(
            RevenueRow(
                record.year,
                record.total_revenue,
                record.st_revenue,
                percent,
                meets_threshold(percent) is False,
                record,
            )
        )
    return rows


def with_latest_share(queryset):
    """Annotates each enterprise with its latest revenue year and S&T share % (one query, no N+1)."""
    latest = StRevenueShare.objects.filter(enterprise=OuterRef("pk")).order_by("-year")
    percent = (
        latest.filter(total_revenue__gt=0)
        .annotate(
            percent=100.0 * Cast(F("st_revenue"), FloatField()) / Cast(F("total_revenue"), FloatField())
        )
        .values("percent")[:1]
    )
    return queryset.annotate(
        latest_share_year=Subquery(latest.values("year")[:1]),
        latest_share=Subquery(percent, output_field=FloatField()),
    )


def revoke(enterprise: StEnterprise, on_date: datetime.date, reason: str, user=None) -> StEnterprise:
    """Records the revocation of an enterprise's certificate.

    Refuses (ValidationError, nothing changed) a certificate already revoked, a date before the
    certificate was issued or in the future, and an empty reason. The change is stamped with `user`
    in the history.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        current = StEnterprise.objects.select_for_update().get(pk=enterprise.pk)
        errors = {}
        if current.revoked_on is not None:
            raise ValidationError(
                _("This certificate was already revoked on %(date)s.")
                % {"date": current.revoked_on.strftime("%d/%m/%Y")}
            )
        if on_date is None:
            errors["on_date"] = _("Give the date of revocation.")
        elif on_date < current.certificate_date:
            errors["on_date"] = _("A certificate cannot be revoked before it was issued (%(date)s).") % {
                "date": current.certificate_date.strftime("%d/%m/%Y")
            }
        elif on_date > timezone.localdate():
            errors["on_date"] = _("The date of revocation cannot be in the future.")
        if not reason:
            errors["reason"] = _("Give the reason for revocation.")
        if errors:
            raise ValidationError(errors)
        current.revoked_on = on_date
        current.revocation_reason = reason
        if user is not None:
            current._history_user = user
        current._change_reason = _("Certificate revoked")
        current.save(update_fields=["revoked_on", "revocation_reason", "updated_at"])
    enterprise.refresh_from_db()
    return enterprise
