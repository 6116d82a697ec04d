import pytest

from stims.orgs.models import Organization, OrganizationKind
from stims.programmes.models import Plan, PlanKind, Target
from stims.testing import make_user, unit


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu(db):
    return unit("Huyện Bình Liêu", legacy=True)


@pytest.fixture
def ba_che_committee(ba_che):
    return Organization.objects.create(
        name="UBND huyện Ba Chẽ", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=ba_che
    )


@pytest.fixture
def binh_lieu_committee(binh_lieu):
    return Organization.objects.create(
        name="UBND huyện Bình Liêu", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=binh_lieu
    )


def make_plan(owner, admin_unit, name="Chương trình phát triển tài sản trí tuệ", **extra):
    values = {"kind": PlanKind.PROGRAMME, "start_year": 2021, "end_year": 2025, **extra}
    return Plan.objects.create(name=name, owner=owner, admin_unit=admin_unit, **values)


@pytest.fixture
def ba_che_plan(ba_che_committee, ba_che):
    plan = make_plan(ba_che_committee, ba_che, name="Chương trình phối hợp Ba Chẽ")
    Target.objects.create(plan=plan, indicator="Tỷ lệ hướng dẫn SHTT", unit="%", value=100, year=2023)
    return plan


@pytest.fixture
def binh_lieu_plan(binh_lieu_committee, binh_lieu):
    return make_plan(binh_lieu_committee, binh_lieu, name="Chương trình phối hợp Bình Liêu")


@pytest.fixture
def leader(db):
    return make_user("leader", username="lanhdao")


@pytest.fixture
def specialist(db):
    return make_user("specialist", username="chuyenvien")


@pytest.fixture
def ba_che_officer(ba_che):
    return make_user("local_officer", admin_unit=ba_che, username="canbo_bache")


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in English, the source language."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
