"""The home page's questions, per role, each answered by one aggregate query over what the user may
see (`permissions.restrict`), each figure with the (filtered) list behind it.

    blocks = home_blocks(user)      # [Block(title, figures, rows, ...)], in the order shown

A block is a card of figures (`Figure`: label, number, link) and, where the day's work is a short list
(handovers to report on, score sheets owed), rows to open. The number of queries does not grow with
the data: one per block, whatever the number of tasks, directives or products.

The year block ("Năm 2026: số liệu đến nay") and the budget's "disbursed" are not computed here: they
are the reports layer's `reports.figures.compute(unit, year to date, user, only=YEAR_SECTIONS)`, the
same call as the report files, the leaders' dashboard and /api/reports/figures/, so a number can never
differ between them (docs/home.md). Like the other blocks that count what the user may see, it is kept in
the cache (`home_blocks`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stims.accounts.models import Role
from stims.accounts.rules import is_department_staff
from stims.core import aggregates, permissions

DUE_SOON_DAYS = 14  # directives due within this many days
ENDING_SOON_DAYS = 30  # running tasks ending within this many days


@dataclass
class Figure:
    label: object
    value: object
    url: str = ""
    tone: str = ""  # "danger" / "warning" when the figure asks for action and is not zero
    testid: str = ""
    money: bool = False

    @property
    def display(self) -> str:
        """Vietnamese form: dots group thousands, amounts in đồng."""
        grouped = f"{int(self.value):,}".replace(",", ".")
        return f"{grouped} ₫" if self.money else grouped


@dataclass
class Row:
    text: str
    url: str
    note: str = ""


@dataclass
class Block:
    key: str
    title: object
    figures: list[Figure] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    empty: object = ""  # what the rows say when there are none
    more_url: str = ""


def _url(name: str, **query) -> str:
    base = reverse(name)
    return f"{base}?{urlencode(query)}" if query else base


def _may_view(user, model) -> bool:
    return permissions.has_perm(user, permissions.VIEW, model)


def _tone(value, tone="danger") -> str:
    return tone if value else ""


def _suffixed(mine: bool, block: Block) -> Block:
    """The "mine" variant of a block: its figures' test ids end in "-mine" (a page may show both)."""
    if mine:
        for figure in block.figures:
            figure.testid += "-mine"
    return block


# --- Blocks ------------------------------------------------------------------------------------------------


def directives_block(user, today, *, mine: bool = False) -> Block | None:
    from stims.meetings.models import Directive, DirectiveState
    from stims.meetings.services import OPEN_STATES

    if not _may_view(user, Directive):
        return None
    directives = permissions.restrict(Directive.objects.all(), user)
    if mine:
        directives = directives.filter(assigned_by=user)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_q = Q(state__in=OPEN_STATES)
    counts = directives.aggregate(
        overdue=Count("pk", filter=open_q & Q(deadline__lt=today)),
        due_soon=Count("pk", filter=open_q & Q(deadline__gte=today, deadline__lte=soon)),
        reported=Count("pk", filter=Q(state=DirectiveState.REPORTED)),
    )
    extra = {"mine": "true"} if mine else {}
    return _suffixed(
        mine,
        Block(
            key="directives-mine" if mine else "directives",
            title=_("Directives I assigned") if mine else _("Directives"),
            figures=[
                Figure(
                    _("overdue"),
                    counts["overdue"],
                    _url("meetings:directive_list", overdue="true", **extra),
                    _tone(counts["overdue"]),
                    "home-directives-overdue",
                ),
                Figure(
                    _("due within %(days)s days") % {"days": DUE_SOON_DAYS},
                    counts["due_soon"],
                    _url("meetings:directive_list", due_within=DUE_SOON_DAYS, **extra),
                    _tone(counts["due_soon"], "warning"),
                    "home-directives-soon",
                ),
                Figure(
                    _("reports awaiting acceptance"),
                    counts["reported"],
                    _url("meetings:directive_list", state=DirectiveState.REPORTED, **extra),
                    _tone(counts["reported"], "warning"),
                    "home-directives-reported",
                ),
            ],
            more_url=reverse("meetings:dashboard"),
        ),
    )


def tasks_block(user, today, *, mine: bool = False, department: bool = False) -> Block | None:
    from stims.sttasks import deadlines
    from stims.sttasks.models import Task

    if not _may_view(user, Task):
        return None
    tasks = permissions.restrict(Task.objects.all(), user)
    if mine:
        tasks = tasks.filter(officer=user)
    ending = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    counts = tasks.aggregate(
        overdue=Count("pk", filter=deadlines.overdue_q(today)),
        ending=Count("pk", filter=Q(state__is_running=True, end_date__gte=today, end_date__lte=ending)),
        waiting=Count("pk", filter=Q(state__is_initial=True, submitted_at__isnull=False)),
        drafts=Count("pk", filter=Q(state__is_initial=True, submitted_at__isnull=True)),
        running=Count("pk", filter=Q(state__is_running=True)),
    )
    extra = {"mine": "true"} if mine else {}
    figures = [
        Figure(
            _("overdue"),
            counts["overdue"],
            _url("sttasks:task_list", overdue="true", **extra),
            _tone(counts["overdue"]),
            "home-tasks-overdue",
        ),
        Figure(
            _("ending within %(days)s days") % {"days": ENDING_SOON_DAYS},
            counts["ending"],
            _url("sttasks:task_list", ends_within=ENDING_SOON_DAYS, **extra),
            _tone(counts["ending"], "warning"),
            "home-tasks-ending",
        ),
    ]
    if department:
        figures.append(
            Figure(
                _("proposals sent, awaiting a decision"),
                counts["waiting"],
                _url("sttasks:task_list", submitted="true"),
                _tone(counts["waiting"], "warning"),
                "home-proposals-waiting",
            )
        )
    elif not mine:
        figures += [
            Figure(
                _("proposals not sent yet"),
                counts["drafts"],
                _url("sttasks:task_list", submitted="false", phase="preparation"),
                _tone(counts["drafts"], "warning"),
                "home-proposals-drafts",
            ),
            Figure(
                _("proposals with the department"),
                counts["waiting"],
                _url("sttasks:task_list", submitted="true"),
                "",
                "home-proposals-sent",
            ),
        ]
    figures.append(
        Figure(
            _("running"),
            counts["running"],
            _url("sttasks:task_list", phase="execution", **extra),
            "",
            "home-tasks-running",
        )
    )
    return _suffixed(
        mine,
        Block(
            key="tasks-mine" if mine else "tasks",
            title=_("S&T tasks I follow") if mine else _("S&T tasks"),
            figures=figures,
        ),
    )


def tasks_by_phase_block(user) -> Block | None:
    from stims.sttasks.models import Phase, Task

    if not _may_view(user, Task):
        return None
    rows = dict(
        permissions.restrict(Task.objects.all(), user)
        .values_list("state__phase")
        .annotate(n=Count("pk"))
        .values_list("state__phase", "n")
    )
    return Block(
        key="tasks-by-phase",
        title=_("S&T tasks by phase"),
        figures=[
            Figure(label, rows.get(code, 0), _url("sttasks:task_list", phase=code), "", f"home-phase-{code}")
            for code, label in Phase.choices
        ],
        more_url=reverse("sttasks:summary"),
    )


# The figures of the year block, in the order shown: (reports figure key, label, test id). The same
# keys as the leaders' dashboard (reports.dashboard.KEY_FIGURES) and the report's sections.
YEAR_FIGURES = [
    ("tasks.active", _("tasks under way"), "home-year-tasks-active"),
    ("tasks.ordered", _("tasks ordered for the year"), "home-year-tasks-ordered"),
    ("results.handed_over", _("results handed over"), "home-year-handed-over"),
    ("registries.ocop", _("OCOP products"), "home-year-ocop"),
    ("registries.ip_filed", _("IP applications filed"), "home-year-ip-filed"),
    ("registries.st_enterprises", _("S&T enterprises"), "home-year-enterprises"),
    ("funding.disbursed", _("paid to tasks"), "home-year-paid"),
]
YEAR_SECTIONS = {key.split(".")[0] for key, _label, _testid in YEAR_FIGURES}


def year_unit(user):
    """The unit of the user's year block: the reports API's default (the home province, or a local
    officer's own unit); for a reader of reports with no unit of their own (a viewer), the home
    province; None when the user may not read reports."""
    from stims.geo.services import home_province
    from stims.reports.models import Report
    from stims.reports.services import default_unit

    if not _may_view(user, Report):
        return None
    unit = default_unit(user)
    if unit is None and not any(a.admin_unit_id for a in permissions.active_assignments(user)):
        unit = home_province()
    return unit


def year_figures(user, today):
    """The reports layer's figures (`reports.figures.compute`) of this year to date for the user's unit,
    restricted to the sections the home page shows; None when the user has no unit to report on."""
    from stims.reports import periods
    from stims.reports.figures import compute

    unit = year_unit(user)
    if unit is None:
        return None
    return compute(unit, periods.year_to_date(today), user, only=YEAR_SECTIONS)


def year_block(data) -> Block | None:
    """ "Năm <year>: số liệu đến nay": the same numbers as the report and the leaders' dashboard, each a
    link to that dashboard for the unit and year."""
    if data is None:
        return None
    found = data.figures()
    url = _url("reports:dashboard", unit=data.unit.pk, year=data.period.year)
    title = _("Year %(year)s to date") % {"year": data.period.year}
    if data.unit.level != "province":
        title = f"{title} — {data.unit.name}"
    return Block(
        key="year",
        title=title,
        figures=[
            Figure(label, found[key], url, "", testid, money=key == "funding.disbursed")
            for key, label, testid in YEAR_FIGURES
            if key in found
        ],
        more_url=url,
    )


def budget_block(user, year, data=None) -> Block | None:
    """The year's planned budget (budget lines: the reports have no such figure) and what was paid to
    tasks, the latter the reports layer's `funding.disbursed` of the year to date (`data`)."""
    from stims.funding.models import BudgetLine, Disbursement

    if not (_may_view(user, BudgetLine) and _may_view(user, Disbursement)):
        return None
    planned = permissions.restrict(BudgetLine.objects.filter(year=year), user).aggregate(s=Sum("amount"))["s"]
    summary = _url("sttasks:summary")
    figures = [Figure(_("planned"), planned or 0, summary, "", "home-budget-planned", money=True)]
    if data is not None and "funding.disbursed" in data.figures():
        figures.append(
            Figure(
                _("disbursed"),
                data.figure("funding.disbursed"),
                _url("reports:dashboard", unit=data.unit.pk, year=data.period.year),
                "",
                "home-budget-paid",
                money=True,
            )
        )
    return Block(key="budget", title=_("S&T budget %(year)s") % {"year": year}, figures=figures)


def registries_block(user) -> Block | None:
    from stims.enterprises.models import StEnterprise
    from stims.ip.models import IpAsset
    from stims.products.models import Product
    from stims.products.services import with_latest_stars

    figures = []
    if _may_view(user, Product):
        stars = dict(
            with_latest_stars(permissions.restrict(Product.objects.filter(is_ocop=True), user))
            .filter(latest_stars__isnull=False)
            .values_list("latest_stars")
            .annotate(n=Count("pk"))
            .values_list("latest_stars", "n")
        )
        figures += [
            Figure(
                _("OCOP products, %(stars)s stars") % {"stars": number},
                stars.get(number, 0),
                _url("products:product_list", stars=number),
                "",
                f"home-ocop-{number}",
            )
            for number in (3, 4, 5)
        ]
    if _may_view(user, IpAsset):
        titles = permissions.restrict(IpAsset.objects.filter(status__is_protected=True), user).count()
        figures.append(Figure(_("IP assets protected"), titles, _url("ip:ipasset_list"), "", "home-ip"))
    if _may_view(user, StEnterprise):
        enterprises = permissions.restrict(StEnterprise.objects.filter(revoked_on__isnull=True), user).count()
        figures.append(
            Figure(
                _("S&T enterprises"),
                enterprises,
                _url("enterprises:stenterprise_list", status="active"),
                "",
                "home-enterprises",
            )
        )
    if not figures:
        return None
    return Block(
        key="registries", title=_("Registries"), figures=figures, more_url=reverse("registries:dashboard")
    )


def requests_block(user) -> Block | None:
    from stims.meetings.models import LocalityRequest, RequestStatus

    if not _may_view(user, LocalityRequest):
        return None
    counts = permissions.restrict(LocalityRequest.objects.all(), user).aggregate(
        open=Count("pk", filter=Q(status=RequestStatus.OPEN)),
        accepted=Count("pk", filter=Q(status=RequestStatus.ACCEPTED)),
    )
    return Block(
        key="requests",
        title=_("Our requests to the department"),
        figures=[
            Figure(
                _("awaiting an answer"),
                counts["open"],
                _url("meetings:localityrequest_list", status=RequestStatus.OPEN),
                "",
                "home-requests-open",
            ),
            Figure(
                _("accepted, being acted on"),
                counts["accepted"],
                _url("meetings:localityrequest_list", status=RequestStatus.ACCEPTED),
                "",
                "home-requests-accepted",
            ),
        ],
    )


def handovers_block(user) -> Block | None:
    """Results handed over to the user's locality whose application it has not reported yet."""
    from stims.results.models import ApplicationReport, Handover

    if not _may_view(user, Handover):
        return None
    reported = ApplicationReport.objects.filter(
        result=OuterRef("result"), admin_unit=OuterRef("receiving_unit")
    )
    handovers = list(
        permissions.restrict(Handover.objects.filter(receiving_unit__isnull=False), user)
        .annotate(reported=Exists(reported))
        .filter(reported=False)
        .select_related("result", "receiving_unit")
        .order_by("-handed_over_on", "-pk")[:10]
    )
    return Block(
        key="handovers",
        title=_("Results handed over to us: report their application"),
        rows=[
            Row(
                handover.result.name,
                handover.result.get_absolute_url(),
                _("handed over to %(unit)s on %(date)s")
                % {"unit": handover.receiving_unit.name, "date": f"{handover.handed_over_on:%d/%m/%Y}"},
            )
            for handover in handovers
        ],
        empty=_("No result waits for a report of its application."),
    )


def sheets_block(user) -> Block | None:
    """Score sheets the user owes, as a member of councils not yet concluded."""
    from stims.councils.models import CouncilDossier

    dossiers = list(
        CouncilDossier.objects.filter(
            council__concluded_on__isnull=True,
            council__members__user=user,
            council__members__has_conflict=False,
        )
        .exclude(sheets__member__user=user)
        .select_related("council", "task")
        .order_by("council__meeting_date", "pk")[:20]
    )
    return Block(
        key="sheets",
        title=_("Score sheets I owe"),
        figures=[
            Figure(
                _("score sheets owed"),
                len(dossiers),
                reverse("sttasks:my_actions"),
                _tone(len(dossiers), "warning"),
                "home-sheets",
            )
        ],
        rows=[
            Row(
                f"{dossier.council.name} — {dossier.task.code or dossier.task.title}",
                dossier.council.get_absolute_url(),
                f"{dossier.council.meeting_date:%d/%m/%Y}" if dossier.council.meeting_date else "",
            )
            for dossier in dossiers
        ],
        empty=_("No score sheet is owed."),
    )


def programmes_block(user, today) -> Block | None:
    """Plans and programmes with targets behind schedule (`programmes.services.behind_plans`): one query
    for the rows, one for the count."""
    from stims.programmes.models import Plan
    from stims.programmes.services import behind_plans

    if not _may_view(user, Plan):
        return None
    plans = behind_plans(permissions.restrict(Plan.objects.all(), user), today)
    count = len(plans)
    return Block(
        key="programmes-behind",
        title=_("Programmes behind target"),
        figures=[
            Figure(
                _("programmes behind"),
                count,
                reverse("programmes:behind"),
                _tone(count),
                "home-programmes-behind",
            )
        ],
        rows=[Row(str(plan), plan.get_absolute_url(), str(plan.behind_count)) for plan in plans[:5]],
        empty=_("No programme is behind target."),
        more_url=reverse("programmes:behind"),
    )


# --- Per role ----------------------------------------------------------------------------------------------


def roles(user) -> set[str]:
    found = set(permissions.roles_of(user))
    if user.is_superuser:
        found.add(Role.LEADER)
    return found


def home_blocks(user) -> list[Block]:
    """The blocks of the user's home page, by the roles they hold today (a user with several roles sees
    each role's blocks once).

    The blocks that count what the user may see — all but what is theirs: the tasks they follow, the
    directives they assigned, the score sheets they owe — are computed together and kept like the
    dashboards' figures (`core.aggregates`, per scope of visibility, one version query for them all):
    computed again once any table has changed, at most 30 s behind other people's writes, never behind
    the user's own."""
    today = timezone.localdate()
    year = today.year
    held = roles(user)
    department = bool(is_department_staff(user))
    plan: list[tuple[str | None, Callable[[], Block | None]]] = []  # (name of a shared block, compute)

    def shared(name: str, compute: Callable[[], Block | None]) -> None:
        plan.append((name, compute))

    def own(compute: Callable[[], Block | None]) -> None:
        plan.append((None, compute))

    year_data = functools.cache(lambda: year_figures(user, today))
    if Role.LEADER in held:
        shared("directives", lambda: directives_block(user, today))
        shared(f"tasks-{department}", lambda: tasks_block(user, today, department=department))
        shared("programmes", lambda: programmes_block(user, today))
    if Role.SPECIALIST in held:
        own(lambda: tasks_block(user, today, mine=True))
        own(lambda: directives_block(user, today, mine=True))
        if department:
            shared("tasks-True", lambda: tasks_block(user, today, department=True))
    if Role.LOCAL_OFFICER in held:
        shared("requests", lambda: requests_block(user))
        shared("directives", lambda: directives_block(user, today))
        shared("tasks-False", lambda: tasks_block(user, today))
        shared("handovers", lambda: handovers_block(user))
    if Role.COUNCIL_MEMBER in held:
        own(lambda: sheets_block(user))
    leading = bool(held & {Role.LEADER, Role.INSPECTOR, Role.VIEWER})
    if leading or Role.LOCAL_OFFICER in held:
        shared("year", lambda: year_block(year_data()))
    if leading:
        shared("phases", lambda: tasks_by_phase_block(user))
        shared("budget", lambda: budget_block(user, year, year_data()))
        shared("registries", lambda: registries_block(user))

    computes = dict(item for item in plan if item[0] is not None)
    kept = {}
    if computes:
        kept = aggregates.cached(
            "site.home",
            lambda: {name: compute() for name, compute in computes.items()},
            depends_on=["*"],  # a plan's measures and the year's figures read nearly every app
            scope=aggregates.scope_of(user),
            parts=[today, *computes],
            stale_for=user,
        )
    blocks: list[Block] = []
    keys: set[str] = set()
    for name, compute in plan:
        block = kept[name] if name is not None else compute()
        if block is not None and block.key not in keys:
            keys.add(block.key)
            blocks.append(block)
    return blocks
