"""The products API: the same rows, rules and refusals as the pages."""

import pytest
from django.urls import reverse

from stims.products.models import OcopEvaluation, Product
from stims.testing import make_user

from .conftest import evaluate

pytestmark = pytest.mark.django_db


def test_a_local_officer_reads_only_their_districts_products(
    client, ba_che, ba_che_tea, binh_lieu_vermicelli
):
    client.force_login(make_user("local_officer", admin_unit=ba_che))
    evaluate(ba_che_tea, 2024, 36, 22, 32)
    rows = client.get("/api/products/products/").json()["results"]
    assert [(r["name"], r["latest_stars"], r["producer_label"]) for r in rows] == [
        ("Trà hoa vàng Ba Chẽ", 5, "HTX Trà hoa vàng Ba Chẽ")
    ]
    assert client.get(f"/api/products/products/{binh_lieu_vermicelli.pk}/").status_code == 404


def test_the_api_shares_the_list_filters(client, ba_che_tea, binh_lieu_vermicelli):
    client.force_login(make_user("specialist"))
    evaluate(binh_lieu_vermicelli, 2024, 30, 15, 20)
    rows = client.get("/api/products/products/", {"stars": 3}).json()["results"]
    assert [r["name"] for r in rows] == ["Miến dong Bình Liêu"]


def test_the_api_refuses_an_evaluation_outside_the_officers_district(
    client, ba_che, ba_che_tea, binh_lieu_vermicelli
):
    client.force_login(make_user("local_officer", admin_unit=ba_che))
    data = {"year": 2024, "score_a": "30", "score_b": "15", "score_c": "25"}
    response = client.post(
        "/api/products/evaluations/",
        {**data, "product": binh_lieu_vermicelli.pk},
        content_type="application/json",
    )
    assert response.status_code in (400, 403)
    assert not OcopEvaluation.objects.exists()
    response = client.post(
        "/api/products/evaluations/", {**data, "product": ba_che_tea.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["total_score"], response.json()["stars"]) == ("70.0", 4)


def test_the_api_refuses_scores_over_their_maximum(client, ba_che_tea):
    client.force_login(make_user("specialist"))
    data = {"product": ba_che_tea.pk, "year": 2024, "score_a": "41", "score_b": "15", "score_c": "25"}
    response = client.post("/api/products/evaluations/", data, content_type="application/json")
    assert response.status_code == 400 and "score_a" in response.json()["errors"]
    assert not OcopEvaluation.objects.exists()


def test_the_api_applies_the_producer_rules(client, ba_che, food):
    client.force_login(make_user("specialist"))
    data = {"name": "Mật ong", "group": food.pk, "admin_unit": ba_che.pk, "producer_kind": "household"}
    response = client.post("/api/products/products/", data, content_type="application/json")
    assert response.status_code == 400 and "producer_name" in response.json()["errors"]
    response = client.post(
        "/api/products/products/", {**data, "producer_kind": "enterprise"}, content_type="application/json"
    )
    assert response.status_code == 400 and "producer" in response.json()["errors"]
    assert not Product.objects.exists()


def test_a_local_officer_may_not_post_labelling_guidance(client, ba_che, ba_che_tea):
    client.force_login(make_user("local_officer", admin_unit=ba_che))
    response = client.post(
        "/api/products/labelling-guidance/",
        {"product": ba_che_tea.pk, "given_on": "2024-04-10"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_groups_and_bands_are_readable_reference_data(client, ba_che):
    client.force_login(make_user("local_officer", admin_unit=ba_che))
    assert client.get("/api/products/groups/").json()["count"] == 6
    assert client.get("/api/products/star-bands/").json()["count"] == 5
    assert client.post("/api/products/groups/", {"code": "x", "name": "x"}).status_code in (403, 405)


def test_the_admin_lists_groups_and_bands(admin_client):
    assert admin_client.get(reverse("admin:products_productgroup_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:products_starband_changelist")).status_code == 200
