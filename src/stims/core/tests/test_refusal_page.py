"""The 403 page says why: a named rule's refusal (`core.rules.RuleRefused`) shows its reason, in the
user's language; any other PermissionDenied shows only the general text, whatever it carries; a record
outside the user's scope is a 404 that names nothing (issue #12)."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from stims.core import rules as core_rules
from stims.core.denied import permission_denied
from stims.meetings import services as meeting_services
from stims.sttasks import rules as task_rules
from stims.testing import make_user

from .test_rule_matrix import World

pytestmark = pytest.mark.django_db

GENERAL = "Your role does not allow this action."


def signed_in(user, language="en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def refusal_on_page(response) -> str | None:
    """The reason the 403 page shows (None: it shows none)."""
    assert response.status_code == 403
    text = response.content.decode()
    assert GENERAL in text or "Vai trò của bạn" in text
    start = text.find("data-refusal>")
    if start < 0:
        return None
    return html.unescape(text[start + len("data-refusal>") : text.index("</p>", start)].strip())


@pytest.fixture
def world():
    return World()


def test_a_rules_refusal_shows_its_reason_on_the_403_page(world):
    officer = world.users["officer_in_scope"]
    task = world.task("identified")
    response = signed_in(officer).get(reverse("sttasks:task_edit", args=[task.pk]))
    with translation.override("en"):
        assert refusal_on_page(response) == str(task_rules.REFUSALS[task_rules.CHANGE_TASK])


def test_the_reason_is_in_the_users_language(world):
    officer = world.users["officer_in_scope"]
    task = world.task("identified")
    response = signed_in(officer, "vi").get(reverse("sttasks:task_edit", args=[task.pk]))
    with translation.override("vi"):
        vietnamese = str(task_rules.REFUSALS[task_rules.CHANGE_TASK])
    with translation.override("en"):
        assert vietnamese != str(task_rules.REFUSALS[task_rules.CHANGE_TASK])  # it is translated
    assert refusal_on_page(response) == vietnamese


def test_a_refused_directive_move_says_why(world):
    """A specialist who did not assign the directive may not cancel it: the page says who may."""
    directive = world.directive()
    specialist = signed_in(world.users["specialist"])
    response = specialist.post(
        reverse("meetings:directive_move", args=[directive.pk, "cancel"]),
        {"cancel-on": "01/03/2026", "cancel-note": "Lý do"},
    )
    with translation.override("en"):
        expected = meeting_services.refusal_for(world.users["specialist"], directive, "cancel")
    assert expected and refusal_on_page(response) == expected


def test_a_record_outside_the_scope_is_a_404_naming_nothing(world):
    outsider = world.users["officer_out_of_scope"]
    task = world.task("identified")
    response = signed_in(outsider).get(reverse("sttasks:task_edit", args=[task.pk]))
    assert response.status_code == 404
    assert task.title not in response.content.decode() and task.code not in response.content.decode()


def test_any_other_refusal_shows_only_the_general_text():
    request = RequestFactory().get("/")
    request.user = make_user("viewer")
    secret = "Hồ sơ của Huyện Bình Liêu số 42"
    response = permission_denied(request, PermissionDenied(secret))
    assert response.status_code == 403 and secret not in response.content.decode()
    response = permission_denied(request, core_rules.RuleRefused(secret))
    assert secret in response.content.decode()


def test_a_page_refused_by_the_role_matrix_shows_the_general_text(world):
    task = world.task("proposed")
    response = signed_in(world.users["viewer"]).get(reverse("sttasks:task_edit", args=[task.pk]))
    assert refusal_on_page(response) is None
