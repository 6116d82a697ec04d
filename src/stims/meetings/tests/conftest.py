"""Fixtures for the session and directive pages: the Định Hóa working session of the seed articles.

The Department of Science and Technology of Thái Nguyên met Định Hóa district; the district's
agriculture office leads the Bao Thai rice directive, the department's science division assigns it.
"""

import datetime

import pytest
from django.conf import settings

from stims.meetings.models import Directive, Recurrence, WorkingSession
from stims.orgs.models import Organization, OrganizationKind, Person
from stims.testing import make_user, unit

D = datetime.date


@pytest.fixture
def dinh_hoa(db):
    return unit("Huyện Định Hóa", legacy=True)


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def department(dinh_hoa):
    return Organization.objects.create(
        name="Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
        kind=OrganizationKind.DEPARTMENT,
        admin_unit=dinh_hoa.province,
    )


@pytest.fixture
def science_division(department):
    return Organization.objects.create(
        name="Phòng Quản lý Khoa học",
        kind=OrganizationKind.DIVISION,
        parent=department,
        admin_unit=department.admin_unit,
    )


@pytest.fixture
def district_committee(dinh_hoa):
    return Organization.objects.create(
        name="UBND huyện Định Hóa", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=dinh_hoa
    )


@pytest.fixture
def agriculture_office(dinh_hoa, district_committee):
    return Organization.objects.create(
        name="Phòng Nông nghiệp và PTNT huyện Định Hóa",
        kind=OrganizationKind.OTHER,
        parent=district_committee,
        admin_unit=dinh_hoa,
    )


@pytest.fixture
def economy_office(dinh_hoa, district_committee):
    return Organization.objects.create(
        name="Phòng Kinh tế và Hạ tầng huyện Định Hóa",
        kind=OrganizationKind.OTHER,
        parent=district_committee,
        admin_unit=dinh_hoa,
    )


@pytest.fixture
def ba_che_office(ba_che):
    return Organization.objects.create(
        name="Phòng Kinh tế huyện Ba Chẽ", kind=OrganizationKind.OTHER, admin_unit=ba_che
    )


@pytest.fixture
def director(dinh_hoa):
    return Person.objects.create(full_name="Hoàng Văn Hùng", admin_unit=dinh_hoa.province)


@pytest.fixture
def specialist(db):
    return make_user("specialist", username="chuyenvien")


@pytest.fixture
def leader(db):
    return make_user("leader", username="giamdoc")


@pytest.fixture
def viewer(db):
    return make_user("viewer", username="xem")


@pytest.fixture
def lead_officer(dinh_hoa, agriculture_office):
    """A district officer of the lead unit: sees Định Hóa's sessions and directives, reports on its own."""
    return make_user(
        "local_officer", admin_unit=dinh_hoa, username="phongnn", organization_id=agriculture_office.pk
    )


@pytest.fixture
def neighbour_officer(dinh_hoa, economy_office):
    """An officer of another Định Hóa office: sees the district's directives but leads none of these."""
    return make_user(
        "local_officer", admin_unit=dinh_hoa, username="phongkt", organization_id=economy_office.pk
    )


@pytest.fixture
def outsider(ba_che):
    """An officer of another district: the Định Hóa records are not theirs to see."""
    return make_user("local_officer", admin_unit=ba_che, username="bache")


@pytest.fixture
def session(dinh_hoa, department, director):
    return WorkingSession.objects.create(
        title="Làm việc với UBND huyện Định Hóa về công tác KH&CN",
        held_on=D(2026, 3, 10),
        place="UBND huyện Định Hóa",
        status="held",
        chair=director,
        chair_position="Giám đốc Sở KH&CN",
        host_organization=department,
        admin_unit=dinh_hoa,
    )


@pytest.fixture
def make_directive(session, agriculture_office, specialist):
    counter = iter(range(1, 10_000))

    def make(*, state=None, **fields):
        number = next(counter)
        values = {
            "session": session,
            "text": f"Hỗ trợ huyện thực hiện phục tráng giống lúa Bao Thai Định Hóa (giao số {number})",
            "lead_organization": agriculture_office,
            "assigned_by": specialist,
            "assigned_on": D(2026, 3, 10),
            "recurrence": Recurrence.ONCE,
            "deadline": D(2026, 6, 30),
            **fields,
        }
        directive = Directive.objects.create(**values)
        if state:
            Directive.objects.filter(pk=directive.pk).update(state=state)
            directive.refresh_from_db()
        return directive

    return make


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def english():
    """Service-level messages are asserted in English, the source language."""
    from django.utils import translation

    with translation.override("en"):
        yield
