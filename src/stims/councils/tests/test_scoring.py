"""Score sheets and the ranking of a council's dossiers."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stims.councils import services
from stims.councils.defaults import install_defaults
from stims.councils.models import CouncilMember, CriteriaSet, Criterion, RatingLevel, Score, ScoreSheet
from stims.testing import make_user

from .conftest import score_all, sheet_scores

pytestmark = pytest.mark.django_db


def test_the_seeded_scale_and_criteria_follow_the_circulars(selection_set, acceptance_set):
    assert [(r.code, r.name, r.is_pass) for r in RatingLevel.objects.all()] == [
        ("xuat-sac", "Xuất sắc", True),
        ("dat", "Đạt", True),
        ("khong-dat", "Không đạt", False),
    ]
    assert sum(c.max_score for c in selection_set.criteria.all()) == 100
    assert (selection_set.pass_mark, selection_set.outlier_tolerance) == (70, 15)
    assert [c.max_score for c in acceptance_set.criteria.all()] == [60, 20, 20]
    assert acceptance_set.pass_mark == 50


def test_seeding_again_adds_only_what_is_missing(selection_set):
    selection_set.pass_mark = Decimal("75")
    selection_set.save()
    RatingLevel.objects.filter(code="dat").update(name="Đạt yêu cầu")
    RatingLevel.objects.filter(code="xuat-sac").delete()
    install_defaults(RatingLevel, CriteriaSet, Criterion)
    selection_set.refresh_from_db()
    assert selection_set.pass_mark == 75 and selection_set.criteria.count() == 5
    assert RatingLevel.objects.get(code="dat").name == "Đạt yêu cầu"
    assert RatingLevel.objects.filter(code="xuat-sac").exists()
    assert CriteriaSet.objects.count() == 2


def test_a_sheet_is_recorded_with_every_score_and_its_total(make_council, make_task, selection_set):
    council = make_council(tasks=[make_task()])
    dossier, member = council.dossiers.get(), council.members.first()
    scores = {"1": "12.5", "2": 25, "3": Decimal("20"), "4": 10, "5": 12}
    sheet = services.record_score_sheet(dossier, member, scores, comments="Đề cương tốt")
    assert sheet.total == Decimal("79.50")
    assert sorted((s.criterion.code, s.score) for s in sheet.scores.select_related("criterion")) == [
        ("1", Decimal("12.50")),
        ("2", 25),
        ("3", 20),
        ("4", 10),
        ("5", 12),
    ]
    # Entering it again replaces it: one sheet per member and dossier.
    again = services.record_score_sheet(dossier, member, {**scores, "2": 30})
    assert again.pk == sheet.pk and again.total == Decimal("84.50")
    assert ScoreSheet.objects.count() == 1 and Score.objects.count() == 5


def test_a_score_over_its_maximum_or_a_missing_criterion_is_refused_and_nothing_is_saved(
    make_council, make_task
):
    council = make_council(tasks=[make_task()])
    dossier, member = council.dossiers.get(), council.members.first()
    over = {**sheet_scores(70), "1": 16}
    with pytest.raises(ValidationError) as refused:
        services.record_score_sheet(dossier, member, over)
    criterion = Criterion.objects.get(criteria_set=council.criteria_set, code="1")
    assert services.score_field_name(criterion) in refused.value.message_dict
    missing = sheet_scores(70)
    del missing["3"]
    with pytest.raises(ValidationError):
        services.record_score_sheet(dossier, member, missing)
    with pytest.raises(ValidationError):
        services.record_score_sheet(dossier, member, {**sheet_scores(70), "9": 1})
    with pytest.raises(ValidationError):
        services.record_score_sheet(dossier, member, {**sheet_scores(70), "4": -1})
    assert not ScoreSheet.objects.exists() and not Score.objects.exists()


def test_only_members_of_the_dossiers_council_score_it(make_council, make_task):
    council, other = make_council(tasks=[make_task()]), make_council()
    with pytest.raises(ValidationError) as refused:
        services.record_score_sheet(council.dossiers.get(), other.members.first(), sheet_scores(80))
    assert "member" in refused.value.message_dict
    assert not ScoreSheet.objects.exists()


def test_a_member_who_declared_a_conflict_of_interest_may_not_score(make_council, make_task):
    council = make_council(tasks=[make_task()])
    member = council.members.first()
    CouncilMember.objects.filter(pk=member.pk).update(has_conflict=True, conflict_note="Đồng tác giả đề xuất")
    with pytest.raises(ValidationError) as refused:
        services.record_score_sheet(council.dossiers.get(), member, sheet_scores(80))
    assert "conflict of interest" in str(refused.value)
    assert not ScoreSheet.objects.exists()


def test_a_council_member_enters_only_their_own_sheet_a_specialist_any(make_council, make_task, specialist):
    council = make_council(tasks=[make_task()])
    mine, theirs = council.members.order_by("pk")[:2]
    expert = make_user("council_member")
    CouncilMember.objects.filter(pk=mine.pk).update(user=expert)
    mine.refresh_from_db()
    dossier = council.dossiers.get()
    assert services.may_enter_sheet(expert, mine) and not services.may_enter_sheet(expert, theirs)
    assert services.may_enter_sheet(specialist, theirs)
    assert not services.may_enter_sheet(make_user("viewer"), mine)
    with pytest.raises(PermissionDenied):
        services.record_score_sheet(dossier, theirs, sheet_scores(75), user=expert)
    services.record_score_sheet(dossier, mine, sheet_scores(75), user=expert)
    services.record_score_sheet(dossier, theirs, sheet_scores(71), user=specialist)
    assert ScoreSheet.objects.count() == 2


def test_results_flag_outlying_sheets_and_leave_them_out_of_the_average(make_council, make_task):
    first, second = make_task(), make_task()
    council = make_council(tasks=[first, second])
    dossier_a, dossier_b = council.dossiers.order_by("pk")
    # Mean of all five sheets of A = 76; 50 is 26 away (> 15): flagged; the others average 82.5.
    score_all(council, {dossier_a: [80, 85, 50, 80, 85], dossier_b: [70, 72, 74, 70, 74]})
    results = {r.dossier.pk: r for r in services.dossier_results(council)}
    a, b = results[dossier_a.pk], results[dossier_b.pk]
    assert (a.sheet_count, a.counted_count, a.mean_of_all, a.average) == (
        5,
        4,
        Decimal("76.00"),
        Decimal("82.50"),
    )
    assert [s.total for s in a.flagged] == [50]
    assert (b.counted_count, b.average, b.flagged) == (5, Decimal("72.00"), [])
    assert (a.rank, b.rank) == (1, 2)
    assert a.meets_pass_mark is True and b.meets_pass_mark is True


def test_ranking_puts_the_best_average_first_shares_ties_and_checks_the_pass_mark(make_council, make_task):
    tasks = [make_task() for _ in range(4)]
    council = make_council(members=3, tasks=tasks)
    d1, d2, d3, d4 = council.dossiers.order_by("pk")
    score_all(council, {d1: [60, 62, 64], d2: [80, 80, 80], d3: [78, 80, 82]})  # d4 not scored yet
    results = services.dossier_results(council)
    assert [(r.dossier.pk, r.rank) for r in results] == [(d2.pk, 1), (d3.pk, 1), (d1.pk, 3), (d4.pk, None)]
    assert [r.meets_pass_mark for r in results] == [True, True, False, None]
    assert results[0].ranked_count == 3


def test_a_sheet_entered_before_a_conflict_was_declared_stops_counting(make_council, make_task):
    council = make_council(members=3, tasks=[make_task()])
    dossier = council.dossiers.get()
    score_all(council, {dossier: [70, 80, 90]})
    CouncilMember.objects.filter(pk=council.members.order_by("pk").last().pk).update(
        has_conflict=True, conflict_note="Người thân"
    )
    result = services.dossier_results(council)[0]
    assert (result.sheet_count, result.counted_count, result.average) == (3, 2, Decimal("75.00"))
    assert [s.total for s in result.conflicted] == [90]


def test_results_take_the_same_queries_however_many_dossiers_and_sheets(
    make_council, make_task, django_assert_num_queries
):
    small = make_council(members=2, tasks=[make_task()])
    score_all(small, {small.dossiers.get(): [70, 75]})
    large = make_council(members=7, tasks=[make_task() for _ in range(6)])
    score_all(large, {d: [70, 71, 72, 73, 74, 75, 40] for d in large.dossiers.all()})
    for council in (small, large):
        council.refresh_from_db()
        with django_assert_num_queries(3):
            services.dossier_results(council)
