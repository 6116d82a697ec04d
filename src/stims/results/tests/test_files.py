"""Handover records: what may be uploaded, and who may download it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stims.results.models import Handover
from stims.testing import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STIMS_MAX_UPLOAD_MB = 1


@pytest.fixture
def result(make_task, make_result):
    return make_result(make_task("Giống chè", state="liquidated"), "Giống chè LDP1")


def handover_form(result, unit, upload):
    return {
        "result": result.pk,
        "receiving_unit": unit.pk,
        "handed_over_on": "15/03/2025",
        "record_number": "BB-15",
        "record_file": upload,
    }


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("bien-ban.exe", b"MZ\x90\x00binary"), "Files of type “exe” cannot be uploaded."),
        (
            SimpleUploadedFile("bien-ban.pdf", b"<html>not a pdf</html>"),
            "The file's content is not a PDF document.",
        ),
        (
            SimpleUploadedFile("bien-ban.pdf", PDF + b"0" * (1024 * 1024 + 10)),
            "The file is 1.0 MB; the limit is 1 MB.",
        ),
    ],
    ids=["wrong type", "content mismatch", "too large"],
)
def test_a_bad_handover_record_is_refused_and_nothing_is_saved(
    client, english, specialist, result, ba_che_commune, upload, message, tmp_path
):
    client.force_login(specialist)
    response = client.post(reverse("results:handover_add"), handover_form(result, ba_che_commune, upload))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["record_file"])
    assert not Handover.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_the_handover_record_is_stored_outside_the_public_urls_and_downloaded_only_within_scope(
    client, specialist, result, ba_che_commune, ba_che_officer, binh_lieu_officer
):
    client.force_login(specialist)
    upload = SimpleUploadedFile("Biên bản bàn giao.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("results:handover_add"), handover_form(result, ba_che_commune, upload))
    assert response.status_code == 302, response.context["form"].errors
    handover = Handover.objects.get()
    assert handover.record_file.name.startswith("documents/results/")
    url = reverse("results:handover_record", args=[handover.pk])
    page = client.get(reverse("results:taskresult_detail", args=[result.pk])).content.decode()
    assert url in page and handover.record_file.url not in page

    downloaded = client.get(url)
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == PDF
    assert "attachment" in downloaded["Content-Disposition"]

    client.force_login(ba_che_officer)  # the receiving commune
    assert client.get(url).status_code == 200
    client.force_login(binh_lieu_officer)  # another commune: the handover does not exist for them
    assert client.get(url).status_code == 404
    assert client.get(f"/api/results/handovers/{handover.pk}/record/").status_code == 404
    client.force_login(make_user("council_member"))  # no right to handovers at all
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_a_handover_without_a_record_has_nothing_to_download(client, specialist, result, ba_che_commune):
    from .conftest import hand_over

    handover = hand_over(result, ba_che_commune)
    client.force_login(specialist)
    assert client.get(reverse("results:handover_record", args=[handover.pk])).status_code == 404


def test_the_api_validates_the_uploaded_record_too(client, specialist, result, ba_che_commune):
    client.force_login(specialist)
    body = {
        "result": result.pk,
        "receiving_unit": ba_che_commune.pk,
        "handed_over_on": "2025-03-15",
        "record_file": SimpleUploadedFile("bb.pdf", b"GIF89a"),
    }
    refused = client.post("/api/results/handovers/", body)
    assert refused.status_code == 400 and "record_file" in refused.json()["errors"]
    assert not Handover.objects.exists()
    body["record_file"] = SimpleUploadedFile("bb.pdf", PDF)
    created = client.post("/api/results/handovers/", body)
    assert created.status_code == 201, created.json()
    assert created.json()["has_record_file"] is True and "record_file" not in created.json()
    downloaded = client.get(f"/api/results/handovers/{created.json()['id']}/record/")
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == PDF
