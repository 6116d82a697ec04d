"""This app's section of the task page (see `stims.sttasks.panels`): the councils the task's
dossiers went before, with their results."""

from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.sttasks.panels import MY_ACTIONS, PageSection, Panel, register, register_section

from . import services
from .models import Council, CouncilDossier


def council_context(request, task) -> dict:
    """At most three queries whatever the number of councils, dossiers and sheets: the task's
    dossiers (with their councils), the other dossiers of those councils and their sheets (ranks and
    outliers are computed within the whole council)."""
    user = request.user
    dossiers = list(
        permissions.restrict(CouncilDossier.objects.filter(task=task), user)
        .select_related("council__criteria_set", "applicant", "rating")
        .order_by("council__meeting_date", "council_id", "pk")
    )
    results = services.results_by_dossier(dossiers) if dossiers else {}
    rows = [
        {"dossier": dossier, "council": dossier.council, "result": results.get(dossier.pk)}
        for dossier in dossiers
    ]
    return {
        "rows": rows,
        # Councils reach no unit or organization: whoever may see one may see them all.
        "can_view_councils": permissions.has_perm(user, permissions.VIEW, Council),
        "can_add_dossier": permissions.has_perm(user, permissions.ADD, CouncilDossier),
    }


register(Panel("councils", _("Councils"), "councils/_task_panel.html", council_context, order=20))


def pending_sheets_context(request, tasks) -> dict:
    """ "My actions": the score sheets this user still owes to councils not yet concluded."""
    user = request.user
    return {
        "pending_sheets": list(
            CouncilDossier.objects.filter(
                council__concluded_on__isnull=True,
                council__members__user=user,
                council__members__has_conflict=False,
            )
            .exclude(sheets__member__user=user)
            .select_related("council", "task")
            .order_by("council__meeting_date", "pk")[:100]
        )
    }


register_section(
    PageSection(
        key="pending_sheets",
        page=MY_ACTIONS,
        template="councils/_my_sheets.html",
        context=pending_sheets_context,
    )
)
