import csv
import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from stims.meetings import dashboards
from stims.meetings.models import (
    Directive,
    LocalityRequest,
    Recurrence,
    RequestStatus,
    SessionStatus,
    WorkingSession,
)
from stims.meetings.services import move
from stims.orgs.models import Organization, OrganizationKind, Person
from stims.testing import make_user, unit

D = datetime.date
TODAY = D(2026, 5, 1)
Q1 = dashboards.Period(D(2026, 1, 1), D(2026, 3, 31), "Q1")
Q2 = dashboards.Period(D(2026, 4, 1), D(2026, 6, 30), "Q2")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(dashboards, "current_date", lambda: TODAY)
    return TODAY


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu(db):
    return unit("Huyện Bình Liêu", legacy=True)


@pytest.fixture
def department(db, ba_che):
    return Organization.objects.create(
        name="Sở Khoa học và Công nghệ", kind=OrganizationKind.OTHER, admin_unit=ba_che.province
    )


@pytest.fixture
def science_office(db, department):
    return Organization.objects.create(
        name="Phòng Quản lý Khoa học",
        kind=OrganizationKind.OTHER,
        admin_unit=department.admin_unit,
        parent=department,
    )


@pytest.fixture
def ba_che_office(db, ba_che):
    return Organization.objects.create(
        name="Phòng Kinh tế huyện Ba Chẽ", kind=OrganizationKind.OTHER, admin_unit=ba_che
    )


@pytest.fixture
def binh_lieu_office(db, binh_lieu):
    return Organization.objects.create(
        name="Phòng Kinh tế huyện Bình Liêu", kind=OrganizationKind.OTHER, admin_unit=binh_lieu
    )


@pytest.fixture
def boss(db):
    # A superuser reports for any lead unit and is on the assigner's side: the moves below need no
    # other set-up (but their report is accepted by another, `reviewer`).
    return make_user(None, username="boss", is_superuser=True)


@pytest.fixture
def leader(db):
    return make_user("leader", username="lanhdao")


@pytest.fixture
def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


ASSIGNED_ON = D(2026, 1, 5)


def directive(lead, deadline, text="Phục tráng giống lúa Bao Thai", *, assigned_on=ASSIGNED_ON, **fields):
    return Directive.objects.create(
        text=text, lead_organization=lead, assigned_on=assigned_on, deadline=deadline, **fields
    )


def reviewer():
    """Whoever reports does not accept their own report: a second superuser judges it."""
    from stims.accounts.models import User

    return User.objects.filter(username="reviewer").first() or make_user(
        None, username="reviewer", is_superuser=True
    )


def done(item, user, *, reported_on, accepted_on):
    move(item, "report", user, on=reported_on, text="Đã hoàn thành")
    move(item, "accept", reviewer(), on=accepted_on)
    return item


def row_of(rows, organization):
    return next(r for r in rows if r.organization_id == organization.pk)


# --- On-time rate -----------------------------------------------------------------------------


@pytest.fixture
def history(science_office, ba_che_office, boss):
    """The directives the hand-computed expectations below are about (today is 01/05/2026)."""
    s = science_office
    items = {
        "on_time": done(
            directive(s, D(2026, 2, 15)), boss, reported_on=D(2026, 2, 10), accepted_on=D(2026, 2, 20)
        ),
        # Reported on its deadline day: still on time.
        "on_deadline": done(
            directive(s, D(2026, 3, 31)), boss, reported_on=D(2026, 3, 31), accepted_on=D(2026, 4, 2)
        ),
        "late": done(
            directive(s, D(2026, 2, 28)), boss, reported_on=D(2026, 3, 5), accepted_on=D(2026, 3, 6)
        ),
        "open_past_deadline": directive(s, D(2026, 3, 20)),
        "reported_past_deadline": directive(s, D(2026, 3, 25)),
        "cancelled": directive(s, D(2026, 3, 10)),
        # Extended from 31/03 (Q1) to 30/04 (Q2) before its report: counted in Q2, on time.
        "extended_out": directive(s, D(2026, 3, 31)),
        # Extended from 15/01 to 15/03, reported 14/03: on time against the extended deadline.
        "extended_in": directive(s, D(2026, 1, 15)),
        # Due in Q2 but not yet (today is 01/05): not counted.
        "not_yet_due": directive(s, D(2026, 6, 1)),
        "regularly": directive(s, None, recurrence=Recurrence.REGULARLY),
        "other_unit_on_time": done(
            directive(ba_che_office, D(2026, 3, 1)),
            boss,
            reported_on=D(2026, 2, 1),
            accepted_on=D(2026, 2, 2),
        ),
    }
    move(items["reported_past_deadline"], "report", boss, on=D(2026, 3, 24), text="Đã trình")
    move(items["cancelled"], "cancel", boss, on=D(2026, 2, 1), note="Không còn phù hợp")
    move(
        items["extended_out"],
        "extend",
        boss,
        on=D(2026, 3, 25),
        note="Chờ số liệu",
        new_deadline=D(2026, 4, 30),
    )
    done(items["extended_out"], boss, reported_on=D(2026, 4, 28), accepted_on=D(2026, 4, 29))
    move(
        items["extended_in"],
        "extend",
        boss,
        on=D(2026, 1, 10),
        note="Bổ sung hồ sơ",
        new_deadline=D(2026, 3, 15),
    )
    done(items["extended_in"], boss, reported_on=D(2026, 3, 14), accepted_on=D(2026, 3, 20))
    return items


def test_on_time_rate_of_a_quarter_matches_the_hand_count(history, science_office, ba_che_office):
    rows = dashboards.unit_rows(Directive.objects.all(), Q1, TODAY)
    science = row_of(rows, science_office)
    # on time: on_time, on_deadline, extended_in; late: late; not done: open_past_deadline,
    # reported_past_deadline. Left out: cancelled, extended_out (now due in Q2), not_yet_due, regularly.
    assert (science.on_time, science.late, science.not_done, science.not_yet_due) == (3, 1, 2, 0)
    assert science.on_time_rate == pytest.approx(3 / 6)
    assert science.on_time_percent == "50%"
    other = row_of(rows, ba_che_office)
    assert (other.on_time, other.late, other.not_done, other.on_time_rate) == (1, 0, 0, 1.0)


def test_an_extended_deadline_counts_in_the_period_it_was_moved_to(history, science_office):
    science = row_of(dashboards.unit_rows(Directive.objects.all(), Q2, TODAY), science_office)
    # extended_out: done 28/04 against 30/04; not_yet_due (01/06) is open but not late yet.
    assert (science.on_time, science.late, science.not_done, science.not_yet_due) == (1, 0, 0, 1)
    assert science.on_time_rate == 1.0


def test_current_counts_do_not_depend_on_the_period(history, science_office):
    for period in (Q1, Q2, dashboards.year_period(2025)):
        science = row_of(dashboards.unit_rows(Directive.objects.all(), period, TODAY), science_office)
        # Open: open_past_deadline, not_yet_due, regularly; overdue: open_past_deadline only (the reported
        # one waits on its assigner, not on the unit).
        assert (science.open, science.overdue, science.reported) == (3, 1, 1)
    nothing = row_of(
        dashboards.unit_rows(Directive.objects.all(), dashboards.year_period(2025), TODAY), science_office
    )
    assert nothing.counted == 0 and nothing.on_time_rate is None and nothing.on_time_percent == "—"


def test_a_year_and_a_custom_range_count_the_deadlines_inside_them(history, science_office):
    year = row_of(
        dashboards.unit_rows(Directive.objects.all(), dashboards.year_period(2026), TODAY), science_office
    )
    assert (year.on_time, year.late, year.not_done, year.not_yet_due) == (4, 1, 2, 1)
    march = dashboards.Period(D(2026, 3, 1), D(2026, 3, 31), "March")
    row = row_of(dashboards.unit_rows(Directive.objects.all(), march, TODAY), science_office)
    # on_deadline (31/03), extended_in (15/03); open_past_deadline (20/03), reported_past_deadline (25/03).
    assert (row.on_time, row.late, row.not_done) == (2, 0, 2)


def test_each_year_of_an_annual_directive_counts_in_its_own_year(science_office, boss):
    annual = directive(science_office, D(2026, 1, 31), recurrence=Recurrence.ANNUALLY)
    done(annual, boss, reported_on=D(2026, 2, 3), accepted_on=D(2026, 2, 4))
    annual.refresh_from_db()
    assert annual.deadline == D(2027, 1, 31)
    row = row_of(
        dashboards.unit_rows(Directive.objects.all(), dashboards.year_period(2026), TODAY), science_office
    )
    assert (row.on_time, row.late, row.not_done) == (0, 1, 0)
    row = row_of(
        dashboards.unit_rows(Directive.objects.all(), dashboards.year_period(2027), TODAY), science_office
    )
    assert (row.on_time, row.late, row.not_done, row.not_yet_due) == (0, 0, 0, 1)


def test_the_figures_take_two_queries_however_many_directives(science_office, ba_che_office, boss):
    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            dashboards.unit_rows(Directive.objects.all(), Q1, TODAY)
        return len(captured)

    done(
        directive(science_office, D(2026, 2, 1)), boss, reported_on=D(2026, 1, 20), accepted_on=D(2026, 1, 21)
    )
    assert count_queries() == 2
    for n in range(15):
        item = directive(ba_che_office if n % 2 else science_office, D(2026, 1, 10 + n))
        if n % 3 == 0:
            done(item, boss, reported_on=D(2026, 2, 1), accepted_on=D(2026, 2, 2))
    assert count_queries() == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, (D(2026, 4, 1), D(2026, 6, 30))),
        ({"period": "quarter", "year": "2025", "quarter": "4"}, (D(2025, 10, 1), D(2025, 12, 31))),
        ({"period": "quarter", "year": "2025"}, (D(2025, 4, 1), D(2025, 6, 30))),
        ({"period": "year", "year": "2024"}, (D(2024, 1, 1), D(2024, 12, 31))),
        ({"period": "custom", "start": "15/02/2026", "end": "20/03/2026"}, (D(2026, 2, 15), D(2026, 3, 20))),
        # Refused: the current quarter instead.
        ({"period": "custom", "start": "20/03/2026", "end": "15/02/2026"}, (D(2026, 4, 1), D(2026, 6, 30))),
        ({"period": "custom", "start": "15/02/2026"}, (D(2026, 4, 1), D(2026, 6, 30))),
        ({"period": "year", "year": "20x6"}, (D(2026, 4, 1), D(2026, 6, 30))),
        ({"period": "quarter", "quarter": "5"}, (D(2026, 4, 1), D(2026, 6, 30))),
    ],
)
def test_the_period_is_a_quarter_a_year_or_a_range(query, expected):
    form = dashboards.PeriodForm(query or None, today=TODAY)
    period = form.period_or_default()
    assert (period.start, period.end) == expected


# --- Dashboard page ---------------------------------------------------------------------------


def test_the_dashboard_lists_open_directives_overdue_first(english_client, leader, history, fixed_today):
    english_client.force_login(leader)
    response = english_client.get(
        reverse("meetings:dashboard"), {"period": "quarter", "year": "2026", "quarter": "1"}
    )
    assert response.status_code == 200
    listed = [d.pk for d in response.context["open_list"]]
    # Overdue first (open_past_deadline), then by deadline: reported_past_deadline 25/03, not_yet_due 01/06,
    # regularly (no deadline) last.
    assert listed == [
        history[k].pk for k in ("open_past_deadline", "reported_past_deadline", "not_yet_due", "regularly")
    ]
    assert response.context["open_count"] == 4
    assert response.context["period"].start == D(2026, 1, 1)
    html = response.content.decode()
    assert html.count('data-overdue="1"') == 1
    assert "50%" in html and "100%" in html
    # The export links keep the period chosen.
    assert 'href="?period=quarter&amp;year=2026&amp;quarter=1&amp;_export=xlsx"' in html


def test_the_dashboard_filters_by_lead_unit(english_client, leader, history, ba_che_office, fixed_today):
    english_client.force_login(leader)
    response = english_client.get(
        reverse("meetings:dashboard"), {"lead": ba_che_office.pk, "period": "year", "year": "2026"}
    )
    assert [r.organization_id for r in response.context["rows"]] == [ba_che_office.pk]
    assert response.context["open_list"] == []


def test_a_local_officer_sees_only_the_directives_of_their_unit(
    english_client, ba_che, history, science_office, ba_che_office, binh_lieu_office, fixed_today
):
    mine = directive(ba_che_office, D(2026, 4, 10), "Hỗ trợ huyện Ba Chẽ")
    theirs = directive(binh_lieu_office, D(2026, 4, 10), "Hỗ trợ huyện Bình Liêu")
    officer = make_user("local_officer", admin_unit=ba_che)
    english_client.force_login(officer)
    response = english_client.get(reverse("meetings:dashboard"))
    assert response.status_code == 200
    assert [r.organization_id for r in response.context["rows"]] == [ba_che_office.pk]
    assert [d.pk for d in response.context["open_list"]] == [mine.pk]
    html = response.content.decode()
    assert science_office.name not in html and theirs.text not in html
    # Not even through the filter.
    response = english_client.get(reverse("meetings:dashboard"), {"lead": science_office.pk})
    assert response.context["rows"] == [] and response.context["open_list"] == []


def test_a_user_without_any_grant_is_refused(client, db):
    client.force_login(make_user(None))
    assert client.get(reverse("meetings:dashboard")).status_code == 403
    assert client.get(reverse("meetings:deadline_calendar")).status_code == 403
    assert client.get(reverse("meetings:work_calendar")).status_code == 403
    assert client.get(reverse("meetings:work_calendar_ics")).status_code == 403
    council_member = make_user("council_member")
    client.force_login(council_member)
    assert client.get(reverse("meetings:dashboard")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("meetings:dashboard"))
    assert response.status_code == 302 and settings.LOGIN_URL in response["Location"]


def test_the_per_unit_table_exports_to_csv_and_xlsx(
    english_client, leader, history, science_office, fixed_today
):
    english_client.force_login(leader)
    url = reverse("meetings:dashboard")
    response = english_client.get(
        url, {"period": "quarter", "year": "2026", "quarter": "1", "_export": "csv"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "directives-by-unit-20260101-20260331.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Lead unit" and rows[0][-1] == "On-time rate"
    science = next(r for r in rows if r[0] == science_office.name)
    # open, overdue, reported, on time, late, not done, not yet due, rate
    assert science[1:] == ["3", "1", "1", "3", "1", "2", "0", "50%"]
    assert rows[-1][0] == "All units"
    response = english_client.get(
        url, {"period": "quarter", "year": "2026", "quarter": "1", "_export": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[0] == science_office.name and row[-1] == "50%" for row in values)


def test_an_invalid_period_is_explained_and_the_current_quarter_shown(
    english_client, leader, fixed_today, db
):
    english_client.force_login(leader)
    response = english_client.get(
        reverse("meetings:dashboard"), {"period": "custom", "start": "31/02/2026", "end": "x"}
    )
    assert response.status_code == 200
    assert response.context["period"].start == D(2026, 4, 1)
    assert 'data-testid="period-errors"' in response.content.decode()


@pytest.fixture
def sessions(ba_che, binh_lieu, department):
    return {
        "ba_che": WorkingSession.objects.create(
            title="Làm việc với huyện Ba Chẽ",
            held_on=D(2026, 3, 2),
            host_organization=department,
            admin_unit=ba_che,
            status=SessionStatus.HELD,
        ),
        "binh_lieu": WorkingSession.objects.create(
            title="Làm việc với huyện Bình Liêu",
            held_on=D(2026, 3, 4),
            host_organization=department,
            admin_unit=binh_lieu,
            status=SessionStatus.HELD,
        ),
    }


def test_locality_requests_are_counted_by_status_with_the_open_ones_listed(
    english_client, leader, sessions, ba_che, binh_lieu, fixed_today
):
    asked = LocalityRequest.objects.create(
        session=sessions["ba_che"], text="Hỗ trợ phục tráng giống lúa Bao Thai"
    )
    acting = LocalityRequest.objects.create(
        session=sessions["ba_che"],
        text="Hỗ trợ xây dựng nhãn hiệu chứng nhận",
        status=RequestStatus.ACCEPTED,
        response="Sở đang hướng dẫn",
    )
    LocalityRequest.objects.create(
        session=sessions["ba_che"],
        text="Cấp kinh phí",
        status=RequestStatus.DECLINED,
        response="Không có nguồn",
    )
    # A request naming its own locality counts there, whichever session heard it.
    LocalityRequest.objects.create(
        session=sessions["ba_che"],
        from_unit=binh_lieu,
        text="Hỗ trợ truy xuất nguồn gốc",
        status=RequestStatus.ANSWERED,
        response="Đã hỗ trợ",
    )
    english_client.force_login(leader)
    response = english_client.get(reverse("meetings:dashboard"))
    localities = {row.name: row.counts for row in response.context["localities"]}
    assert localities[ba_che.name] == {"open": 1, "accepted": 1, "answered": 0, "declined": 1}
    assert localities[binh_lieu.name] == {"open": 0, "accepted": 0, "answered": 1, "declined": 0}
    assert [r.pk for r in response.context["pending_requests"]] == [asked.pk, acting.pk]
    assert "Sở đang hướng dẫn" in response.content.decode()


def test_a_local_officer_sees_only_the_requests_of_sessions_with_their_unit(
    english_client, sessions, ba_che, binh_lieu, fixed_today
):
    LocalityRequest.objects.create(session=sessions["ba_che"], text="Yêu cầu của Ba Chẽ")
    LocalityRequest.objects.create(session=sessions["binh_lieu"], text="Yêu cầu của Bình Liêu")
    english_client.force_login(make_user("local_officer", admin_unit=ba_che))
    response = english_client.get(reverse("meetings:dashboard"))
    assert [row.name for row in response.context["localities"]] == [ba_che.name]
    assert "Yêu cầu của Bình Liêu" not in response.content.decode()


DASHBOARD_QUERIES = 9  # with the data version of the cached figures (core.aggregates)


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("meetings:dashboard"), {"period": "year", "year": "2026"})
    assert response.status_code == 200
    return len(captured)


def test_the_dashboard_query_count_does_not_grow_with_the_data(
    english_client, leader, sessions, science_office, ba_che_office, boss, fixed_today
):
    english_client.force_login(leader)
    directive(science_office, D(2026, 3, 1))
    LocalityRequest.objects.create(session=sessions["ba_che"], text="Yêu cầu 0")
    first = _dashboard_queries(english_client)
    for n in range(12):
        item = directive(
            ba_che_office if n % 2 else science_office, D(2026, 2, 1 + n), session=sessions["ba_che"]
        )
        if n % 3 == 0:
            done(item, boss, reported_on=D(2026, 1, 30), accepted_on=D(2026, 2, 1))
        LocalityRequest.objects.create(
            session=sessions["binh_lieu" if n % 2 else "ba_che"], text=f"Yêu cầu {n + 1}"
        )
    assert _dashboard_queries(english_client) == first
    # Pinned: session, user, role assignments (navigation reuses them) and the page's own queries (2 for the per-unit
    # figures, 1 for the open list, 2 for the requests).
    assert first == DASHBOARD_QUERIES


# --- Calendar of deadlines --------------------------------------------------------------------


def test_the_deadline_calendar_shows_a_month_with_its_boundaries(
    english_client, leader, science_office, boss, fixed_today
):
    last_of_january = directive(science_office, D(2026, 1, 31), "Cuối tháng Một")
    first_of_february = directive(science_office, D(2026, 2, 1), "Đầu tháng Hai")
    last_of_february = directive(science_office, D(2026, 2, 28), "Cuối tháng Hai")
    first_of_march = directive(science_office, D(2026, 3, 1), "Đầu tháng Ba")
    cancelled = directive(science_office, D(2026, 2, 10), "Đã hủy")
    move(cancelled, "cancel", boss, on=D(2026, 2, 2), note="Không còn cần")
    accepted = done(
        directive(science_office, D(2026, 2, 12), "Đã xong"),
        boss,
        reported_on=D(2026, 2, 11),
        accepted_on=D(2026, 2, 12),
    )
    english_client.force_login(leader)
    response = english_client.get(reverse("meetings:deadline_calendar"), {"month": "2026-02"})
    assert response.status_code == 200
    shown = {
        item.pk: cell["day"] for week in response.context["weeks"] for cell in week for item in cell["items"]
    }
    assert shown == {
        first_of_february.pk: D(2026, 2, 1),
        last_of_february.pk: D(2026, 2, 28),
        accepted.pk: D(2026, 2, 12),
    }
    weeks = response.context["weeks"]
    # February 2026 starts on a Sunday: the grid starts on Monday 26/01 and ends on Sunday 01/03.
    assert weeks[0][0]["day"] == D(2026, 1, 26) and weeks[-1][-1]["day"] == D(2026, 3, 1)
    assert not weeks[0][0]["in_month"] and weeks[0][0]["items"] == [] and weeks[-1][-1]["items"] == []
    assert response.context["previous"] == "2026-01" and response.context["next"] == "2026-03"
    html = response.content.decode()
    assert 'href="?month=2026-01"' in html and 'href="?month=2026-03"' in html
    # Both past deadlines still open are overdue (today is 01/05/2026); the accepted one is not.
    assert html.count('data-overdue="1"') == 2
    january = english_client.get(reverse("meetings:deadline_calendar"), {"month": "2026-01"})
    assert [i.pk for w in january.context["weeks"] for c in w for i in c["items"]] == [last_of_january.pk]
    december = english_client.get(reverse("meetings:deadline_calendar"), {"month": "2025-12"})
    assert december.context["next"] == "2026-01" and december.context["previous"] == "2025-11"
    march = english_client.get(reverse("meetings:deadline_calendar"), {"month": "2026-03"})
    assert [i.pk for w in march.context["weeks"] for c in w for i in c["items"]] == [first_of_march.pk]


@pytest.mark.parametrize("month", ["2026-13", "2026-2", "yesterday", ""])
def test_a_bad_month_shows_the_current_one(english_client, leader, fixed_today, month):
    english_client.force_login(leader)
    response = english_client.get(reverse("meetings:deadline_calendar"), {"month": month})
    assert response.status_code == 200 and response.context["first"] == D(2026, 5, 1)


def test_the_deadline_calendar_filters_by_lead_unit_and_scope(
    english_client, leader, ba_che, science_office, ba_che_office, fixed_today
):
    science = directive(science_office, D(2026, 5, 20), "Việc của Phòng Khoa học")
    local = directive(ba_che_office, D(2026, 5, 21), "Việc của Phòng Kinh tế")
    english_client.force_login(leader)
    url = reverse("meetings:deadline_calendar")

    def shown(response):
        return {i.pk for w in response.context["weeks"] for c in w for i in c["items"]}

    assert shown(english_client.get(url, {"month": "2026-05"})) == {science.pk, local.pk}
    response = english_client.get(url, {"month": "2026-05", "lead": ba_che_office.pk})
    assert shown(response) == {local.pk}
    assert f"lead={ba_che_office.pk}" in response.context["lead_query"]
    english_client.force_login(make_user("local_officer", admin_unit=ba_che))
    response = english_client.get(url, {"month": "2026-05"})
    assert shown(response) == {local.pk}
    assert [o.pk for o in response.context["leads"]] == [ba_che_office.pk]
    assert shown(english_client.get(url, {"month": "2026-05", "lead": science_office.pk})) == set()


def test_the_deadline_calendar_query_count_does_not_grow(
    english_client, leader, science_office, ba_che_office, fixed_today
):
    english_client.force_login(leader)
    directive(science_office, D(2026, 5, 3))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            english_client.get(reverse("meetings:deadline_calendar"), {"month": "2026-05"})
        return len(captured)

    first = queries()
    for n in range(20):
        directive(ba_che_office if n % 2 else science_office, D(2026, 5, 1 + n))
    assert queries() == first
    # Session, user, role assignments; the month's directives and the lead units to filter by.
    assert first == 5


# --- Work calendar ----------------------------------------------------------------------------


@pytest.fixture
def chair(db, ba_che):
    return Person.objects.create(full_name="Nguyễn Văn Hùng", admin_unit=ba_che.province)


@pytest.fixture
def deputy(db, ba_che):
    return Person.objects.create(full_name="Trần Thị Lan", admin_unit=ba_che.province)


def session(title, held_on, department, *, status=SessionStatus.PLANNED, **fields):
    return WorkingSession.objects.create(
        title=title, held_on=held_on, host_organization=department, status=status, **fields
    )


def test_the_work_calendar_lists_a_week_monday_to_sunday(
    english_client, leader, department, chair, ba_che, fixed_today
):
    sunday_before = session("Chủ nhật tuần trước", D(2026, 3, 1), department)
    monday = session(
        "Làm việc với huyện Ba Chẽ",
        D(2026, 3, 2),
        department,
        start_time=datetime.time(8),
        end_time=datetime.time(11, 30),
        place="UBND huyện Ba Chẽ",
        chair=chair,
        chair_position="Giám đốc Sở",
        admin_unit=ba_che,
    )
    early = session(
        "Giao ban", D(2026, 3, 2), department, start_time=datetime.time(7, 30), status=SessionStatus.HELD
    )
    sunday = session("Kiểm tra mô hình", D(2026, 3, 8), department)
    next_monday = session("Tuần sau", D(2026, 3, 9), department)
    session("Đã hủy", D(2026, 3, 3), department, status=SessionStatus.CANCELLED)
    english_client.force_login(leader)
    response = english_client.get(reverse("meetings:work_calendar"), {"week": "2026-W10"})
    assert response.status_code == 200
    days = response.context["days"]
    assert [d["day"] for d in days] == [D(2026, 3, 2) + datetime.timedelta(days=n) for n in range(7)]
    assert [s.pk for s in days[0]["sessions"]] == [early.pk, monday.pk]
    assert [s.pk for s in days[6]["sessions"]] == [sunday.pk]
    assert sum(len(d["sessions"]) for d in days) == 3
    html = response.content.decode()
    assert (
        "08:00–11:30" in html
        and "UBND huyện Ba Chẽ" in html
        and "Nguyễn Văn Hùng, Giám đốc Sở" in html
        and ba_che.name in html
    )
    assert response.context["previous"] == "2026-W09" and response.context["next"] == "2026-W11"
    before = english_client.get(reverse("meetings:work_calendar"), {"week": "2026-W09"})
    assert [s.pk for d in before.context["days"] for s in d["sessions"]] == [sunday_before.pk]
    after = english_client.get(reverse("meetings:work_calendar"), {"week": "2026-W11"})
    assert [s.pk for d in after.context["days"] for s in d["sessions"]] == [next_monday.pk]


def test_the_first_week_of_a_year_starts_in_december(english_client, leader, department, fixed_today):
    december = session("Tổng kết năm", D(2025, 12, 29), department)
    session("Tuần cuối năm 2025", D(2025, 12, 28), department)
    english_client.force_login(leader)
    response = english_client.get(reverse("meetings:work_calendar"), {"week": "2026-W01"})
    assert response.context["monday"] == D(2025, 12, 29)
    assert [s.pk for d in response.context["days"] for s in d["sessions"]] == [december.pk]
    assert response.context["previous"] == "2025-W52"


@pytest.mark.parametrize("week", ["2026-W54", "2026-10", "W10", ""])
def test_a_bad_week_shows_the_current_one(english_client, leader, fixed_today, week):
    english_client.force_login(leader)
    response = english_client.get(reverse("meetings:work_calendar"), {"week": week})
    assert response.status_code == 200 and response.context["monday"] == D(2026, 4, 27)


def test_the_work_calendar_filters_by_chair_and_scope(
    english_client, leader, department, chair, deputy, ba_che, binh_lieu, fixed_today
):
    chaired = session("Ông Hùng chủ trì", D(2026, 4, 28), department, chair=chair, admin_unit=ba_che)
    other = session("Bà Lan chủ trì", D(2026, 4, 29), department, chair=deputy, admin_unit=binh_lieu)
    english_client.force_login(leader)
    url = reverse("meetings:work_calendar")
    response = english_client.get(url, {"chair": chair.pk})
    assert [s.pk for d in response.context["days"] for s in d["sessions"]] == [chaired.pk]
    assert {p.pk for p in response.context["chairs"]} == {chair.pk, deputy.pk}
    english_client.force_login(make_user("local_officer", admin_unit=ba_che))
    response = english_client.get(url)
    assert [s.pk for d in response.context["days"] for s in d["sessions"]] == [chaired.pk]
    assert other.title not in response.content.decode()


def test_the_work_calendar_query_count_does_not_grow(
    english_client, leader, department, chair, ba_che, fixed_today
):
    english_client.force_login(leader)
    session("Một", D(2026, 4, 28), department, chair=chair, admin_unit=ba_che)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            english_client.get(reverse("meetings:work_calendar"), {"week": "2026-W18"})
        return len(captured)

    first = queries()
    for n in range(10):
        person = Person.objects.create(full_name=f"Người chủ trì {n}", admin_unit=ba_che.province)
        session(
            f"Buổi {n}",
            D(2026, 4, 27) + datetime.timedelta(days=n % 7),
            department,
            chair=person,
            admin_unit=ba_che,
            start_time=datetime.time(8 + n % 5),
        )
    assert queries() == first
    # Session, user, role assignments; the week's sessions and the chairs to filter by.
    assert first == 5


# --- iCalendar --------------------------------------------------------------------------------


def test_the_work_calendar_exports_its_week_as_icalendar(
    english_client, leader, department, chair, ba_che, fixed_today
):
    timed = session(
        "Làm việc với huyện Ba Chẽ; nghe báo cáo, kết luận",
        D(2026, 3, 2),
        department,
        start_time=datetime.time(8),
        end_time=datetime.time(11, 30),
        place="Hội trường UBND huyện, tầng 2; phòng họp số 1",
        chair=chair,
        chair_position="Giám đốc Sở",
        admin_unit=ba_che,
    )
    all_day = session("Kiểm tra mô hình trồng quế", D(2026, 3, 8), department)
    session("Tuần sau", D(2026, 3, 9), department)
    english_client.force_login(leader)
    response = english_client.get(reverse("meetings:work_calendar_ics"), {"week": "2026-W10"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="work-calendar-2026-W10.ics"' in response["Content-Disposition"]
    raw = response.content
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("utf-8").replace("\r\n ", "")  # unfold
    lines = text.split("\r\n")
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert text.count("BEGIN:VEVENT") == 2 and text.count("END:VEVENT") == 2
    assert f"UID:workingsession-{timed.pk}@testserver" in lines
    # 08:00 and 11:30 in Hà Nội (UTC+7).
    assert "DTSTART:20260302T010000Z" in lines and "DTEND:20260302T043000Z" in lines
    assert "SUMMARY:Làm việc với huyện Ba Chẽ\\; nghe báo cáo\\, kết luận" in lines
    assert "LOCATION:Hội trường UBND huyện\\, tầng 2\\; phòng họp số 1" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Nguyễn Văn Hùng\\, Giám đốc Sở\\n" in description and ba_che.name in description
    assert f"UID:workingsession-{all_day.pk}@testserver" in lines
    assert "DTSTART;VALUE=DATE:20260308" in lines and "DTEND;VALUE=DATE:20260309" in lines
    assert "Tuần sau" not in text
    # The same events and fields, read back by a calendar parser.
    events = {str(e["UID"]): e for e in Calendar.from_ical(raw).walk("VEVENT")}
    assert set(events) == {f"workingsession-{timed.pk}@testserver", f"workingsession-{all_day.pk}@testserver"}
    read = events[f"workingsession-{timed.pk}@testserver"]
    assert read.decoded("DTSTART") == datetime.datetime(2026, 3, 2, 1, tzinfo=datetime.UTC)
    assert read.decoded("DTEND") == datetime.datetime(2026, 3, 2, 4, 30, tzinfo=datetime.UTC)
    assert str(read["SUMMARY"]) == "Làm việc với huyện Ba Chẽ; nghe báo cáo, kết luận"
    assert str(read["LOCATION"]) == "Hội trường UBND huyện, tầng 2; phòng họp số 1"
    assert str(read["DESCRIPTION"]).startswith("Chaired by: Nguyễn Văn Hùng, Giám đốc Sở\n")
    assert str(read["URL"]).endswith(reverse("meetings:workingsession_detail", args=[timed.pk]))
    read = events[f"workingsession-{all_day.pk}@testserver"]
    assert read.decoded("DTSTART") == D(2026, 3, 8) and read.decoded("DTEND") == D(2026, 3, 9)


def test_ics_escaping_and_folding_follow_rfc_5545():
    long = "Phục tráng giống lúa Bao Thai Định Hóa " * 5
    title = "a\\b;c,d\ne " + long
    held = SimpleNamespace(
        pk=7,
        updated_at=datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC),
        held_on=D(2026, 3, 2),
        start_time=None,
        end_time=None,
        title=title,
        place="",
        chair_id=None,
        admin_unit_id=None,
        host_organization=SimpleNamespace(name="Sở KH&CN"),
        get_status_display=lambda: "Planned",
    )
    raw = dashboards.icalendar([held], host="stims", base_url="https://stims", name="Lịch")
    parts = raw.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    summary = next(i for i, p in enumerate(parts) if p.startswith("SUMMARY:"))
    assert parts[summary + 1].startswith(" "), "a long line is folded; continuation lines start with a space"
    unfolded = raw.replace("\r\n ", "").split("\r\n")
    assert "SUMMARY:a\\\\b\\;c\\,d\\ne " + long in unfolded
    assert str(Calendar.from_ical(raw).walk("VEVENT")[0]["SUMMARY"]) == title


def test_a_local_officer_exports_only_the_sessions_they_may_see(
    english_client, department, ba_che, binh_lieu, fixed_today
):
    session("Với Ba Chẽ", D(2026, 4, 28), department, admin_unit=ba_che)
    session("Với Bình Liêu", D(2026, 4, 28), department, admin_unit=binh_lieu)
    english_client.force_login(make_user("local_officer", admin_unit=ba_che))
    text = english_client.get(reverse("meetings:work_calendar_ics")).content.decode()
    assert "Với Ba Chẽ" in text and "Với Bình Liêu" not in text


def test_the_dashboard_figures_come_from_the_cache_until_a_directive_changes(
    english_client, leader, sessions, science_office, ba_che_office, boss, fixed_today
):
    english_client.force_login(leader)
    item = directive(science_office, D(2026, 3, 1))
    LocalityRequest.objects.create(session=sessions["ba_che"], text="Yêu cầu 0")
    cold, warm = _dashboard_queries(english_client), _dashboard_queries(english_client)
    # Warm: the per-unit figures and the requests by locality are read from the cache (the data version
    # instead of three aggregate queries).
    assert (cold, warm) == (DASHBOARD_QUERIES, DASHBOARD_QUERIES - 3)
    Directive.objects.filter(pk=item.pk).update(lead_organization=ba_che_office)  # no signal
    rows = english_client.get(reverse("meetings:dashboard"), {"period": "year", "year": "2026"}).context[
        "rows"
    ]
    assert [r.organization_id for r in rows if r.total] == [ba_che_office.pk]
    Directive.objects.filter(pk=item.pk).delete()
    rows = english_client.get(reverse("meetings:dashboard"), {"period": "year", "year": "2026"}).context[
        "rows"
    ]
    assert not any(r.total for r in rows)
