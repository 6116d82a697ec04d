"""A record's own API address (GET, PUT, PATCH, DELETE /api/…/<id>/) without a query string skips
building the list's filter set (issue #20: an eighth of an API record read's CPU), and changes nothing
else: the user's scope still decides what is found, and with a query string the filters still apply
as DRF has them (a record the filters exclude is a 404).

Over the demo data, as the local officer of old Huyện Bình Liêu (`canbo.binhlieu`)."""

import pytest

from stims.accounts.models import User
from stims.core import permissions
from stims.core.api_filters import ScopedFilterBackend
from stims.orgs.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(demo_data):
    return User.objects.get(username="canbo.binhlieu")


@pytest.fixture
def filtersets(monkeypatch):
    """How many filter sets the API built."""
    built = []
    original = ScopedFilterBackend.get_filterset

    def counting(self, request, queryset, view):
        built.append(request.path)
        return original(self, request, queryset, view)

    monkeypatch.setattr(ScopedFilterBackend, "get_filterset", counting)
    return built


def test_record_read_builds_no_filter_set_and_keeps_the_scope(client, officer, filtersets):
    client.force_login(officer)
    visible = permissions.restrict(Organization.objects.all(), officer, permissions.VIEW)
    mine = visible.order_by("pk").first()
    outside = Organization.objects.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    assert mine is not None and outside is not None

    answer = client.get(f"/api/orgs/organizations/{mine.pk}/")
    assert answer.status_code == 200 and answer.json()["name"] == mine.name
    assert filtersets == []
    # Outside the officer's districts: the same 404 as a record that does not exist, naming nothing.
    refused = client.get(f"/api/orgs/organizations/{outside.pk}/")
    missing = client.get("/api/orgs/organizations/999999999/")
    assert refused.status_code == missing.status_code == 404
    assert outside.name not in refused.content.decode()
    assert refused.json() == missing.json()

    # The list still filters.
    assert client.get("/api/orgs/organizations/", {"q": mine.name}).status_code == 200
    assert filtersets == ["/api/orgs/organizations/"]


def test_record_address_with_a_query_string_still_filters(client, officer, filtersets):
    client.force_login(officer)
    mine = permissions.restrict(Organization.objects.all(), officer, permissions.VIEW).order_by("pk").first()
    url = f"/api/orgs/organizations/{mine.pk}/"
    assert client.get(url, {"q": mine.name}).status_code == 200
    assert client.get(url, {"q": "không có tổ chức nào tên thế này"}).status_code == 404
    assert len(filtersets) == 2
