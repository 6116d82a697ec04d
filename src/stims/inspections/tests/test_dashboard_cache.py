"""The quality dashboard's figures are kept in the cache per scope and computed again after any write
to the inspection tables."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.inspections.models import Inspection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("inspections:dashboard") + "?year=2023"


def test_cold_and_warm_query_counts_and_every_write_seen(client, inspector, inspection):
    client.force_login(inspector)

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        return len(captured.captured_queries), response.context["inspection_total"]

    (cold, total), (warm, again) = count(), count()
    assert (cold, warm) == (10, 4) and total == again == 1
    Inspection.objects.create(
        decision=inspection.decision,
        establishment=inspection.establishment,
        planned_on=datetime.date(2023, 5, 2),
        lead_inspector=inspection.lead_inspector,
    )
    assert count() == (cold, 2)
    Inspection.objects.filter(planned_on=datetime.date(2023, 5, 2)).update(
        planned_on=datetime.date(2022, 5, 2)
    )
    assert count()[1] == 1
    Inspection.objects.filter(planned_on__year=2022).delete()
    assert count() == (cold, 1)


def test_each_scope_has_its_own_entry(client, inspector, leader, inspection):
    client.force_login(leader)
    client.get(URL)
    client.force_login(inspector)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    assert len(captured.captured_queries) == 10  # computed for the inspector, not the leader's entry
