"""One conclusion sentence assigned to several units: one part (a directive) per unit, tied by a group,
entered once on the page or through the API, all saved or none, and each part seen only within scope."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from stims.meetings import services
from stims.meetings.models import Directive, DirectiveGroup, DirectiveState
from stims.testing import make_user

D = datetime.date
SENTENCE = "Phối hợp tuyên truyền kết quả phục tráng lúa Bao Thai"


def form_data(session, lead, others=(), **extra):
    return {
        "session": session.pk,
        "text": SENTENCE,
        "lead_organization": lead.pk,
        "lead_organizations": [o.pk for o in others],
        "assigned_on": "10/03/2026",
        "recurrence": "once",
        "deadline": "30/06/2026",
        **extra,
    }


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return as_user


def test_one_sentence_for_several_units_is_entered_once_and_each_part_is_tracked_on_its_own(
    client_as, specialist, session, agriculture_office, economy_office, ba_che_office, district_committee
):
    client = client_as(specialist)
    response = client.post(
        reverse("meetings:directive_add"),
        form_data(
            session,
            agriculture_office,
            [economy_office, ba_che_office],
            supporting_organizations=[district_committee.pk, economy_office.pk],
        ),
    )
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    group = DirectiveGroup.objects.get()
    parts = list(group.parts.order_by("pk"))
    # The lead unit's part first, then the others.
    assert parts[0].lead_organization == agriculture_office
    assert {p.lead_organization for p in parts} == {agriculture_office, economy_office, ba_che_office}
    assert {(p.text, p.deadline, p.state, p.assigned_by) for p in parts} == {
        (SENTENCE, D(2026, 6, 30), DirectiveState.ASSIGNED, specialist)
    }
    # A part's supporting units are the sentence's, less its own lead unit.
    economy_part = group.parts.get(lead_organization=economy_office)
    assert list(economy_part.supporting_organizations.all()) == [district_committee]
    assert group.history.get().history_user == specialist
    # Each part moves on its own.
    Directive.objects.filter(pk=parts[0].pk).update(state=DirectiveState.REPORTED)
    page = client.get(economy_part.get_absolute_url()).content.decode()
    assert (
        "Assigned together with" in page
        and "Phòng Nông nghiệp" in page
        and "Phòng Kinh tế huyện Ba Chẽ" in page
    )


def test_one_unit_is_saved_as_ever_without_a_group(client_as, specialist, session, agriculture_office):
    response = client_as(specialist).post(
        reverse("meetings:directive_add"), form_data(session, agriculture_office)
    )
    assert response.status_code == 302
    assert Directive.objects.get().group is None and not DirectiveGroup.objects.exists()


def test_a_local_officer_sees_only_their_own_part_and_the_count_of_the_others(
    client_as, specialist, lead_officer, session, agriculture_office, ba_che_office, english
):
    group = services.assign_to_units(
        session,
        SENTENCE,
        lead_organizations=[agriculture_office, ba_che_office],
        user=specialist,
        assigned_on=D(2026, 3, 10),
        recurrence="once",
        deadline=D(2026, 6, 30),
    )
    own = group.parts.get(lead_organization=agriculture_office)
    page = client_as(lead_officer).get(own.get_absolute_url()).content.decode()
    assert "and 1 other unit outside your scope" in page
    assert "Ba Chẽ" not in page
    other = group.parts.get(lead_organization=ba_che_office)
    assert client_as(lead_officer).get(other.get_absolute_url()).status_code == 404


def test_a_unit_outside_the_users_scope_refuses_the_whole_sentence(
    session, agriculture_office, ba_che_office, dinh_hoa
):
    scoped = make_user("specialist", admin_unit=dinh_hoa, username="cv_dinhhoa")
    with pytest.raises(services.UnitsOutOfScope):
        services.assign_to_units(
            session,
            SENTENCE,
            lead_organizations=[agriculture_office, ba_che_office],
            user=scoped,
            assigned_on=D(2026, 3, 10),
            recurrence="once",
            deadline=D(2026, 6, 30),
        )
    assert not Directive.objects.exists() and not DirectiveGroup.objects.exists()


def test_an_invalid_part_saves_nothing_and_the_form_keeps_its_input(
    client_as, specialist, session, agriculture_office, economy_office
):
    response = client_as(specialist).post(
        reverse("meetings:directive_add"),
        form_data(session, agriculture_office, [economy_office], deadline="01/03/2026"),
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Directive.objects.exists() and not DirectiveGroup.objects.exists()


def api_payload(session, leads):
    return {
        "session": session.pk,
        "text": SENTENCE,
        "lead_organizations": [o.pk for o in leads],
        "assigned_on": "2026-03-10",
        "recurrence": "once",
        "deadline": "2026-06-30",
    }


def test_the_api_creates_one_part_per_unit_with_its_group(
    api, specialist, session, agriculture_office, economy_office, django_assert_max_num_queries
):
    response = api(specialist).post(
        "/api/meetings/directives/", api_payload(session, [agriculture_office, economy_office]), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    group = DirectiveGroup.objects.get()
    assert (body["group"], body["group_size"], body["lead_organization"]) == (
        group.pk,
        2,
        agriculture_office.pk,
    )
    assert group.parts.count() == 2
    with django_assert_max_num_queries(12):
        listed = api(specialist).get("/api/meetings/directives/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert sorted((r["group"], r["group_size"]) for r in rows) == [(group.pk, 2), (group.pk, 2)]


def test_a_local_officer_cannot_create_parts_through_the_api(
    api, lead_officer, session, agriculture_office, economy_office
):
    response = api(lead_officer).post(
        "/api/meetings/directives/", api_payload(session, [agriculture_office, economy_office]), format="json"
    )
    assert response.status_code == 403 and set(response.json()) >= {"detail", "code", "errors"}
    assert not Directive.objects.exists() and not DirectiveGroup.objects.exists()


def test_an_invalid_sentence_through_the_api_is_a_400_and_creates_nothing(
    api, specialist, session, agriculture_office, economy_office
):
    payload = {**api_payload(session, [agriculture_office, economy_office]), "deadline": "2026-03-01"}
    response = api(specialist).post("/api/meetings/directives/", payload, format="json")
    assert response.status_code == 400 and "deadline" in response.json()["errors"]
    assert not Directive.objects.exists() and not DirectiveGroup.objects.exists()


def test_a_unit_outside_the_users_scope_through_the_api_creates_nothing(
    api, session, agriculture_office, ba_che_office, dinh_hoa
):
    scoped = make_user("specialist", admin_unit=dinh_hoa, username="cv_dinhhoa")
    response = api(scoped).post(
        "/api/meetings/directives/", api_payload(session, [agriculture_office, ba_che_office]), format="json"
    )
    assert response.status_code in (400, 403) and set(response.json()) >= {"detail", "code", "errors"}
    assert not Directive.objects.exists() and not DirectiveGroup.objects.exists()
