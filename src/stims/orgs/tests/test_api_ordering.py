"""Every API list orders by `?ordering=` over the fields its records show, with the same scope."""

import pytest
from django.conf import settings

from stims.orgs.models import Organization
from stims.testing import make_user

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_api_lists_order_by_a_shown_field_both_ways_and_ignore_unknown_fields(client, ba_che, binh_lieu):
    for name in ("Hợp tác xã Chè Bình Liêu", "Công ty Ba Chẽ Xanh", "Trung tâm Dịch vụ Ba Chẽ"):
        Organization.objects.create(name=name, kind="enterprise", admin_unit=ba_che)
    Organization.objects.create(name="Công ty ngoài phạm vi", kind="enterprise", admin_unit=binh_lieu)
    client.force_login(make_user("local_officer", admin_unit=ba_che))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ascending = names(client.get("/api/orgs/organizations/?ordering=name"))
    assert ascending == sorted(ascending) and len(ascending) == 3  # the other district's stays out of scope
    assert names(client.get("/api/orgs/organizations/?ordering=-name")) == ascending[::-1]
    # A field that isn't shown (or doesn't exist) is ignored rather than leaking or failing.
    assert sorted(names(client.get("/api/orgs/organizations/?ordering=password,'; drop table x"))) == sorted(
        ascending
    )
