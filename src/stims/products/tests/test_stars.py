"""Groups and star bands are data: seeded once, changed by administrators, and the stars follow."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from stims.products import services
from stims.products.models import OcopEvaluation, ProductGroup, StarBand

from .conftest import evaluate

pytestmark = pytest.mark.django_db

seeding = importlib.import_module("stims.products.migrations.0002_seed_groups_and_star_bands")


def test_the_six_ocop_groups_of_decision_148_and_five_star_bands_are_seeded():
    assert list(ProductGroup.objects.values_list("code", flat=True)) == [
        "food",
        "drinks",
        "herbal",
        "handicraft",
        "ornamental",
        "tourism",
    ]
    bands = {band.stars: (band.min_score, band.max_score) for band in StarBand.objects.all()}
    assert bands == {
        5: (Decimal("90"), Decimal("100")),
        4: (Decimal("70"), Decimal("89.99")),
        3: (Decimal("50"), Decimal("69.99")),
        2: (Decimal("30"), Decimal("49.99")),
        1: (Decimal("0"), Decimal("29.99")),
    }
    assert set(StarBand.objects.values_list("legal_basis", flat=True)) == {"QĐ 1048/QĐ-TTg; QĐ 148/QĐ-TTg"}


def test_seeding_again_adds_nothing_and_keeps_what_administrators_edited():
    ProductGroup.objects.filter(code="food").update(name="Thực phẩm (sửa)")
    seeding.seed(apps, None)
    assert ProductGroup.objects.count() == 6
    assert StarBand.objects.count() == 5
    assert ProductGroup.objects.get(code="food").name == "Thực phẩm (sửa)"


def test_unseeding_keeps_groups_in_use_and_seeding_restores_the_rest(ba_che_tea):
    seeding.unseed(apps, None)
    assert list(ProductGroup.objects.values_list("code", flat=True)) == ["herbal"]
    assert not StarBand.objects.exists()
    seeding.seed(apps, None)
    assert ProductGroup.objects.count() == 6 and StarBand.objects.count() == 5


@pytest.mark.parametrize(
    "scores,total,stars",
    [
        ((40, 25, 35), Decimal("100"), 5),
        ((36, 22, 32), Decimal("90"), 5),
        ((35.5, 22, 32), Decimal("89.5"), 4),
        ((30, 15, 25), Decimal("70"), 4),
        ((30, 14.9, 25), Decimal("69.9"), 3),
        ((20, 10, 20), Decimal("50"), 3),
        ((10, 10, 10), Decimal("30"), 2),
        ((10, 9.5, 10), Decimal("29.5"), 1),
        ((0, 0, 0), Decimal("0"), 1),
    ],
)
def test_total_and_stars_are_derived_from_the_part_scores_and_the_bands(ba_che_tea, scores, total, stars):
    evaluation = evaluate(ba_che_tea, 2024, *scores)
    evaluation.refresh_from_db()
    assert evaluation.total_score == total
    assert evaluation.stars == stars


def test_changing_the_bands_changes_the_stars_of_new_and_recomputed_evaluations(
    ba_che_tea, binh_lieu_vermicelli
):
    before = evaluate(ba_che_tea, 2023, 30, 17, 25)  # 72
    assert before.stars == 4
    # A later decision raises the 4-star threshold to 75.
    StarBand.objects.filter(stars=4).update(min_score=75)
    StarBand.objects.filter(stars=3).update(max_score=Decimal("74.99"))
    after = evaluate(binh_lieu_vermicelli, 2024, 30, 17, 25)
    assert after.stars == 3
    before.refresh_from_db()
    assert before.stars == 4  # existing evaluations keep their stars until recomputed
    assert services.recompute_stars() == 1
    before.refresh_from_db()
    assert before.stars == 3
    assert before.history.first().history_change_reason
    assert services.recompute_stars() == 0


def test_a_band_valid_from_a_date_applies_to_decisions_from_that_date_only(ba_che_tea):
    new_rules = datetime.date(2026, 1, 1)
    StarBand.objects.filter(stars=4).update(valid_to=new_rules - datetime.timedelta(days=1))
    StarBand.objects.create(
        stars=4, min_score=75, max_score=Decimal("89.99"), valid_from=new_rules, legal_basis="QĐ giả định"
    )
    StarBand.objects.create(
        stars=3, min_score=70, max_score=Decimal("74.99"), valid_from=new_rules, legal_basis="QĐ giả định"
    )
    old = evaluate(ba_che_tea, 2025, 30, 17, 25, decision_date=datetime.date(2025, 6, 1))
    new = evaluate(ba_che_tea, 2026, 30, 17, 25, decision_date=datetime.date(2026, 6, 1))
    assert (old.stars, new.stars) == (4, 3)


def test_the_recompute_command_reports_how_many_changed(ba_che_tea, capsys):
    evaluate(ba_che_tea, 2023, 36, 22, 32)  # 90 → 5★
    StarBand.objects.filter(stars=5).update(min_score=95)
    StarBand.objects.filter(stars=4).update(max_score=Decimal("94.99"))
    call_command("recompute_ocop_stars")
    assert "1 evaluation" in capsys.readouterr().out
    assert OcopEvaluation.objects.get().stars == 4


def test_latest_evaluation_is_the_most_recent_year(ba_che_tea):
    evaluate(ba_che_tea, 2022, 30, 15, 25)
    latest = evaluate(ba_che_tea, 2024, 36, 22, 32)
    evaluate(ba_che_tea, 2023, 20, 10, 20)
    assert services.latest_evaluation(ba_che_tea) == latest


@pytest.mark.parametrize(
    "expiry,status",
    [
        (datetime.date(2025, 3, 9), "expired"),
        (datetime.date(2025, 3, 10), "expiring"),
        (datetime.date(2025, 9, 10), "expiring"),
        (datetime.date(2025, 9, 11), "valid"),
        (None, None),
    ],
)
def test_certificate_status_warns_six_months_ahead(expiry, status):
    evaluation = OcopEvaluation(certificate_expiry=expiry)
    assert services.certificate_status(evaluation, datetime.date(2025, 3, 10)) == status
