"""Directory pages: list, search, open, edit, see who changed what, delete and restore."""

import pytest
from django.urls import reverse

from stims.core.tests.versions import versioned
from stims.orgs.models import LocalBodyMember, Organization, OrganizationKind, Person, Position
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialist(client):
    user = make_user("specialist", username="chuyenvien", first_name="Lan", last_name="Nguyễn Thị")
    client.force_login(user)
    return user


def test_editing_an_organization_records_who_changed_which_field(client, specialist, ba_che_committee):
    url = reverse("orgs:organization_edit", args=[ba_che_committee.pk])
    response = client.post(
        url,
        versioned(
            ba_che_committee,
            {
                "name": ba_che_committee.name,
                "kind": ba_che_committee.kind,
                "admin_unit": ba_che_committee.admin_unit_id,
                "phone": "0203 3888 123",
                "is_active": "on",
            },
        ),
    )
    assert response.status_code == 302
    latest = ba_che_committee.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == specialist
    detail = client.get(reverse("orgs:organization_detail", args=[ba_che_committee.pk])).content.decode()
    assert "0203 3888 123" in detail
    assert "Nguyễn Thị Lan" in detail or "Lan Nguyễn Thị" in detail


def test_a_rejected_form_keeps_what_was_typed_and_saves_nothing(client, specialist, ba_che):
    response = client.post(
        reverse("orgs:organization_add"),
        {
            "name": "",
            "kind": "cooperative",
            "admin_unit": ba_che.pk,
            "phone": "0912 345 678",
            "email": "not-an-email",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "email"}
    html = response.content.decode()
    assert 'value="0912 345 678"' in html
    assert 'value="not-an-email"' in html
    assert f'<option value="{ba_che.pk}" selected>' in html
    assert not Organization.objects.filter(phone="0912 345 678").exists()


def test_errors_are_in_vietnamese_by_default(client, specialist, ba_che):
    response = client.post(
        reverse("orgs:organization_add"), {"name": "", "kind": "cooperative", "admin_unit": ba_che.pk}
    )
    assert "Trường này là bắt buộc." in response.content.decode()


def test_an_organization_cannot_be_its_own_parent(client, specialist, ba_che_committee):
    response = client.post(
        reverse("orgs:organization_edit", args=[ba_che_committee.pk]),
        {
            "name": ba_che_committee.name,
            "kind": "other",
            "admin_unit": ba_che_committee.admin_unit_id,
            "parent": ba_che_committee.pk,
        },
    )
    assert "parent" in response.context["form"].errors


def test_deleting_then_restoring_brings_the_record_back_with_its_history(client, ba_che_committee):
    leader = make_user("leader")
    client.force_login(leader)
    pk = ba_che_committee.pk
    assert client.post(reverse("orgs:organization_delete", args=[pk])).status_code == 302
    assert not Organization.objects.filter(pk=pk).exists()
    deleted_page = client.get(reverse("orgs:organization_deleted"))
    record = next(r for r in deleted_page.context["records"] if r.id == pk)
    response = client.post(reverse("orgs:organization_deleted"), {"history_id": record.pk})
    assert response.status_code == 302
    restored = Organization.objects.get(pk=pk)
    assert restored.name == "UBND huyện Ba Chẽ"
    assert [h.history_type for h in restored.history.all()] == ["+", "-", "+"]
    assert restored.history.first().history_change_reason


def test_a_record_in_use_is_not_deleted_and_the_user_is_told_why(client, chairman, ba_che_committee):
    client.force_login(make_user("leader"))
    response = client.post(reverse("orgs:organization_delete", args=[ba_che_committee.pk]), follow=True)
    assert Organization.objects.filter(pk=ba_che_committee.pk).exists()
    assert (
        "Đỗ Mạnh Hùng" in response.content.decode()
        or "Chủ tịch UBND huyện Ba Chẽ" in response.content.decode()
    )


def test_a_person_page_shows_positions_held_over_time(client, specialist, chairman):
    page = client.get(reverse("orgs:person_detail", args=[chairman.pk])).content.decode()
    assert "Chủ tịch UBND huyện Ba Chẽ" in page
    assert "UBND huyện Ba Chẽ" in page


def test_a_position_added_from_the_person_page_returns_there(client, specialist, chairman, ba_che_committee):
    response = client.post(
        reverse("orgs:position_add"),
        {
            "person": chairman.pk,
            "organization": ba_che_committee.pk,
            "title": "Phó Bí thư Huyện ủy",
            "start_date": "01/01/2021",
            "is_primary": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:person_detail", args=[chairman.pk])
    position = Position.objects.get(title="Phó Bí thư Huyện ủy")
    assert position.start_date.isoformat() == "2021-01-01"


def test_a_position_cannot_end_before_it_starts(client, specialist, chairman, ba_che_committee):
    response = client.post(
        reverse("orgs:position_add"),
        {
            "person": chairman.pk,
            "organization": ba_che_committee.pk,
            "title": "Chủ tịch",
            "start_date": "01/06/2023",
            "end_date": "01/01/2023",
        },
    )
    assert "end_date" in response.context["form"].errors


def test_a_local_body_page_lists_its_members(client, specialist, ba_che_council, chairman):
    LocalBodyMember.objects.create(
        body=ba_che_council, person=chairman, role="head", position_text="Chủ tịch UBND huyện"
    )
    page = client.get(reverse("orgs:localbody_detail", args=[ba_che_council.pk])).content.decode()
    assert "Đỗ Mạnh Hùng" in page


def test_the_list_search_ignores_diacritics_and_case(
    client, specialist, ba_che_committee, binh_lieu_committee
):
    response = client.get(reverse("orgs:organization_list"), {"q": "ubnd huyen BA CHE"})
    assert [o.name for o in response.context["table"].data] == ["UBND huyện Ba Chẽ"]


def test_the_xlsx_export_is_a_real_workbook(client, specialist, ba_che_committee):
    import io

    import openpyxl

    response = client.get(reverse("orgs:organization_list"), {"_export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "UBND huyện Ba Chẽ" in values


@pytest.mark.parametrize("role", ["specialist", "local_officer"])
@pytest.mark.parametrize(
    "url_name,count", [("orgs:organization_list", 8), ("orgs:person_list", 9), ("orgs:localbody_list", 8)]
)
def test_list_pages_run_a_constant_number_of_queries(client, url_name, count, role):
    """Whatever the page size; a local officer's unit scope is resolved once per request (+2 queries)."""
    scope = unit("Huyện Ba Chẽ", legacy=True) if role == "local_officer" else None
    client.force_login(make_user(role, admin_unit=scope))
    count += 2 if scope else 0
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    for i in range(30):
        org = Organization.objects.create(
            name=f"HTX {i}", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che
        )
        person = Person.objects.create(full_name=f"Người {i}", admin_unit=ba_che)
        Position.objects.create(person=person, organization=org, title="Giám đốc")
        from stims.orgs.models import LocalBody

        LocalBody.objects.create(kind="advisory_council", name=f"Hội đồng {i}", admin_unit=ba_che)
    client.get(reverse(url_name))
    sizes = {}
    for per_page in (5, 25):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name), {"per_page": per_page}).status_code == 200
        sizes[per_page] = len(queries)
    assert sizes[5] == sizes[25] <= count, sizes


def test_a_person_with_positions_is_not_deleted_with_them_silently(client, chairman):
    client.force_login(make_user("leader"))
    response = client.post(reverse("orgs:person_delete", args=[chairman.pk]), follow=True)
    assert Person.objects.filter(pk=chairman.pk).exists()
    assert Position.objects.filter(person=chairman).count() == 1
    assert "Chủ tịch UBND huyện Ba Chẽ" in response.content.decode()


def test_deleting_a_position_returns_to_the_persons_page(client, chairman):
    client.force_login(make_user("leader"))
    position = chairman.positions.get()
    response = client.post(reverse("orgs:position_delete", args=[position.pk]))
    assert response["Location"] == reverse("orgs:person_detail", args=[chairman.pk])
    assert not Position.objects.filter(pk=position.pk).exists()
