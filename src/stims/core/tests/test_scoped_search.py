"""A local officer searching a common word (issue #20): their few rows are tested one by one against
the search, not found through a full-text bitmap of every match in the country; the rows are the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.core import filters, fulltext
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperatives(db):
    ba_che, binh_lieu = unit("Huyện Ba Chẽ", legacy=True), unit("Huyện Bình Liêu", legacy=True)
    for i in range(4):
        Organization.objects.create(
            name=f"HTX mật ong Ba Chẽ {i}", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che
        )
        Organization.objects.create(
            name=f"HTX mật ong Bình Liêu {i}", kind=OrganizationKind.COOPERATIVE, admin_unit=binh_lieu
        )
    Organization.objects.create(name="HTX chè Ba Chẽ", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che)


def searched(client, words: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("orgs:organization_list"), {"q": words})
    names = sorted(row.record.name for row in response.context["table"].page.object_list)
    rows_sql = [q["sql"] for q in captured.captured_queries if '"orgs_organization"."name"' in q["sql"]]
    return names, rows_sql


@pytest.mark.parametrize("common", [True, False])
def test_an_officers_common_search_tests_their_rows_one_by_one_with_the_same_result(
    client, cooperatives, monkeypatch, common
):
    monkeypatch.setattr(fulltext, "common_share", lambda *args: (1_000_000.0, 0.5 if common else 0.001))
    client.force_login(make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True)))
    names, rows_sql = searched(client, "mat ong")
    assert names == [f"HTX mật ong Ba Chẽ {i}" for i in range(4)]
    if connection.vendor == "postgresql":
        assert any(") IS TRUE" in sql for sql in rows_sql) == common


def test_a_deployment_wide_search_keeps_the_index(client, cooperatives, monkeypatch):
    monkeypatch.setattr(fulltext, "common_share", lambda *args: (1_000_000.0, 0.5))
    client.force_login(make_user("specialist"))
    names, rows_sql = searched(client, "mat ong")
    assert len(names) == 8
    assert not any(") IS TRUE" in sql for sql in rows_sql)
    assert filters.COMMON_MATCHES > 0
