"""The index values' list at national scale (issue #20): its pages are read framework by framework
(`innovation.views.values_framework_by_framework`), with the same rows in the same order as the one
sort of every value they replace."""

import pytest
from django.urls import reverse

from stims.core import tables
from stims.innovation.models import IndicatorValue
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


def shown(client, **params) -> list[int]:
    response = client.get(reverse("innovation:indicatorvalue_list"), params)
    assert response.status_code == 200
    return [row.record.pk for row in response.context["table"].page.object_list]


def test_each_page_holds_the_rows_of_one_sort_of_every_value(client, demo_data, monkeypatch):
    monkeypatch.setattr(tables, "LATE_ROWS_ABOVE", 10)  # read by key, part by part, whatever the count
    expected = list(
        IndicatorValue.objects.order_by("indicator", "admin_unit", "pk").values_list("pk", flat=True)
    )
    assert len(expected) > 200
    client.force_login(make_user("leader"))
    size = 50
    last = (len(expected) - 1) // size + 1
    for page in (1, 2, 3, last - 1, last):
        assert shown(client, page=page, per_page=size) == expected[(page - 1) * size : page * size], page
    # Sorted by a column header: ordered as usual.
    assert shown(client, sort="-value", per_page=size) == list(
        IndicatorValue.objects.order_by("-value", "pk").values_list("pk", flat=True)[:size]
    )


def test_a_local_officers_pages_are_their_units_in_the_same_order(client, demo_data, monkeypatch):
    monkeypatch.setattr(tables, "LATE_ROWS_ABOVE", 10)
    officer = make_user("local_officer", admin_unit=unit("Xã Ba Chẽ"))
    client.force_login(officer)
    from stims.core import permissions

    expected = list(
        permissions.restrict(IndicatorValue.objects.all(), officer)
        .order_by("indicator", "admin_unit", "pk")
        .values_list("pk", flat=True)
    )
    assert shown(client, per_page=25) == expected[:25]
