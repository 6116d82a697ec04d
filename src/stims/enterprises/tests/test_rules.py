"""The enterprise rules (`enterprises/rules.py`) on every path: the enterprise page, the API and the admin
give one answer per rule and role, and a refusal changes nothing (issue #12)."""

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse

from stims.enterprises import rules as enterprise_rules
from stims.enterprises.models import StEnterprise
from stims.testing import make_user

pytestmark = pytest.mark.django_db

ROLES = ["specialist", "officer_in_scope", "officer_out_of_scope", "viewer"]
# Certificates are issued by the department: only its staff revoke them, in any locality.
REVOKE_ANSWER = {
    "specialist": True,
    "officer_in_scope": False,
    "officer_out_of_scope": False,
    "viewer": False,
}


@pytest.fixture
def user_of(ba_che, binh_lieu):
    def make(role):
        return {
            "specialist": lambda: make_user("specialist"),
            "officer_in_scope": lambda: make_user("local_officer", admin_unit=ba_che),
            "officer_out_of_scope": lambda: make_user("local_officer", admin_unit=binh_lieu),
            "viewer": lambda: make_user("viewer"),
        }[role]()

    return make


def signed_in(user):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def snapshot(enterprise):
    saved = StEnterprise.objects.get(pk=enterprise.pk)
    return (saved.revoked_on, saved.revocation_reason, saved.updated_at, saved.history.count())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["page", "api"])
def test_revoke_certificate_gives_one_answer_on_every_path(user_of, ba_che_enterprise, role, path):
    user = user_of(role)
    expected = REVOKE_ANSWER[role]
    assert enterprise_rules.has(enterprise_rules.REVOKE_CERTIFICATE, user, ba_che_enterprise) is expected
    client = signed_in(user)
    before = snapshot(ba_che_enterprise)
    if path == "page":
        response = client.post(
            reverse("enterprises:stenterprise_revoke", args=[ba_che_enterprise.pk]),
            {"on_date": "02/05/2024", "reason": "Không còn đáp ứng điều kiện"},
        )
        assert response.status_code == (302 if expected else 403)
    else:
        response = client.post(
            reverse("api:stenterprise-revoke", args=[ba_che_enterprise.pk]),
            {"on_date": "2024-05-02", "reason": "Không còn đáp ứng điều kiện"},
            content_type="application/json",
        )
        assert response.status_code == (200 if expected else 403)
    if expected:
        assert (
            StEnterprise.objects.get(pk=ba_che_enterprise.pk).revocation_reason
            == "Không còn đáp ứng điều kiện"
        )
    else:
        assert snapshot(ba_che_enterprise) == before


@pytest.mark.parametrize("role", ["specialist", "officer_in_scope", "viewer"])
def test_the_detail_page_offers_revocation_only_to_who_passes_the_rule(user_of, ba_che_enterprise, role):
    html = signed_in(user_of(role)).get(
        reverse("enterprises:stenterprise_detail", args=[ba_che_enterprise.pk])
    )
    url = reverse("enterprises:stenterprise_revoke", args=[ba_che_enterprise.pk])
    assert (url in html.content.decode()) is REVOKE_ANSWER[role]


def test_the_admin_does_not_edit_a_revocation_directly(ba_che_enterprise):
    """Fails without the change: the admin's form let a superuser set `revoked_on` and its reason by hand,
    past `services.revoke` and its checks."""
    request = RequestFactory().get("/")
    request.user = make_user("specialist", is_superuser=True)
    model_admin = site._registry[StEnterprise]
    assert {"revoked_on", "revocation_reason"} <= set(
        model_admin.get_readonly_fields(request, ba_che_enterprise)
    )
    assert not {"revoked_on", "revocation_reason"} & set(model_admin.get_readonly_fields(request, None))


def test_the_refusal_names_the_enterprise(ba_che_enterprise):
    assert enterprise_rules.refusal(enterprise_rules.REVOKE_CERTIFICATE, enterprise=ba_che_enterprise) == (
        f"Certificates are the department's: your role does not allow you to revoke the certificate of "
        f"“{ba_che_enterprise}”."
    )
