"""Progress of a plan's targets, what is behind, and the status moves of policy and legal documents.

progress(plan)                 # [TargetProgress] for every target of the plan (few queries; counts cached)
behind_plans(plans, today)     # the plans with at least one target behind, with how many
move_document(document, "issue", user, issued_on=…)   # core.transitions: locked, all or nothing
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import overload

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from stims.core import aggregates, transitions

from . import rules as programme_rules
from .measures import MEASURES
from .models import DocumentStatus, LegalDocument, Plan, Target

# --- Progress ----------------------------------------------------------------------------------------


def expected(target: Target, today: datetime.date) -> Decimal | None:
    """What should be reached by `today`: the whole value once the target's year (or the plan's last
    year) has begun; before that, for a target over the whole period, the share of the period elapsed
    (from the baseline). None when nothing is expected yet."""
    start, end = target.plan.start_year, target.plan.end_year
    if target.year:
        return target.value if today.year >= target.year else None
    if today.year > end:
        return target.value
    if today.year < start:
        return None
    baseline = target.baseline or Decimal(0)
    elapsed = Decimal(today.year - start) / Decimal(end - start + 1)
    return baseline + (target.value - baseline) * elapsed


@dataclass
class TargetProgress:
    target: Target
    achieved: Decimal | None
    expected: Decimal | None
    computed: bool

    @property
    def percent(self) -> int | None:
        if self.achieved is None or not self.target.value:
            return None
        return int(100 * self.achieved / self.target.value)

    @property
    def behind(self) -> bool:
        return self.expected is not None and (self.achieved or 0) < self.expected


def achieved(target: Target, counted: dict[int, int] | None = None) -> Decimal | None:
    """Counted from STIMS's records when the target names a measure (one query, or `counted`'s figure),
    else the latest entry."""
    if target.measure in MEASURES:
        if counted is not None and target.pk in counted:
            return Decimal(counted[target.pk])
        return Decimal(MEASURES[target.measure].count(target))
    latest = target.latest_value
    return None if latest is None else Decimal(str(latest)).quantize(Decimal("0.01"))


def measured_counts(plan: Plan, targets: list[Target]) -> dict[int, int]:
    """{target pk: its measure's count} for the targets of `plan` that name a measure, kept in the cache
    while the tables the measures read (and the plan's own: its targets, links, period and unit) are
    unchanged: a plan's page is read far more often than what it counts is written. The counts are the
    whole unit's, whoever reads them (the page shows them to everyone who may see the plan)."""
    measured = [target for target in targets if target.measure in MEASURES]
    if not measured:
        return {}
    reads = {"programmes", "geo"}.union(*(MEASURES[target.measure].reads for target in measured))

    def count() -> dict[int, int]:
        return {target.pk: MEASURES[target.measure].count(target) for target in measured}

    return aggregates.cached(
        "programmes.progress",
        count,
        depends_on=sorted(reads),
        scope="all",
        parts=(plan.pk, tuple((t.pk, t.measure, t.year, t.admin_unit_id) for t in measured)),
    )


def progress(plan: Plan, today: datetime.date | None = None) -> list[TargetProgress]:
    today = today or datetime.date.today()
    targets = list(plan.targets.select_related("admin_unit").order_by("year", "pk"))
    for target in targets:
        target.plan = plan  # the measures read its period and unit
    counted = measured_counts(plan, targets)
    return [
        TargetProgress(target, achieved(target, counted), expected(target, today), target.measure in MEASURES)
        for target in targets
    ]


def entered_behind_q(today: datetime.date) -> Q:
    """Targets entered by hand that are behind today, as a filter on their `latest_value` (targets
    of a given year once it has begun, and whole-period targets once the period is over; the pro-rata
    check of a running period is made on the plan's page)."""
    due = Q(year__isnull=False, year__lte=today.year) | Q(year__isnull=True, plan__end_year__lt=today.year)
    return due & (Q(latest_value__isnull=True) | Q(latest_value__lt=F("value")))


def behind_plans(plans, today: datetime.date | None = None) -> BehindPlans:
    """The plans of `plans` with targets behind, most behind first (then the earlier end, then the key),
    each with `behind_count`: a sequence that a paginator slices (`BehindPlans`)."""
    return BehindPlans(plans, today)


class BehindPlans(Sequence):
    """The plans behind target in order, read as they are asked for: their order and counts come from one
    grouped query over the targets; the plans of a slice (a page, the home page's first five) from one
    more. At national scale every one of 2,000 plans was behind, and the page loaded all 2,000 to show 50
    (issue #20)."""

    def __init__(self, plans, today: datetime.date | None = None):
        self._plans = plans
        today = today or datetime.date.today()
        targets = Target.objects.filter(plan__in=plans.values("pk"), measure="")
        rows = (
            targets.filter(entered_behind_q(today))
            .order_by()
            .values("plan", "plan__end_year")
            .annotate(n=Count("pk"))
        )
        ordered = sorted(rows, key=lambda row: (-row["n"], row["plan__end_year"], row["plan"]))
        self._rows = [(row["plan"], row["n"]) for row in ordered]

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Plan: ...

    @overload
    def __getitem__(self, index: slice) -> list[Plan]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self._rows[index])
        return self._load([self._rows[index]])[0]

    def __iter__(self) -> Iterator[Plan]:
        return iter(self._load(self._rows))

    def __contains__(self, plan) -> bool:
        return any(pk == getattr(plan, "pk", None) for pk, _n in self._rows)

    def _load(self, rows: list[tuple[int, int]]) -> list[Plan]:
        loaded = self._plans.in_bulk([pk for pk, _n in rows])
        found = []
        for pk, count in rows:
            plan = loaded[pk]
            plan.behind_count = count
            found.append(plan)
        return found


# --- Documents ---------------------------------------------------------------------------------------

S = DocumentStatus

# move -> (from statuses, to status, label)
MOVES = {
    "consult": ((S.DRAFTING,), S.CONSULTATION, _("Send for consultation")),
    "issue": ((S.DRAFTING, S.CONSULTATION), S.ISSUED, _("Record as issued")),
    "enter_into_force": ((S.ISSUED,), S.IN_FORCE, _("Record as in force")),
    "start_review": ((S.IN_FORCE,), S.UNDER_REVIEW, _("Start a review")),
    "close_review": ((S.UNDER_REVIEW,), S.IN_FORCE, _("Close the review, kept in force")),
    "replace": ((S.IN_FORCE, S.UNDER_REVIEW), S.REPLACED, _("Record as replaced")),
}


class DocumentRefused(transitions.Refused):
    pass


def document_problems(document: LegalDocument, move: str, user, **values) -> list:
    """Every reason the move cannot be made now (empty: it can)."""
    if move not in MOVES:
        return [_("There is no such move.")]
    sources, _target, _label = MOVES[move]
    reasons = []
    if not programme_rules.has(programme_rules.MOVE_DOCUMENT, user, document):
        reasons.append(programme_rules.refusal(programme_rules.MOVE_DOCUMENT))
    if document.status not in sources:
        reasons.append(
            _("A document %(status)s cannot be moved this way.")
            % {"status": document.get_status_display().lower()}
        )
    if move == "issue" and not (values.get("number") or document.number):
        reasons.append(_("Give the number and symbol of the document issued."))
    if move == "issue" and not (values.get("date") or document.issued_on):
        reasons.append(_("Give the date the document was issued."))
    if move == "close_review" and not document.reviews.exists():
        reasons.append(_("Record the review's findings before closing it."))
    replacement = values.get("replaced_by")
    if move == "replace" and replacement is None:
        reasons.append(_("Name the document that replaces it."))
    if move == "replace" and replacement is not None and replacement.pk == document.pk:
        reasons.append(_("A document cannot replace itself."))
    return reasons


def available_moves(document: LegalDocument, user) -> list[tuple[str, object]]:
    if not programme_rules.has(programme_rules.MOVE_DOCUMENT, user, document):
        return []
    return [(name, label) for name, (sources, _t, label) in MOVES.items() if document.status in sources]


def move_document(document: LegalDocument, move: str, user, **values) -> LegalDocument:
    """Make the move with the row locked; `DocumentRefused` with every reason (nothing changed)."""

    def apply(row):
        row.status = MOVES[move][1]
        if move == "issue":
            row.number = values.get("number") or row.number
            row.issued_on = values.get("date") or row.issued_on
        if move == "enter_into_force":
            row.effective_on = values.get("date") or row.effective_on or row.issued_on
        if move == "replace":
            row.replaced_by = values["replaced_by"]
        row.save()
        return row

    row = transitions.apply_locked(
        LegalDocument.objects.all(),
        document.pk,
        problems=lambda row: document_problems(row, move, user, **values),
        apply=apply,
        refused=DocumentRefused,
    )
    document.refresh_from_db()
    return row


# --- Counts for reports ------------------------------------------------------------------------------


def activities_by_kind(activities, year: int | None = None):
    """[{kind, activities, attendees}] over the activities given (narrowed to what the user may see)."""
    if year:
        activities = activities.filter(held_on__year=year)
    return list(
        activities.order_by()
        .values("kind")
        .annotate(activities=Count("pk"), attendees=Sum("attendees"))
        .order_by("kind")
    )
