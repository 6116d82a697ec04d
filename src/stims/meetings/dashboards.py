"""The leaders' pages over directives and working sessions: the directives dashboard, the calendar of
deadlines and the leaders' work calendar (lịch công tác), with the figures behind them.

Everything is limited to what the user may see (`permissions.restrict`), and every figure is a fixed
number of aggregate queries, however many directives there are.

On-time rate of a lead unit over a period
-----------------------------------------
The period is a quarter, a year or a date range, both ends included.

Each deadline a directive had to meet is one *cycle*: a directive "by a date" has one; an annual
directive has one per year (accepting its report starts next year's cycle, see `services.move`);
a directive carried out "regularly" has no deadline and is never counted.

A cycle's *deadline in force* is
  * for a cycle that is done (its report accepted): the deadline the directive had when the report was
    accepted, i.e. `DirectiveEvent(action="accept").previous_deadline`. An extension granted before
    the acceptance therefore counts, and the original deadline does not;
  * for a cycle not done (assigned, in progress, returned, or reported and awaiting acceptance): the
    directive's current deadline.

A cycle belongs to the period when its deadline in force falls in it. It is then
  * done on time — the accepted report is dated (`DirectiveReport.reported_on`) on or before the
    deadline in force;
  * done late — the accepted report is dated after it;
  * not done — not accepted and the deadline has passed (deadline before today). A report awaiting
    acceptance counts here: a directive is done only when its report is accepted (once accepted, a
    report dated in time turns the cycle into "done on time");
  * left out, not yet due — not done and the deadline is today or later: nothing is decided yet, so
    the current quarter is not dragged down by directives due next month;
  * left out, cancelled — the directive was cancelled while active. (A cycle accepted before an annual
    directive was cancelled stays counted: it was done.)

    on-time rate = done on time / (done on time + done late + not done)

and no rate at all when nothing counts. Computed in two GROUP BY queries: one over the directives
(current state and deadline), one over their acceptance events.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

import django_tables2 as tables
from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from icalendar import Calendar, Event

from stims.core import aggregates, permissions
from stims.core.db import within
from stims.core.db_routing import ReadsFromReplica
from stims.core.exports import SafeTableExport
from stims.core.forms import DateInput

from .models import (
    Directive,
    DirectiveEvent,
    DirectiveState,
    LocalityRequest,
    RequestStatus,
    SessionStatus,
    WorkingSession,
)
from .services import ACTIVE_STATES, OPEN_STATES

LIST_LIMIT = 500  # rows a list shows; the counts above it are exact
CALENDAR_LIMIT = 2000  # directives one month's grid shows


def current_date() -> datetime.date:
    """Today in the deployment's time zone (one place, so tests can fix the date)."""
    return timezone.localdate()


def detail_url(name: str, pk) -> str | None:
    """The page of a record, or None while that page is not installed (shown as plain text then)."""
    try:
        return reverse(f"meetings:{name}", args=[pk])
    except NoReverseMatch:
        return None


def _int_param(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


# --- Periods -------------------------------------------------------------------------------------

QUARTER, YEAR, CUSTOM = "quarter", "year", "custom"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str


def quarter_of(day: datetime.date) -> Period:
    quarter = (day.month - 1) // 3 + 1
    return quarter_period(day.year, quarter)


def quarter_period(year: int, quarter: int) -> Period:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = start + relativedelta(months=3, days=-1)
    return Period(start, end, _("Quarter %(quarter)s/%(year)s") % {"quarter": quarter, "year": year})


def year_period(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), _("Year %(year)s") % {"year": year})


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        choices=[
            (QUARTER, gettext_lazy("Quarter")),
            (YEAR, gettext_lazy("Year")),
            (CUSTOM, gettext_lazy("From … to …")),
        ],
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput())

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if data.get("period") == CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both dates of the period."))
            if end < start:
                raise forms.ValidationError(_("The period cannot end before it starts."))
        return data

    def period_or_default(self) -> Period:
        """The chosen period; the current quarter when nothing (valid) is chosen."""
        if not self.is_valid():
            return quarter_of(self.today)
        data = self.cleaned_data
        year = data.get("year") or self.today.year
        if data.get("period") == YEAR:
            return year_period(year)
        if data.get("period") == CUSTOM:
            return Period(data["start"], data["end"], f"{data['start']:%d/%m/%Y} – {data['end']:%d/%m/%Y}")
        quarter = data.get("quarter") or (self.today.month - 1) // 3 + 1
        return quarter_period(year, quarter)


# --- Figures -------------------------------------------------------------------------------------


@dataclass
class UnitRow:
    organization_id: int
    name: str
    total: int = 0
    open: int = 0
    overdue: int = 0
    reported: int = 0
    on_time: int = 0
    late: int = 0
    not_done: int = 0
    not_yet_due: int = 0

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.not_done

    @property
    def on_time_rate(self) -> float | None:
        """Share done on time (0–1) of the cycles due in the period; None when none counts."""
        return self.on_time / self.counted if self.counted else None

    @property
    def on_time_percent(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.0f}%"


def unit_rows(directives, period: Period, today: datetime.date) -> list[UnitRow]:
    """Per lead unit: what is open now, and how the cycles due in `period` went (module docstring).

    Two queries whatever the number of directives; the worst units (most overdue) first.
    """
    in_period = Q(deadline__gte=period.start, deadline__lte=period.end)
    open_q = Q(state__in=OPEN_STATES)
    rows = (
        directives.order_by()
        .values("lead_organization", "lead_organization__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=open_q & Q(deadline__lt=today)),
            reported=Count("pk", filter=Q(state=DirectiveState.REPORTED)),
            not_done=Count("pk", filter=Q(state__in=ACTIVE_STATES, deadline__lt=today) & in_period),
            not_yet_due=Count("pk", filter=Q(state__in=ACTIVE_STATES, deadline__gte=today) & in_period),
        )
    )
    by_unit = {
        row["lead_organization"]: UnitRow(
            row["lead_organization"],
            row["lead_organization__name"],
            row["total"],
            row["open"],
            row["overdue"],
            row["reported"],
            not_done=row["not_done"],
            not_yet_due=row["not_yet_due"],
        )
        for row in rows
    }
    # The report accepted: its date, or (a report since deleted) the day of the acceptance.
    reported_on = Coalesce("report__reported_on", "happened_on")
    acceptances = (
        within(DirectiveEvent.objects.filter(action="accept"), "directive", directives)
        .filter(previous_deadline__gte=period.start, previous_deadline__lte=period.end)
        .annotate(reported=reported_on)
        .order_by()
        .values("directive__lead_organization")
        .annotate(
            on_time=Count("pk", filter=Q(reported__lte=F("previous_deadline"))),
            late=Count("pk", filter=Q(reported__gt=F("previous_deadline"))),
        )
    )
    for row in acceptances:
        unit = by_unit.get(row["directive__lead_organization"])
        if unit is not None:
            unit.on_time, unit.late = row["on_time"], row["late"]
    return sorted(by_unit.values(), key=lambda r: (-r.overdue, -r.open, r.name, r.organization_id))


def totals(rows: list[UnitRow]) -> UnitRow:
    total = UnitRow(0, _("All units"))
    for row in rows:
        for name in ("total", "open", "overdue", "reported", "on_time", "late", "not_done", "not_yet_due"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def open_directives(directives, today: datetime.date):
    """Directives still to be done or accepted: overdue first, then by deadline and lead unit."""
    return (
        directives.filter(state__in=ACTIVE_STATES)
        .annotate(
            is_overdue=Case(
                When(open_overdue_q(today), then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .select_related("lead_organization", "session")
        .order_by("-is_overdue", F("deadline").asc(nulls_last=True), "lead_organization__name", "pk")
    )


def open_overdue_q(today: datetime.date) -> Q:
    return Q(state__in=OPEN_STATES, deadline__lt=today)


@dataclass
class LocalityRow:
    unit_id: int | None
    name: str
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _with_locality(requests):
    # A request names its locality, or comes from the locality the session met.
    return requests.annotate(
        locality_id=Coalesce("from_unit_id", "session__admin_unit_id"),
        locality_name=Coalesce("from_unit__name", "session__admin_unit__name"),
    )


def locality_rows(requests) -> list[LocalityRow]:
    """Requests per locality, counted by status (one query)."""
    annotations = {status: Count("pk", filter=Q(status=status)) for status in RequestStatus.values}
    rows = _with_locality(requests).order_by().values("locality_id", "locality_name").annotate(**annotations)
    found = [
        LocalityRow(
            row["locality_id"],
            row["locality_name"] or _("(no locality)"),
            {s: row[s] for s in RequestStatus.values},
        )
        for row in rows
    ]
    return sorted(found, key=lambda r: (r.unit_id is None, -r.counts[RequestStatus.OPEN], r.name))


def open_requests(requests):
    """Requests not yet answered or declined, by locality and session date."""
    return (
        _with_locality(requests)
        .filter(status__in=(RequestStatus.OPEN, RequestStatus.ACCEPTED))
        .select_related("session", "addressed_to")
        .order_by(F("locality_name").asc(nulls_last=True), "session__held_on", "pk")
    )


# --- Pages ---------------------------------------------------------------------------------------


class ScopeMixin(LoginRequiredMixin):
    """Refused (403) to a signed-in user with no grant on `scope_model`."""

    scope_model = Directive

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, permissions.VIEW, self.scope_model
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible(self, model=None):
        model = model or self.scope_model
        return permissions.restrict(model.objects.all(), self.request.user)


class UnitTable(tables.Table):
    """The per-unit table, as exported (the page renders the same rows itself)."""

    name = tables.Column(verbose_name=capfirst(gettext_lazy("lead unit")))
    open = tables.Column(verbose_name=capfirst(gettext_lazy("open")))
    overdue = tables.Column(verbose_name=capfirst(gettext_lazy("overdue")))
    reported = tables.Column(verbose_name=capfirst(gettext_lazy("reported, awaiting acceptance")))
    on_time = tables.Column(verbose_name=capfirst(gettext_lazy("done on time")))
    late = tables.Column(verbose_name=capfirst(gettext_lazy("done late")))
    not_done = tables.Column(verbose_name=capfirst(gettext_lazy("not done, deadline passed")))
    not_yet_due = tables.Column(verbose_name=capfirst(gettext_lazy("not yet due")))
    on_time_percent = tables.Column(verbose_name=capfirst(gettext_lazy("on-time rate")))

    class Meta:
        orderable = False


class DashboardView(ReadsFromReplica, ScopeMixin, generic.TemplateView):
    """Directives dashboard: open and overdue by lead unit, on-time rate per unit for a period, and the
    localities' requests with the answers they got. `?_export=csv|xlsx` exports the per-unit table."""

    template_name = "meetings/dashboard.html"
    export_formats = ("csv", "xlsx")

    def get(self, request, *args, **kwargs):
        today = current_date()
        form = PeriodForm(request.GET or None, today=today)
        period = form.period_or_default()
        directives = self.visible()
        lead = _int_param(request.GET.get("lead"))
        # The per-unit and per-locality figures: kept in the cache per scope of visibility while no
        # table of the directives changes (core.aggregates).
        requests = self.visible(LocalityRequest)
        all_rows, localities = aggregates.cached(
            "meetings.dashboard",
            lambda: (unit_rows(directives, period, today), locality_rows(requests)),
            depends_on=["meetings", "orgs", "geo"],
            scope=aggregates.scope_of(request.user),
            parts=[period.start, period.end, today],
            stale_for=request.user,
        )
        rows = [r for r in all_rows if r.organization_id == lead] if lead else all_rows
        export_format = request.GET.get("_export")
        if export_format in self.export_formats:
            exporter = SafeTableExport(
                export_format, UnitTable([*rows, totals(rows)]), title=_("Directives by unit"), totals=1
            )
            return exporter.response(
                filename=f"directives-by-unit-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{export_format}"
            )
        listed = directives.filter(lead_organization=lead) if lead else directives
        context = self.get_context_data(
            form=form,
            period=period,
            today=today,
            rows=rows,
            total=totals(rows),
            lead=lead,
            leads=sorted(((r.organization_id, r.name) for r in all_rows), key=lambda item: item[1]),
        )
        open_list = list(open_directives(listed, today)[:LIST_LIMIT])
        for directive in open_list:
            directive.url = detail_url("directive_detail", directive.pk)
            directive.session_url = (
                detail_url("workingsession_detail", directive.session_id) if directive.session_id else None
            )
        context["open_list"] = open_list
        context["open_count"] = context["total"].open + context["total"].reported
        context["limit"] = LIST_LIMIT
        context["localities"] = localities
        context["statuses"] = RequestStatus.choices
        pending = list(open_requests(requests)[:LIST_LIMIT])
        for item in pending:
            item.session_url = detail_url("workingsession_detail", item.session_id)
        context["pending_requests"] = pending
        query = request.GET.copy()
        query.pop("_export", None)
        # Not "query": the base template's global search box shows that one.
        context["filter_query"] = query.urlencode()
        return self.render_to_response(context)


# --- Calendar of deadlines -----------------------------------------------------------------------

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_month(value: str | None, today: datetime.date) -> datetime.date:
    """The first day of `?month=YYYY-MM`, or of the current month when missing or invalid."""
    match = MONTH_RE.match(value or "")
    if match and 1 <= int(match[2]) <= 12 and 1900 <= int(match[1]) <= 2999:
        return datetime.date(int(match[1]), int(match[2]), 1)
    return today.replace(day=1)


def parse_week(value: str | None, today: datetime.date) -> datetime.date:
    """The Monday of ISO week `?week=YYYY-Www`, or of the current week when missing or invalid."""
    match = WEEK_RE.match(value or "")
    if match:
        try:
            return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return today - datetime.timedelta(days=today.weekday())


def iso_week(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_label(monday: datetime.date) -> str:
    """The week as people write it ("49/2026"); `iso_week` is only for addresses and file names."""
    year, week, _day = monday.isocalendar()
    return f"{week}/{year}"


def _shift_month(first: datetime.date, months: int) -> datetime.date:
    return first + relativedelta(day=1, months=months)


def month_grid(first: datetime.date, items_by_day: dict) -> list[list[dict]]:
    """Weeks (Monday first) of day cells covering the month; days of other months have no items."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(first.year, first.month)
    return [
        [
            {
                "day": day,
                "in_month": day.month == first.month,
                "items": items_by_day.get(day, []) if day.month == first.month else [],
            }
            for day in week
        ]
        for week in weeks
    ]


class DeadlineCalendarView(ScopeMixin, generic.TemplateView):
    """A month of directive deadlines (cancelled ones left out), overdue ones marked; `?month=YYYY-MM`,
    `?lead=<organization id>`."""

    template_name = "meetings/calendar_deadlines.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = current_date()
        first = parse_month(self.request.GET.get("month"), today)
        last = first + relativedelta(day=31)
        directives = self.visible()
        lead = _int_param(self.request.GET.get("lead"))
        month = directives.filter(deadline__gte=first, deadline__lte=last).exclude(
            state=DirectiveState.CANCELLED
        )
        if lead:
            month = month.filter(lead_organization=lead)
        month = month.select_related("lead_organization").order_by(
            "deadline", "lead_organization__name", "pk"
        )
        items_by_day: dict[datetime.date, list] = {}
        shown = list(month[:CALENDAR_LIMIT])
        for directive in shown:
            directive.is_overdue = directive.state in OPEN_STATES and directive.deadline < today
            directive.is_done = directive.state == DirectiveState.ACCEPTED
            directive.url = detail_url("directive_detail", directive.pk)
            items_by_day.setdefault(directive.deadline, []).append(directive)
        from stims.orgs.models import Organization

        context.update(
            first=first,
            today=today,
            weeks=month_grid(first, items_by_day),
            lead=lead,
            count=len(shown),
            limited=len(shown) >= CALENDAR_LIMIT,
            overdue_count=sum(d.is_overdue for d in shown),
            previous=f"{_shift_month(first, -1):%Y-%m}",
            next=f"{_shift_month(first, 1):%Y-%m}",
            this_month=f"{today:%Y-%m}",
            weekdays=[_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            leads=Organization.objects.filter(
                pk__in=directives.order_by().values("lead_organization")
            ).order_by("search_name"),
            lead_query=f"&lead={lead}" if lead else "",
        )
        return context


# --- Leaders' work calendar ----------------------------------------------------------------------

CALENDAR_STATUSES = (SessionStatus.PLANNED, SessionStatus.HELD)


def week_sessions(sessions, monday: datetime.date, chair: int | None = None):
    sunday = monday + datetime.timedelta(days=6)
    found = sessions.filter(status__in=CALENDAR_STATUSES, held_on__gte=monday, held_on__lte=sunday)
    if chair:
        found = found.filter(chair=chair)
    return found.select_related("chair", "admin_unit", "host_organization").order_by(
        "held_on", F("start_time").asc(nulls_first=True), "pk"
    )


class WorkCalendarMixin(ScopeMixin):
    scope_model = WorkingSession

    def week(self):
        today = current_date()
        monday = parse_week(self.request.GET.get("week"), today)
        chair = _int_param(self.request.GET.get("chair"))
        return today, monday, chair, list(week_sessions(self.visible(), monday, chair))


class WorkCalendarView(WorkCalendarMixin, generic.TemplateView):
    """The leaders' work calendar (lịch công tác): a week of planned and held working sessions, day by
    day; `?week=YYYY-Www`, `?chair=<person id>`."""

    template_name = "meetings/calendar_work.html"

    def get_context_data(self, **kwargs):
        from stims.orgs.models import Person

        context = super().get_context_data(**kwargs)
        today, monday, chair, sessions = self.week()
        days = [{"day": monday + datetime.timedelta(days=n), "sessions": []} for n in range(7)]
        for session in sessions:
            session.url = detail_url("workingsession_detail", session.pk)
            days[(session.held_on - monday).days]["sessions"].append(session)
        query = self.request.GET.copy()
        query["week"] = iso_week(monday)
        context.update(
            today=today,
            monday=monday,
            sunday=monday + datetime.timedelta(days=6),
            days=days,
            chair=chair,
            week=iso_week(monday),
            week_label=week_label(monday),
            previous=iso_week(monday - datetime.timedelta(days=7)),
            next=iso_week(monday + datetime.timedelta(days=7)),
            this_week=iso_week(today - datetime.timedelta(days=today.weekday())),
            chairs=Person.objects.filter(pk__in=self.visible().order_by().values("chair")).order_by(
                "search_name"
            ),
            chair_query=f"&chair={chair}" if chair else "",
            ics_query=query.urlencode(),
            count=len(sessions),
        )
        return context


def _utc(day: datetime.date, time: datetime.time) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, time), timezone.get_default_timezone())
    return moment.astimezone(datetime.UTC)


def icalendar(sessions, *, host: str, base_url: str, name: str) -> str:
    """A VCALENDAR of working sessions: timed sessions in UTC, sessions without a time as all-day events.
    Escaping and line folding (RFC 5545) are the `icalendar` package's; properties keep this order."""
    feed = Calendar()
    feed.add("version", "2.0")
    feed.add("prodid", "-//STIMS//Leaders' work calendar//VI")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    for session in sessions:
        event = Event()
        event.add("uid", f"workingsession-{session.pk}@{host}")
        event.add("dtstamp", session.updated_at.astimezone(datetime.UTC).replace(microsecond=0))
        if session.start_time:
            event.add("dtstart", _utc(session.held_on, session.start_time))
            if session.end_time:
                event.add("dtend", _utc(session.held_on, session.end_time))
        else:
            event.add("dtstart", session.held_on)
            event.add("dtend", session.held_on + datetime.timedelta(days=1))
        event.add("summary", session.title)
        if session.place:
            event.add("location", session.place)
        details = []
        if session.chair_id:
            chair = str(session.chair)
            details.append(
                _("Chaired by: %(chair)s")
                % {"chair": f"{chair}, {session.chair_position}" if session.chair_position else chair}
            )
        if session.admin_unit_id:
            details.append(_("Locality: %(unit)s") % {"unit": session.admin_unit.name})
        details.append(_("Host: %(host)s") % {"host": session.host_organization.name})
        details.append(_("Status: %(status)s") % {"status": session.get_status_display()})
        event.add("description", "\n".join(details))
        event.add("status", "CONFIRMED")
        url = detail_url("workingsession_detail", session.pk)
        if url:
            event.add("url", f"{base_url}{url}")
        feed.add_component(event)
    return feed.to_ical(sorted=False).decode("utf-8")


class WorkCalendarICSView(WorkCalendarMixin, generic.View):
    """The same week as an iCalendar file, for a calendar application."""

    def get(self, request, *args, **kwargs):
        _today, monday, _chair, sessions = self.week()
        body = icalendar(
            sessions,
            host=request.get_host().split(":")[0] or "stims",
            base_url=f"{request.scheme}://{request.get_host()}",
            name=_("Leaders' work calendar, week %(week)s") % {"week": week_label(monday)},
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="work-calendar-{iso_week(monday)}.ics"'
        return response
