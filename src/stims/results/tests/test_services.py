"""The replication figures against data built by hand: what counts as accepted, handed over,
applied, replicated, and where."""

import pytest

from stims.results import services
from stims.results.models import ApplicationReport, TaskResult
from stims.sttasks.models import Task
from stims.testing import unit

from .conftest import hand_over, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_task, make_result, ba_che_commune, binh_lieu_commune, ba_che_district):
    """Two accepted tasks with four results, and one task still running whose result is applied
    already (it must not count)."""
    from stims.orgs.models import Organization, OrganizationKind

    thi_tran = unit("Thị trấn Ba Chẽ", legacy=True)
    cooperative = Organization.objects.create(
        name="HTX Ba Kích", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che_district
    )
    task_a = make_task("Trồng ba kích", state="results_registered")
    task_b = make_task("Chè Định Hóa", state="applied", year=2020)
    task_c = make_task("Đang làm", state="in_progress")
    r1 = make_result(task_a, "Quy trình trồng ba kích")
    r2 = make_result(task_a, "Giống ba kích tím", kind="variety")
    r3 = make_result(task_a, "Báo cáo tổng hợp", kind="publication")
    r4 = make_result(task_b, "Quy trình chế biến chè")
    r5 = make_result(task_c, "Mô hình thử", registered=False)
    hand_over(r1, ba_che_commune)
    hand_over(r2, binh_lieu_commune)
    hand_over(r4, organization=cooperative)
    report(r1, ba_che_commune, 2023, "applied")
    report(r1, binh_lieu_commune, 2024, "replicated")
    report(r2, binh_lieu_commune, 2024, "trial")
    report(r4, thi_tran, 2022, "applied")
    report(r4, ba_che_district, 2024, "discontinued")
    report(r5, ba_che_commune, 2023, "applied")
    return {"tasks": (task_a, task_b, task_c), "results": (r1, r2, r3, r4, r5)}


def test_the_summary_counts_results_of_accepted_tasks_only_in_five_queries(world, django_assert_num_queries):
    with django_assert_num_queries(5):
        summary = services.replication_summary(Task.objects.all())
    assert summary.as_dict() == {
        "accepted_results": 4,
        "handed_over": 3,
        "applied": 2,
        "replicated": 1,
        "localities": 3,
    }
    assert str(summary.applied_pct) == "50.0"


def test_the_summary_follows_the_task_queryset_it_is_given(world):
    task_b = world["tasks"][1]
    summary = services.replication_summary(Task.objects.filter(pk=task_b.pk))
    assert summary.as_dict() == {
        "accepted_results": 1,
        "handed_over": 1,
        "applied": 1,
        "replicated": 0,
        "localities": 1,
    }
    assert services.replication_summary(Task.objects.none()).as_dict() == {
        "accepted_results": 0,
        "handed_over": 0,
        "applied": 0,
        "replicated": 0,
        "localities": 0,
    }
    assert services.replication_summary(Task.objects.none()).applied_pct is None


def test_the_summary_narrowed_to_the_reports_of_a_year(world):
    summary = services.replication_summary(
        Task.objects.all(), reports=ApplicationReport.objects.filter(year=2024)
    )
    # 2024: r1 replicated in Bình Liêu; r2 only tried; r4 discontinued.
    assert summary.as_dict() == {
        "accepted_results": 4,
        "handed_over": 3,
        "applied": 1,
        "replicated": 1,
        "localities": 1,
    }


def test_the_summary_does_not_grow_in_queries_with_the_data(
    world, make_task, make_result, binh_lieu_commune, django_assert_num_queries
):
    for number in range(6):
        result = make_result(make_task(f"Thêm {number}", state="handed_over"), f"Kết quả {number}")
        hand_over(result, binh_lieu_commune)
        report(result, binh_lieu_commune, 2025, "replicated")
    with django_assert_num_queries(5):
        summary = services.replication_summary(Task.objects.all())
    assert (summary.accepted_results, summary.replicated, summary.localities) == (10, 7, 3)


def test_application_by_unit_groups_legacy_communes_under_their_district_and_keeps_its_name(
    world, ba_che_commune, binh_lieu_commune, ba_che_district, django_assert_num_queries
):
    with django_assert_num_queries(2):
        rows = services.application_by_unit(ApplicationReport.objects.all())
    table = [
        (
            row.unit.pk,
            row.results_applied,
            row.results_replicated,
            row.results_on_trial,
            row.reports,
            row.latest_year,
        )
        for row in rows
    ]
    assert table == [
        (ba_che_commune.pk, 2, 0, 0, 2, 2023),  # r1 and r5
        (ba_che_district.pk, 1, 0, 0, 2, 2024),  # r4: Thị trấn Ba Chẽ (2022) and the district (2024)
        (binh_lieu_commune.pk, 1, 1, 1, 2, 2024),  # r1 replicated, r2 on trial
    ]
    assert rows[1].unit.name == "Huyện Ba Chẽ" and rows[1].is_legacy
    with django_assert_num_queries(2):
        narrowed = services.application_by_unit(ApplicationReport.objects.filter(year=2022))
    assert [(row.unit.pk, row.results_applied) for row in narrowed] == [(ba_che_district.pk, 1)]


def test_never_applied_lists_results_handed_over_without_an_applied_report(world):
    r1, r2, r3, r4, r5 = world["results"]
    rows = list(services.never_applied(TaskResult.objects.all()))
    assert [(row.pk, row.handover_count, row.report_count) for row in rows] == [(r2.pk, 1, 1)]


def test_a_commune_officer_sees_results_handed_over_or_applied_there_and_reports_only_on_those_received(
    world, ba_che_officer, binh_lieu_officer
):
    r1, r2, r3, r4, r5 = world["results"]
    assert set(services.visible_results(ba_che_officer)) == {r1, r4, r5}
    assert set(services.reportable_results(ba_che_officer)) == {
        r1
    }  # r4 went to a cooperative, r5 not handed over
    assert set(services.visible_results(binh_lieu_officer)) == {r1, r2}
    assert set(services.reportable_results(binh_lieu_officer)) == {r2}
    assert services.may_report_application(binh_lieu_officer, r2) and not services.may_report_application(
        binh_lieu_officer, r1
    )


def test_a_specialist_reports_on_any_result_and_a_viewer_on_none(world):
    from stims.testing import make_user

    assert services.reportable_results(make_user("specialist")).count() == 5
    assert services.reportable_results(make_user("viewer")).count() == 0
    assert services.visible_results(make_user("viewer")).count() == 5


def test_a_department_wide_role_sees_every_result_with_no_condition_added(world, ba_che_officer):
    """Whoever sees every result gets the queryset as it is: `pk IN (SELECT every result)` cost a task
    page 90 ms at national scale. A scoped role keeps its conditions."""
    from stims.testing import make_user

    base = TaskResult.objects.filter(task=world["results"][0].task_id)
    for role in ("specialist", "leader"):
        user = make_user(role)
        assert str(services.visible_results(user, base).query) == str(base.query)
        assert str(services.reportable_results(user, base).query) == str(base.query)
    assert str(services.visible_results(make_user("viewer"), base).query) == str(base.query)
    assert not services.reportable_results(make_user("viewer"), base).exists()
    assert "IN (SELECT" in str(services.visible_results(ba_che_officer, base).query)
