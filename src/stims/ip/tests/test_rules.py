"""The IP rules (`ip/rules.py`) on every path: the asset page, the API, the API's create (one asset or
a batch) and the registries Excel import give one answer per rule and role, and a refusal changes
nothing and says why (issue #12)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from stims.ip import rules as ip_rules
from stims.ip.models import IpAsset
from stims.testing import make_user, xlsx_upload

from .conftest import ip_status

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 5, 4)
ROLES = ["specialist", "officer_in_scope", "officer_out_of_scope", "viewer"]
HEADERS = ["Loại đối tượng", "Tên đối tượng", "Đơn vị hành chính", "Số đơn", "Ngày nộp đơn", "Tình trạng"]
IMPORT_REFUSAL = (
    "only the department's staff import a new IP asset in a status other than “Đã nộp đơn”; import it as "
    "“Đã nộp đơn” and record the later steps on the asset's page"
)


@pytest.fixture(autouse=True)
def own_uploads(settings, tmp_path):
    """Uploaded workbooks go to this test's own folder, not the one other tests count files in."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


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


def snapshot(asset):
    saved = IpAsset.objects.get(pk=asset.pk)
    return (
        saved.status_id,
        saved.status_date,
        saved.updated_at,
        saved.status_events.count(),
        saved.history.count(),
    )


def move_by_page(client, asset):
    return client.post(
        reverse("ip:ipasset_status", args=[asset.pk]),
        {"status": ip_status("formal-examination").pk, "date": DAY.strftime("%d/%m/%Y")},
    )


def move_by_api(client, asset):
    return client.post(
        reverse("api:ipasset-status", args=[asset.pk]),
        {"status": ip_status("formal-examination").pk, "date": DAY.isoformat()},
        content_type="application/json",
    )


def import_rows(client, rows, *, confirm=True):
    response = client.post(reverse("registries:import"), {"kind": "ip", "file": xlsx_upload(HEADERS, rows)})
    if response.status_code != 200 or not confirm:
        return response, None
    outcome = response.context["outcome"]
    if outcome.errors:
        return response, outcome.errors
    done = client.post(reverse("registries:import_confirm"), {"token": response.context["token"]})
    assert done.status_code in (200, 302), done.status_code
    return response, None


def asset_row(asset, status_name):
    return [
        asset.ip_type.code,
        asset.name,
        "Huyện Ba Chẽ",
        asset.application_number,
        asset.application_date.strftime("%d/%m/%Y"),
        status_name,
    ]


# --- ip.record_status: the page, the API and the import agree --------------------------------------------

RECORD_STATUS_ANSWER = {
    "specialist": True,
    "officer_in_scope": True,
    "officer_out_of_scope": False,
    "viewer": False,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["page", "api", "import"])
def test_record_status_gives_one_answer_on_every_path(user_of, ba_che_asset, role, path):
    IpAsset.objects.filter(pk=ba_che_asset.pk).update(application_number="4-2020-00001")
    ba_che_asset.refresh_from_db()
    user = user_of(role)
    expected = RECORD_STATUS_ANSWER[role]
    assert ip_rules.has(ip_rules.RECORD_STATUS, user, ba_che_asset) is expected
    client = signed_in(user)
    before = snapshot(ba_che_asset)
    if path == "page":
        response = move_by_page(client, ba_che_asset)
        assert response.status_code == (302 if expected else 403 if role == "viewer" else 404)
    elif path == "api":
        response = move_by_api(client, ba_che_asset)
        assert response.status_code == (201 if expected else 403 if role == "viewer" else 404)
    else:
        response, errors = import_rows(client, [asset_row(ba_che_asset, "Thẩm định hình thức")])
        assert (response.status_code == 200 and not errors) is expected
    ba_che_asset.refresh_from_db()
    assert IpAsset.objects.count() == 1  # an import row matches the asset, never adds another
    if expected:
        assert ba_che_asset.status.code == "formal-examination"
    else:
        assert snapshot(ba_che_asset) == before


def test_each_rule_has_its_reason(ba_che_asset):
    assert ip_rules.refusal(ip_rules.RECORD_STATUS, asset=ba_che_asset) == (
        f"Your role does not allow you to record a status change of “{ba_che_asset}”."
    )
    assert ip_rules.refusal(ip_rules.RENEW, asset=ba_che_asset) == (
        f"Your role does not allow you to record a renewal of “{ba_che_asset}”."
    )
    assert ip_rules.refusal(ip_rules.IMPORT_ASSET_STATUS, initial="Đã nộp đơn") == IMPORT_REFUSAL


def test_the_detail_page_offers_the_status_form_only_to_who_passes_the_rule(user_of, ba_che_asset):
    url = reverse("ip:ipasset_detail", args=[ba_che_asset.pk])
    status_url = reverse("ip:ipasset_status", args=[ba_che_asset.pk])
    for role in ("specialist", "officer_in_scope", "viewer"):
        html = signed_in(user_of(role)).get(url).content.decode()
        assert (status_url in html) is RECORD_STATUS_ANSWER[role], role


# --- ip.import_asset_status: a new asset in a status other than the initial one ----------------------------

IMPORT_STATUS_ANSWER = {
    "specialist": True,
    "officer_in_scope": False,
    "officer_out_of_scope": False,
    "viewer": False,
}


def new_row(status_name, number="4-2021-00042"):
    return ["collective-mark", "Na Ba Chẽ", "Huyện Ba Chẽ", number, "02/03/2021", status_name]


@pytest.mark.parametrize("role", ROLES)
def test_import_of_a_new_asset_in_a_later_status_is_for_the_departments_staff(user_of, role):
    """Fails without the rule for the officer in scope: the import let a local officer bring in an
    application as already refused (any status), which the asset form and the API never allow."""
    user = user_of(role)
    refused = ip_status("refused")
    assert ip_rules.has(ip_rules.IMPORT_ASSET_STATUS, user, refused) is IMPORT_STATUS_ANSWER[role]
    response, errors = import_rows(signed_in(user), [new_row(refused.name)])
    imported = IpAsset.objects.filter(application_number="4-2021-00042").first()
    if IMPORT_STATUS_ANSWER[role]:
        assert errors is None and imported.status == refused
    else:
        assert imported is None
        if role == "officer_in_scope":
            assert errors == [f"Row 2, column “Tình trạng”: {IMPORT_REFUSAL}"]
        elif role == "viewer":
            assert response.status_code == 403


@pytest.mark.parametrize("role", ["specialist", "officer_in_scope"])
def test_a_new_asset_in_the_initial_status_imports_for_whoever_may_add_it(user_of, role):
    response, errors = import_rows(signed_in(user_of(role)), [new_row("Đã nộp đơn")])
    assert errors is None
    asset = IpAsset.objects.get(application_number="4-2021-00042")
    assert asset.status.code == "filed" and asset.status_events.count() == 1


@pytest.mark.parametrize("role", ["specialist", "officer_in_scope"])
def test_the_api_creates_an_asset_in_the_initial_status_one_or_a_batch(user_of, ba_che, role):
    """The API's status is read-only: a create (one record or a batch) never sets a later status, for
    any role, as the asset form."""
    client = signed_in(user_of(role))
    record = {
        "ip_type": ip_status("filed").pk
        and IpAsset._meta.get_field("ip_type").related_model.objects.get(code="collective-mark").pk,
        "name": "Na Ba Chẽ",
        "owner_name": "Hội Nông dân",
        "admin_unit": ba_che.pk,
        "application_number": "4-2021-00077",
        "application_date": "2021-03-02",
        "status": ip_status("granted").pk,
    }
    response = client.post(reverse("api:ipasset-list"), record, content_type="application/json")
    assert response.status_code == 201, response.content
    assert IpAsset.objects.get(pk=response.json()["id"]).status.code == "filed"
