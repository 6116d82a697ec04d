"""The councils in the browser: list, the council's page, score sheets, conclusion, minutes, and
who may do what."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.core import concurrency
from stims.core.tests.versions import versioned
from stims.councils import services
from stims.councils.models import Council, CouncilDossier, CouncilMember, Criterion, ScoreSheet
from stims.testing import make_user

from .conftest import score_all, sheet_scores

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 10)


@pytest.fixture
def as_specialist(client, specialist):
    client.force_login(specialist)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return specialist


def body(response) -> str:
    return response.content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def sheet_post(scores: dict, criteria_set, comments="", version="new") -> dict:
    """A sheet as the page posts it; `version` is what the form showed ("new" for a member's first sheet)."""
    criteria = {c.code: c for c in criteria_set.criteria.all()}
    return {
        **{services.score_field_name(criteria[code]): str(value) for code, value in scores.items()},
        "comments": comments,
        "record_version": version,
    }


def test_the_council_list_filters_by_kind_year_conclusion_and_task_and_exports(
    client, as_specialist, make_council, make_task
):
    tea = make_task(title="Trồng trà hoa vàng dưới tán rừng")
    selection = make_council(name="Hội đồng tuyển chọn 2025", members=3, tasks=[tea, make_task()])
    make_council(
        kind="identification", name="Hội đồng xác định 2024", meeting_date=datetime.date(2024, 11, 5)
    )
    score_all(selection, {d: [80, 80, 80] for d in selection.dossiers.all()})
    services.conclude(selection, as_specialist, DAY, "")
    url = reverse("councils:council_list")

    def names(**query):
        return [c.name for c in client.get(url, query).context["table"].data]

    assert names(kind="selection") == ["Hội đồng tuyển chọn 2025"]
    assert names(year=2024) == ["Hội đồng xác định 2024"]
    assert names(concluded="true") == ["Hội đồng tuyển chọn 2025"]
    assert names(concluded="false") == ["Hội đồng xác định 2024"]
    assert names(q="tra hoa vang") == ["Hội đồng tuyển chọn 2025"]
    assert names(q="125/QĐ") == ["Hội đồng tuyển chọn 2025", "Hội đồng xác định 2024"]
    exported = client.get(url, {"kind": "selection", "_export": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == "Hội đồng tuyển chọn 2025"
    assert rows[1][5:8] == ["2", "2", "10/03/2025"]  # dossiers, passed, concluded on
    assert client.get(url, {"_export": "xlsx"})["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_council_list_counts_each_councils_dossiers_and_those_passed(
    client, as_specialist, make_council, make_task
):
    """The counts are subqueries of each council's row (issue #20), not a GROUP BY of every council."""
    selection = make_council(name="Hội đồng chấm ba hồ sơ", members=3, tasks=[make_task() for _ in range(3)])
    score_all(selection, {d: [80, 80, 80] for d in selection.dossiers.all()})
    services.conclude(selection, as_specialist, DAY, "")
    CouncilDossier.objects.filter(pk=selection.dossiers.order_by("pk").last().pk).update(passed=False)
    make_council(kind="identification", name="Hội đồng chưa có hồ sơ")
    make_council(name="Hội đồng chưa kết luận", members=3, tasks=[make_task()])
    response = client.get(reverse("councils:council_list"))
    shown = {
        row.record.name: (row.get_cell("dossier_count"), row.get_cell("passed_count"))
        for row in response.context["table"].rows
    }
    assert shown == {
        "Hội đồng chấm ba hồ sơ": (3, 2),
        "Hội đồng chưa có hồ sơ": (0, "—"),
        "Hội đồng chưa kết luận": (1, "—"),
    }
    sorted_by_count = client.get(reverse("councils:council_list"), {"sort": "-dossier_count"})
    assert [row.record.name for row in sorted_by_count.context["table"].rows][0] == "Hội đồng chấm ba hồ sơ"


def test_the_council_list_runs_the_same_queries_however_many_councils(
    client, as_specialist, make_council, make_task
):
    make_council(members=1, tasks=[make_task()])
    few = count_queries(client, reverse("councils:council_list"))
    for _ in range(6):
        make_council(members=4, tasks=[make_task(), make_task()])
    assert count_queries(client, reverse("councils:council_list")) == few


def test_the_council_page_reads_like_the_minutes(client, as_specialist, make_council, make_task):
    council = make_council(
        members=4, tasks=[make_task(title="Nuôi ong dưới tán rừng"), make_task(title="Chế biến ba kích")]
    )
    bees, herbs = council.dossiers.order_by("pk")
    member = council.members.order_by("pk").last()
    score_all(council, {bees: [80, 84, 82], herbs: [60, 65]})
    CouncilMember.objects.filter(pk=member.pk).update(
        has_conflict=True, conflict_note="Cùng cơ quan với chủ nhiệm"
    )
    response = client.get(reverse("councils:council_detail", args=[council.pk]))
    html = body(response)
    assert "125/QĐ-SKHCN" in html and "Cùng cơ quan với chủ nhiệm" in html
    results = response.context["results"]
    assert [(r.dossier.task.title, r.rank, str(r.average)) for r in results] == [
        ("Nuôi ong dưới tán rừng", 1, "82.00"),
        ("Chế biến ba kích", 2, "62.50"),
    ]
    assert "conclusion-form" in html and "minutes-form" in html
    # The specialist may enter every sheet except the conflicted member's.
    assert f'data-testid="sheet-{bees.pk}-{council.members.order_by("pk").first().pk}"' in html
    assert f'data-testid="sheet-{bees.pk}-{member.pk}"' not in html


def test_the_council_page_runs_the_same_queries_however_many_members_dossiers_and_sheets(
    client, as_specialist, make_council, make_task
):
    small = make_council(members=1, tasks=[make_task()])
    score_all(small, {small.dossiers.get(): [75]})
    large = make_council(members=9, tasks=[make_task() for _ in range(8)])
    score_all(large, {d: [70, 72, 74, 76, 78, 80, 82, 84, 40] for d in large.dossiers.all()})
    assert count_queries(client, reverse("councils:council_detail", args=[large.pk])) == count_queries(
        client, reverse("councils:council_detail", args=[small.pk])
    )


def test_a_specialist_enters_a_members_sheet_from_paper(
    client, as_specialist, make_council, make_task, selection_set
):
    council = make_council(tasks=[make_task()])
    dossier, member = council.dossiers.get(), council.members.first()
    url = reverse("councils:scoresheet_enter", args=[dossier.pk, member.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Nội dung, phương pháp nghiên cứu" in body(page)
    response = client.post(
        url, sheet_post({"1": 12, "2": 26, "3": 20, "4": 12, "5": "11.5"}, selection_set, "Khá")
    )
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get()
    assert (sheet.total, sheet.comments, sheet.member, sheet.history.first().history_user) == (
        81.5,
        "Khá",
        member,
        as_specialist,
    )


def test_two_people_entering_the_same_sheet_the_later_save_is_refused_not_lost(
    client, as_specialist, make_council, make_task, selection_set
):
    council = make_council(tasks=[make_task()])
    url = reverse("councils:scoresheet_enter", args=[council.dossiers.get().pk, council.members.first().pk])
    # Both open the empty sheet; the first saves 81.5 points.
    assert (
        client.post(
            url, sheet_post({"1": 12, "2": 26, "3": 20, "4": 12, "5": "11.5"}, selection_set)
        ).status_code
        == 302
    )
    # The second, still holding the empty sheet, is refused: the first one's scores stay.
    refused = client.post(url, sheet_post(sheet_scores(60), selection_set))
    assert refused.status_code == 200
    assert "after you opened it" in str(refused.context["form"].non_field_errors())
    assert "81,50" in str(refused.context["form"].non_field_errors())
    assert ScoreSheet.objects.get().total == 81.5
    # The refusal carries the sheet's current version: saving again deliberately replaces it.
    again = refused.context["form"]["record_version"].value()
    assert again == concurrency.version_of(ScoreSheet.objects.get())
    assert client.post(url, sheet_post(sheet_scores(60), selection_set, version=again)).status_code == 302
    assert ScoreSheet.objects.get().total == 60


def test_a_score_over_its_maximum_re_renders_the_sheet_and_saves_nothing(
    client, as_specialist, make_council, make_task, selection_set
):
    council = make_council(tasks=[make_task()])
    url = reverse("councils:scoresheet_enter", args=[council.dossiers.get().pk, council.members.first().pk])
    response = client.post(url, sheet_post({"1": 16, "2": 26, "3": 20, "4": 12, "5": 11}, selection_set))
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, sheet_post({"1": 10, "2": 26, "3": 20, "4": 12}, selection_set))
    assert response.status_code == 200 and response.context["form"].errors
    assert not ScoreSheet.objects.exists()


def test_a_council_member_enters_only_their_own_sheet(client, make_council, make_task, selection_set):
    council = make_council(tasks=[make_task()])
    dossier = council.dossiers.get()
    mine, theirs = council.members.order_by("pk")[:2]
    expert = make_user("council_member")
    CouncilMember.objects.filter(pk=mine.pk).update(user=expert)
    client.force_login(expert)
    own = reverse("councils:scoresheet_enter", args=[dossier.pk, mine.pk])
    other = reverse("councils:scoresheet_enter", args=[dossier.pk, theirs.pk])
    assert client.get(own).status_code == 200
    assert client.post(own, sheet_post(sheet_scores(77), selection_set)).status_code == 302
    assert client.get(other).status_code == 403
    assert client.post(other, sheet_post(sheet_scores(77), selection_set)).status_code == 403
    assert [s.member_id for s in ScoreSheet.objects.all()] == [mine.pk]
    # Their council page offers only their own sheet, and no conclusion form.
    html = body(client.get(reverse("councils:council_detail", args=[council.pk])))
    assert f"sheet-{dossier.pk}-{mine.pk}" in html and f"sheet-{dossier.pk}-{theirs.pk}" not in html
    assert "conclusion-form" not in html
    assert (
        client.post(
            reverse("councils:council_conclude", args=[council.pk]), {"concluded_on": "10/03/2025"}
        ).status_code
        == 403
    )


def test_a_conflicted_member_cannot_be_scored_from_the_page(
    client, as_specialist, make_council, make_task, selection_set
):
    council = make_council(tasks=[make_task()])
    member = council.members.first()
    CouncilMember.objects.filter(pk=member.pk).update(has_conflict=True, conflict_note="Người thân")
    url = reverse("councils:scoresheet_enter", args=[council.dossiers.get().pk, member.pk])
    assert body(client.get(url)).count('data-testid="refusal"') == 1
    response = client.post(url, sheet_post(sheet_scores(80), selection_set))
    assert response.status_code == 200 and "conflict of interest" in str(
        response.context["form"].non_field_errors()
    )
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize("role", ["local_officer", "viewer", "inspector"])
def test_roles_without_score_sheets_are_refused_the_sheet_and_the_conclusion(
    client, make_council, make_task, quang_ninh, role, selection_set
):
    council = make_council(tasks=[make_task()])
    user = make_user(role, admin_unit=quang_ninh if role == "local_officer" else None)
    client.force_login(user)
    url = reverse("councils:scoresheet_enter", args=[council.dossiers.get().pk, council.members.first().pk])
    assert client.get(url).status_code == 403
    assert client.post(url, sheet_post(sheet_scores(80), selection_set)).status_code == 403
    concluded = client.post(
        reverse("councils:council_conclude", args=[council.pk]), {"concluded_on": "10/03/2025"}
    )
    assert concluded.status_code == 403
    list_status = client.get(reverse("councils:council_list")).status_code
    assert list_status == (403 if role == "local_officer" else 200)
    assert not ScoreSheet.objects.exists() and Council.objects.get().concluded_on is None


def test_the_conclusion_form_records_outcomes_and_then_sheets_are_closed(
    client, as_specialist, make_council, make_task, selection_set
):
    council = make_council(members=3, tasks=[make_task(), make_task()])
    good, weak = council.dossiers.order_by("pk")
    score_all(council, {good: [85, 80, 90], weak: [60, 60, 62]})
    form = client.get(reverse("councils:council_detail", args=[council.pk])).context["conclusion_form"]
    assert form[f"outcome_{good.pk}"].value() == "yes" and form[f"outcome_{weak.pk}"].value() == "no"
    url = reverse("councils:council_conclude", args=[council.pk])
    refused = client.post(
        url, {"concluded_on": "10/03/2025", f"outcome_{good.pk}": "yes", f"outcome_{weak.pk}": "yes"}
    )
    assert refused.status_code == 200 and "below the pass mark" in body(refused)
    assert Council.objects.get().concluded_on is None
    done = client.post(
        url,
        {
            "concluded_on": "10/03/2025",
            "conclusion": "Chọn 1/2",
            f"outcome_{good.pk}": "yes",
            f"outcome_{weak.pk}": "no",
        },
    )
    assert done.status_code == 302
    assert list(council.dossiers.order_by("pk").values_list("passed", flat=True)) == [True, False]
    page = client.get(reverse("councils:council_detail", args=[council.pk]))
    assert "1 of 2 passed" in body(page) and "conclusion-form" not in body(page)
    sheet_url = reverse("councils:scoresheet_enter", args=[good.pk, council.members.first().pk])
    closed = client.post(sheet_url, sheet_post(sheet_scores(40), selection_set))
    assert closed.status_code == 200 and "concluded on 10/03/2025" in body(closed)
    assert ScoreSheet.objects.get(dossier=good, member=council.members.first()).total == 85


def test_an_acceptance_council_is_concluded_with_ratings(
    client, as_specialist, make_council, make_task, acceptance_set
):
    from stims.councils.models import RatingLevel

    council = make_council(kind="acceptance", criteria_set=acceptance_set, tasks=[make_task()])
    dossier = council.dossiers.get()
    excellent = RatingLevel.objects.get(code="xuat-sac")
    response = client.post(
        reverse("councils:council_conclude", args=[council.pk]),
        {"concluded_on": "12/03/2025", f"outcome_{dossier.pk}": excellent.pk},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.passed, dossier.rating) == (True, excellent)


def test_minutes_are_uploaded_checked_and_downloaded_only_by_those_who_see_the_council(
    client, as_specialist, make_council, quang_ninh
):
    council = make_council()
    url = reverse("councils:council_minutes", args=[council.pk])
    download = reverse("councils:council_minutes_download", args=[council.pk])
    assert client.get(download).status_code == 404
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(url, {"minutes": fake})
    assert refused.status_code == 200 and refused.context["minutes_form"].errors
    assert not Council.objects.get().minutes
    pdf = SimpleUploadedFile("Biên bản họp.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    assert client.post(url, {"minutes": pdf}).status_code == 302
    got = client.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 minutes"
    client.force_login(make_user("local_officer", admin_unit=quang_ninh))
    assert client.get(download).status_code == 403
    assert client.post(url, {"minutes": SimpleUploadedFile("x.pdf", b"%PDF-1.4 other")}).status_code == 403


def test_members_and_dossiers_are_added_from_the_council_page_and_kept_once_concluded(
    client, as_specialist, make_council, make_task, quang_ninh
):
    from stims.orgs.models import Person

    council = make_council(kind="identification", members=1)
    task = make_task()
    person = Person.objects.create(full_name="PGS.TS Nguyễn Văn Phản biện", admin_unit=quang_ninh)
    add_member = reverse("councils:councilmember_add")
    assert client.get(add_member, {"council": council.pk}).context["form"]["council"].value() == str(
        council.pk
    )
    refused = client.post(
        add_member, {"council": council.pk, "person": person.pk, "role": "reviewer", "has_conflict": "on"}
    )
    assert refused.status_code == 200 and "conflict_note" in refused.context["form"].errors
    response = client.post(add_member, {"council": council.pk, "person": person.pk, "role": "reviewer"})
    assert response.status_code == 302 and response["Location"] == council.get_absolute_url()
    response = client.post(reverse("councils:councildossier_add"), {"council": council.pk, "task": task.pk})
    assert response.status_code == 302
    dossier = CouncilDossier.objects.get(task=task)
    services.conclude(council, as_specialist, DAY, "", {dossier: True})
    # Now the dossier and the members stay as the minutes record them, even for a leader (who may delete).
    client.force_login(make_user("leader"))
    assert client.post(reverse("councils:councildossier_delete", args=[dossier.pk])).status_code == 302
    assert CouncilDossier.objects.filter(pk=dossier.pk).exists()
    member = council.members.get(person=person)
    assert client.post(reverse("councils:councilmember_delete", args=[member.pk])).status_code == 302
    assert CouncilMember.objects.filter(pk=member.pk).exists()
    assert client.post(reverse("councils:council_delete", args=[council.pk])).status_code == 302
    assert Council.objects.filter(pk=council.pk).exists()
    late = client.post(
        add_member,
        {
            "council": council.pk,
            "person": Person.objects.create(full_name="Muộn", admin_unit=quang_ninh).pk,
            "role": "member",
        },
    )
    assert late.status_code == 200 and not CouncilMember.objects.filter(person__full_name="Muộn").exists()
    # A task the identification council passed is not put before another one.
    other = make_council(kind="identification", members=0)
    again = client.post(reverse("councils:councildossier_add"), {"council": other.pk, "task": task.pk})
    assert again.status_code == 200 and "task" in again.context["form"].errors
    assert not other.dossiers.exists()


def test_a_councils_kind_and_criteria_are_fixed_once_sheets_are_entered(
    client, as_specialist, make_council, make_task, acceptance_set
):
    council = make_council(members=1, tasks=[make_task()])
    score_all(council, {council.dossiers.get(): [80]})
    form = client.get(reverse("councils:council_edit", args=[council.pk])).context["form"]
    assert form.fields["kind"].disabled and form.fields["criteria_set"].disabled
    data = {
        "kind": "acceptance",
        "name": "Đổi tên",
        "criteria_set": acceptance_set.pk,
        "decision_number": "125/QĐ-SKHCN",
    }
    assert (
        client.post(reverse("councils:council_edit", args=[council.pk]), versioned(council, data)).status_code
        == 302
    )
    council.refresh_from_db()
    assert (council.name, council.kind, council.criteria_set.council_kind) == (
        "Đổi tên",
        "selection",
        "selection",
    )


def test_criteria_sets_list_and_page_and_their_criteria_are_fixed_once_used(
    client, as_specialist, make_council, make_task, selection_set
):
    listed = client.get(reverse("councils:criteriaset_list"))
    assert listed.status_code == 200 and len(listed.context["table"].data) == 2
    page = client.get(reverse("councils:criteriaset_detail", args=[selection_set.pk]))
    assert "Kinh phí hợp lý" in body(page) and page.context["max_total"] == 100
    council = make_council(members=1, tasks=[make_task()])
    score_all(council, {council.dossiers.get(): [80]})
    added = client.post(
        reverse("councils:criterion_add"),
        {"criteria_set": selection_set.pk, "code": "6", "name": "Khác", "max_score": "5", "sort_order": 6},
    )
    assert added.status_code == 200 and not Criterion.objects.filter(code="6").exists()
    criterion = selection_set.criteria.get(code="5")
    client.force_login(make_user("leader"))
    assert client.post(reverse("councils:criterion_delete", args=[criterion.pk])).status_code == 302
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_every_form_page_of_the_councils_opens(client, as_specialist, make_council, make_task, selection_set):
    council = make_council(members=1, tasks=[make_task(title="Nuôi cá tầm")])
    member, dossier = council.members.get(), council.dossiers.get()
    criterion = selection_set.criteria.first()
    for url in [
        reverse("councils:council_add"),
        reverse("councils:council_edit", args=[council.pk]),
        reverse("councils:councilmember_edit", args=[member.pk]),
        reverse("councils:councildossier_add") + f"?task={dossier.task_id}",
        reverse("councils:councildossier_edit", args=[dossier.pk]),
        reverse("councils:criteriaset_add"),
        reverse("councils:criteriaset_edit", args=[selection_set.pk]),
        reverse("councils:criterion_edit", args=[criterion.pk]),
        reverse("councils:council_deleted"),
    ]:
        assert client.get(url).status_code == 200, url
    options = client.get(reverse("sttasks:task_options"), {"q": "ca tam"})
    assert "Nuôi cá tầm" in body(options)


def test_a_leader_deletes_a_member_of_an_open_council_a_specialist_may_not(client, make_council, make_task):
    council = make_council(members=2)
    member = council.members.last()
    client.force_login(make_user("specialist"))
    assert client.post(reverse("councils:councilmember_delete", args=[member.pk])).status_code == 403
    client.force_login(make_user("leader"))
    assert client.post(reverse("councils:councilmember_delete", args=[member.pk])).status_code == 302
    assert not CouncilMember.objects.filter(pk=member.pk).exists()
