"""The result rules beyond the role matrix: named predicates (django-rules), one rule per action, that
every path asks (the result pages, the panel on the task page, the application report form and its
choices, the API and its browsable form, bulk create).

    rules.has_perm(VIEW_RESULT, user, result)          # see a result
    rules.has_perm(REPORT_APPLICATION, user, result)   # report where a result is applied

The same rules as querysets, for lists and choices: `visible_results(user)` and
`reportable_results(user)`. A result is visible to whoever may see it by the role matrix (its task's
scope), or may see one of its handovers (the receiving unit) or one of its application reports (where
applied): a commune's officer sees the results handed over to their commune though the province
ordered the task. A result gets an application report from whoever may change it, or from the unit it
was handed over to, and from no other. Each rule's refusal (`REFUSALS`) is the reason every path gives;
`docs/roles.md` ("Council and result rules") lists who passes each rule.
"""

from __future__ import annotations

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.core import rules as core_rules
from stims.core.db import whole_table

VIEW_RESULT = "results.view_result"
REPORT_APPLICATION = "results.report_application"


def visible_results(user, queryset=None):
    """The results `user` passes `VIEW_RESULT` on: in their scope, or handed over to / applied in a unit
    they cover."""
    from .models import ApplicationReport, Handover, TaskResult

    base = TaskResult.objects.all() if queryset is None else queryset
    direct = permissions.restrict(TaskResult.objects.all(), user, permissions.VIEW)
    if whole_table(direct):  # a department-wide role: no condition (`pk IN (every result)` cost 90 ms)
        return base
    direct = direct.values("pk")
    handed = permissions.restrict(Handover.objects.all(), user, permissions.VIEW).values("result_id")
    applied = permissions.restrict(ApplicationReport.objects.all(), user, permissions.VIEW).values(
        "result_id"
    )
    return base.filter(Q(pk__in=direct) | Q(pk__in=handed) | Q(pk__in=applied))


def reportable_results(user, queryset=None):
    """The results `user` passes `REPORT_APPLICATION` on."""
    from .models import ApplicationReport, Handover, TaskResult

    base = TaskResult.objects.all() if queryset is None else queryset
    if not permissions.has_perm(user, permissions.ADD, ApplicationReport):
        return base.none()
    changeable = permissions.restrict(TaskResult.objects.all(), user, permissions.CHANGE)
    if whole_table(changeable):
        return base
    changeable = changeable.values("pk")
    received = permissions.restrict(Handover.objects.all(), user, permissions.VIEW).values("result_id")
    return base.filter(Q(pk__in=changeable) | Q(pk__in=received))


def _one(queryset_of, user, result) -> bool:
    from .models import TaskResult

    return result is not None and queryset_of(user, TaskResult.objects.filter(pk=result.pk)).exists()


@rules.predicate
def sees_the_result_its_handover_or_application(user, result) -> bool:
    return _one(visible_results, user, result)


@rules.predicate
def changes_or_received_the_result(user, result) -> bool:
    return _one(reportable_results, user, result)


RULES = {
    VIEW_RESULT: sees_the_result_its_handover_or_application,
    REPORT_APPLICATION: changes_or_received_the_result,
}

REFUSALS = {
    VIEW_RESULT: _("You may see only the results of your scope, or handed over to or applied in your unit."),
    REPORT_APPLICATION: _("You may report the application only of results handed over to your unit."),
}

core_rules.register(RULES, REFUSALS)
has = core_rules.has
