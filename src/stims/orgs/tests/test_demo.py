"""`stims demo`: the seed articles' directory and the demo users, loaded idempotently."""

import io

import pytest
from django.core.management import call_command

from stims.accounts.models import Role, RoleAssignment, User
from stims.core import permissions
from stims.demo.accounts import DEFAULT_PASSWORD
from stims.demo.orgs import DEMO_REASON
from stims.geo.models import Generation, Level
from stims.orgs.models import LocalBody, LocalBodyKind, LocalBodyMember, Organization, Person, Position
from stims.testing import unit

pytestmark = pytest.mark.django_db

MODELS = (Organization, Person, Position, LocalBody, LocalBodyMember, User, RoleAssignment)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    counts = {}
    for model in MODELS:
        counts[model._meta.label] = model.objects.count()
        counts[f"{model._meta.label} history"] = model.history.count()
    return counts


def test_running_the_demo_twice_creates_and_changes_nothing_the_second_time(monkeypatch):
    monkeypatch.delenv("STIMS_DEMO_PASSWORD", raising=False)
    run_demo()
    first = snapshot()
    passwords = dict(User.objects.values_list("username", "password"))
    run_demo()
    assert snapshot() == first
    # Not even the password hashes are rewritten.
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert first["orgs.Organization"] >= 25 and first["accounts.User"] == 9


def test_every_demo_record_was_created_with_the_demo_reason_in_its_history():
    run_demo()
    for model in MODELS:
        reasons = set(model.history.values_list("history_change_reason", flat=True))
        assert reasons == {DEMO_REASON}, model


def test_the_chairman_of_ba_che_holds_his_post_at_the_legacy_district_committee():
    run_demo()
    position = Position.objects.select_related("organization__admin_unit", "person").get(
        person__full_name="Đỗ Mạnh Hùng", organization__name="UBND huyện Ba Chẽ"
    )
    assert "Chủ tịch UBND huyện Ba Chẽ" in position.title
    assert position.organization.admin_unit == unit("Huyện Ba Chẽ", legacy=True)
    assert position.person.admin_unit == unit("Huyện Ba Chẽ", legacy=True)
    assert str(position.start_date) == "2023-03-13"


def test_the_dap_thanh_forestry_company_is_in_a_legacy_commune_of_ba_che():
    run_demo()
    company = Organization.objects.select_related("admin_unit__parent").get(
        name="Công ty CP Kinh doanh lâm sản Đạp Thanh"
    )
    assert company.kind == "enterprise"
    assert company.admin_unit.generation == Generation.LEGACY
    assert company.admin_unit.level == Level.COMMUNE
    assert company.admin_unit.parent == unit("Huyện Ba Chẽ", legacy=True)


def test_the_department_divisions_hang_under_the_quang_ninh_department_of_today():
    run_demo()
    department = Organization.objects.get(name="Sở Khoa học và Công nghệ tỉnh Quảng Ninh")
    assert department.admin_unit.generation == Generation.CURRENT
    assert department.admin_unit.code == "22"
    divisions = set(department.children.values_list("name", flat=True))
    assert {"Văn phòng Sở", "Thanh tra Sở", "Trung tâm Ứng dụng và Thống kê KH&CN"} <= divisions


def test_district_bodies_sit_on_legacy_districts_and_the_commune_council_on_todays_commune():
    run_demo()
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


def test_decision_numbers_the_articles_do_not_give_are_marked_as_demo():
    run_demo()
    for body in LocalBody.objects.all():
        assert "(demo)" in body.decision_number
        assert "Số quyết định minh hoạ (demo)" in body.notes


def test_each_local_officer_is_limited_to_their_own_unit():
    run_demo()
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


def test_the_sign_in_table_lists_every_user_with_the_default_password(monkeypatch):
    monkeypatch.delenv("STIMS_DEMO_PASSWORD", raising=False)
    monkeypatch.setenv("PORT", "8123")
    output = run_demo()
    assert "http://127.0.0.1:8123" in output
    for username in (
        "admin",
        "lanhdao",
        "chuyenvien",
        "thanhtra",
        "canbo.bache",
        "canbo.xabache",
        "canbo.binhlieu",
        "hoidong",
        "xem",
    ):
        user = User.objects.get(username=username)
        assert user.check_password(DEFAULT_PASSWORD), username
        assert username in output
    assert DEFAULT_PASSWORD in output
    assert User.objects.get(username="admin").is_superuser


def test_a_password_from_the_environment_replaces_the_old_one_without_a_history_row(monkeypatch):
    monkeypatch.delenv("STIMS_DEMO_PASSWORD", raising=False)
    run_demo()
    history_before = User.history.count()
    monkeypatch.setenv("STIMS_DEMO_PASSWORD", "a-chosen-demo-password")
    output = run_demo()
    assert User.history.count() == history_before
    user = User.objects.get(username="canbo.xabache")
    assert user.check_password("a-chosen-demo-password")
    assert not user.check_password(DEFAULT_PASSWORD)
    assert "a-chosen-demo-password" in output
