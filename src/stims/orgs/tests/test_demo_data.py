"""The directory and the demo users as `stims demo` leaves them (the demo runs once for the module)."""

import pytest

from stims.accounts.models import Role, RoleAssignment, User
from stims.core import permissions
from stims.demo.orgs import DEMO_REASON
from stims.geo.models import Generation, Level
from stims.orgs.models import LocalBody, LocalBodyKind, LocalBodyMember, Organization, Position
from stims.testing import unit

from .test_demo import MODELS  # the same models as the demo-twice test counts

pytestmark = pytest.mark.django_db


def test_every_demo_record_was_created_with_the_demo_reason_in_its_history(demo_data):
    for model in MODELS:
        reasons = set(model.history.values_list("history_change_reason", flat=True))
        assert reasons == {DEMO_REASON}, model


def test_the_chairman_of_ba_che_holds_his_post_at_the_legacy_district_committee(demo_data):
    position = Position.objects.select_related("organization__admin_unit", "person").get(
        person__full_name="Đỗ Mạnh Hùng", organization__name="UBND huyện Ba Chẽ"
    )
    assert "Chủ tịch UBND huyện Ba Chẽ" in position.title
    assert position.organization.admin_unit == unit("Huyện Ba Chẽ", legacy=True)
    assert position.person.admin_unit == unit("Huyện Ba Chẽ", legacy=True)
    assert str(position.start_date) == "2023-03-13"


def test_the_dap_thanh_forestry_company_is_in_a_legacy_commune_of_ba_che(demo_data):
    company = Organization.objects.select_related("admin_unit__parent").get(
        name="Công ty CP Kinh doanh lâm sản Đạp Thanh"
    )
    assert company.kind == "enterprise"
    assert company.admin_unit.generation == Generation.LEGACY
    assert company.admin_unit.level == Level.COMMUNE
    assert company.admin_unit.parent == unit("Huyện Ba Chẽ", legacy=True)


def test_the_department_divisions_hang_under_the_quang_ninh_department_of_today(demo_data):
    department = Organization.objects.get(name="Sở Khoa học và Công nghệ tỉnh Quảng Ninh")
    assert department.admin_unit.generation == Generation.CURRENT
    assert department.admin_unit.code == "22"
    divisions = set(department.children.values_list("name", flat=True))
    assert {"Văn phòng Sở", "Thanh tra Sở", "Trung tâm Ứng dụng và Thống kê KH&CN"} <= divisions


def test_district_bodies_sit_on_legacy_districts_and_the_commune_council_on_todays_commune(demo_data):
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    assert set(LocalBody.objects.filter(admin_unit=ba_che).values_list("kind", flat=True)) == {
        LocalBodyKind.STEERING_COMMITTEE,
        LocalBodyKind.ADVISORY_COUNCIL,
        LocalBodyKind.ASSIGNMENT,
    }
    assert LocalBody.objects.filter(
        admin_unit=unit("Xã Ba Chẽ"), kind=LocalBodyKind.ADVISORY_COUNCIL
    ).exists()
    assert LocalBody.objects.filter(
        admin_unit=unit("Huyện Định Hóa", legacy=True), kind=LocalBodyKind.ADVISORY_COUNCIL
    ).exists()
    assert LocalBody.objects.filter(
        kind=LocalBodyKind.INITIATIVES_COUNCIL, admin_unit__province__short_name="Nam Định"
    )
    leader = LocalBodyMember.objects.get(
        body__admin_unit=ba_che, body__kind=LocalBodyKind.ASSIGNMENT, role="leader_in_charge"
    )
    assert leader.person.full_name == "Đỗ Mạnh Hùng"


def test_decision_numbers_the_articles_do_not_give_are_marked_as_demo(demo_data):
    for body in LocalBody.objects.all():
        assert "(demo)" in body.decision_number
        assert "Số quyết định minh hoạ (demo)" in body.notes


def test_each_local_officer_is_limited_to_their_own_unit(demo_data):
    scopes = {
        a.user.username: a.admin_unit
        for a in RoleAssignment.objects.filter(role=Role.LOCAL_OFFICER).select_related("user", "admin_unit")
    }
    assert scopes == {
        "canbo.bache": unit("Huyện Ba Chẽ", legacy=True),
        "canbo.binhlieu": unit("Huyện Bình Liêu", legacy=True),
        "canbo.xabache": unit("Xã Ba Chẽ"),
    }
    # And the scope works: the Ba Chẽ officer sees Ba Chẽ's bodies, not Bình Liêu's.
    visible = {
        str(b)
        for b in permissions.restrict(LocalBody.objects.all(), User.objects.get(username="canbo.bache"))
    }
    assert "Hội đồng KH&CN huyện Ba Chẽ" in visible
    assert "Hội đồng KH&CN huyện Bình Liêu" not in visible
