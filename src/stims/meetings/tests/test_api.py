"""The API: the same rows and refusals as the pages, and directive moves through `move`."""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from stims.core.tests.versions import if_match
from stims.meetings.models import Directive, DirectiveEvent, DirectiveReport, DirectiveState

S = DirectiveState
D = datetime.date


@pytest.fixture(autouse=True)
def private_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        # The interface ignores the browser's Accept-Language (Vietnamese first); the switch's cookie counts.
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return as_user


def move_url(directive):
    return f"/api/meetings/directives/{directive.pk}/move/"


def test_the_lead_unit_reports_through_the_api_and_gets_the_event(api, lead_officer, make_directive):
    directive = make_directive(state=S.IN_PROGRESS)
    response = api(lead_officer).post(
        move_url(directive),
        {
            "action": "report",
            "on": "2026-04-01",
            "text": "Đã phục tráng 5 ha lúa Bao Thai",
            "evidence": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 nghiem thu"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    report = directive.reports.get()
    assert response.data["action"] == "report" and response.data["to_state"] == S.REPORTED
    assert response.data["report"] == report.pk and report.evidence
    directive.refresh_from_db()
    assert directive.state == S.REPORTED


def test_the_assigner_accepts_and_extends_through_the_api(api, specialist, lead_officer, make_directive):
    reported = make_directive(state=S.REPORTED)
    DirectiveReport.objects.create(
        directive=reported, reported_on=D(2026, 4, 1), text="Đã xong", reported_by=lead_officer
    )
    response = api(specialist).post(
        move_url(reported), {"action": "accept", "on": "2026-04-02"}, format="json"
    )
    assert response.status_code == 201 and response.data["to_state"] == S.ACCEPTED
    running = make_directive(state=S.IN_PROGRESS)
    response = api(specialist).post(
        move_url(running),
        {"action": "extend", "note": "Chờ vụ mùa", "new_deadline": "2026-12-31"},
        format="json",
    )
    assert response.status_code == 201
    assert (response.data["previous_deadline"], response.data["new_deadline"]) == ("2026-06-30", "2026-12-31")


@pytest.mark.parametrize(
    ("state", "payload", "reasons"),
    [
        (S.IN_PROGRESS, {"action": "accept"}, ["A directive that is “In progress” cannot be accepted."]),
        (S.IN_PROGRESS, {"action": "cancel", "note": ""}, ["Give the reason."]),
        (S.IN_PROGRESS, {"action": "extend", "note": "Chờ vụ mùa"}, ["Give the new deadline."]),
    ],
)
def test_a_refused_move_is_a_400_with_its_reasons_and_changes_nothing(
    state, payload, reasons, api, specialist, make_directive
):
    directive = make_directive(state=state)
    response = api(specialist).post(move_url(directive), payload, format="json")
    assert response.status_code == 400
    assert response.data["errors"] == reasons and response.data["code"] == "refused"
    directive.refresh_from_db()
    assert directive.state == state and not DirectiveEvent.objects.exists()


def test_an_unknown_action_is_a_400(api, specialist, make_directive):
    response = api(specialist).post(move_url(make_directive()), {"action": "archive"}, format="json")
    assert response.status_code == 400 and "action" in response.data["errors"]


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("lead_officer", "cancel", 403),
        ("neighbour_officer", "report", 403),
        ("viewer", "start", 403),
        ("outsider", "report", 404),
    ],
)
def test_moves_the_user_may_not_make_are_refused(who, action, status, request, api, make_directive):
    directive = make_directive()
    response = api(request.getfixturevalue(who)).post(
        move_url(directive), {"action": action, "note": "Lý do", "text": "Đã xong"}, format="json"
    )
    assert response.status_code == status
    directive.refresh_from_db()
    assert directive.state == S.ASSIGNED and not DirectiveEvent.objects.exists()


def test_the_state_is_not_written_through_the_api(api, specialist, make_directive):
    directive = make_directive()
    response = api(specialist).patch(
        f"/api/meetings/directives/{directive.pk}/",
        {"state": "accepted", "text": "Sửa"},
        format="json",
        **if_match(directive),
    )
    assert response.status_code == 200
    directive.refresh_from_db()
    assert (directive.state, directive.text) == (S.ASSIGNED, "Sửa")


def test_a_directive_created_through_the_api_is_assigned_by_its_creator(
    api, specialist, session, agriculture_office
):
    response = api(specialist).post(
        "/api/meetings/directives/",
        {
            "session": session.pk,
            "text": "Xây dựng bộ chỉ số đổi mới sáng tạo",
            "lead_organization": agriculture_office.pk,
            "assigned_on": "2026-03-10",
            "recurrence": "once",
            "deadline": "2026-09-30",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    directive = Directive.objects.get()
    assert (directive.assigned_by, directive.state, directive.original_deadline) == (
        specialist,
        S.ASSIGNED,
        D(2026, 9, 30),
    )


def test_the_api_applies_the_directives_deadline_rules(api, specialist, session, agriculture_office):
    response = api(specialist).post(
        "/api/meetings/directives/",
        {
            "text": "Thường xuyên báo cáo",
            "lead_organization": agriculture_office.pk,
            "assigned_on": "2026-03-10",
            "recurrence": "regularly",
            "deadline": "2026-09-30",
        },
        format="json",
    )
    assert response.status_code == 400 and "deadline" in response.data["errors"]


def test_a_lead_unit_officer_may_not_create_directives_through_the_api(api, lead_officer, agriculture_office):
    response = api(lead_officer).post(
        "/api/meetings/directives/",
        {
            "text": "Tự giao",
            "lead_organization": agriculture_office.pk,
            "assigned_on": "2026-03-10",
            "recurrence": "regularly",
        },
        format="json",
    )
    assert response.status_code == 403 and not Directive.objects.exists()


def test_sessions_and_directives_are_listed_within_the_users_scope(
    api, lead_officer, outsider, session, make_directive
):
    directive = make_directive()
    assert [row["id"] for row in api(lead_officer).get("/api/meetings/sessions/").data["results"]] == [
        session.pk
    ]
    assert [row["id"] for row in api(lead_officer).get("/api/meetings/directives/").data["results"]] == [
        directive.pk
    ]
    assert api(outsider).get("/api/meetings/sessions/").data["results"] == []
    assert api(outsider).get(f"/api/meetings/directives/{directive.pk}/").status_code == 404


def test_events_and_reports_are_read_only(api, leader, specialist, lead_officer, make_directive):
    from stims.meetings import services

    directive = make_directive()
    services.move(directive, "report", lead_officer, on=D(2026, 4, 1), text="Đã xong")
    client = api(leader)
    events = client.get("/api/meetings/events/", {"directive": directive.pk}).data["results"]
    assert [event["action"] for event in events] == ["report"]
    assert (
        client.post(
            "/api/meetings/events/", {"directive": directive.pk, "action": "accept"}, format="json"
        ).status_code
        == 405
    )
    assert client.delete(f"/api/meetings/events/{events[0]['id']}/").status_code == 405
    assert (
        client.post(
            "/api/meetings/directive-reports/", {"directive": directive.pk, "text": "x"}, format="json"
        ).status_code
        == 405
    )


def test_the_session_children_are_written_through_the_api(api, specialist, session, director):
    client = api(specialist)
    response = client.post(
        "/api/meetings/participants/",
        {"session": session.pk, "person": director.pk, "role": "chair", "position": "Giám đốc Sở"},
        format="json",
    )
    assert response.status_code == 201
    response = client.post(
        "/api/meetings/participants/", {"session": session.pk, "role": "guest"}, format="json"
    )
    assert response.status_code == 400
    response = client.post(
        "/api/meetings/requests/",
        {"session": session.pk, "text": "Đề nghị hỗ trợ", "status": "answered"},
        format="json",
    )
    assert response.status_code == 400 and "response" in response.data["errors"]


# --- Moves cannot be forged (issue #12, finding 5) ---------------------------------------------------------------


def directive_url(directive):
    return f"/api/meetings/directives/{directive.pk}/"


def row_of(directive):
    return Directive.objects.filter(pk=directive.pk).values().get()


def test_a_specialist_cannot_make_himself_the_assigner_and_accept(api, lead_officer, make_directive):
    from stims.testing import make_user

    intruder = make_user("specialist", username="chuyenvienkhac")
    directive = make_directive(state=S.REPORTED)
    DirectiveReport.objects.create(
        directive=directive, reported_on=D(2026, 4, 1), text="Đã xong", reported_by=lead_officer
    )
    before = row_of(directive)
    client = api(intruder)
    response = client.patch(
        directive_url(directive), {"assigned_by": intruder.pk}, format="json", **if_match(directive)
    )
    assert response.status_code == 400
    assert response.data["errors"]["assigned_by"] == [
        "Who assigned a directive is recorded with it and does not change."
    ]
    assert row_of(directive) == before
    response = client.post(move_url(directive), {"action": "accept", "on": "2026-04-02"}, format="json")
    assert response.status_code == 403
    assert str(response.data["detail"]) == (
        "Only whoever assigned this directive, or a department leader, may do that."
    )
    assert row_of(directive) == before and not DirectiveEvent.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put"])
def test_the_deadline_does_not_change_by_put_or_patch(method, api, specialist, make_directive, session):
    directive = make_directive(state=S.ACCEPTED)
    before = row_of(directive)
    payload = {"deadline": "2027-06-30"}
    if method == "put":
        payload = {**api(specialist).get(directive_url(directive)).data, **payload}
    response = getattr(api(specialist), method)(
        directive_url(directive), payload, format="json", **if_match(directive)
    )
    assert response.status_code == 400
    assert response.data["errors"]["deadline"] == [
        "The deadline changes only by extending it, with the reason (“extend”)."
    ]
    assert row_of(directive) == before


def test_a_put_that_keeps_the_assigner_and_deadline_is_saved(api, specialist, make_directive):
    directive = make_directive()
    payload = {**api(specialist).get(directive_url(directive)).data, "text": "Nội dung đã sửa"}
    response = api(specialist).put(directive_url(directive), payload, format="json", **if_match(directive))
    assert response.status_code == 200, response.content
    directive.refresh_from_db()
    assert (directive.text, directive.deadline) == ("Nội dung đã sửa", D(2026, 6, 30))


def test_the_day_assigned_does_not_change_once_the_directive_moved(
    api, specialist, lead_officer, make_directive
):
    from stims.meetings import services

    directive = make_directive()
    services.move(directive, "start", lead_officer, on=D(2026, 4, 1))
    before = row_of(directive)
    response = api(specialist).patch(
        directive_url(directive), {"assigned_on": "2026-04-15"}, format="json", **if_match(directive)
    )
    assert response.status_code == 400
    assert response.data["errors"]["assigned_on"] == [
        "The day it was assigned does not change once the directive has moved."
    ]
    assert row_of(directive) == before


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (
            {"action": "report", "on": "1990-01-01", "text": "Đã xong"},
            "The date cannot be before the directive was assigned (10/03/2026).",
        ),
        ({"action": "start", "on": "2999-01-01"}, "The date cannot be after today"),
    ],
)
def test_a_move_dated_out_of_bounds_is_refused(payload, reason, api, lead_officer, make_directive):
    directive = make_directive()
    response = api(lead_officer).post(move_url(directive), payload, format="json")
    assert response.status_code == 400
    assert len(response.data["errors"]) == 1 and response.data["errors"][0].startswith(reason)
    directive.refresh_from_db()
    assert directive.state == S.ASSIGNED and not DirectiveEvent.objects.exists()
    assert not DirectiveReport.objects.exists()


def test_the_lead_units_own_leader_does_not_accept_its_report_through_the_api(
    api, make_directive, agriculture_office
):
    from stims.meetings import services
    from stims.testing import make_user

    own_leader = make_user("leader", organization_id=agriculture_office.pk)
    directive = make_directive(assigned_by=own_leader)
    services.move(directive, "report", own_leader, on=D(2026, 4, 1), text="Đã xong")
    response = api(own_leader).post(
        move_url(directive), {"action": "accept", "on": "2026-04-01"}, format="json"
    )
    assert response.status_code == 403
    assert str(response.data["detail"]).startswith(f"A user of the lead unit ({agriculture_office})")
    directive.refresh_from_db()
    assert directive.state == S.REPORTED and directive.events.count() == 1


def new_directive(session, lead, **fields):
    return {
        "session": session.pk,
        "text": "Xây dựng bộ chỉ số đổi mới sáng tạo",
        "lead_organization": lead.pk,
        "assigned_on": "2026-03-10",
        "recurrence": "once",
        "deadline": "2026-09-30",
        **fields,
    }


def test_bulk_create_refuses_an_assigner_outside_the_department_staff(
    api, specialist, lead_officer, session, agriculture_office
):
    response = api(specialist).post(
        "/api/meetings/directives/",
        [
            new_directive(session, agriculture_office),
            new_directive(session, agriculture_office, assigned_by=lead_officer.pk),
        ],
        format="json",
    )
    assert response.status_code == 400
    assert response.data["errors"][0] == {}
    assert response.data["errors"][1]["assigned_by"] == [
        "A directive is assigned by a leader or specialist of the department."
    ]
    assert not Directive.objects.exists()


def test_bulk_create_refuses_a_directive_assigned_before_its_session(
    api, specialist, session, agriculture_office
):
    response = api(specialist).post(
        "/api/meetings/directives/",
        [new_directive(session, agriculture_office, assigned_on="1990-01-01", deadline="1990-06-30")],
        format="json",
    )
    assert response.status_code == 400
    assert response.data["errors"][0]["assigned_on"] == [
        "A directive of this session cannot be assigned before the session (10/03/2026)."
    ]
    assert not Directive.objects.exists()


def test_bulk_create_by_department_staff_is_assigned_by_them(api, leader, session, agriculture_office):
    response = api(leader).post(
        "/api/meetings/directives/", [new_directive(session, agriculture_office)], format="json"
    )
    assert response.status_code == 201, response.content
    assert Directive.objects.get().assigned_by == leader


def test_a_directive_recorded_without_an_assigner_gets_one_from_the_staff_once(
    api, specialist, leader, lead_officer, make_directive
):
    directive = make_directive(assigned_by=None)
    client = api(specialist)
    response = client.patch(
        directive_url(directive), {"assigned_by": lead_officer.pk}, format="json", **if_match(directive)
    )
    assert response.status_code == 400
    assert response.data["errors"]["assigned_by"] == [
        "A directive is assigned by a leader or specialist of the department."
    ]
    directive.refresh_from_db()
    assert directive.assigned_by is None
    response = client.patch(
        directive_url(directive), {"assigned_by": leader.pk}, format="json", **if_match(directive)
    )
    assert response.status_code == 200, response.content
    directive.refresh_from_db()
    response = client.patch(
        directive_url(directive), {"assigned_by": specialist.pk}, format="json", **if_match(directive)
    )
    assert response.status_code == 400
    directive.refresh_from_db()
    assert directive.assigned_by == leader
