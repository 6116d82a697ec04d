"""The session, request and directive pages: what they show, who may change what, and their query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.core import tables
from stims.core.tests.versions import versioned
from stims.meetings.models import (
    OPEN_STATES,
    AgendaItem,
    Directive,
    DirectiveReport,
    DirectiveState,
    LocalityRequest,
    Participant,
    ParticipantRole,
    Recurrence,
    SessionDocument,
    SessionFigure,
    WorkingSession,
)
from stims.orgs.models import Person
from stims.testing import make_user

S = DirectiveState
D = datetime.date
PDF = b"%PDF-1.4 bien ban lam viec"


@pytest.fixture(autouse=True)
def private_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def rows(response):
    return [row.record for row in response.context["table"].page.object_list]


# --- Session list -----------------------------------------------------------------------------------------


def test_the_session_list_filters_by_date_status_locality_host_chair_and_search(
    client_as, specialist, session, ba_che, department, director
):
    other = WorkingSession.objects.create(
        title="Làm việc với huyện Ba Chẽ về cây dược liệu",
        held_on=D(2025, 11, 5),
        host_organization=department,
        admin_unit=ba_che,
        status="planned",
    )
    client = client_as(specialist)
    url = reverse("meetings:workingsession_list")

    def listed(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return rows(response)

    assert listed() == [session, other]
    assert listed(held_from="01/01/2026") == [session]
    assert listed(held_to="31/12/2025") == [other]
    assert listed(status="planned") == [other]
    assert listed(admin_unit=ba_che.pk) == [other]
    assert listed(admin_unit=ba_che.province_id) == [other]  # a province finds the sessions of its districts
    assert listed(chair=director.pk) == [session]
    assert listed(host_organization=department.pk) == [session, other]
    assert listed(q="dinh hoa") == [session]


def test_the_session_list_counts_directives_and_the_open_ones(client_as, specialist, session, make_directive):
    make_directive()
    make_directive(state=S.ACCEPTED)
    response = client_as(specialist).get(reverse("meetings:workingsession_list"))
    [listed] = rows(response)
    assert (listed.directive_count, listed.open_count) == (2, 1)


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_the_session_list_exports(format_, client_as, specialist, session):
    response = client_as(specialist).get(reverse("meetings:workingsession_list"), {"_export": format_})
    assert response.status_code == 200
    if format_ == "csv":
        assert "Làm việc với UBND huyện Định Hóa" in response.content.decode()
    else:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_session_list_shows_a_local_officer_only_their_districts_sessions(
    client_as, outsider, lead_officer, session
):
    assert rows(client_as(outsider).get(reverse("meetings:workingsession_list"))) == []
    assert rows(client_as(lead_officer).get(reverse("meetings:workingsession_list"))) == [session]


def test_the_session_list_runs_a_constant_number_of_queries(
    client_as, specialist, session, department, dinh_hoa, make_directive, django_assert_num_queries
):
    client = client_as(specialist)
    url = reverse("meetings:workingsession_list")
    make_directive()
    client.get(url)
    with django_assert_num_queries(5) as few:
        client.get(url)
    for number in range(30):
        other = WorkingSession.objects.create(
            title=f"Buổi làm việc {number}",
            held_on=D(2026, 1, 1 + number % 28),
            host_organization=department,
            admin_unit=dinh_hoa,
            chair=Person.objects.create(full_name=f"Người chủ trì {number}", admin_unit=dinh_hoa.province),
        )
        make_directive(session=other)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(url))) == 25


# --- Session page ------------------------------------------------------------------------------------------


def _fill_session(session, count, *, lead, supporter, specialist):
    for number in range(count):
        person = Person.objects.create(
            full_name=f"Đại biểu {session.pk}-{number}", admin_unit=session.admin_unit
        )
        for role in (ParticipantRole.HOST, ParticipantRole.LOCALITY):
            Participant.objects.create(
                session=session,
                person=person,
                role=role,
                position="Phó Chủ tịch UBND huyện",
                organization=lead,
            )
        AgendaItem.objects.create(session=session, order=number, title=f"Báo cáo nội dung {number}")
        SessionDocument.objects.create(session=session, title=f"Báo cáo số {number}")
        SessionFigure.objects.create(
            session=session, label=f"Sản phẩm OCOP {number}", value=13, unit="sản phẩm"
        )
        request = LocalityRequest.objects.create(
            session=session, text=f"Đề nghị hỗ trợ {number}", from_unit=session.admin_unit
        )
        directive = Directive.objects.create(
            session=session,
            request=request,
            text=f"Giao phòng hỗ trợ {number}",
            lead_organization=lead,
            assigned_by=specialist,
            assigned_on=D(2026, 3, 10),
            deadline=D(2026, 4, 1),
        )
        directive.supporting_organizations.add(supporter)


def test_the_session_page_reads_like_the_minutes(
    client_as, specialist, session, director, agriculture_office, economy_office, make_directive
):
    Participant.objects.create(
        session=session, person=director, role=ParticipantRole.CHAIR, position="Giám đốc Sở KH&CN"
    )
    Participant.objects.create(
        session=session,
        name="Ma Thị Hà",
        role=ParticipantRole.LOCALITY,
        position="Phó Chủ tịch UBND huyện Định Hóa",
    )
    Participant.objects.create(
        session=session, organization=agriculture_office, role=ParticipantRole.REPORTER
    )
    AgendaItem.objects.create(
        session=session, order=1, title="Báo cáo kết quả hoạt động KH&CN năm 2025", presenter="UBND huyện"
    )
    SessionFigure.objects.create(session=session, label="Sản phẩm OCOP", value=13, unit="sản phẩm", year=2025)
    request = LocalityRequest.objects.create(
        session=session,
        text="Đề nghị Sở KH&CN hỗ trợ phục tráng giống lúa Bao Thai",
        status="accepted",
        response="Sở giao Phòng Quản lý Khoa học hướng dẫn hồ sơ",
        from_unit=session.admin_unit,
    )
    late = make_directive(request=request, deadline=D(2026, 4, 1))
    late.supporting_organizations.add(economy_office)
    make_directive(recurrence=Recurrence.REGULARLY, deadline=None, text="Thường xuyên báo cáo tiến độ")
    response = client_as(specialist).get(session.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    sides = {role: [str(p) for p in people] for role, _label, people in response.context["sides"]}
    assert sides["chair"] == ["Hoàng Văn Hùng, Giám đốc Sở KH&CN"]
    assert sides["locality"] == ["Ma Thị Hà, Phó Chủ tịch UBND huyện Định Hóa"]
    assert sides["reporter"] == ["Phòng Nông nghiệp và PTNT huyện Định Hóa"]
    assert "Giám đốc Sở KH&amp;CN" in page and "Báo cáo kết quả hoạt động KH&amp;CN năm 2025" in page
    assert "Sản phẩm OCOP" in page and "Sở giao Phòng Quản lý Khoa học hướng dẫn hồ sơ" in page
    assert f'data-testid="directive-{late.pk}" data-overdue="1"' in page
    assert "regularly" in page and "Phòng Kinh tế và Hạ tầng huyện Định Hóa" in page
    assign = f"{reverse('meetings:directive_add')}?session={session.pk}&amp;request={request.pk}"
    assert assign in page
    assert f"{reverse('meetings:participant_add')}?session={session.pk}" in page


def test_the_session_page_runs_a_constant_number_of_queries(
    client_as,
    specialist,
    session,
    department,
    dinh_hoa,
    agriculture_office,
    economy_office,
    django_assert_num_queries,
):
    client = client_as(specialist)
    # The same links as the small session, so that the change-history panel resolves as many records.
    larger = WorkingSession.objects.create(
        title="Buổi làm việc lớn",
        held_on=D(2026, 3, 11),
        host_organization=department,
        admin_unit=dinh_hoa,
        chair=session.chair,
    )
    _fill_session(session, 1, lead=agriculture_office, supporter=economy_office, specialist=specialist)
    _fill_session(larger, 15, lead=agriculture_office, supporter=economy_office, specialist=specialist)
    client.get(session.get_absolute_url())
    with django_assert_num_queries(18):
        client.get(session.get_absolute_url())
    with django_assert_num_queries(18):
        response = client.get(larger.get_absolute_url())
    assert len(response.context["directives"]) == 15 and response.context["participant_count"] == 30


def test_a_local_officer_reads_their_districts_session_but_changes_nothing(client_as, lead_officer, session):
    response = client_as(lead_officer).get(session.get_absolute_url())
    assert response.status_code == 200
    assert not response.context["can_change"] and not response.context["can_add_directive"]
    assert reverse("meetings:participant_add") not in response.content.decode()
    assert (
        client_as(lead_officer).get(reverse("meetings:workingsession_edit", args=[session.pk])).status_code
        == 403
    )
    assert (
        client_as(lead_officer).get(f"{reverse('meetings:participant_add')}?session={session.pk}").status_code
        == 403
    )


def test_a_viewer_reads_the_session_without_edit_links(client_as, viewer, session):
    response = client_as(viewer).get(session.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        reverse("meetings:directive_add") not in page
        and reverse("meetings:workingsession_edit", args=[session.pk]) not in page
    )


def test_a_session_of_another_district_is_not_found(client_as, outsider, session):
    assert client_as(outsider).get(session.get_absolute_url()).status_code == 404
    assert client_as(outsider).get(reverse("meetings:sessiondocument_add")).status_code == 403


def test_a_specialist_of_the_department_may_not_edit_a_session_out_of_their_organization_scope(
    client_as, session, ba_che_office
):
    narrow = make_user("specialist", organization=ba_che_office)
    assert client_as(narrow).get(session.get_absolute_url()).status_code == 404
    assert (
        client_as(narrow).get(reverse("meetings:workingsession_edit", args=[session.pk])).status_code == 404
    )


def test_a_specialist_plans_a_session_and_edits_it_and_a_leader_deletes_it(
    client_as, specialist, leader, department, dinh_hoa, director
):
    client = client_as(specialist)
    response = client.post(
        reverse("meetings:workingsession_add"),
        {
            "title": "Làm việc với huyện Định Hóa về phục tráng lúa Bao Thai",
            "held_on": "15/04/2026",
            "start_time": "08:00",
            "end_time": "11:00",
            "status": "planned",
            "host_organization": department.pk,
            "admin_unit": dinh_hoa.pk,
            "chair": director.pk,
            "chair_position": "Giám đốc Sở",
        },
    )
    created = WorkingSession.objects.get(title__startswith="Làm việc với huyện Định Hóa về phục tráng")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert (created.held_on, created.start_time) == (D(2026, 4, 15), datetime.time(8, 0))
    response = client.post(
        reverse("meetings:workingsession_edit", args=[created.pk]),
        versioned(
            created,
            {
                "title": created.title,
                "held_on": "15/04/2026",
                "start_time": "11:00",
                "end_time": "08:00",
                "status": "held",
                "host_organization": department.pk,
            },
        ),
    )
    assert (
        response.status_code == 200
        and "The session cannot end before it starts." in response.content.decode()
    )
    created.refresh_from_db()
    assert created.status == "planned"
    assert client.post(reverse("meetings:workingsession_delete", args=[created.pk])).status_code == 403
    assert (
        client_as(leader).post(reverse("meetings:workingsession_delete", args=[created.pk])).status_code
        == 302
    )
    assert not WorkingSession.objects.filter(pk=created.pk).exists()


def test_a_viewer_may_not_add_a_session(client_as, viewer):
    assert client_as(viewer).get(reverse("meetings:workingsession_add")).status_code == 403


# --- Child records from the session page ---------------------------------------------------------------------


def test_the_add_links_prefill_the_session_and_saving_returns_to_it(
    client_as, specialist, leader, session, director
):
    client = client_as(specialist)
    form = client.get(reverse("meetings:participant_add"), {"session": session.pk}).context["form"]
    assert str(form.initial["session"]) == str(session.pk)
    response = client.post(
        reverse("meetings:participant_add"),
        {
            "session": session.pk,
            "role": "host",
            "person": director.pk,
            "position": "Giám đốc Sở",
        },
    )
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    participant = session.participants.get()
    response = client.post(
        reverse("meetings:participant_edit", args=[participant.pk]),
        versioned(
            participant,
            {
                "session": session.pk,
                "role": "chair",
                "person": director.pk,
                "position": "Giám đốc Sở KH&CN",
            },
        ),
    )
    assert response["Location"] == session.get_absolute_url()
    participant.refresh_from_db()
    assert (participant.role, participant.position) == ("chair", "Giám đốc Sở KH&CN")
    assert (
        reverse("meetings:participant_delete", args=[participant.pk])
        not in client.get(session.get_absolute_url()).content.decode()
    )
    assert client.post(reverse("meetings:participant_delete", args=[participant.pk])).status_code == 403
    response = client_as(leader).post(reverse("meetings:participant_delete", args=[participant.pk]))
    assert response["Location"] == session.get_absolute_url() and not session.participants.exists()


def test_a_participant_needs_a_person_an_organization_or_a_name(client_as, specialist, session):
    response = client_as(specialist).post(
        reverse("meetings:participant_add"), {"session": session.pk, "role": "guest"}
    )
    assert (
        response.status_code == 200
        and "Choose a person or an organization, or type a name." in response.content.decode()
    )
    assert not session.participants.exists()


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("agendaitem_add", {"order": 1, "title": "Báo cáo tình hình KH&CN", "presenter": "UBND huyện"}),
        (
            "sessionfigure_add",
            {"label": "Kinh phí KH&CN năm 2022", "value": "550000000", "unit": "đồng", "year": 2022},
        ),
        ("localityrequest_add", {"text": "Đề nghị hỗ trợ xây dựng nhãn hiệu chè Định Hóa", "status": "open"}),
    ],
)
def test_agenda_figures_and_requests_are_added_from_the_session(
    url_name, data, client_as, specialist, session
):
    response = client_as(specialist).post(reverse(f"meetings:{url_name}"), {"session": session.pk, **data})
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert session.agenda_items.count() + session.figures.count() + session.requests.count() == 1


def test_an_answered_request_needs_its_answer(client_as, specialist, session):
    response = client_as(specialist).post(
        reverse("meetings:localityrequest_add"),
        {"session": session.pk, "text": "Đề nghị hỗ trợ kinh phí", "status": "answered"},
    )
    assert "Write the answer the locality was given." in response.content.decode()
    assert not session.requests.exists()


def test_a_session_document_is_uploaded_and_downloaded_only_through_the_protected_view(
    client_as, specialist, lead_officer, outsider, session
):
    client = client_as(specialist)
    response = client.post(
        reverse("meetings:sessiondocument_add"),
        {
            "session": session.pk,
            "kind": "report",
            "title": "Báo cáo của UBND huyện",
            "file": SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    document = session.documents.get()
    download = reverse("meetings:sessiondocument_download", args=[document.pk])
    page = client.get(session.get_absolute_url()).content.decode()
    assert download in page and document.file.url not in page
    assert b"".join(client.get(download).streaming_content) == PDF
    assert client_as(lead_officer).get(download).status_code == 200
    assert client_as(outsider).get(download).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("virus.exe", b"MZ\x90\x00", "Files of type “exe” cannot be uploaded"),
        ("bao-cao.pdf", b"not a pdf at all", "The file's content is not a PDF document."),
    ],
)
def test_a_session_document_that_is_not_an_allowed_document_is_refused(
    name, content, error, client_as, specialist, session
):
    response = client_as(specialist).post(
        reverse("meetings:sessiondocument_add"),
        {
            "session": session.pk,
            "kind": "report",
            "title": "Tệp lạ",
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200 and any(
        error in message for message in response.context["form"].errors["file"]
    )
    assert not session.documents.exists()


# --- Directive form ------------------------------------------------------------------------------------------------


def test_assigning_a_directive_for_a_request_prefills_the_request_and_session(
    client_as, specialist, session, agriculture_office, economy_office
):
    request = LocalityRequest.objects.create(
        session=session, text="Đề nghị hỗ trợ phục tráng giống lúa Bao Thai"
    )
    client = client_as(specialist)
    form = client.get(
        reverse("meetings:directive_add"), {"session": session.pk, "request": request.pk}
    ).context["form"]
    assert (str(form.initial["session"]), str(form.initial["request"])) == (str(session.pk), str(request.pk))
    assert list(form.fields["request"].queryset) == [request]
    assert form.initial["assigned_by"] == specialist.pk
    response = client.post(
        reverse("meetings:directive_add"),
        {
            "session": session.pk,
            "request": request.pk,
            "text": "Giao Phòng Nông nghiệp hỗ trợ phục tráng lúa Bao Thai",
            "lead_organization": agriculture_office.pk,
            "supporting_organizations": [economy_office.pk],
            "assigned_by": specialist.pk,
            "assigned_on": "10/03/2026",
            "recurrence": "once",
            "deadline": "30/09/2026",
            "state": "accepted",
        },
    )
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    directive = request.directives.get()
    assert (directive.state, directive.deadline, directive.original_deadline, directive.assigned_by) == (
        S.ASSIGNED,
        D(2026, 9, 30),
        D(2026, 9, 30),
        specialist,
    )
    assert list(directive.supporting_organizations.all()) == [economy_office]
    assert "Giao Phòng Nông nghiệp" in client.get(reverse("meetings:localityrequest_list")).content.decode()


def test_a_directive_without_an_assigner_chosen_is_assigned_by_the_user_who_records_it(
    client_as, specialist, session, agriculture_office
):
    client_as(specialist).post(
        reverse("meetings:directive_add"),
        {
            "session": session.pk,
            "text": "Tham mưu tờ trình đề nghị bổ sung dự toán",
            "lead_organization": agriculture_office.pk,
            "assigned_on": "10/03/2026",
            "recurrence": "regularly",
        },
    )
    assert Directive.objects.get().assigned_by == specialist


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"recurrence": "once"}, "Give the deadline, or choose “regularly”."),
        (
            {"recurrence": "regularly", "deadline": "30/09/2026"},
            "A directive carried out regularly has no deadline.",
        ),
        (
            {"recurrence": "once", "deadline": "01/03/2026"},
            "The deadline cannot be before the day it was assigned.",
        ),
    ],
)
def test_the_directive_form_checks_its_deadline(
    data, error, client_as, specialist, session, agriculture_office
):
    response = client_as(specialist).post(
        reverse("meetings:directive_add"),
        {
            "session": session.pk,
            "text": "Xây dựng bộ chỉ số đổi mới sáng tạo",
            "lead_organization": agriculture_office.pk,
            "assigned_on": "10/03/2026",
            **data,
        },
    )
    assert response.status_code == 200 and error in response.content.decode()
    assert not Directive.objects.exists()


def test_a_directive_may_only_answer_a_request_of_its_own_session(
    client_as, specialist, session, department, agriculture_office
):
    elsewhere = WorkingSession.objects.create(
        title="Buổi khác", held_on=D(2026, 2, 1), host_organization=department
    )
    foreign = LocalityRequest.objects.create(session=elsewhere, text="Đề nghị khác")
    response = client_as(specialist).post(
        reverse("meetings:directive_add"),
        {
            "session": session.pk,
            "request": foreign.pk,
            "text": "Hỗ trợ",
            "lead_organization": agriculture_office.pk,
            "assigned_on": "10/03/2026",
            "recurrence": "regularly",
        },
    )
    assert response.status_code == 200 and not Directive.objects.exists()


def test_editing_a_directive_cannot_change_its_state(
    client_as, specialist, make_directive, agriculture_office, session
):
    directive = make_directive()
    response = client_as(specialist).post(
        reverse("meetings:directive_edit", args=[directive.pk]),
        versioned(
            directive,
            {
                "session": session.pk,
                "text": "Nội dung đã sửa",
                "lead_organization": agriculture_office.pk,
                "assigned_by": specialist.pk,
                "assigned_on": "10/03/2026",
                "recurrence": "once",
                "deadline": "30/06/2026",
                "state": "accepted",
                "done_on": "01/04/2026",
            },
        ),
    )
    assert response.status_code == 302
    directive.refresh_from_db()
    assert (directive.text, directive.state, directive.done_on) == ("Nội dung đã sửa", S.ASSIGNED, None)


@pytest.mark.parametrize("who", ["lead_officer", "viewer"])
def test_only_department_staff_create_or_edit_directives(who, request, client_as, make_directive):
    user = request.getfixturevalue(who)
    client = client_as(user)
    directive = make_directive()
    assert client.get(reverse("meetings:directive_add")).status_code == 403
    assert client.get(reverse("meetings:directive_edit", args=[directive.pk])).status_code == 403
    assert client.post(reverse("meetings:directive_delete", args=[directive.pk])).status_code == 403
    assert Directive.objects.filter(pk=directive.pk).exists()


def test_the_supporting_units_search_offers_boxes_to_tick(client_as, specialist, economy_office):
    response = client_as(specialist).get(
        reverse("meetings:organization_checkboxes"),
        {"q": "kinh te ha tang", "name": "supporting_organizations"},
    )
    page = response.content.decode()
    assert f'name="supporting_organizations" value="{economy_office.pk}"' in page


# --- Locality requests ----------------------------------------------------------------------------------------


def test_the_request_list_filters_by_status_locality_and_session_date(
    client_as, specialist, session, department, ba_che, make_directive
):
    answered = LocalityRequest.objects.create(
        session=session, text="Đề nghị hỗ trợ lúa Bao Thai", status="answered", response="Đồng ý hỗ trợ"
    )
    make_directive(request=answered, text="Hỗ trợ phục tráng lúa Bao Thai")
    ba_che_session = WorkingSession.objects.create(
        title="Làm việc với Ba Chẽ", held_on=D(2025, 10, 1), host_organization=department, admin_unit=ba_che
    )
    open_request = LocalityRequest.objects.create(session=ba_che_session, text="Đề nghị hỗ trợ Ba Kích")
    client = client_as(specialist)
    url = reverse("meetings:localityrequest_list")

    def listed(**query):
        return rows(client.get(url, query))

    assert listed() == [answered, open_request]
    assert listed(status="open") == [open_request]
    assert listed(locality=ba_che.pk) == [open_request]
    assert listed(held_from="01/01/2026") == [answered]
    assert listed(held_to="31/12/2025") == [open_request]
    page = client.get(url).content.decode()
    assert "Đồng ý hỗ trợ" in page and "Hỗ trợ phục tráng lúa Bao Thai" in page
    csv = client.get(url, {"_export": "csv"}).content.decode()
    assert "Hỗ trợ phục tráng lúa Bao Thai" in csv and "Đề nghị hỗ trợ Ba Kích" in csv


def test_the_request_list_runs_a_constant_number_of_queries(
    client_as, specialist, session, make_directive, django_assert_num_queries
):
    client = client_as(specialist)
    url = reverse("meetings:localityrequest_list")
    make_directive(request=LocalityRequest.objects.create(session=session, text="Đề nghị 0"))
    client.get(url)
    with django_assert_num_queries(6) as few:
        client.get(url)
    for number in range(1, 20):
        make_directive(request=LocalityRequest.objects.create(session=session, text=f"Đề nghị {number}"))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


# --- Directive list ---------------------------------------------------------------------------------------------


def test_the_directive_list_puts_overdue_directives_first(client_as, specialist, make_directive):
    # The list's "overdue" is measured against today, so deadlines are set relative to it.
    today = datetime.date.today()
    soon = make_directive(
        deadline=today + datetime.timedelta(days=3), assigned_on=today - datetime.timedelta(days=60)
    )
    late = make_directive(
        deadline=today - datetime.timedelta(days=1), assigned_on=today - datetime.timedelta(days=60)
    )
    reported = make_directive(
        deadline=today - datetime.timedelta(days=5),
        assigned_on=today - datetime.timedelta(days=60),
        state=S.REPORTED,
    )
    regular = make_directive(recurrence=Recurrence.REGULARLY, deadline=None)
    client = client_as(specialist)
    url = reverse("meetings:directive_list")
    response = client.get(url)
    assert rows(response) == [late, reported, soon, regular]
    assert response.content.decode().count('data-overdue="1"') == 1
    assert rows(client.get(url, {"overdue": "true"})) == [late]
    assert rows(client.get(url, {"overdue": "false"})) == [reported, soon, regular]
    assert rows(client.get(url, {"order": "deadline"})) == [reported, late, soon, regular]


@pytest.mark.parametrize("query", [{}, {"sort": "-deadline"}, {"order": "newest"}, {"state": S.ASSIGNED}])
def test_a_long_directive_lists_pages_read_overdue_then_the_rest_by_key_as_the_one_query_does(
    client_as, specialist, make_directive, monkeypatch, query
):
    """Past LATE_ROWS_ABOVE rows a page's keys are read part by part (core.tables.ordered_in_parts:
    the overdue open directives by deadline, then the rest; no sort of every row by the CASE): every
    page holds the same directives in the same order as the one-query read, across the part boundary,
    re-sorted by a header or filtered (then in one ordered read, as before)."""
    today = datetime.date.today()
    past, future = today - datetime.timedelta(days=60), today + datetime.timedelta(days=30)
    for days, state in [(-9, None), (-3, None), (-3, S.IN_PROGRESS), (-3, S.RETURNED), (-1, None)]:
        make_directive(deadline=today + datetime.timedelta(days=days), assigned_on=past, state=state)
    for days, state in [(-9, S.REPORTED), (-3, S.ACCEPTED), (-1, S.CANCELLED), (0, None), (5, S.REPORTED)]:
        make_directive(deadline=today + datetime.timedelta(days=days), assigned_on=past, state=state)
    for _ in range(2):
        make_directive(deadline=future, assigned_on=past)
        make_directive(recurrence=Recurrence.REGULARLY, deadline=None, assigned_on=past)
    client = client_as(specialist)
    url = reverse("meetings:directive_list")

    def pages():
        shown, sql, number, last = [], [], 1, 1
        while number <= last:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {**query, "page": number, "per_page": 3})
            shown.append([row.pk for row in rows(response)])
            sql.append([q["sql"] for q in queries.captured_queries])
            number, last = number + 1, response.context["table"].paginator.num_pages
        return shown, sql

    one_query, one_sql = pages()
    monkeypatch.setattr(tables, "LATE_ROWS_ABOVE", 2)
    by_key, key_sql = pages()
    assert by_key == one_query
    listed = [pk for page in by_key for pk in page]
    filtered = {name: value for name, value in query.items() if name not in ("sort", "order")}
    assert sorted(listed) == sorted(Directive.objects.filter(**filtered).values_list("pk", flat=True))
    keys = [
        q for page in key_sql for q in page if q.startswith('SELECT "meetings_directive"."id" AS "pk" FROM')
    ]
    if query:  # re-sorted or filtered: the keys in one ordered read, as any list
        assert all(len(late) == len(one) + 1 for late, one in zip(key_sql, one_sql, strict=True))
    else:  # the keys by part: never the rank expression, never more than two reads a page
        assert keys and not any("CASE" in q for q in keys), [q for q in keys if "CASE" in q]
        assert all(
            len(one) + 1 <= len(late) <= len(one) + 2 for late, one in zip(key_sql, one_sql, strict=True)
        )
    if not query:
        overdue = Directive.objects.filter(state__in=OPEN_STATES, deadline__lt=today)
        assert set(listed[:5]) == set(overdue.values_list("pk", flat=True))


def test_the_directive_list_filters(
    client_as, specialist, make_directive, economy_office, session, department, ba_che, ba_che_office
):
    rice = make_directive(
        text="Phục tráng giống lúa Bao Thai", deadline=D(2026, 6, 30), admin_unit=session.admin_unit
    )
    index = make_directive(
        text="Xây dựng bộ chỉ số đổi mới sáng tạo",
        lead_organization=economy_office,
        recurrence=Recurrence.ANNUALLY,
        deadline=D(2026, 12, 31),
        state=S.IN_PROGRESS,
    )
    other_session = WorkingSession.objects.create(
        title="Làm việc với Ba Chẽ", held_on=D(2026, 2, 1), host_organization=department, admin_unit=ba_che
    )
    budget = make_directive(
        text="Tham mưu tờ trình bổ sung dự toán",
        session=other_session,
        lead_organization=ba_che_office,
        recurrence=Recurrence.REGULARLY,
        deadline=None,
        admin_unit=ba_che,
    )
    client = client_as(specialist)
    url = reverse("meetings:directive_list")

    def listed(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return set(rows(response))

    assert listed(state="in_progress") == {index}
    assert listed(lead_organization=economy_office.pk) == {index}
    assert listed(deadline_from="01/07/2026") == {index}
    assert listed(deadline_to="30/06/2026") == {rice}
    assert listed(recurrence="regularly") == {budget}
    assert listed(admin_unit=ba_che.pk) == {budget}
    assert listed(session=other_session.pk) == {budget}
    assert listed(q="chi so doi moi") == {index}
    csv = client.get(url, {"_export": "csv"}).content.decode()
    assert (
        "Phục tráng giống lúa Bao Thai" in csv
        and "regularly" in csv
        and "annually, next by 31/12/2026" in csv
    )


def test_the_directive_list_shows_a_local_officer_their_districts_directives_only(
    client_as, lead_officer, outsider, make_directive
):
    directive = make_directive()
    assert rows(client_as(lead_officer).get(reverse("meetings:directive_list"))) == [directive]
    assert rows(client_as(outsider).get(reverse("meetings:directive_list"))) == []


def test_the_directive_list_runs_a_constant_number_of_queries(
    client_as, specialist, make_directive, economy_office, django_assert_num_queries
):
    client = client_as(specialist)
    url = reverse("meetings:directive_list")
    make_directive().supporting_organizations.add(economy_office)
    client.get(url)
    with django_assert_num_queries(6) as few:
        client.get(url)
    for _ in range(30):
        make_directive().supporting_organizations.add(economy_office)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(url))) == 25


# --- Directive page and its moves -------------------------------------------------------------------------------


def forms_offered(response):
    return [form.action_name for form in response.context["action_forms"]]


def test_the_directive_page_shows_its_deadlines_links_reports_and_timeline(
    client_as, specialist, lead_officer, make_directive, economy_office, session
):
    directive = make_directive(admin_unit=session.admin_unit, enterprise=economy_office)
    directive.supporting_organizations.add(economy_office)
    from stims.meetings import services

    services.move(
        directive, "extend", specialist, on=D(2026, 6, 1), note="Chờ vụ mùa", new_deadline=D(2026, 10, 31)
    )
    services.move(
        directive,
        "report",
        lead_officer,
        on=D(2026, 10, 1),
        text="Đã phục tráng 5 ha",
        evidence=SimpleUploadedFile("bien-ban.pdf", PDF),
    )
    response = client_as(specialist).get(directive.get_absolute_url())
    page = response.content.decode()
    assert "31/10/2026" in page and "originally 30/06/2026" in page
    assert session.get_absolute_url() in page and economy_office.get_absolute_url() in page
    assert reverse("geo:adminunit_detail", args=[session.admin_unit.pk]) in page
    report = directive.reports.get()
    assert reverse("meetings:directivereport_evidence", args=[report.pk]) in page
    assert "Chờ vụ mùa" in page and "deadline 30/06/2026 → 31/10/2026" in page and "Awaiting review" in page
    assert forms_offered(response) == ["accept", "return", "extend", "cancel"]


def test_the_lead_unit_officer_is_offered_start_and_report_only(client_as, lead_officer, make_directive):
    response = client_as(lead_officer).get(make_directive().get_absolute_url())
    assert forms_offered(response) == ["start", "report"]
    assert not response.context["can_change"]


@pytest.mark.parametrize("who", ["viewer", "neighbour_officer"])
def test_a_viewer_or_another_units_officer_is_offered_no_move(who, request, client_as, make_directive):
    response = client_as(request.getfixturevalue(who)).get(make_directive().get_absolute_url())
    assert response.status_code == 200 and forms_offered(response) == []
    assert 'data-testid="directive-actions"' not in response.content.decode()


def move_url(directive, action):
    return reverse("meetings:directive_move", args=[directive.pk, action])


@pytest.mark.parametrize(
    ("action", "state", "who", "data", "expected"),
    [
        ("start", S.ASSIGNED, "lead_officer", {"start-on": "01/04/2026"}, S.IN_PROGRESS),
        (
            "report",
            S.IN_PROGRESS,
            "lead_officer",
            {"report-on": "01/04/2026", "report-text": "Đã hoàn thành"},
            S.REPORTED,
        ),
        ("accept", S.REPORTED, "specialist", {"accept-on": "02/04/2026"}, S.ACCEPTED),
        (
            "return",
            S.REPORTED,
            "specialist",
            {"return-on": "02/04/2026", "return-note": "Thiếu số liệu"},
            S.RETURNED,
        ),
        (
            "extend",
            S.IN_PROGRESS,
            "specialist",
            {"extend-on": "02/04/2026", "extend-note": "Chờ vụ mùa", "extend-new_deadline": "31/12/2026"},
            S.IN_PROGRESS,
        ),
        (
            "cancel",
            S.ASSIGNED,
            "specialist",
            {"cancel-on": "02/04/2026", "cancel-note": "Không còn phù hợp"},
            S.CANCELLED,
        ),
    ],
)
def test_each_move_is_posted_from_the_directive_page(
    action, state, who, data, expected, request, client_as, make_directive, lead_officer
):
    directive = make_directive(state=state)
    if state == S.REPORTED:
        DirectiveReport.objects.create(
            directive=directive, reported_on=D(2026, 4, 1), text="Đã xong", reported_by=lead_officer
        )
    response = client_as(request.getfixturevalue(who)).post(move_url(directive, action), data)
    assert response.status_code == 302 and response["Location"] == directive.get_absolute_url()
    directive.refresh_from_db()
    assert directive.state == expected
    event = directive.events.get()
    assert (event.action, event.actor) == (action, request.getfixturevalue(who))
    if action == "extend":
        assert directive.deadline == D(2026, 12, 31)


def test_a_report_posted_with_evidence_keeps_the_file_for_the_directives_readers(
    client_as, lead_officer, specialist, outsider, make_directive
):
    directive = make_directive(state=S.IN_PROGRESS)
    response = client_as(lead_officer).post(
        move_url(directive, "report"),
        {
            "report-on": "01/04/2026",
            "report-text": "Biên bản nghiệm thu mô hình",
            "report-evidence": SimpleUploadedFile("nghiem-thu.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    report = directive.reports.get()
    evidence = reverse("meetings:directivereport_evidence", args=[report.pk])
    assert b"".join(client_as(specialist).get(evidence).streaming_content) == PDF
    assert client_as(outsider).get(evidence).status_code == 404


def test_a_report_with_a_forbidden_evidence_file_is_refused_and_keeps_the_text(
    client_as, lead_officer, make_directive
):
    directive = make_directive(state=S.IN_PROGRESS)
    response = client_as(lead_officer).post(
        move_url(directive, "report"),
        {
            "report-on": "01/04/2026",
            "report-text": "Đã làm xong phần việc được giao",
            "report-evidence": SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 200
    assert "Files of type “exe” cannot be uploaded" in response.content.decode()
    assert "Đã làm xong phần việc được giao" in response.content.decode()
    directive.refresh_from_db()
    assert directive.state == S.IN_PROGRESS and not directive.reports.exists()


def test_a_refused_move_shows_the_reasons_and_keeps_what_was_typed(client_as, specialist, make_directive):
    directive = make_directive(state=S.IN_PROGRESS)
    response = client_as(specialist).post(
        move_url(directive, "extend"),
        {
            "extend-on": "02/04/2026",
            "extend-note": "Chờ kết quả phân tích mẫu đất",
            "extend-new_deadline": "01/06/2026",
        },
    )
    assert response.status_code == 200
    assert response.context["refusals"] == ["The new deadline must be after the current one (30/06/2026)."]
    page = response.content.decode()
    assert (
        'data-testid="move-refusals"' in page
        and "Chờ kết quả phân tích mẫu đất" in page
        and 'value="01/06/2026"' in page
    )
    directive.refresh_from_db()
    assert (directive.deadline, directive.events.count()) == (D(2026, 6, 30), 0)


def test_a_move_without_its_reason_is_refused_on_the_page(client_as, specialist, make_directive):
    directive = make_directive(state=S.ASSIGNED)
    response = client_as(specialist).post(
        move_url(directive, "cancel"), {"cancel-on": "02/04/2026", "cancel-note": ""}
    )
    assert response.status_code == 200 and response.context["refusals"] == ["Give the reason."]
    directive.refresh_from_db()
    assert directive.state == S.ASSIGNED


def test_a_move_from_the_wrong_state_is_refused_on_the_page(client_as, specialist, make_directive):
    directive = make_directive(state=S.IN_PROGRESS)
    response = client_as(specialist).post(move_url(directive, "accept"), {"accept-on": "02/04/2026"})
    assert response.status_code == 200
    assert response.context["refusals"] == ["A directive that is “In progress” cannot be accepted."]


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("lead_officer", "accept", 403),
        ("lead_officer", "cancel", 403),
        ("neighbour_officer", "report", 403),
        ("viewer", "start", 403),
        ("specialist", "report", 403),
        ("outsider", "report", 404),
        ("specialist", "archive", 403),
    ],
)
def test_moves_the_user_may_not_make_are_refused(who, action, status, request, client_as, make_directive):
    directive = make_directive(state=S.IN_PROGRESS)
    response = client_as(request.getfixturevalue(who)).post(
        move_url(directive, action),
        {f"{action}-on": "02/04/2026", f"{action}-text": "Đã xong", f"{action}-note": "Lý do"},
    )
    assert response.status_code == status
    directive.refresh_from_db()
    assert directive.state == S.IN_PROGRESS and not directive.events.exists()


def test_a_directive_of_another_district_is_not_found(client_as, outsider, make_directive):
    assert client_as(outsider).get(make_directive().get_absolute_url()).status_code == 404


def test_sessions_and_directives_are_found_by_the_global_search(
    client_as, specialist, outsider, session, make_directive
):
    make_directive(text="Phục tráng giống lúa Bao Thai Định Hóa")
    response = client_as(specialist).get(reverse("search"), {"q": "bao thai"})
    labels = {str(group.label) for group in response.context["groups"]}
    assert {"directives"} <= labels
    response = client_as(specialist).get(reverse("search"), {"q": "dinh hoa"})
    assert {"working sessions", "directives"} <= {str(group.label) for group in response.context["groups"]}
    response = client_as(outsider).get(reverse("search"), {"q": "dinh hoa"})
    assert not {"working sessions", "directives"} & {str(group.label) for group in response.context["groups"]}


def test_a_user_without_a_grant_on_sessions_is_refused_the_lists(db, client):
    council_member = make_user("council_member")
    client.force_login(council_member)
    assert client.get(reverse("meetings:directive_list")).status_code == 403
    assert client.get(reverse("meetings:workingsession_list")).status_code == 403


def test_every_form_page_renders_for_department_staff(
    client_as, specialist, session, make_directive, director
):
    directive = make_directive()
    directive.supporting_organizations.add(directive.lead_organization)
    children = {
        "participant": Participant.objects.create(session=session, person=director, role="chair"),
        "agendaitem": AgendaItem.objects.create(session=session, title="Báo cáo"),
        "sessiondocument": SessionDocument.objects.create(session=session, title="Báo cáo"),
        "sessionfigure": SessionFigure.objects.create(session=session, label="OCOP", value=13),
        "localityrequest": LocalityRequest.objects.create(session=session, text="Đề nghị"),
    }
    client = client_as(specialist)
    pages = [
        reverse("meetings:workingsession_add"),
        reverse("meetings:workingsession_edit", args=[session.pk]),
        reverse("meetings:directive_add"),
        reverse("meetings:directive_edit", args=[directive.pk]),
    ]
    for name, record in children.items():
        pages += [
            f"{reverse(f'meetings:{name}_add')}?session={session.pk}",
            reverse(f"meetings:{name}_edit", args=[record.pk]),
        ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("meetings:directive_edit", args=[directive.pk])).content.decode()
    assert f'name="supporting_organizations" value="{directive.lead_organization.pk}"' in page


# --- Moves cannot be forged (issue #12, finding 5) ---------------------------------------------------------------


def edit_data(directive, session, agriculture_office, **fields):
    return versioned(
        directive,
        {
            "session": session.pk,
            "text": "Nội dung đã sửa",
            "lead_organization": agriculture_office.pk,
            "assigned_on": "10/03/2026",
            "recurrence": "once",
            **fields,
        },
    )


def test_the_edit_page_shows_the_assigner_and_deadline_without_letting_them_change(
    client_as, specialist, make_directive
):
    directive = make_directive()
    form = client_as(specialist).get(reverse("meetings:directive_edit", args=[directive.pk])).context["form"]
    assert form.fields["assigned_by"].disabled and form.fields["deadline"].disabled


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("assigned_by", "intruder", "Who assigned a directive is recorded with it and does not change."),
        ("deadline", "31/12/2027", "The deadline changes only by extending it, with the reason (“extend”)."),
    ],
)
def test_a_forged_assigner_or_deadline_posted_to_the_edit_page_is_refused(
    field, value, reason, client_as, specialist, make_directive, session, agriculture_office
):
    intruder = make_user("specialist", username="chuyenvienkhac")
    directive = make_directive(state=S.ACCEPTED)
    before = Directive.objects.filter(pk=directive.pk).values().get()
    posted = intruder.pk if value == "intruder" else value
    response = client_as(intruder).post(
        reverse("meetings:directive_edit", args=[directive.pk]),
        edit_data(directive, session, agriculture_office, **{field: posted}),
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [reason]
    assert Directive.objects.filter(pk=directive.pk).values().get() == before


def test_an_edit_without_the_frozen_fields_keeps_them(
    client_as, specialist, make_directive, session, agriculture_office
):
    directive = make_directive()
    response = client_as(make_user("leader")).post(
        reverse("meetings:directive_edit", args=[directive.pk]),
        edit_data(directive, session, agriculture_office),
    )
    assert response.status_code == 302
    directive.refresh_from_db()
    assert (directive.text, directive.assigned_by, directive.deadline) == (
        "Nội dung đã sửa",
        specialist,
        D(2026, 6, 30),
    )


def test_a_directive_is_not_assigned_before_its_session_on_the_page(
    client_as, specialist, session, agriculture_office
):
    response = client_as(specialist).post(
        reverse("meetings:directive_add"),
        {
            "session": session.pk,
            "text": "Giao trước khi họp",
            "lead_organization": agriculture_office.pk,
            "assigned_by": specialist.pk,
            "assigned_on": "01/01/1990",
            "recurrence": "once",
            "deadline": "30/06/1990",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["assigned_on"] == [
        "A directive of this session cannot be assigned before the session (10/03/2026)."
    ]
    assert not Directive.objects.exists()


def test_a_report_dated_before_the_assignment_is_refused_on_the_page(client_as, lead_officer, make_directive):
    directive = make_directive()
    response = client_as(lead_officer).post(
        move_url(directive, "report"), {"report-on": "01/01/1990", "report-text": "Đã xong"}
    )
    assert response.status_code == 200
    assert response.context["refusals"] == [
        "The date cannot be before the directive was assigned (10/03/2026)."
    ]
    directive.refresh_from_db()
    assert directive.state == S.ASSIGNED and not directive.events.exists() and not directive.reports.exists()


def test_the_lead_units_own_leader_is_not_offered_and_may_not_post_the_acceptance(
    client_as, make_directive, agriculture_office
):
    from stims.meetings import services

    own_leader = make_user("leader", organization_id=agriculture_office.pk)
    directive = make_directive(assigned_by=own_leader)
    services.move(directive, "report", own_leader, on=D(2026, 4, 1), text="Đã xong")
    client = client_as(own_leader)
    assert "accept" not in forms_offered(client.get(directive.get_absolute_url()))
    response = client.post(move_url(directive, "accept"), {"accept-on": "02/04/2026"})
    assert response.status_code == 403
    directive.refresh_from_db()
    assert directive.state == S.REPORTED and directive.events.count() == 1
