"""POST of a list to a collection endpoint: every record is created or none is."""

import pytest
from django.conf import settings

from stims.core.api import BULK_LIMIT
from stims.councils.models import CriteriaSet, Criterion
from stims.orgs.models import Organization
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

URL = "/api/orgs/organizations/"


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


def signed_in(client, user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def organization(name, admin_unit, **extra):
    return {"name": name, "kind": "cooperative", "admin_unit": admin_unit.pk, **extra}


def test_a_valid_list_is_created_in_full(client, ba_che):
    signed_in(client, make_user("specialist"))
    batch = [organization(f"HTX số {n}", ba_che) for n in range(3)]
    response = client.post(URL, batch, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [row["name"] for row in body] == ["HTX số 0", "HTX số 1", "HTX số 2"]
    assert sorted(Organization.objects.values_list("pk", flat=True)) == sorted(row["id"] for row in body)
    assert all(o.history.count() == 1 for o in Organization.objects.all())  # each has its audit trail
    assert "ETag" not in response.headers


def test_one_invalid_record_creates_none_and_errors_come_by_position(client, ba_che):
    signed_in(client, make_user("specialist"))
    batch = [
        organization("HTX A", ba_che),
        organization("", ba_che),
        organization("HTX C", ba_che, email="không-phải-email"),
    ]
    response = client.post(URL, batch, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 3 and errors[0] == {}
    assert list(errors[1]) == ["name"] and list(errors[2]) == ["email"]
    assert not Organization.objects.exists()


def test_one_record_outside_the_users_scope_rolls_the_whole_batch_back(client, ba_che):
    signed_in(client, make_user("local_officer", admin_unit=ba_che))
    elsewhere = unit("Huyện Bình Liêu", legacy=True)
    batch = [
        organization("HTX Ba Chẽ 1", ba_che),
        organization("HTX Bình Liêu", elsewhere),
        organization("HTX Ba Chẽ 2", ba_che),
    ]
    response = client.post(URL, batch, content_type="application/json")
    # The unit is not one the officer may attach records to: refused at its position, as a form would.
    assert response.status_code == 400
    assert [sorted(errors) for errors in response.json()["errors"]] == [[], ["admin_unit"], []]
    assert not Organization.objects.exists()
    # The same batch within the officer's district goes through.
    batch[1]["admin_unit"] = ba_che.pk
    assert client.post(URL, batch, content_type="application/json").status_code == 201
    assert Organization.objects.count() == 3


def test_a_role_without_the_right_to_add_is_refused_before_anything_is_read(client, ba_che):
    signed_in(client, make_user("viewer"))
    assert client.post(URL, [organization("HTX", ba_che)], content_type="application/json").status_code == 403
    assert not Organization.objects.exists()


def test_records_repeating_each_other_are_refused_at_the_repeat(client):
    signed_in(client, make_user("specialist"))
    criteria_set = CriteriaSet.objects.create(name="Bộ tiêu chí thử", council_kind="selection")
    criterion = {"criteria_set": criteria_set.pk, "code": "1", "name": "Tính mới", "max_score": "10"}
    response = client.post(
        "/api/councils/criteria/",
        [criterion, {**criterion, "name": "Lặp lại"}],
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0] == {} and errors[1]
    assert not Criterion.objects.filter(criteria_set=criteria_set).exists()


def test_a_batch_is_capped(client, ba_che):
    signed_in(client, make_user("specialist"))
    too_many = [organization(f"HTX {n}", ba_che) for n in range(BULK_LIMIT + 1)]
    response = client.post(URL, too_many, content_type="application/json")
    assert response.status_code == 400
    assert (
        response.json()["detail"]
        == f"Send at most {BULK_LIMIT} records at once; this batch has {BULK_LIMIT + 1}."
    )
    assert client.post(URL, [], content_type="application/json").json() == {
        "detail": "Send at least one record.",
        "code": "invalid",
        "errors": {"non_field_errors": ["Send at least one record."]},
    }
    assert not Organization.objects.exists()


def test_a_single_record_is_still_created_as_before(client, ba_che):
    signed_in(client, make_user("specialist"))
    response = client.post(URL, organization("HTX một", ba_che), content_type="application/json")
    assert response.status_code == 201 and response.json()["name"] == "HTX một"


def test_read_only_endpoints_offer_no_bulk_post(client):
    signed_in(client, make_user("leader"))  # may add anything, so the refusal is the endpoint's own
    assert client.post("/api/meetings/events/", [{}], content_type="application/json").status_code == 405
