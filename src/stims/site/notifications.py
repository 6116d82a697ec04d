"""Who hears about what: the listeners that turn the domains' events into notifications (in the app and
by e-mail, as each user's settings say; see `stims.accounts.notify`).

They live here, above every domain, because the recipients span domains (a directive's lead unit is an
organization of the directory, its people are users of accounts). Each listener runs after the change
is committed (`stims.core.events`, or `transaction.on_commit` for the creations that have no service
and are caught by `post_save`), never tells the user who acted, and uses a dedupe key so that nobody
hears twice about one thing.

| event | who is told |
|---|---|
| sttasks.proposal_submitted | the department's staff (leaders, specialists) |
| sttasks.proposal_returned | the proposing locality's people |
| sttasks.step_taken | the task's officer in charge and the proposing locality's people |
| directive created | the lead unit's people |
| meetings.directive_moved "report" | the directive's assigner (else the department's staff) |
| meetings.directive_moved "accept", "return", "extend", "cancel" | the lead unit's people |
| council member added / dossier added | the council members (with an account) who owe a score sheet |
| handover created | the receiving locality's or organization's people |
| core.import_finished | the user who imported |

"A unit's people" are the users whose role is limited to a unit or an organization (local officers,
mostly) and whose scope reaches the record — the same rule that lets them open it.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stims.accounts.models import RoleAssignment, User, department_staff
from stims.accounts.notify import event_key, notify, register_kind
from stims.core import events, permissions

logger = logging.getLogger(__name__)

PROPOSALS = "sttasks.proposal"
STEPS = "sttasks.step_taken"
DIRECTIVE_ASSIGNED = "meetings.directive_assigned"
DIRECTIVE_REPORTED = "meetings.directive_reported"
DIRECTIVE_DECIDED = "meetings.directive_decided"
SHEETS = "councils.sheet_owed"
HANDOVERS = "results.handover_received"
IMPORTS = "core.import_finished"

register_kind(PROPOSALS, gettext_lazy("Proposals sent to the department, or returned"))
register_kind(STEPS, gettext_lazy("Steps taken on S&T tasks"))
register_kind(DIRECTIVE_ASSIGNED, gettext_lazy("Directives assigned to my unit"))
register_kind(DIRECTIVE_REPORTED, gettext_lazy("Directive reports awaiting acceptance"))
register_kind(DIRECTIVE_DECIDED, gettext_lazy("Directive reports accepted or returned, deadlines moved"))
register_kind(SHEETS, gettext_lazy("Score sheets owed to councils"))
register_kind(HANDOVERS, gettext_lazy("Results handed over to my locality"))
register_kind(IMPORTS, gettext_lazy("Imports finished"))


# --- Recipients --------------------------------------------------------------------------------------------


def scoped_users_seeing(obj) -> list:
    """Active users whose role is limited to a unit or an organization and whose scope reaches `obj`
    (a local officer of the record's locality, its organization's users)."""
    holders = (
        RoleAssignment.objects.active()
        .filter(user__is_active=True)
        .exclude(admin_unit__isnull=True, organization__isnull=True)
    )
    users = User.objects.filter(pk__in=holders.values("user")).order_by("username")
    model = type(obj)
    return [user for user in users if permissions.restrict(model.objects.filter(pk=obj.pk), user).exists()]


def _others(users, actor) -> list:
    """Each user once, without the one who acted."""
    seen, found = set(), []
    for user in users:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        found.append(user)
    return found


def _later(function, *args) -> None:
    """Run `function(*args)` once the transaction commits; its failure is logged, never undoes the save."""

    def run():
        try:
            function(*args)
        except Exception:
            logger.exception("notification %s failed", function.__name__)

    transaction.on_commit(run)


def _in_site_language():
    return translation.override(settings.LANGUAGE_CODE)


def _task_name(task) -> str:
    return f"{task.code} — {task.title}" if task.code else task.title


# --- S&T tasks ---------------------------------------------------------------------------------------------


@events.listen("sttasks.proposal_submitted")
def proposal_submitted(task, actor, **data):
    with _in_site_language():
        unit = task.ordering_unit or task.ordering_organization
        message = _("New proposal sent to the department by %(unit)s: %(title)s") % {
            "unit": unit,
            "title": task.title,
        }
    stamp = f"{task.submitted_at:%Y%m%d%H%M%S}" if task.submitted_at else ""
    notify(
        _others(department_staff(), actor),
        message,
        task.get_absolute_url(),
        dedupe_key=event_key(PROPOSALS, "submitted", task.pk, stamp),
    )


@events.listen("sttasks.proposal_returned")
def proposal_returned(task, actor, reason="", **data):
    with _in_site_language():
        message = _("The department returned the proposal “%(title)s”: %(reason)s") % {
            "title": task.title,
            "reason": reason,
        }
    notify(
        _others(scoped_users_seeing(task), actor),
        message,
        task.get_absolute_url(),
        dedupe_key=event_key(PROPOSALS, "returned", task.pk, uuid.uuid4().hex),
    )


@events.listen("sttasks.step_taken")
def step_taken(task, event, actor, **data):
    with _in_site_language():
        message = _("S&T task %(task)s: “%(step)s” (now: %(state)s)") % {
            "task": _task_name(task),
            "step": event.transition.name if event.transition_id else event.to_state.name,
            "state": event.to_state.name,
        }
    notify(
        _others([task.officer, *scoped_users_seeing(task)], actor),
        message,
        task.get_absolute_url(),
        dedupe_key=event_key(STEPS, event.pk),
    )


# --- Directives --------------------------------------------------------------------------------------------


def _directive_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    _later(directive_assigned, instance)


def directive_assigned(directive):
    with _in_site_language():
        values = {"unit": directive.lead_organization, "text": directive.text[:300]}
        if directive.deadline:
            values["date"] = f"{directive.deadline:%d/%m/%Y}"
            message = _("New directive for %(unit)s, due %(date)s: %(text)s") % values
        else:
            message = _("New directive for %(unit)s: %(text)s") % values
    notify(
        _others(scoped_users_seeing(directive), getattr(directive, "_history_user", None)),
        message,
        directive.get_absolute_url(),
        dedupe_key=event_key(DIRECTIVE_ASSIGNED, directive.pk),
    )


@events.listen("meetings.directive_moved")
def directive_moved(directive, event, action, actor, **data):
    with _in_site_language():
        if action == "report":
            message = _("%(unit)s reported on a directive, awaiting your acceptance: %(text)s") % {
                "unit": directive.lead_organization,
                "text": directive.text[:300],
            }
            recipients = [directive.assigned_by] if directive.assigned_by_id else list(department_staff())
            kind = DIRECTIVE_REPORTED
        elif action in ("accept", "return", "extend", "cancel"):
            message = _("Directive “%(text)s”: %(state)s") % {
                "state": directive.get_state_display(),
                "text": directive.text[:300],
            }
            if action == "extend" and directive.deadline:
                message += " " + _("(new deadline %(date)s)") % {"date": f"{directive.deadline:%d/%m/%Y}"}
            recipients = scoped_users_seeing(directive)
            kind = DIRECTIVE_DECIDED
        else:
            return
    notify(
        _others(recipients, actor),
        message,
        directive.get_absolute_url(),
        dedupe_key=event_key(kind, event.pk),
    )


# --- Councils ----------------------------------------------------------------------------------------------


def _member_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not instance.user_id or instance.has_conflict:
        return
    _later(sheets_owed_by_member, instance)


def sheets_owed_by_member(member):
    council = member.council
    if council.concluded_on is not None:
        return
    dossiers = council.dossiers.count()
    if not dossiers:
        return
    with _in_site_language():
        message = _("You are a member of %(council)s: %(count)s score sheet(s) to enter") % {
            "council": council.name,
            "count": dossiers,
        }
    notify(
        [member.user],
        message,
        council.get_absolute_url(),
        dedupe_key=event_key(SHEETS, "council", council.pk),
    )


def _dossier_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    _later(sheets_owed_for_dossier, instance)


def sheets_owed_for_dossier(dossier):
    council = dossier.council
    if council.concluded_on is not None:
        return
    members = council.members.filter(user__isnull=False, has_conflict=False).select_related("user")
    with _in_site_language():
        message = _("%(council)s: a score sheet to enter for %(task)s") % {
            "council": council.name,
            "task": _task_name(dossier.task),
        }
    notify(
        [member.user for member in members],
        message,
        council.get_absolute_url(),
        dedupe_key=event_key(SHEETS, "dossier", dossier.pk),
    )


# --- Results -----------------------------------------------------------------------------------------------


def _handover_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    _later(handover_received, instance)


def handover_received(handover):
    with _in_site_language():
        message = _("A result was handed over to %(unit)s: %(result)s. Report where it is applied.") % {
            "unit": handover.receiving_unit or handover.receiving_organization,
            "result": handover.result.name,
        }
    notify(
        scoped_users_seeing(handover),
        message,
        handover.result.get_absolute_url(),
        dedupe_key=event_key(HANDOVERS, handover.pk),
    )


# --- Imports -----------------------------------------------------------------------------------------------


@events.listen("core.import_finished")
def import_finished(user, summary, link="", **data):
    notify([user], str(summary), link or "", dedupe_key=event_key(IMPORTS, uuid.uuid4().hex))


def connect() -> None:
    """Hook the creations that no service announces (called once by the app's `ready`)."""
    from stims.councils.models import CouncilDossier, CouncilMember
    from stims.meetings.models import Directive
    from stims.results.models import Handover

    post_save.connect(_directive_created, sender=Directive, dispatch_uid="site.notify.directive")
    post_save.connect(_member_saved, sender=CouncilMember, dispatch_uid="site.notify.council_member")
    post_save.connect(_dossier_created, sender=CouncilDossier, dispatch_uid="site.notify.dossier")
    post_save.connect(_handover_created, sender=Handover, dispatch_uid="site.notify.handover")
