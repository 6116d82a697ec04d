"""Administrative units: both generations loaded from the packages, idempotently, and rolled up."""

import pytest
from django.urls import reverse

from stims.geo.loader import load_units
from stims.geo.models import AdminUnit, AdminUnitSuccession, Generation, Level
from stims.geo.services import covered_units_q, current_province, current_successors
from stims.testing import make_user, province, unit

pytestmark = pytest.mark.django_db


def counts():
    return {
        (generation, level): AdminUnit.objects.filter(generation=generation, level=level).count()
        for generation in Generation.values
        for level in Level.values
    }


def test_the_official_counts_are_loaded():
    assert counts() == {
        ("2025", "province"): 34,
        ("2025", "district"): 0,
        ("2025", "commune"): 3321,
        ("legacy", "province"): 63,
        ("legacy", "district"): 696,
        ("legacy", "commune"): 10035,
    }


def test_loading_twice_changes_nothing():
    before_units, before_edges = counts(), AdminUnitSuccession.objects.count()
    report = load_units()
    assert (report.created, report.updated, report.successions_created) == (0, 0, 0)
    assert counts() == before_units
    assert AdminUnitSuccession.objects.count() == before_edges


def test_a_renamed_unit_is_put_back_by_the_next_load():
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    AdminUnit.objects.filter(pk=ba_che.pk).update(name="Huyện Ba Chẽ (sai)")
    report = load_units()
    assert report.updated == 1
    assert AdminUnit.objects.get(pk=ba_che.pk).name == "Huyện Ba Chẽ"


def test_legacy_units_keep_their_validity_dates():
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    assert ba_che.valid_to.isoformat() == "2025-06-30"
    assert ba_che.level == Level.DISTRICT
    assert ba_che.parent == province("Quảng Ninh", legacy=True)
    assert unit("Xã Ba Chẽ").valid_from.isoformat() == "2025-07-01"


def test_a_legacy_district_rolls_up_to_todays_province_and_communes():
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    assert current_province(ba_che) == province("Quảng Ninh")
    successors = set(current_successors(ba_che).values_list("name", flat=True))
    assert "Xã Ba Chẽ" in successors
    assert all(u.generation == Generation.CURRENT for u in current_successors(ba_che))
    # Every legacy commune of the district became one of those communes.
    for commune in ba_che.children.all():
        assert set(current_successors(commune).values_list("name", flat=True)) <= successors


def test_merged_provinces_roll_up_to_the_merged_province():
    # Bắc Kạn merged into Thái Nguyên in 2025.
    assert current_province(province("Bắc Kạn", legacy=True)) == province("Thái Nguyên")
    assert current_province(unit("Huyện Định Hóa", legacy=True)) == province("Thái Nguyên")


def test_a_current_commune_covers_the_legacy_units_it_came_from():
    xa_ba_che = unit("Xã Ba Chẽ")
    covered = set(AdminUnit.objects.filter(covered_units_q(xa_ba_che)).values_list("name", "generation"))
    assert ("Xã Ba Chẽ", "2025") in covered
    assert ("Huyện Ba Chẽ", "legacy") in covered
    assert ("Thị trấn Ba Chẽ", "legacy") in covered
    assert not any(name == "Huyện Bình Liêu" for name, _ in covered)


def test_the_unit_page_shows_what_a_legacy_district_became(client):
    client.force_login(make_user("viewer"))
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    response = client.get(reverse("geo:adminunit_detail", args=[ba_che.pk]))
    assert response.status_code == 200
    assert "Xã Ba Chẽ" in response.content.decode()
    assert "Tỉnh Quảng Ninh" in response.content.decode()


def test_the_unit_list_filters_by_generation_and_level(client):
    client.force_login(make_user("viewer"))
    response = client.get(
        reverse("geo:adminunit_list"), {"generation": "legacy", "level": "province", "per_page": 100}
    )
    assert response.context["table"].paginator.count == 63


@pytest.mark.parametrize("per_page", [10, 100])
def test_the_unit_list_runs_the_same_number_of_queries_whatever_the_page_size(
    client, django_assert_num_queries, per_page
):
    user = make_user("viewer")
    client.force_login(user)
    client.get(reverse("geo:adminunit_list"))  # warm up per-process caches (content types, sessions)
    # session, user, role assignments, count, the page's keys and its rows (14,000+ units: a long list
    # is read by key, core.tables.late_rows), nav permission checks — pinned, not per row.
    with django_assert_num_queries(UNIT_LIST_QUERIES):
        response = client.get(reverse("geo:adminunit_list"), {"per_page": per_page})
    assert len(response.context["table"].page.object_list) == per_page


UNIT_LIST_QUERIES = 7


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("geo:adminunit_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_user_without_any_role_is_refused(client):
    client.force_login(make_user(None))
    assert client.get(reverse("geo:adminunit_list")).status_code == 403


def test_the_shared_unit_filter_follows_records_across_the_reform():
    from stims.geo.filters import UnitFilter
    from stims.orgs.models import Organization

    org = Organization.objects.create(
        name="UBND huyện Ba Chẽ", kind="peoples_committee", admin_unit=unit("Huyện Ba Chẽ", legacy=True)
    )
    unit_filter = UnitFilter(field_name="admin_unit", queryset=AdminUnit.objects.all())
    assert list(unit_filter.filter(Organization.objects.all(), province("Quảng Ninh"))) == [org]
    assert list(unit_filter.filter(Organization.objects.all(), unit("Xã Ba Chẽ"))) == [org]
    assert list(unit_filter.filter(Organization.objects.all(), unit("Huyện Bình Liêu", legacy=True))) == []
