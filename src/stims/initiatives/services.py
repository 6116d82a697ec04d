"""The initiative's state machine, on `stims.core.transitions`:

    submitted ──start_review──▶ under_review ──close_scoring──▶ scored ──recognise──▶ recognised
                                   (score sheets)                      └──reject─────▶ not_recognised

Each move has `problems(initiative, user, …)`, every reason it cannot be made now (the rule's refusal
among them), and a function making it with the row locked (`transitions.apply_locked`), which raises
`Refused` (nothing changed) or saves the move, stamped with the user in the history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from stims.core import transitions
from stims.core.transitions import Refused
from stims.geo.models import AdminUnit
from stims.geo.services import covered_units_q

from . import rules as initiative_rules
from .models import CRITERIA, EffectScope, Initiative, InitiativeState, RoundMember, ScoreSheet

S = InitiativeState
START_REVIEW, CLOSE_SCORING, RECOGNISE, REJECT = "start_review", "close_scoring", "recognise", "reject"
MOVES = {
    START_REVIEW: (S.SUBMITTED, S.UNDER_REVIEW, initiative_rules.REVIEW),
    CLOSE_SCORING: (S.UNDER_REVIEW, S.SCORED, initiative_rules.REVIEW),
    RECOGNISE: (S.SCORED, S.RECOGNISED, initiative_rules.DECIDE),
    REJECT: (S.SCORED, S.NOT_RECOGNISED, initiative_rules.DECIDE),
}


def average_score(initiative) -> float | None:
    value = initiative.sheets.aggregate(avg=Avg(F("novelty") + F("applicability") + F("benefit")))["avg"]
    return round(value, 1) if value is not None else None


def _state_problem(initiative, move) -> list[str]:
    source = MOVES[move][0]
    if initiative.state != source:
        return [
            _("This initiative is “%(state)s”; that move is made from “%(source)s”.")
            % {"state": initiative.get_state_display(), "source": S(source).label}
        ]
    return []


def problems(initiative, move: str, user, **values) -> list[str] | dict[str, list[str]]:
    """Every reason the move cannot be made now on `initiative` by `user` with `values`."""
    rule = MOVES[move][2]
    if not initiative_rules.has(rule, user, initiative):
        return [initiative_rules.refusal(rule)]
    reasons = _state_problem(initiative, move)
    if reasons:
        return reasons
    if move == START_REVIEW:
        council_round = values.get("round")
        if council_round is None:
            reasons.append(_("Choose the council round that reviews it."))
        else:
            if not council_round.members.exists():
                reasons.append(_("The council round has no members yet."))
            if not AdminUnit.objects.filter(
                covered_units_q(council_round.admin_unit), pk=initiative.agency.admin_unit_id
            ).exists():
                reasons.append(
                    _("The council of %(unit)s does not review initiatives of %(agency)s.")
                    % {"unit": council_round.admin_unit.name, "agency": initiative.agency}
                )
        shares = initiative.authors.aggregate(n=Count("pk"), total=Sum("contribution"))
        if not shares["n"]:
            reasons.append(_("Name the initiative's authors first."))
        elif shares["total"] != 100:
            reasons.append(
                _("The authors' shares of contribution add up to %(total)s %%, not 100 %%.")
                % {"total": shares["total"]}
            )
    elif move == CLOSE_SCORING:
        missing = initiative.round.members.exclude(sheets__initiative=initiative).order_by("pk")
        names = ", ".join(m.name for m in missing)
        if names:
            reasons.append(_("Score sheets still missing from: %(names)s.") % {"names": names})
    else:
        errors: dict[str, list[str]] = {}
        if not (values.get("decision_number") or "").strip():
            errors["decision_number"] = [_("Give the decision's number.")]
        day = values.get("decision_date")
        if day is None:
            errors["decision_date"] = [_("Give the decision's date.")]
        elif day < initiative.submitted_on:
            errors["decision_date"] = [_("The decision cannot be dated before the application.")]
        elif day > timezone.localdate():
            errors["decision_date"] = [_("The decision cannot be dated in the future.")]
        if move == RECOGNISE:
            if values.get("effect_scope") not in EffectScope.values:
                errors["effect_scope"] = [_("Choose the scope of effect.")]
            if values.get("reward") is not None and values["reward"] < 0:
                errors["reward"] = [_("The reward cannot be negative.")]
            average = average_score(initiative)
            if average is None or average < initiative.round.pass_mark:
                errors.setdefault("__all__", []).append(
                    _("Its average score %(average)s is below the council's pass mark %(mark)s.")
                    % {"average": average, "mark": initiative.round.pass_mark}
                )
        elif not (values.get("note") or "").strip():
            errors["note"] = [_("Give the reason it is not recognised.")]
        return errors
    return reasons


def available_moves(initiative, user) -> list[str]:
    """The moves this user could take from the initiative's state (the form says what else is needed)."""
    return [
        move
        for move, (source, _target, rule) in MOVES.items()
        if initiative.state == source and initiative_rules.has(rule, user, initiative)
    ]


def move(initiative: Initiative, name: str, user, **values) -> Initiative:
    """Makes the move `name` with the row locked; `Refused` with every reason, nothing changed."""

    def apply(row: Initiative) -> Initiative:
        row.state = MOVES[name][1]
        if name == START_REVIEW:
            row.round = values["round"]
        elif name == RECOGNISE:
            row.decision_number = values["decision_number"].strip()
            row.decision_date = values["decision_date"]
            row.effect_scope = values["effect_scope"]
            row.reward = values.get("reward")
            row.decision_note = (values.get("note") or "").strip()
        elif name == REJECT:
            row.decision_number = values["decision_number"].strip()
            row.decision_date = values["decision_date"]
            row.decision_note = values["note"].strip()
        row._history_user = user
        row._change_reason = str(S(row.state).label)
        row.save()
        return row

    if name not in MOVES:
        raise Refused([_("There is no such move.")])
    done = transitions.apply_locked(
        Initiative.objects.all(),
        initiative.pk,
        problems=lambda row: problems(row, name, user, **values),
        apply=apply,
    )
    initiative.refresh_from_db()
    return done


def sheet_problems(initiative, member: RoundMember, user, scores: dict) -> list | dict:
    if not initiative_rules.has(initiative_rules.SCORE, user, member):
        return [initiative_rules.refusal(initiative_rules.SCORE)]
    if initiative.state != S.UNDER_REVIEW:
        return [_("Score sheets are entered while the council reviews the initiative.")]
    if initiative.round_id != member.round_id:
        return {"member": [_("This member does not sit on the council reviewing the initiative.")]}
    errors = {}
    for criterion, maximum in CRITERIA:
        value = scores.get(criterion)
        if value is None or not 0 <= value <= maximum:
            errors[criterion] = [_("Give a score from 0 to %(max)s.") % {"max": maximum}]
    return errors


def record_sheet(initiative: Initiative, member: RoundMember, user, **scores) -> ScoreSheet:
    """Enters (or corrects) the member's score sheet while the council reviews the initiative."""

    def apply(row: Initiative) -> ScoreSheet:
        sheet = ScoreSheet.objects.filter(initiative=row, member=member).first() or ScoreSheet(
            initiative=row, member=member
        )
        for criterion, _maximum in CRITERIA:
            setattr(sheet, criterion, scores[criterion])
        sheet.comment = (scores.get("comment") or "").strip()
        sheet._history_user = user
        sheet.save()
        return sheet

    return transitions.apply_locked(
        Initiative.objects.all(),
        initiative.pk,
        problems=lambda row: sheet_problems(row, member, user, scores),
        apply=apply,
    )


# --- The report ---------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    agency_id: int
    agency: str
    year: int
    submitted: int
    recognised: int
    not_recognised: int
    reward: int


def recognised_by_agency(initiatives, year: int | None = None) -> list[ReportRow]:
    """Per agency and year of submission: initiatives submitted, recognised, not recognised, rewards."""
    rows = initiatives.order_by()
    if year:
        rows = rows.filter(submitted_on__year=year)
    counted = (
        rows.values("agency_id", "agency__name", "submitted_on__year")
        .annotate(
            submitted=Count("pk"),
            recognised=Count("pk", filter=Q(state=S.RECOGNISED)),
            not_recognised=Count("pk", filter=Q(state=S.NOT_RECOGNISED)),
            reward=Sum("reward", filter=Q(state=S.RECOGNISED)),
        )
        .order_by("-submitted_on__year", "agency__name")
    )
    return [
        ReportRow(
            r["agency_id"],
            r["agency__name"],
            r["submitted_on__year"],
            r["submitted"],
            r["recognised"],
            r["not_recognised"],
            r["reward"] or 0,
        )
        for r in counted
    ]
