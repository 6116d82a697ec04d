"""The leaders' pages: directives dashboard, calendar of deadlines, work calendar (and its iCalendar file)."""

from django.urls import path

from . import dashboards

urlpatterns = [
    path("dashboard/", dashboards.DashboardView.as_view(), name="dashboard"),
    path("deadlines/calendar/", dashboards.DeadlineCalendarView.as_view(), name="deadline_calendar"),
    path("work-calendar/", dashboards.WorkCalendarView.as_view(), name="work_calendar"),
    path("work-calendar.ics", dashboards.WorkCalendarICSView.as_view(), name="work_calendar_ics"),
]
