"""A council's conclusion: outcomes, ratings, the rules a specialist expects, and the workflow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stims.councils import services
from stims.councils.models import CouncilDossier, RatingLevel
from stims.sttasks.models import WorkflowState, WorkflowTransition
from stims.sttasks.workflow import StepRefused, perform
from stims.testing import make_user

from .conftest import score_all, sheet_scores

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 10)


def test_a_selection_council_concludes_from_its_scores_unless_told_otherwise(
    make_council, make_task, specialist
):
    council = make_council(members=3, tasks=[make_task(), make_task(), make_task()])
    good, fair, weak = council.dossiers.order_by("pk")
    score_all(council, {good: [85, 88, 90], fair: [72, 74, 70], weak: [55, 60, 58]})
    # The council may decline a dossier above the pass mark (e.g. the budget covers only one).
    services.conclude(council, specialist, DAY, "Chọn 1/3 hồ sơ", {fair.pk: False})
    assert [d.passed for d in council.dossiers.order_by("pk")] == [True, False, False]
    council.refresh_from_db()
    assert (council.concluded_on, council.conclusion) == (DAY, "Chọn 1/3 hồ sơ")
    assert council.history.first().history_user == specialist


def test_a_dossier_below_the_pass_mark_cannot_pass_and_nothing_is_concluded(
    make_council, make_task, specialist
):
    council = make_council(members=3, tasks=[make_task(), make_task()])
    good, weak = council.dossiers.order_by("pk")
    score_all(council, {good: [85, 88, 90], weak: [55, 60, 58]})
    with pytest.raises(ValidationError) as refused:
        services.conclude(council, specialist, DAY, "", {weak: True})
    assert "below the pass mark" in str(refused.value)
    council.refresh_from_db()
    assert council.concluded_on is None
    assert list(CouncilDossier.objects.values_list("passed", flat=True)) == [None, None]


def test_every_dossier_needs_an_outcome_when_its_scores_do_not_say(make_council, make_task, specialist):
    council = make_council(kind="identification", tasks=[make_task(), make_task()])
    first, second = council.dossiers.order_by("pk")
    with pytest.raises(ValidationError):
        services.conclude(council, specialist, DAY, "", {first: True})
    services.conclude(council, specialist, DAY, "Đề xuất đặt hàng 2/2", {first: True, second: True})
    assert CouncilDossier.objects.filter(passed=True).count() == 2


def test_an_acceptance_council_rates_each_task_and_the_rating_must_agree_with_passed(
    make_council, make_task, specialist, acceptance_set
):
    council = make_council(kind="acceptance", criteria_set=acceptance_set, tasks=[make_task()])
    dossier = council.dossiers.get()
    with pytest.raises(ValidationError):
        services.conclude(council, specialist, DAY, "", {dossier: True})  # no rating
    with pytest.raises(ValidationError):
        services.conclude(council, specialist, DAY, "", {dossier: (False, "dat")})
    with pytest.raises(ValidationError):
        services.conclude(council, specialist, DAY, "", {dossier: "khong-co"})
    assert not council.dossiers.filter(rating__isnull=False).exists()
    services.conclude(council, specialist, DAY, "Nghiệm thu: Xuất sắc", {dossier: (True, "xuat-sac")})
    dossier.refresh_from_db()
    assert (dossier.passed, dossier.rating.code) == (True, "xuat-sac")


def test_a_failing_rating_fails_the_task(make_council, make_task, specialist, acceptance_set):
    council = make_council(kind="acceptance", criteria_set=acceptance_set, tasks=[make_task()])
    services.conclude(
        council, specialist, DAY, "", {council.dossiers.get(): RatingLevel.objects.get(code="khong-dat")}
    )
    assert council.dossiers.get().passed is False


def test_only_an_acceptance_council_gives_ratings(make_council, make_task, specialist):
    council = make_council(kind="identification", tasks=[make_task()])
    with pytest.raises(ValidationError):
        services.conclude(council, specialist, DAY, "", {council.dossiers.get(): "dat"})
    assert council.dossiers.get().passed is None


def test_once_concluded_sheets_and_the_conclusion_no_longer_change(make_council, make_task, specialist):
    council = make_council(members=3, tasks=[make_task()])
    dossier = council.dossiers.get()
    score_all(council, {dossier: [80, 80, 80]})
    services.conclude(council, specialist, DAY, "")
    sheet = dossier.sheets.first()
    with pytest.raises(ValidationError) as refused:
        services.record_score_sheet(dossier, sheet.member, sheet_scores(50))
    assert "concluded on 10/03/2025" in str(refused.value)
    with pytest.raises(ValidationError):
        services.delete_score_sheet(sheet)
    with pytest.raises(ValidationError):
        services.conclude(council, specialist, DAY, "again", {dossier: False})
    sheet.refresh_from_db()
    assert sheet.total == 80 and dossier.sheets.count() == 3
    assert council.dossiers.get().passed is True


def test_a_council_cannot_conclude_before_it_meets_nor_without_dossiers(make_council, make_task, specialist):
    council = make_council(kind="identification", tasks=[make_task()])
    with pytest.raises(ValidationError):
        services.conclude(
            council, specialist, DAY - datetime.timedelta(days=1), "", {council.dossiers.get(): True}
        )
    with pytest.raises(ValidationError):
        services.conclude(make_council(kind="identification"), specialist, DAY, "", {})


def test_a_task_already_passed_by_a_concluded_council_of_the_same_kind_is_not_counted_twice(
    make_council, make_task, specialist
):
    task = make_task()
    first = make_council(kind="identification", tasks=[task])
    second = make_council(kind="identification", tasks=[task])  # put before both while neither had concluded
    services.conclude(first, specialist, DAY, "", {first.dossiers.get(): True})
    with pytest.raises(ValidationError) as refused:
        services.conclude(second, specialist, DAY, "", {second.dossiers.get(): True})
    assert first.name in str(refused.value)
    assert second.dossiers.get().passed is None
    # Nor may it be put before a third one; a council of another kind is another matter.
    with pytest.raises(ValidationError):
        services.check_dossier(CouncilDossier(council=make_council(kind="identification"), task=task))
    services.check_dossier(CouncilDossier(council=make_council(kind="selection"), task=task))
    # Recording that the second council did not pass it again is fine.
    services.conclude(
        second, specialist, DAY, "Đã được xác định tại hội đồng trước", {second.dossiers.get(): False}
    )


def test_a_task_that_failed_may_go_before_another_council(
    make_council, make_task, specialist, acceptance_set
):
    task = make_task()
    first = make_council(kind="acceptance", criteria_set=acceptance_set, tasks=[task])
    services.conclude(first, specialist, DAY, "", {first.dossiers.get(): "khong-dat"})
    services.check_dossier(
        CouncilDossier(council=make_council(kind="acceptance", criteria_set=acceptance_set), task=task)
    )


def test_only_one_applicant_is_selected_for_a_task(make_council, make_task, specialist, quang_ninh):
    from stims.orgs.models import Organization

    task = make_task()
    council = make_council(members=3)
    for name in ("Viện A", "Trường B"):
        CouncilDossier.objects.create(
            council=council,
            task=task,
            applicant=Organization.objects.create(name=name, admin_unit=quang_ninh),
        )
    a, b = council.dossiers.order_by("pk")
    score_all(council, {a: [85, 85, 85], b: [80, 80, 80]})
    with pytest.raises(ValidationError) as refused:
        services.conclude(council, specialist, DAY, "")
    assert "only one applicant" in str(refused.value)
    services.conclude(council, specialist, DAY, "", {b: False})
    assert CouncilDossier.objects.get(pk=a.pk).passed is True


def test_concluding_needs_the_right_to_change_the_council(make_council, make_task):
    council = make_council(kind="identification", tasks=[make_task()])
    with pytest.raises(PermissionDenied):
        services.conclude(council, make_user("viewer"), DAY, "", {council.dossiers.get(): True})
    assert council.dossiers.get().passed is None


def test_a_concluded_selection_lets_the_task_be_recognised_as_selected(make_council, make_task, specialist):
    task = make_task()
    task.state = WorkflowState.objects.get(code="call_open")
    task.save()
    select = WorkflowTransition.objects.get(code="select")
    council = make_council(members=3, tasks=[task, make_task()])
    ours, other = council.dossiers.order_by("pk")
    score_all(council, {ours: [82, 84, 86], other: [60, 62, 64]})
    with pytest.raises(StepRefused):  # scored but not concluded: no result yet
        perform(task, select, specialist, happened_on=DAY)
    services.conclude(council, specialist, DAY, "Tuyển chọn 1/2")
    event = perform(task, select, specialist, happened_on=DAY)
    task.refresh_from_db()
    assert (event.to_state.code, task.state.code) == ("selected", "selected")
