import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stims.funding.models import BudgetLine, FundingSource
from stims.orgs.models import Person
from stims.sttasks.models import Document, DocumentKind, Level, Task, TaskEvent, TaskMember
from stims.testing import make_user

from .conftest import attach, state


@pytest.fixture
def client_as(client):
    def login(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


def test_the_task_list_filters_by_state_level_year_and_folded_search(
    client_as, specialist, make_task, binh_lieu
):
    rice = make_task(title="Phục tráng giống lúa Bao Thai Định Hóa", level=Level.PROVINCIAL)
    make_task(
        title="Ứng dụng công nghệ sinh học nhân giống Trà hoa vàng",
        level=Level.GRASSROOTS,
        proposal_year=2025,
    )
    make_task(
        title="Xây dựng nhãn hiệu chứng nhận Miến dong", ordering_unit=binh_lieu, state_code="in_progress"
    )
    client = client_as(specialist)
    url = reverse("sttasks:task_list")

    def codes(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [row.record.title for row in response.context["table"].page.object_list]

    assert codes(q="dinh hoa") == [rice.title]
    assert codes(level="grassroots") == ["Ứng dụng công nghệ sinh học nhân giống Trà hoa vàng"]
    assert codes(state=state("in_progress").pk) == ["Xây dựng nhãn hiệu chứng nhận Miến dong"]
    assert len(codes(proposal_year=2026)) == 2
    assert codes(ordering_unit=binh_lieu.pk) == ["Xây dựng nhãn hiệu chứng nhận Miến dong"]


def test_the_task_list_exports_to_excel(client_as, specialist, make_task):
    make_task(title="Phục tráng giống lúa Nếp Vải")
    response = client_as(specialist).get(reverse("sttasks:task_list"), {"_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_overdue_filter_finds_tasks_past_their_end_date_or_with_a_report_not_in(
    client_as, specialist, make_task
):
    today = datetime.date.today()
    late = make_task(
        state_code="in_progress",
        start_date=today.replace(year=today.year - 2),
        end_date=today - datetime.timedelta(days=1),
    )
    reporting = make_task(
        state_code="in_progress",
        start_date=today.replace(year=today.year - 1),
        end_date=today.replace(year=today.year + 1),
    )
    reporting.progress_reports.create(period="6 tháng", due_on=today - datetime.timedelta(days=3))
    make_task(state_code="in_progress", start_date=today, end_date=today.replace(year=today.year + 1))
    make_task(
        state_code="liquidated", end_date=today - datetime.timedelta(days=400)
    )  # finished: nothing owed
    response = client_as(specialist).get(reverse("sttasks:task_list"), {"overdue": "true"})
    assert {row.record.pk for row in response.context["table"].page.object_list} == {late.pk, reporting.pk}


def test_the_task_list_runs_a_constant_number_of_queries(
    client_as, specialist, make_task, django_assert_num_queries
):
    client = client_as(specialist)
    make_task()
    client.get(reverse("sttasks:task_list"))  # warm caches (content types, units)
    with django_assert_num_queries(9) as few:
        client.get(reverse("sttasks:task_list"))
    for _ in range(30):
        make_task(state_code="in_progress")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("sttasks:task_list"))


def _fill(task, count):
    person_unit = task.ordering_unit.province
    for number in range(count):
        person = Person.objects.create(full_name=f"Thành viên {task.pk}-{number}", admin_unit=person_unit)
        TaskMember.objects.create(task=task, person=person)
        attach(task, "other", number=f"{number}/BC")
        TaskEvent.objects.create(
            task=task,
            transition=None,
            from_state=task.state,
            to_state=task.state,
            happened_on=datetime.date(2026, 1, 1),
            reason=f"Ghi chú {number}",
        )
        task.progress_reports.create(
            period=f"Kỳ {number}", due_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=30 * number)
        )


def test_the_task_page_runs_a_constant_number_of_queries(
    client_as, specialist, make_task, django_assert_num_queries
):
    from stims.sttasks.tests.prerequisites import satisfy

    client = client_as(specialist)
    small, large = make_task(state_code="in_progress"), make_task(state_code="in_progress")
    for task, count in ((small, 1), (large, 12)):
        _fill(task, count)
        for guard in ("acceptance_passed", "results_handed_over", "application_reported"):
            for _ in range(count):
                satisfy(task, guard, institute=None, investigator=None, unit=task.ordering_unit)
        for year in range(2020, 2020 + count):
            BudgetLine.objects.create(
                task=task, year=year, source=FundingSource.COUNTERPART, amount=1_000_000 * year
            )
    client.get(small.get_absolute_url())
    response = client.get(small.get_absolute_url())
    assert response.status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as on_small:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(on_small.captured_queries)):
        response = client.get(large.get_absolute_url())
    assert len(response.context["members"]) == 12 and len(response.context["events"]) == 12


def test_the_task_page_offers_the_steps_the_user_may_take_and_says_why_not_the_others(
    client_as, specialist, make_task
):
    task = make_task()
    response = client_as(specialist).get(task.get_absolute_url())
    steps = {choice["step"].code: choice["problems"] for choice in response.context["steps"]}
    assert steps["not_select"] == []
    assert steps["identify"] == ["No concluded identification council has passed this proposal."]
    assert reverse("sttasks:task_step", args=[task.pk, "not_select"]) in response.content.decode()


def test_a_viewer_sees_no_steps_and_is_refused_the_step_page(client_as, make_task):
    viewer = make_user("viewer")
    task = make_task()
    client = client_as(viewer)
    assert client.get(task.get_absolute_url()).context["steps"] == []
    assert client.get(reverse("sttasks:task_step", args=[task.pk, "not_select"])).status_code == 403
    assert (
        client.post(
            reverse("sttasks:task_step", args=[task.pk, "not_select"]),
            {"happened_on": "02/03/2026", "reason": "x"},
        ).status_code
        == 403
    )
    assert Task.objects.get(pk=task.pk).state.code == "proposed"


def test_a_step_posted_through_the_page_is_recorded_and_shown_on_the_timeline(
    client_as, specialist, make_task
):
    task = make_task(
        state_code="in_progress", start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2026, 12, 31)
    )
    decision = attach(task, "decision", number="2345/QĐ-UBND")
    client = client_as(specialist)
    response = client.post(
        reverse("sttasks:task_step", args=[task.pk, "extend"]),
        {
            "happened_on": "15/11/2026",
            "document": decision.pk,
            "reason": "Mưa lũ làm mất vụ",
            "new_end_date": "30/06/2027",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.end_date == datetime.date(2027, 6, 30)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "2345/QĐ-UBND" in page and "31/12/2026 → 30/06/2027" in page and "Mưa lũ làm mất vụ" in page


def test_a_refused_step_keeps_what_was_typed_and_says_why(client_as, specialist, make_task):
    task = make_task(
        state_code="in_progress", start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2026, 12, 31)
    )
    decision = attach(task, "decision")
    response = client_as(specialist).post(
        reverse("sttasks:task_step", args=[task.pk, "extend"]),
        {
            "happened_on": "15/11/2026",
            "document": decision.pk,
            "reason": "Mưa lũ làm mất vụ",
            "new_end_date": "30/06/2026",
        },
    )
    assert response.status_code == 200
    assert response.context["refusals"] == [
        "The new end date must be after the current end date (31/12/2026)."
    ]
    page = response.content.decode()
    assert "Mưa lũ làm mất vụ" in page and "30/06/2026" in page
    task.refresh_from_db()
    assert task.end_date == datetime.date(2026, 12, 31) and not task.events.exists()


def test_a_local_officer_proposes_a_task_for_their_locality_only(client_as, ba_che, binh_lieu, make_task):
    from stims.sttasks.models import TaskType

    officer = make_user("local_officer", admin_unit=ba_che)
    client = client_as(officer)
    form = client.get(reverse("sttasks:task_add")).context["form"]
    # The department's fields are not the locality's to fill.
    assert not {"code", "officer", "is_carried_over", "carried_over_year", "is_published"} & set(form.fields)
    data = {
        "code": "CS.01/2025",  # posted anyway: ignored, the department assigns the code
        "title": "Mô hình trồng Ba kích tím dưới tán rừng",
        "task_type": TaskType.objects.get(code="de-tai").pk,
        "level": "grassroots",
        "proposal_year": "2025",
        "progress_report_months": "6",
    }
    response = client.post(reverse("sttasks:task_add"), {**data, "ordering_unit": binh_lieu.pk})
    assert response.status_code == 200 and not Task.objects.filter(title=data["title"]).exists()
    # A former district cannot order a task of plan year 2026 or later.
    response = client.post(
        reverse("sttasks:task_add"), {**data, "proposal_year": "2027", "ordering_unit": ba_che.pk}
    )
    assert response.status_code == 200 and "2025" in str(response.context["form"].errors["ordering_unit"])
    response = client.post(reverse("sttasks:task_add"), {**data, "ordering_unit": ba_che.pk})
    assert response.status_code == 302
    created = Task.objects.get(title=data["title"])
    assert created.code is None and created.state.code == "proposed" and created.ordering_unit == ba_che
    other = make_task(ordering_unit=binh_lieu)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("sttasks:task_step", args=[created.pk, "identify"])).context["refusals"]


def test_a_document_upload_is_validated_and_downloaded_only_by_those_who_may_see_the_task(
    client_as, specialist, make_task, binh_lieu, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    task = make_task()
    client = client_as(specialist)
    kind = DocumentKind.objects.get(code="decision")
    fields = {
        "task": task.pk,
        "kind": kind.pk,
        "number": "12/QĐ-UBND",
        "issued_on": "05/01/2026",
        "title": "Phê duyệt",
    }
    form_page = client.get(reverse("sttasks:document_add"), {"task": task.pk}).content.decode()
    assert 'enctype="multipart/form-data"' in form_page  # a browser sends the file
    bad = SimpleUploadedFile("quyet-dinh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("sttasks:document_add"), {**fields, "file": bad})
    assert response.status_code == 200 and "not a PDF document" in response.content.decode()
    assert not Document.objects.exists()
    good = SimpleUploadedFile("../../Quyết định 12.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    assert client.post(reverse("sttasks:document_add"), {**fields, "file": good}).status_code == 302
    document = Document.objects.get()
    assert ".." not in document.file.name and document.file.name.startswith("documents/sttasks/")
    download = client.get(reverse("sttasks:document_download", args=[document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 minimal"
    outsider = client_as(make_user("local_officer", admin_unit=binh_lieu))
    assert outsider.get(reverse("sttasks:document_download", args=[document.pk])).status_code == 404
    client.logout()
    assert (
        client.get(reverse("sttasks:document_download", args=[document.pk])).status_code == 302
    )  # to the login page


def test_the_summary_counts_tasks_by_state_and_links_to_the_list(client_as, leader, make_task, binh_lieu):
    make_task(state_code="in_progress")
    make_task(state_code="in_progress", ordering_unit=binh_lieu)
    make_task()
    response = client_as(leader).get(reverse("sttasks:summary"))
    assert response.status_code == 200
    counts = {state.code: count for state, count in response.context["by_state"]}
    assert counts["in_progress"] == 2 and counts["proposed"] == 1 and response.context["total"] == 3
    assert response.context["replication_rows"][0][1] == 0 and response.context["budget"] == []
    officer = make_user("local_officer", admin_unit=binh_lieu)
    response = client_as(officer).get(reverse("sttasks:summary"))
    assert response.context["total"] == 1


def test_pages_refuse_a_user_without_any_grant_on_tasks(client_as, make_task):
    client = client_as(make_user(None))
    for name in (
        "sttasks:summary",
        "sttasks:overdue",
        "sttasks:task_list",
        "sttasks:workflow",
        "sttasks:my_actions",
    ):
        assert client.get(reverse(name)).status_code == 403, name


def test_the_workflow_page_lists_the_states_and_steps_in_force(client_as, specialist):
    response = client_as(specialist, language="vi").get(reverse("sttasks:workflow"))
    page = response.content.decode()
    assert "Đề xuất, đặt hàng" in page and "Gia hạn thời gian thực hiện" in page


def test_the_summary_runs_a_constant_number_of_queries(
    client_as, leader, make_task, django_assert_num_queries
):
    """Computed (nothing in the cache: the counts and the names) in the same number of queries whatever
    the number of tasks; the warm count is pinned in test_summary_cache.py."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(leader)
    make_task(state_code="in_progress")
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("sttasks:summary"))
    for number in range(20):
        task = make_task(state_code=["in_progress", "proposed", "handed_over"][number % 3])
        BudgetLine.objects.create(
            task=task, year=2020 + number % 5, source=FundingSource.STATE_LUMP_SUM, amount=100_000_000
        )
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("sttasks:summary"))


def test_a_local_officer_edits_a_proposal_until_the_department_takes_it_on(client_as, ba_che, make_task):
    officer = make_user("local_officer", admin_unit=ba_che)
    client = client_as(officer)
    proposal, identified = make_task(), make_task(state_code="identified")
    assert client.get(reverse("sttasks:task_edit", args=[proposal.pk])).status_code == 200
    assert client.get(reverse("sttasks:task_edit", args=[identified.pk])).status_code == 403
    response = client.post(reverse("sttasks:task_edit", args=[identified.pk]), {"title": "Đổi tên"})
    assert response.status_code == 403 and Task.objects.get(pk=identified.pk).title != "Đổi tên"
    assert (
        client_as(make_user("specialist")).get(reverse("sttasks:task_edit", args=[identified.pk])).status_code
        == 200
    )
