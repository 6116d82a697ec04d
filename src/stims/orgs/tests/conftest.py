import pytest

from stims.orgs.models import LocalBody, LocalBodyKind, Organization, OrganizationKind, Person, Position
from stims.testing import province, unit


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


@pytest.fixture
def department(db):
    return Organization.objects.create(
        name="Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        kind=OrganizationKind.DEPARTMENT,
        admin_unit=province("Quảng Ninh"),
    )


@pytest.fixture
def chairman(ba_che, ba_che_committee):
    person = Person.objects.create(full_name="Đỗ Mạnh Hùng", admin_unit=ba_che)
    Position.objects.create(person=person, organization=ba_che_committee, title="Chủ tịch UBND huyện Ba Chẽ")
    return person


@pytest.fixture
def ba_che_council(ba_che):
    return LocalBody.objects.create(
        kind=LocalBodyKind.ADVISORY_COUNCIL, name="Hội đồng KH&CN huyện Ba Chẽ", admin_unit=ba_che
    )
