import datetime

import pytest

from stims.initiatives.models import CouncilRound, Initiative, InitiativeAuthor, RoundMember
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu(db):
    return unit("Huyện Bình Liêu", legacy=True)


@pytest.fixture
def committee(ba_che):
    return Organization.objects.create(
        name="UBND huyện Ba Chẽ", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=ba_che
    )


@pytest.fixture
def other_committee(binh_lieu):
    return Organization.objects.create(
        name="UBND huyện Bình Liêu", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=binh_lieu
    )


@pytest.fixture
def member_user(db):
    return make_user("council_member", username="hoidong")


@pytest.fixture
def council_round(ba_che, committee, member_user):
    council_round = CouncilRound.objects.create(
        name="Hội đồng xét sáng kiến huyện Ba Chẽ năm 2023",
        year=2023,
        admin_unit=ba_che,
        convened_by=committee,
        pass_mark=70,
    )
    RoundMember.objects.create(round=council_round, name="Lý Văn Thắng", role="chair", user=member_user)
    RoundMember.objects.create(round=council_round, name="Ma Thị Hồng", role="secretary")
    return council_round


def make_initiative(agency, title="Số hoá bộ phận một cửa", shares=(70, 30)):
    initiative = Initiative.objects.create(
        title=title,
        agency=agency,
        field="Cải cách hành chính",
        submitted_on=datetime.date(2023, 9, 5),
        description="Mô tả",
        benefits="Rút ngắn thời gian",
    )
    for n, share in enumerate(shares):
        InitiativeAuthor.objects.create(initiative=initiative, name=f"Tác giả {n}", contribution=share)
    return initiative


@pytest.fixture
def initiative(committee):
    return make_initiative(committee)


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
    """Messages are asserted in English, the source language: the services' and the pages' alike (the
    browser test reads the Vietnamese pages its live server sends)."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
