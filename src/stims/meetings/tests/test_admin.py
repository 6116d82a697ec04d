"""The admin obeys the directive rules too: who assigned it and the deadline are shown, not edited."""

import datetime

import pytest
from django.urls import reverse

from stims.accounts.models import User

D = datetime.date


@pytest.fixture
def admin_client(db, client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-for-tests-123"))
    return client


def posted_as_shown(response) -> dict:
    """The change form's data as the browser would send it back."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data


def test_the_admin_does_not_change_the_assigner_or_the_deadline(admin_client, make_directive, leader):
    directive = make_directive()
    url = reverse("admin:meetings_directive_change", args=[directive.pk])
    data = posted_as_shown(admin_client.get(url))
    data.update(text="Sửa qua trang quản trị", assigned_by=str(leader.pk), deadline="2027-12-31")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    directive.refresh_from_db()
    assert (directive.text, directive.assigned_by.username, directive.deadline) == (
        "Sửa qua trang quản trị",
        "chuyenvien",
        D(2026, 6, 30),
    )
