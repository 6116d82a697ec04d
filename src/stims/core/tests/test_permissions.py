"""The permission layer: who sees and changes what, on pages, exports and the API alike.

Every grant is tested together with its refusal.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.core import permissions
from stims.core.tests.versions import if_match
from stims.orgs.models import Organization, OrganizationKind, Person
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def thai_nguyen_org(db):
    return Organization.objects.create(
        name="UBND huyện Định Hóa",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("Huyện Định Hóa", legacy=True),
    )


@pytest.fixture
def ba_che_officer(db):
    return make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True), username="canbo.bache")


def visible(user, model=Organization, action=permissions.VIEW):
    return {str(row) for row in permissions.restrict(model.objects.all(), user, action)}


def test_a_local_officer_sees_only_their_units_records(
    ba_che_officer, ba_che_org, binh_lieu_org, thai_nguyen_org
):
    assert visible(ba_che_officer) == {"UBND huyện Ba Chẽ"}


def test_a_local_officer_sees_records_of_the_communes_under_their_district(ba_che_officer):
    commune = unit("Huyện Ba Chẽ", legacy=True).children.first()
    Organization.objects.create(name="HTX chè Ba Chẽ", kind=OrganizationKind.COOPERATIVE, admin_unit=commune)
    assert "HTX chè Ba Chẽ" in visible(ba_che_officer)


def test_todays_commune_officer_still_sees_the_old_districts_records(ba_che_org, binh_lieu_org):
    officer = make_user("local_officer", admin_unit=unit("Xã Ba Chẽ"))
    assert visible(officer) == {"UBND huyện Ba Chẽ"}


def test_province_wide_roles_see_everything(ba_che_org, binh_lieu_org, thai_nguyen_org):
    for role in ("leader", "specialist", "inspector", "viewer"):
        assert len(visible(make_user(role))) == 3, role


def test_a_user_without_roles_sees_nothing(ba_che_org):
    assert visible(make_user(None)) == set()


def test_an_assignment_out_of_force_grants_nothing(ba_che_org):
    import datetime

    user = make_user(None)
    user.role_assignments.create(role="viewer", valid_to=datetime.date(2020, 1, 1))
    assert visible(user) == set()


def test_viewers_and_inspectors_cannot_change(ba_che_org):
    for role in ("viewer", "inspector"):
        user = make_user(role)
        assert not permissions.has_perm(user, permissions.CHANGE, ba_che_org)
        assert not permissions.has_perm(user, permissions.ADD, Organization)


def test_only_leaders_may_delete(ba_che_org, ba_che_officer):
    assert permissions.has_perm(make_user("leader"), permissions.DELETE, ba_che_org)
    assert not permissions.has_perm(make_user("specialist"), permissions.DELETE, ba_che_org)
    assert not permissions.has_perm(ba_che_officer, permissions.DELETE, ba_che_org)


def test_a_record_check_asks_the_database_only_when_the_scope_narrows(
    ba_che_org, binh_lieu_org, ba_che_officer, django_assert_num_queries
):
    """A department-wide role's check on a record needs no query (its roles reach every row: a task's
    page asked ten times); a local officer's is still the record looked up within their units."""
    specialist, leader, viewer = make_user("specialist"), make_user("leader"), make_user("viewer")
    for user in (specialist, leader, viewer, ba_che_officer):
        permissions.active_assignments(user)  # the roles, read once per user
    with django_assert_num_queries(0):
        assert permissions.has_perm(specialist, permissions.CHANGE, binh_lieu_org)
        assert permissions.has_perm(leader, permissions.DELETE, ba_che_org)
        assert permissions.has_perm(viewer, permissions.VIEW, binh_lieu_org)
        assert not permissions.has_perm(viewer, permissions.CHANGE, binh_lieu_org)
        assert not permissions.has_perm(specialist, permissions.DELETE, ba_che_org)
    for record, expected in ((ba_che_org, True), (binh_lieu_org, False)):
        with CaptureQueriesContext(connection) as asked:
            assert permissions.has_perm(ba_che_officer, permissions.CHANGE, record) is expected
        assert any("EXISTS" in q["sql"] or "LIMIT 1" in q["sql"] for q in asked.captured_queries)


def test_an_organization_scoped_specialist_sees_their_organization_and_its_divisions(
    ba_che_org, binh_lieu_org
):
    division = Organization.objects.create(
        name="Phòng Kinh tế huyện Ba Chẽ",
        kind=OrganizationKind.DIVISION,
        parent=ba_che_org,
        admin_unit=ba_che_org.admin_unit,
    )
    user = make_user("specialist", organization=ba_che_org)
    assert visible(user) == {"UBND huyện Ba Chẽ", division.name}


def test_people_are_scoped_by_their_unit(ba_che_officer):
    Person.objects.create(full_name="Đỗ Mạnh Hùng", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    Person.objects.create(full_name="Đỗ Xuân Trường", admin_unit=unit("Huyện Bình Liêu", legacy=True))
    assert visible(ba_che_officer, Person) == {"Đỗ Mạnh Hùng"}


# --- Pages -------------------------------------------------------------------------------------


def test_a_local_officer_gets_404_for_another_units_record(client, ba_che_officer, binh_lieu_org):
    client.force_login(ba_che_officer)
    for name in ("detail", "edit"):
        url = reverse(f"orgs:organization_{name}", args=[binh_lieu_org.pk])
        assert client.get(url).status_code == 404, name


def test_a_local_officer_may_not_delete_even_their_own_units_records(client, ba_che_officer, ba_che_org):
    client.force_login(ba_che_officer)
    url = reverse("orgs:organization_delete", args=[ba_che_org.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Organization.objects.filter(pk=ba_che_org.pk).exists()


def test_a_viewer_gets_403_on_the_edit_page_and_its_post(client, ba_che_org):
    client.force_login(make_user("viewer"))
    url = reverse("orgs:organization_edit", args=[ba_che_org.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(
            url, {"name": "Đổi tên", "kind": "other", "admin_unit": ba_che_org.admin_unit_id}
        ).status_code
        == 403
    )
    ba_che_org.refresh_from_db()
    assert ba_che_org.name == "UBND huyện Ba Chẽ"


def test_a_viewer_cannot_open_the_add_form(client):
    client.force_login(make_user("viewer"))
    assert client.get(reverse("orgs:organization_add")).status_code == 403


def test_a_council_member_is_refused_the_local_bodies_list(client):
    client.force_login(make_user("council_member"))
    assert client.get(reverse("orgs:localbody_list")).status_code == 403
    assert client.get(reverse("orgs:organization_list")).status_code == 200


def test_a_local_officer_cannot_create_a_record_in_another_unit(client, ba_che_officer):
    client.force_login(ba_che_officer)
    response = client.post(
        reverse("orgs:organization_add"),
        {
            "name": "HTX lạ",
            "kind": "cooperative",
            "admin_unit": unit("Huyện Bình Liêu", legacy=True).pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "admin_unit" in response.context["form"].errors
    assert not Organization.objects.filter(name="HTX lạ").exists()


def test_a_local_officer_can_create_a_record_in_their_unit(client, ba_che_officer):
    client.force_login(ba_che_officer)
    response = client.post(
        reverse("orgs:organization_add"),
        {
            "name": "HTX trà hoa vàng Ba Chẽ",
            "kind": "cooperative",
            "admin_unit": unit("Huyện Ba Chẽ", legacy=True).pk,
        },
    )
    assert response.status_code == 302
    created = Organization.objects.get(name="HTX trà hoa vàng Ba Chẽ")
    assert created.history.first().history_user == ba_che_officer


def test_a_local_officer_cannot_move_a_record_out_of_their_unit(client, ba_che_officer, ba_che_org):
    client.force_login(ba_che_officer)
    response = client.post(
        reverse("orgs:organization_edit", args=[ba_che_org.pk]),
        {
            "name": ba_che_org.name,
            "kind": ba_che_org.kind,
            "admin_unit": unit("Huyện Bình Liêu", legacy=True).pk,
        },
    )
    assert response.status_code == 200
    ba_che_org.refresh_from_db()
    assert ba_che_org.admin_unit.name == "Huyện Ba Chẽ"


# --- Exports and API use the same rows --------------------------------------------------------------


def test_the_csv_export_holds_only_the_users_rows(client, ba_che_officer, ba_che_org, binh_lieu_org):
    client.force_login(ba_che_officer)
    response = client.get(reverse("orgs:organization_list"), {"_export": "csv"})
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "UBND huyện Ba Chẽ" in body
    assert "Bình Liêu" not in body


def test_the_api_lists_only_the_users_rows(client, ba_che_officer, ba_che_org, binh_lieu_org):
    client.force_login(ba_che_officer)
    response = client.get("/api/orgs/organizations/")
    assert [row["name"] for row in response.json()["results"]] == ["UBND huyện Ba Chẽ"]
    assert client.get(f"/api/orgs/organizations/{binh_lieu_org.pk}/").status_code == 404


def test_the_api_refuses_a_viewers_write(client, ba_che_org):
    client.force_login(make_user("viewer"))
    response = client.patch(
        f"/api/orgs/organizations/{ba_che_org.pk}/",
        {"phone": "0203"},
        content_type="application/json",
        **if_match(ba_che_org),
    )
    assert response.status_code == 403
    ba_che_org.refresh_from_db()
    assert ba_che_org.phone == ""


def test_the_api_refuses_a_local_officers_record_in_another_unit(client, ba_che_officer):
    client.force_login(ba_che_officer)
    response = client.post(
        "/api/orgs/organizations/",
        {"name": "HTX lạ", "kind": "cooperative", "admin_unit": unit("Huyện Bình Liêu", legacy=True).pk},
        content_type="application/json",
    )
    # The unit is not one the officer may attach records to: refused as the form refuses it (400, on
    # the field), before anything is saved.
    assert response.status_code == 400 and "admin_unit" in response.json()["errors"]
    assert not Organization.objects.filter(name="HTX lạ").exists()


def test_the_api_refuses_anonymous_visitors(client, ba_che_org):
    # 401 with a challenge: the API authenticates by token (or the page session).
    response = client.get("/api/orgs/organizations/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_every_role_in_the_matrix_is_a_real_role():
    from stims.accounts.models import Role

    assert set(permissions.ROLE_MATRIX) == set(Role.values)


def test_deleted_records_of_another_unit_are_neither_listed_nor_restorable(client, ba_che_org, binh_lieu_org):
    binh_lieu_id = binh_lieu_org.pk
    binh_lieu_org.delete()
    ba_che_org.delete()
    officer = make_user("specialist", organization=None, admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    client.force_login(officer)
    page = client.get(reverse("orgs:organization_deleted"))
    assert [str(r.instance) for r in page.context["records"]] == ["UBND huyện Ba Chẽ"]
    other = Organization.history.get(id=binh_lieu_id, history_type="-")
    assert client.post(reverse("orgs:organization_deleted"), {"history_id": other.pk}).status_code == 404
    assert not Organization.objects.filter(name="UBND huyện Bình Liêu").exists()
