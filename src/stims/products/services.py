"""Product queries and the state changes that go beyond saving one form."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from stims.core.dates import add_months

from .models import OcopEvaluation, Product, Traceability

EXPIRY_WARNING_MONTHS = 6


def _latest_evaluations():
    return OcopEvaluation.objects.filter(product=OuterRef("pk")).order_by("-year", "-pk")


def with_latest_stars(queryset):
    """Products annotated with the year and stars of their latest OCOP evaluation (one query, no N+1)."""
    latest = _latest_evaluations()
    return queryset.annotate(
        latest_stars=Subquery(latest.values("stars")[:1]),
        latest_year=Subquery(latest.values("year")[:1]),
    )


def with_traceability_flag(queryset):
    return queryset.annotate(has_traceability=Exists(Traceability.objects.filter(product=OuterRef("pk"))))


def latest_evaluation(product: Product) -> OcopEvaluation | None:
    return product.evaluations.order_by("-year", "-pk").first()


def certificate_status(evaluation: OcopEvaluation, today: datetime.date) -> str | None:
    """ "expired", "expiring" (within EXPIRY_WARNING_MONTHS), "valid", or None without an expiry date."""
    expiry = evaluation.certificate_expiry
    if expiry is None:
        return None
    if expiry < today:
        return "expired"
    if expiry <= add_months(today, EXPIRY_WARNING_MONTHS):
        return "expiring"
    return "valid"


def recompute_stars(evaluations=None) -> int:
    """Re-derive the stars of existing evaluations from the current star bands (after the bands were
    corrected or a new decision changed them). Only evaluations whose stars change are saved, each
    with a history entry saying why. Returns how many changed."""
    from .models import StarBand

    evaluations = OcopEvaluation.objects.all() if evaluations is None else evaluations
    changed = 0
    with transaction.atomic():
        for evaluation in evaluations.select_related("product").order_by("pk"):
            if evaluation.total_score is None:
                continue  # a star rating recorded without scores: nothing to derive it from
            stars = StarBand.stars_for(evaluation.total_score, evaluation.decision_date)
            if stars != evaluation.stars:
                evaluation._change_reason = _("Stars recomputed from the star bands")
                evaluation.save()
                changed += 1
    return changed
