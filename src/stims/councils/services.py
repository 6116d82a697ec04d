"""What a council does, with its rules in one place for the pages, the API and scripts: score sheets
entered, results ranked, the council concluded.

The rules a specialist expects:
  * a sheet scores every criterion of the council's criteria set, each between 0 and its maximum;
  * only a member of the dossier's council scores it, never one who declared a conflict of interest
    (a sheet entered before the declaration stops counting);
  * a sheet further than the criteria set's tolerance from the average of all sheets is flagged and
    left out of the dossier's average (TT 08/2017/TT-BKHCN);
  * once the council has concluded, its sheets, members and dossiers are its minutes: they no
    longer change;
  * a task passes a kind of council once: a task that a concluded council of the same kind has
    already passed is not put before another one, and a council passes at most one dossier per task
    (several applicants may compete for one task), so no task is counted twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from stims.core import transitions

from . import rules as council_rules
from .models import (
    Council,
    CouncilDossier,
    CouncilKind,
    CouncilMember,
    CriteriaSet,
    RatingLevel,
    Score,
    ScoreSheet,
)

CENTS = Decimal("0.01")


def _stamp(obj, user):
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user  # django-simple-history records who made the change
    return obj


def _date(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


# --- Who may enter a sheet -----------------------------------------------------------------------


def may_enter_sheet(user, member: CouncilMember) -> bool:
    """Whether `user` may enter or change `member`'s score sheets: the rule `council_rules.ENTER_SHEET`."""
    return council_rules.has(council_rules.ENTER_SHEET, user, member)


# --- Guards shared by forms and the API ----------------------------------------------------------


def council_closed_error(council: Council, what: str) -> ValidationError:
    return ValidationError(
        _(
            "The council concluded on %(date)s: its %(what)s are part of its minutes and can no longer be changed."
        )
        % {"date": _date(council.concluded_on), "what": what}
    )


def locked_council_fields(council: Council) -> set[str]:
    """Fields of a council that can no longer change: its kind and criteria once sheets are scored
    against them or the council has concluded."""
    if council.pk is None:
        return set()
    if council.concluded_on or ScoreSheet.objects.filter(dossier__council=council).exists():
        return {"kind", "criteria_set"}
    return set()


def criteria_set_in_use(criteria_set: CriteriaSet) -> bool:
    """Whether score sheets are scored against the set. A sheet is only ever recorded with a score for
    every criterion of its council's set (`record_score_sheet`, which the pages, the API and the demo
    all go through), so a score of one of the set's criteria says it: an index probe per criterion,
    where joining the set's councils to their dossiers and sheets read every dossier of a much-used
    set (205 ms for a set of 8,925 councils without a sheet yet at national scale; issue #20)."""
    if criteria_set.pk is None:
        return False
    # By the criteria's keys: joined to the criteria, the planner expects a match early in a scan of
    # every score (900,000 at national scale) and reads them all when there is none.
    criteria = list(criteria_set.criteria.values_list("pk", flat=True))
    return bool(criteria) and Score.objects.filter(criterion__in=criteria).exists()


def check_criteria_change(criteria_set: CriteriaSet) -> None:
    """Refuses adding, changing or deleting a criterion of a set that score sheets already use: the
    totals already entered would no longer add up."""
    if criteria_set_in_use(criteria_set):
        raise ValidationError(
            _("Score sheets already use the criteria of “%(set)s”: create a new criteria set instead.")
            % {"set": criteria_set}
        )


def check_member(member: CouncilMember, previous: CouncilMember | None = None) -> None:
    """The rules of a member added or changed (besides the model's own)."""
    council = member.council
    if council.concluded_on:
        changed = previous is None or any(
            getattr(previous, name) != getattr(member, name)
            for name in ("council_id", "person_id", "has_conflict")
        )
        if changed:
            raise council_closed_error(council, _("members"))
    if member.user_id:
        twice = CouncilMember.objects.filter(council_id=member.council_id, user_id=member.user_id).exclude(
            pk=member.pk
        )
        if twice.exists():
            raise ValidationError({"user": _("This user account is already another member of the council.")})
    if member.has_conflict and not (member.conflict_note or "").strip():
        raise ValidationError({"conflict_note": _("Say what the conflict of interest is.")})


def check_dossier(dossier: CouncilDossier, previous: CouncilDossier | None = None) -> None:
    """The rules of a dossier put before a council or changed: not on a concluded council, not twice
    in a council, and not for a task that a concluded council of the same kind has already passed."""
    council = dossier.council
    if council.concluded_on and (
        previous is None
        or any(
            getattr(previous, name) != getattr(dossier, name)
            for name in ("council_id", "task_id", "applicant_id")
        )
    ):
        raise council_closed_error(council, _("dossiers"))
    if previous is not None and previous.council_id != dossier.council_id and previous.sheets.exists():
        raise ValidationError(
            {"council": _("This dossier has score sheets: it cannot move to another council.")}
        )
    if not dossier.task_id:
        return
    same = CouncilDossier.objects.filter(
        council_id=dossier.council_id, task_id=dossier.task_id, applicant_id=dossier.applicant_id
    )
    if same.exclude(pk=dossier.pk).exists():
        raise ValidationError({"task": _("This task (with this applicant) is already before the council.")})
    earlier = (
        CouncilDossier.objects.filter(
            task_id=dossier.task_id,
            passed=True,
            council__kind=council.kind,
            council__concluded_on__isnull=False,
        )
        .exclude(council_id=dossier.council_id)
        .select_related("council")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            {
                "task": _(
                    "The council “%(council)s” already passed this task (concluded on %(date)s); it is not considered again."
                )
                % {"council": earlier.council, "date": _date(earlier.council.concluded_on)}
            }
        )


def check_deletable(obj) -> None:
    """Members and dossiers of a concluded council stay with its minutes; a concluded council stays
    with the tasks it passed."""
    if isinstance(obj, Council):
        if obj.concluded_on:
            raise ValidationError(
                _(
                    "The council concluded on %(date)s and its results count for the tasks' workflow: it cannot be deleted."
                )
                % {"date": _date(obj.concluded_on)}
            )
        return
    council = obj.council
    if council.concluded_on:
        raise council_closed_error(council, _("members") if isinstance(obj, CouncilMember) else _("dossiers"))


# --- Score sheets --------------------------------------------------------------------------------


def score_field_name(criterion) -> str:
    """The name under which a criterion's score is given and refused (form field, API error key)."""
    return f"criterion_{criterion.pk}"


def _as_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _scores_by_criterion(criteria: list, scores: Mapping) -> tuple[dict, dict]:
    """{criterion pk: score} from scores keyed by Criterion, criterion pk (int) or criterion code (str),
    and the refusals keyed by `score_field_name`."""
    by_pk = {c.pk: c for c in criteria}
    by_code = {c.code: c for c in criteria}
    given: dict[int, object] = {}
    errors: dict[str, list[str]] = {}
    for key, value in scores.items():
        if hasattr(key, "pk"):
            criterion = by_pk.get(key.pk)
        elif isinstance(key, int):
            criterion = by_pk.get(key)
        else:
            criterion = by_code.get(str(key))
        if criterion is None:
            errors.setdefault("scores", []).append(
                _("“%(key)s” is not a criterion of this council.") % {"key": key}
            )
            continue
        given[criterion.pk] = value
    values: dict[int, Decimal] = {}
    for criterion in criteria:
        name = score_field_name(criterion)
        raw = given.get(criterion.pk)
        number = _as_decimal(raw)
        if raw is None or raw == "":
            errors.setdefault(name, []).append(_("Score this criterion."))
        elif number is None:
            errors.setdefault(name, []).append(_("Enter a number."))
        elif number < 0:
            errors.setdefault(name, []).append(_("A score cannot be negative."))
        elif number > criterion.max_score:
            errors.setdefault(name, []).append(
                _("At most %(max)s for this criterion.") % {"max": criterion.max_score}
            )
        elif number != number.quantize(CENTS):
            errors.setdefault(name, []).append(_("Use at most two decimals."))
        else:
            values[criterion.pk] = number
    return values, errors


def record_score_sheet(
    dossier: CouncilDossier, member: CouncilMember, scores: Mapping, *, user=None, comments: str = ""
) -> ScoreSheet:
    """Record (or replace) `member`'s score sheet for `dossier`, with every criterion's score, in one
    transaction; returns the sheet with its total recomputed.

    `scores` maps each criterion of the council's criteria set — given as the Criterion, its pk (int)
    or its code (str) — to its score (Decimal, int or text). With `user`, the user must pass the rule
    `council_rules.ENTER_SHEET` for this member (else PermissionDenied with its reason); scripts may
    omit it.
    Raises ValidationError naming every problem (keys: `score_field_name(criterion)`, "member",
    "scores" or none) and then changes nothing.
    """
    with transaction.atomic():
        # Locking the council orders this against a conclusion taken at the same moment.
        council = Council.objects.select_for_update().get(pk=dossier.council_id)
        if council.concluded_on:
            raise council_closed_error(council, _("score sheets"))
        member = CouncilMember.objects.select_related("person").get(
            pk=member.pk
        )  # its conflict flag as of now
        if member.council_id != council.pk:
            raise ValidationError(
                {
                    "member": _("%(person)s is not a member of the council considering this dossier.")
                    % {"person": member.person}
                }
            )
        if member.has_conflict:
            raise ValidationError(
                {
                    "member": _(
                        "%(person)s declared a conflict of interest and may not score dossiers of this council."
                    )
                    % {"person": member.person}
                }
            )
        if user is not None:
            council_rules.require(council_rules.ENTER_SHEET, user, member)
        if council.criteria_set_id is None:
            raise ValidationError(_("Choose the council's criteria set before entering score sheets."))
        criteria = list(
            CriteriaSet.objects.get(pk=council.criteria_set_id).criteria.order_by("sort_order", "code")
        )
        if not criteria:
            raise ValidationError(_("The council's criteria set has no criteria."))
        values, errors = _scores_by_criterion(criteria, scores)
        if errors:
            raise ValidationError(errors)
        sheet = ScoreSheet.objects.filter(dossier_id=dossier.pk, member_id=member.pk).first()
        if sheet is None:
            sheet = ScoreSheet(dossier_id=dossier.pk, member=member)
        sheet.comments = comments or ""
        sheet.total = sum(values.values(), Decimal("0"))
        _stamp(sheet, user).save()
        existing = {score.criterion_id: score for score in sheet.scores.all()}
        changed = []
        for criterion_pk, value in values.items():
            score = existing.pop(criterion_pk, None)
            if score is None:
                Score.objects.create(sheet=sheet, criterion_id=criterion_pk, score=value)
            elif score.score != value:
                score.score = value
                changed.append(score)
        if changed:
            Score.objects.bulk_update(changed, ["score"])
        if existing:  # scores of criteria no longer in the set (the set was changed before any sheet counted)
            Score.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    return sheet


def delete_score_sheet(sheet: ScoreSheet, *, user=None) -> None:
    with transaction.atomic():
        council = Council.objects.select_for_update().get(pk=sheet.dossier.council_id)
        if council.concluded_on:
            raise council_closed_error(council, _("score sheets"))
        if user is not None:
            council_rules.require(council_rules.DELETE_SHEET, user, sheet.member)
        _stamp(sheet, user).delete()


# --- Results -------------------------------------------------------------------------------------


@dataclass
class DossierResult:
    """A dossier's standing before its council, as the minutes report it."""

    dossier: CouncilDossier
    sheets: list = field(default_factory=list)  # every sheet entered
    counted: list = field(default_factory=list)  # the sheets the average is taken over
    flagged: list = field(default_factory=list)  # outlying sheets, left out
    conflicted: list = field(default_factory=list)  # sheets of members who declared a conflict, left out
    mean_of_all: Decimal | None = None  # average of all valid sheets, before leaving outliers out
    average: Decimal | None = None  # average of the counted sheets, rounded to 0.01
    rank: int | None = None  # 1 = best average in the council; equal averages share a rank
    meets_pass_mark: bool | None = None  # None: no pass mark, or no counted sheet
    ranked_count: int = 0  # how many dossiers of the council are ranked (for "3rd of 13")

    @property
    def sheet_count(self) -> int:
        return len(self.sheets)

    @property
    def counted_count(self) -> int:
        return len(self.counted)


def _compute(
    criteria_set: CriteriaSet | None, dossiers: Iterable[CouncilDossier], sheets: Iterable[ScoreSheet]
) -> list[DossierResult]:
    """Results of one council's dossiers from its sheets (no query: sheets need `member` loaded)."""
    tolerance = criteria_set.outlier_tolerance if criteria_set else None
    pass_mark = criteria_set.pass_mark if criteria_set else None
    by_dossier: dict[int, list] = defaultdict(list)
    for sheet in sheets:
        by_dossier[sheet.dossier_id].append(sheet)
    results = []
    for dossier in dossiers:
        result = DossierResult(
            dossier=dossier, sheets=sorted(by_dossier.get(dossier.pk, []), key=lambda s: s.member_id)
        )
        valid = []
        for sheet in result.sheets:
            (result.conflicted if sheet.member.has_conflict else valid).append(sheet)
        if valid:
            mean = sum((s.total for s in valid), Decimal("0")) / len(valid)
            result.mean_of_all = _round(mean)
            for sheet in valid:
                outlying = tolerance is not None and abs(sheet.total - mean) > tolerance
                (result.flagged if outlying else result.counted).append(sheet)
        if result.counted:
            result.average = _round(
                sum((s.total for s in result.counted), Decimal("0")) / len(result.counted)
            )
            if pass_mark is not None:
                result.meets_pass_mark = result.average >= pass_mark
        results.append(result)
    ranked = sorted((r for r in results if r.average is not None), key=lambda r: -r.average)
    for position, result in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        result.rank = (
            previous.rank if previous is not None and previous.average == result.average else position
        )
    for result in results:
        result.ranked_count = len(ranked)
    unranked = [r for r in results if r.average is None]
    return ranked + sorted(unranked, key=lambda r: r.dossier.pk)


def _sheets_of(council_ids) -> list[ScoreSheet]:
    return list(
        ScoreSheet.objects.filter(dossier__council_id__in=council_ids)
        .select_related("member__person", "member__user")
        .order_by("dossier_id", "member_id")
    )


def dossier_results(council: Council) -> list[DossierResult]:
    """Every dossier of `council` with its sheets, flagged sheets, average, rank and whether it meets
    the pass mark; best first, unscored dossiers last. Three queries (criteria set, dossiers, sheets)
    whatever the number of dossiers and sheets (two when the criteria set is already loaded)."""
    criteria_set = council.criteria_set if council.criteria_set_id else None
    dossiers = list(council.dossiers.select_related("task", "applicant", "rating").order_by("pk"))
    return _compute(criteria_set, dossiers, _sheets_of([council.pk]))


def results_by_dossier(dossiers: Iterable[CouncilDossier]) -> dict[int, DossierResult]:
    """Results of the given dossiers, each computed within its whole council (outliers and ranks
    need the council's other dossiers): two queries (the councils' dossiers, their sheets) however
    many councils are involved. The dossiers need `council__criteria_set` loaded; each result carries
    the given dossier.

    For a dossier's standing (average, rank, pass mark: the task page's council panel) the council's
    other dossiers and every sheet are read with only what that takes — keys, totals and whether the
    member declared a conflict — not with their tasks, people and users (four councils of ten dossiers
    and 140 sheets: 15 ms of CPU otherwise, a quarter of the task page). The results' sheets are those
    lean rows; `dossier_results(council)` gives a council's results with its sheets whole."""
    dossiers = list(dossiers)
    councils = {d.council_id: d.council for d in dossiers}
    if not councils:
        return {}
    given = {dossier.pk: dossier for dossier in dossiers}
    everyone = [
        given.get(dossier.pk, dossier)
        for dossier in CouncilDossier.objects.filter(council_id__in=councils).only("pk", "council")
    ]
    sheets = list(
        ScoreSheet.objects.filter(dossier__council_id__in=list(councils))
        .select_related("member")
        .only("pk", "dossier", "member", "total", "member__has_conflict")
        .order_by("dossier_id", "member_id")
    )
    dossiers_of: dict[int, list] = defaultdict(list)
    for dossier in everyone:
        dossiers_of[dossier.council_id].append(dossier)
    council_of = {dossier.pk: dossier.council_id for dossier in everyone}
    sheets_of: dict[int, list] = defaultdict(list)
    for sheet in sheets:
        sheets_of[council_of[sheet.dossier_id]].append(sheet)
    found: dict[int, DossierResult] = {}
    for council_id, council in councils.items():
        criteria_set = council.criteria_set if council.criteria_set_id else None
        for result in _compute(criteria_set, dossiers_of[council_id], sheets_of[council_id]):
            if result.dossier.pk in given:
                found[result.dossier.pk] = result
    return found


# --- Conclusion ----------------------------------------------------------------------------------


def _outcome(value, ratings: dict) -> tuple[bool | None, RatingLevel | None, str | None]:
    """(passed, rating, problem) from an outcome: a bool, a RatingLevel or its code, or (passed, rating)."""
    passed, rating = None, None
    if isinstance(value, tuple | list):
        if len(value) != 2:
            return None, None, _("an outcome is (passed, rating)")
        passed, rating = value
    elif isinstance(value, bool):
        passed = value
    elif value is not None:
        rating = value
    if rating is not None and not isinstance(rating, RatingLevel):
        found = ratings.get(rating) or ratings.get(str(rating))
        if found is None:
            return None, None, _("“%(rating)s” is not an acceptance rating") % {"rating": rating}
        rating = found
    if passed is not None and not isinstance(passed, bool):
        return None, None, _("say passed with true or false")
    return passed, rating, None


@dataclass
class _Conclusion:
    """What `conclude` would record on a council as it stands, or the reasons it cannot."""

    problems: list | dict = field(default_factory=list)
    results: dict = field(default_factory=dict)
    decided: dict = field(default_factory=dict)

    def refuse(self, reasons) -> _Conclusion:
        self.problems = [reasons] if isinstance(reasons, str) else reasons
        return self


def _plan_conclusion(locked: Council, concluded_on, outcomes: Mapping | None) -> _Conclusion:
    """Every dossier's outcome, or the first reasons the council cannot conclude (`_Conclusion.problems`)."""
    plan = _Conclusion()
    outcomes = dict(outcomes or {})
    if locked.concluded_on:
        return plan.refuse(
            _("The council already concluded on %(date)s.") % {"date": _date(locked.concluded_on)}
        )
    if concluded_on is None:
        return plan.refuse({"concluded_on": _("Give the date the council concluded.")})
    if locked.meeting_date and concluded_on < locked.meeting_date:
        return plan.refuse(
            {
                "concluded_on": _("The council cannot conclude before it meets (%(date)s).")
                % {"date": _date(locked.meeting_date)}
            }
        )
    results = {r.dossier.pk: r for r in dossier_results(locked)}
    if not results:
        return plan.refuse(_("The council has no dossier to conclude on."))
    keyed = {}
    errors: list[str] = []
    for key, value in outcomes.items():
        pk = getattr(key, "pk", key)
        if pk not in results:
            errors.append(_("Dossier %(key)s is not before this council.") % {"key": key})
        else:
            keyed[pk] = value
    ratings = {r.code: r for r in RatingLevel.objects.all()}
    ratings.update({r.pk: r for r in list(ratings.values())})
    is_acceptance = locked.kind == CouncilKind.ACCEPTANCE
    pass_mark = locked.criteria_set.pass_mark if locked.criteria_set_id else None
    decided: dict[int, tuple[bool, RatingLevel | None]] = {}
    for pk, result in results.items():
        dossier = result.dossier
        passed, rating, problem = _outcome(keyed.get(pk), ratings)
        if problem:
            errors.append(f"{dossier.task}: {problem}.")
            continue
        if rating is not None and not is_acceptance:
            errors.append(_("%(task)s: only an acceptance council gives a rating.") % {"task": dossier.task})
            continue
        if is_acceptance and rating is None:
            errors.append(_("%(task)s: give the acceptance rating.") % {"task": dossier.task})
            continue
        if rating is not None:
            if passed is not None and passed != rating.is_pass:
                errors.append(
                    _("%(task)s: the rating “%(rating)s” does not agree with passed = %(passed)s.")
                    % {"task": dossier.task, "rating": rating, "passed": _("yes") if passed else _("no")}
                )
                continue
            passed = rating.is_pass
        if passed is None and pk not in keyed:
            passed = result.meets_pass_mark
        if passed is None:
            errors.append(_("%(task)s: say whether the council passed it.") % {"task": dossier.task})
            continue
        if passed and result.meets_pass_mark is False:
            errors.append(
                _("%(task)s averages %(average)s, below the pass mark %(mark)s: it cannot pass.")
                % {"task": dossier.task, "average": result.average, "mark": pass_mark}
            )
            continue
        decided[pk] = (passed, rating)
    passing = [results[pk].dossier for pk, (passed, _rating) in decided.items() if passed]
    tasks_seen: dict[int, CouncilDossier] = {}
    for dossier in passing:
        if dossier.task_id in tasks_seen:
            errors.append(
                _("%(task)s: only one applicant's dossier can pass for a task.") % {"task": dossier.task}
            )
        tasks_seen[dossier.task_id] = dossier
    earlier = (
        CouncilDossier.objects.filter(
            task_id__in=list(tasks_seen),
            passed=True,
            council__kind=locked.kind,
            council__concluded_on__isnull=False,
        )
        .exclude(council_id=locked.pk)
        .select_related("council", "task")
    )
    for dossier in earlier:
        errors.append(
            _("%(task)s: the council “%(council)s” already passed it (concluded on %(date)s).")
            % {
                "task": dossier.task,
                "council": dossier.council,
                "date": _date(dossier.council.concluded_on),
            }
        )
    plan.results, plan.decided, plan.problems = results, decided, errors
    return plan


def conclusion_problems(
    council: Council, concluded_on: datetime.date | None, outcomes: Mapping | None = None, *, user=None
) -> list | dict:
    """What would stop `conclude` on `council` as it stands (empty: nothing). With `user`, a user who
    does not pass the rule `councils.conclude_council` gets its reason."""
    if user is not None and not council_rules.has(council_rules.CONCLUDE_COUNCIL, user, council):
        return [str(council_rules.REFUSALS[council_rules.CONCLUDE_COUNCIL])]
    return _plan_conclusion(council, concluded_on, outcomes).problems


def conclude(
    council: Council, user, concluded_on: datetime.date, conclusion: str, outcomes: Mapping | None = None
) -> Council:
    """Record the council's conclusion: each dossier's `passed` (and `rating` for an acceptance
    council) and the council's `concluded_on` and `conclusion`, all or nothing.

    `outcomes` maps each dossier (the CouncilDossier or its pk) to:
      * True / False: passed or not (identification, selection, appraisal councils);
      * a RatingLevel or its code ("xuat-sac", "dat", "khong-dat"): an acceptance council's rating,
        passed being the rating's `is_pass`;
      * (passed, rating): both, which must agree.
    A dossier left out takes what its scores say (its average against the pass mark); an acceptance
    council rates every dossier. Refused with a ValidationError listing every problem when the
    council already concluded, a dossier has no outcome, a rating disagrees with passed or is given
    to another kind of council, a dossier below the pass mark is passed, two dossiers of one task
    pass, or a concluded council of the same kind already passed the task. With `user`, the user
    must pass the rule `council_rules.CONCLUDE_COUNCIL` (PermissionDenied with its reason otherwise).
    The council row is locked while it is checked and recorded (`stims.core.transitions`); the refusal
    is `Refused` (a ValidationError), `conclusion_problems` says it beforehand.
    """
    plan = _Conclusion()

    def problems(locked):
        nonlocal plan
        if user is not None:
            council_rules.require(council_rules.CONCLUDE_COUNCIL, user, locked)
        plan = _plan_conclusion(locked, concluded_on, outcomes)
        return plan.problems

    def record(locked):
        # The history reads in the deployment's language, whoever concludes (a command runs in English).
        with translation.override(settings.LANGUAGE_CODE):
            reason = str(_("Council concluded"))
        results, decided = plan.results, plan.decided
        for pk, (passed, rating) in decided.items():
            dossier = results[pk].dossier
            dossier.passed, dossier.rating = passed, rating
            dossier._change_reason = reason
            _stamp(dossier, user).save(update_fields=["passed", "rating", "updated_at"])
        locked.concluded_on, locked.conclusion = concluded_on, (conclusion or "").strip()
        locked._change_reason = reason
        _stamp(locked, user).save(update_fields=["concluded_on", "conclusion", "updated_at"])
        return locked

    locked = transitions.apply_locked(
        Council.objects.select_related("criteria_set"),
        council.pk,
        problems=problems,
        apply=record,
        of=("self",),
    )
    council.concluded_on, council.conclusion = locked.concluded_on, locked.conclusion
    return locked
