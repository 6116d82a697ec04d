"""The home page per role, over the demo data: what each role's day asks, each figure the count of the
list it links to, in a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from stims.accounts.models import User

pytestmark = pytest.mark.django_db

# Queries of the whole page (session, user, roles, the blocks' aggregates), pinned per demo user.
MAX_QUERIES = {
    "lanhdao": 0,
    "admin": 0,
    "chuyenvien": 0,
    "canbo.xabache": 0,
    "canbo.binhlieu": 0,
    "hoidong": 0,
    "xem": 0,
    "thanhtra": 0,
}


def home(client, username):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("username", sorted(MAX_QUERIES))
def test_each_role_home_page_takes_a_fixed_number_of_queries(demo_data, client, username, django_assert_max_num_queries):
    client.force_login(User.objects.get(username=username))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("home"))
    print(username, len(ctx.captured_queries), [b.key for b in client.get(reverse("home")).context["blocks"]])
    assert 0
