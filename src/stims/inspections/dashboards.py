"""The quality dashboard's figures, over the records the user may see (`permissions.restrict`):
inspections by sector and result, the violation rate, fines imposed and paid, licences expiring and
instruments due for verification. One grouped query per table, however many rows there are."""

from __future__ import annotations

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from stims.core import aggregates, permissions

from . import services
from .models import Inspection, InspectionResult, InspectionState, RadiationLicence, Sanction

LICENCE_WARNING_DAYS = 90
INSTRUMENT_WARNING_DAYS = 30


def cached_figures(user, year: int | None = None) -> dict:
    """`figures`, kept in the cache per scope of visibility while no inspections table changes."""
    return aggregates.cached(
        "inspections.quality",
        lambda: figures(user, year),
        depends_on=["inspections"],
        scope=aggregates.scope_of(user),
        parts=[year, timezone.localdate()],
        stale_for=user,
    )


def figures(user, year: int | None = None) -> dict:
    inspections = permissions.restrict(Inspection.objects.all(), user)
    # The years between the first and the last planned inspection: two index lookups, where the
    # distinct years would read every inspection (bench/quality.py).
    bounds = inspections.aggregate(first=Min("planned_on"), last=Max("planned_on"))
    years = list(range(bounds["last"].year, bounds["first"].year - 1, -1)) if bounds["first"] else []
    if year is None:
        year = years[0] if years else timezone.localdate().year
    of_year = inspections.filter(planned_on__year=year).exclude(state=InspectionState.CANCELLED)
    by_sector = list(
        of_year.values("establishment__sector__name", "establishment__sector__sort_order")
        .annotate(
            total=Count("pk"),
            compliant=Count("pk", filter=Q(result=InspectionResult.COMPLIANT)),
            violations=Count("pk", filter=Q(result=InspectionResult.VIOLATIONS)),
            open=Count("pk", filter=Q(result="")),
        )
        .order_by("establishment__sector__sort_order")
    )
    concluded = sum(row["compliant"] + row["violations"] for row in by_sector)
    with_violations = sum(row["violations"] for row in by_sector)
    sanctions = permissions.restrict(Sanction.objects.all(), user).filter(inspection__in=of_year.values("pk"))
    fines = sanctions.aggregate(
        imposed=Sum("fine_vnd"), paid=Sum("fine_vnd", filter=Q(paid_on__isnull=False))
    )
    licences = permissions.restrict(services.licences_expiring(LICENCE_WARNING_DAYS), user).order_by(
        "expires_on"
    )
    instruments = permissions.restrict(services.instruments_due(INSTRUMENT_WARNING_DAYS), user)
    return {
        "year": year,
        "years": years,
        "by_sector": by_sector,
        "inspection_total": sum(row["total"] for row in by_sector),
        "concluded": concluded,
        "with_violations": with_violations,
        "violation_rate": round(100 * with_violations / concluded) if concluded else None,
        "fines_imposed": fines["imposed"] or 0,
        "fines_paid": fines["paid"] or 0,
        "licences_expiring": list(licences[:20]),
        "licence_days": LICENCE_WARNING_DAYS,
        "instruments_due_count": instruments.count(),
        "instrument_days": INSTRUMENT_WARNING_DAYS,
        "today": timezone.localdate(),
        "all_licences_count": permissions.restrict(RadiationLicence.objects.all(), user).count(),
    }
