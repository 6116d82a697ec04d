"""Targets: the standard pages and API, with every refusal next to every grant."""

from decimal import Decimal

import pytest
from django.urls import reverse

from stims.accounts.models import Role
from stims.registries.models import Indicator, Target
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ba_che():
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu():
    return unit("Huyện Bình Liêu", legacy=True)


@pytest.fixture
def ba_che_target(ba_che):
    return Target.objects.create(
        year=2023, admin_unit=ba_che, indicator=Indicator.NEW_ST_ENTERPRISES, value=2
    )


def form_data(admin_unit, **extra):
    return {
        "year": 2023,
        "admin_unit": admin_unit.pk,
        "indicator": Indicator.KEY_PRODUCTS_WITH_IP,
        "value": "100",
        "legal_basis": "Kết luận buổi làm việc 13/3/2023",
        **extra,
    }


def test_a_specialist_adds_a_target_and_the_dashboard_shows_progress_against_it(client, ba_che):
    client.force_login(make_user(Role.SPECIALIST))
    response = client.post(reverse("registries:target_add"), form_data(ba_che))
    target = Target.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "registries:target_detail", args=[target.pk]
    )
    assert target.value == Decimal("100") and target.history.count() == 1
    page = client.get(reverse("registries:dashboard"), {"unit": ba_che.pk, "year": 2023})
    [progress] = page.context["figures"].targets
    assert progress.indicator == Indicator.KEY_PRODUCTS_WITH_IP and progress.target == Decimal("100")


def test_one_target_per_indicator_unit_and_year(client, ba_che, ba_che_target):
    client.force_login(make_user(Role.SPECIALIST))
    response = client.post(
        reverse("registries:target_add"), form_data(ba_che, indicator=Indicator.NEW_ST_ENTERPRISES)
    )
    assert response.status_code == 200 and Target.objects.count() == 1


def test_a_local_officer_may_not_add_change_or_delete_targets(client, ba_che, ba_che_target):
    client.force_login(make_user(Role.LOCAL_OFFICER, admin_unit=ba_che))
    assert client.get(reverse("registries:target_add")).status_code == 403
    assert client.post(reverse("registries:target_add"), form_data(ba_che)).status_code == 403
    assert client.get(reverse("registries:target_edit", args=[ba_che_target.pk])).status_code == 403
    assert client.post(reverse("registries:target_delete", args=[ba_che_target.pk])).status_code == 403
    assert Target.objects.count() == 1
    assert client.post("/api/registries/targets/", form_data(ba_che)).status_code == 403


def test_a_local_officer_reads_the_targets_of_their_locality_only(client, ba_che, binh_lieu, ba_che_target):
    other = Target.objects.create(
        year=2023, admin_unit=binh_lieu, indicator=Indicator.NEW_ST_ENTERPRISES, value=1
    )
    client.force_login(make_user(Role.LOCAL_OFFICER, admin_unit=ba_che))
    listing = client.get(reverse("registries:target_list"))
    assert listing.status_code == 200 and [t.pk for t in listing.context["table"].data] == [ba_che_target.pk]
    assert client.get(reverse("registries:target_detail", args=[ba_che_target.pk])).status_code == 200
    assert client.get(reverse("registries:target_detail", args=[other.pk])).status_code == 404
    assert [row["id"] for row in client.get("/api/registries/targets/").json()["results"]] == [
        ba_che_target.pk
    ]


def test_a_specialist_may_not_delete_but_a_leader_may(client, ba_che_target):
    client.force_login(make_user(Role.SPECIALIST))
    assert client.post(reverse("registries:target_delete", args=[ba_che_target.pk])).status_code == 403
    client.force_login(make_user(Role.LEADER))
    assert client.post(reverse("registries:target_delete", args=[ba_che_target.pk])).status_code == 302
    assert not Target.objects.exists()


def test_the_target_list_filters_by_year_and_searches_unit_names(client, ba_che, binh_lieu, ba_che_target):
    Target.objects.create(year=2024, admin_unit=binh_lieu, indicator=Indicator.NEW_ST_ENTERPRISES, value=1)
    client.force_login(make_user(Role.VIEWER))
    by_year = client.get(reverse("registries:target_list"), {"year": 2023})
    assert [t.pk for t in by_year.context["table"].data] == [ba_che_target.pk]
    by_name = client.get(reverse("registries:target_list"), {"q": "binh lieu"})
    assert [t.admin_unit for t in by_name.context["table"].data] == [binh_lieu]
