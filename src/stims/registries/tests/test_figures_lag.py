"""/api/registries/figures/ may answer up to STIMS_FIGURES_STALE_SECONDS behind another account's writes
(core.aggregates) and then says from when in `X-Figures-As-Of`; an account's own writes are in its next
figures at once."""

import pytest
from django.test import Client

from stims.accounts.models import ApiToken
from stims.core import aggregates
from stims.products.models import ProductGroup
from stims.testing import make_user

from .test_dashboard import API, binh_lieu, make_product, quang_ninh  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(settings, monkeypatch):
    settings.STIMS_FIGURES_STALE_SECONDS = 30

    class Clock:
        now = 1_800_000_000.0  # 15/01/2027 15:00:00 in Hà Nội

    monkeypatch.setattr(aggregates, "_now", lambda: Clock.now)
    return Clock


def token_client(user) -> Client:
    _token, key = ApiToken.issue(user, name="integration")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def ocop(response) -> int:
    assert response.status_code == 200
    return response.json()["ocop_products"]


def test_another_accounts_write_shows_within_the_lag_and_the_answer_says_from_when(
    clock,
    binh_lieu,  # noqa: F811
    quang_ninh,  # noqa: F811
):
    reader = token_client(make_user("specialist"))
    writer_user = make_user("specialist")
    writer = token_client(writer_user)
    make_product(binh_lieu, "Miến dong Bình Liêu")
    first = reader.get(API, {"unit": quang_ninh.pk})
    assert ocop(first) == 1 and "X-Figures-As-Of" not in first
    clock.now += 10
    body = {
        "name": "Chè hoa vàng Ba Chẽ",
        "group": ProductGroup.objects.get(code="food").pk,
        "admin_unit": binh_lieu.pk,
        "producer_kind": "household",
        "producer_name": "Hộ ông Lý Văn Sáng",
        "is_ocop": True,
    }
    assert writer.post("/api/products/products/", body, content_type="application/json").status_code == 201
    clock.now += 19
    lagging = reader.get(API, {"unit": quang_ninh.pk})  # 29 s after its figures were computed
    assert ocop(lagging) == 1
    assert lagging["X-Figures-As-Of"] == "2027-01-15T15:00:00+07:00"
    own = writer.get(API, {"unit": quang_ninh.pk})
    assert ocop(own) == 2 and "X-Figures-As-Of" not in own  # the writer's product, at once
    # The writer's read computed the current figures, which the same scope now shares.
    current = reader.get(API, {"unit": quang_ninh.pk})
    assert ocop(current) == 2 and "X-Figures-As-Of" not in current


def test_figures_older_than_the_lag_are_computed_again(clock, binh_lieu, quang_ninh):  # noqa: F811
    reader = token_client(make_user("specialist"))
    assert ocop(reader.get(API, {"unit": quang_ninh.pk})) == 0
    make_product(binh_lieu, "Miến dong Bình Liêu")  # someone else's write
    clock.now += 30
    current = reader.get(API, {"unit": quang_ninh.pk})
    assert ocop(current) == 1 and "X-Figures-As-Of" not in current
