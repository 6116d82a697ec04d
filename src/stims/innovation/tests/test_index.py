"""The index from the database: pages, data collection under the permission layer, the API and the
command giving the same figures, rank history across the 2025 reorganisation."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from stims.core import concurrency
from stims.geo.models import AdminUnitSuccession
from stims.innovation import pii, services
from stims.innovation.models import (
    Framework,
    Indicator,
    IndicatorGroup,
    IndicatorValue,
    Pillar,
    PublishedScore,
)
from stims.testing import make_user, province

pytestmark = pytest.mark.django_db

# unit → (indicator A, indicator B (lower is better), output indicator C)
VALUES = {"Hà Nội": (30, 1, 9), "Hải Phòng": (20, 2, 6), "Quảng Ninh": (10, 3, 6), "Thái Nguyên": (10, 3, 3)}


def tiny_framework(year=2023, legacy=True, values=VALUES):
    fw = Framework.objects.create(code="T", name="Tiny", year=year, legacy_units=legacy)
    p_in = Pillar.objects.create(framework=fw, sub_index="input", number=1, name="Thể chế")
    p_out = Pillar.objects.create(framework=fw, sub_index="output", number=2, name="Tác động")
    g_in = IndicatorGroup.objects.create(pillar=p_in, code="1.1", name="G1")
    g_out = IndicatorGroup.objects.create(pillar=p_out, code="2.1", name="G2")
    a = Indicator.objects.create(group=g_in, code="1.1.1", name="A", transformation="none")
    b = Indicator.objects.create(group=g_in, code="1.1.2", name="B", direction=-1, transformation="none")
    c = Indicator.objects.create(group=g_out, code="2.1.1", name="C", transformation="none")
    for name, row in values.items():
        unit = province(name, legacy=legacy)
        for ind, v in zip((a, b, c), row, strict=True):
            IndicatorValue.objects.create(indicator=ind, admin_unit=unit, value=v)
    return fw


def test_the_shipped_pii_framework_has_seven_pillars_eighteen_groups_and_fifty_two_indicators():
    fw = Framework.objects.create(code="PII", name="PII", year=2023, legacy_units=True)
    pii.load(fw)
    pii.load(fw)  # idempotent
    assert fw.pillars.count() == 7
    assert IndicatorGroup.objects.filter(pillar__framework=fw).count() == 18
    assert Indicator.objects.filter(group__pillar__framework=fw).count() == 52
    assert list(fw.pillars.filter(sub_index="output").values_list("name", flat=True)) == [
        "Sản phẩm tri thức, sáng tạo và công nghệ",
        "Tác động",
    ]
    assert not Indicator.objects.filter(group__pillar__framework=fw, placeholder=False).exists()


def test_scores_and_ranks_are_computed_from_the_entered_values():
    fw = tiny_framework()
    rows = {r["unit_name"]: r for r in services.results(fw).rows()}
    # Hà Nội: A 100, B 100 → input 100; C 100 → overall 100.
    assert rows["Thành phố Hà Nội"]["overall"] == 100
    # Hải Phòng: A 50, B 50 → 50; C 50 → 50.  Quảng Ninh: A 0, B 0 → 0; C 50 → 25.
    assert rows["Thành phố Hải Phòng"]["overall"] == 50
    assert rows["Tỉnh Quảng Ninh"]["overall"] == 25
    assert [
        rows[n]["rank"]
        for n in ("Thành phố Hà Nội", "Thành phố Hải Phòng", "Tỉnh Quảng Ninh", "Tỉnh Thái Nguyên")
    ] == [1, 2, 3, 4]
    assert sum(1 for r in rows.values() if r["rank"]) == 4  # the provinces without values are not ranked


def test_published_scores_are_kept_apart_and_the_difference_shown(client):
    fw = tiny_framework()
    PublishedScore.objects.create(
        framework=fw, admin_unit=province("Hà Nội", legacy=True), overall=62.86, rank=1
    )
    row = services.results(fw).rows()[0]
    assert (row["overall"], row["published_overall"], row["difference"]) == (100, 62.86, 37.14)
    client.force_login(make_user("viewer"))
    page = client.get(reverse("innovation:framework_results", args=[fw.pk]))
    html = page.content.decode()
    assert "62,86" in html and "37,14" in html  # numbers as the department writes them


def test_the_unit_page_shows_scores_radar_history_and_contributions(client):
    fw = tiny_framework()
    client.force_login(make_user("viewer"))
    unit = province("Hải Phòng", legacy=True)
    page = client.get(reverse("innovation:unit_result", args=[fw.pk, unit.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="radar"' in html and "<polygon" in html
    assert 'data-testid="history"' in html and "2 / 4" in html
    assert 'data-testid="indicators"' in html
    outside = province("Tuyên Quang")  # not a unit of this framework
    assert client.get(reverse("innovation:unit_result", args=[fw.pk, outside.pk])).status_code == 404


def test_what_if_gives_the_new_score_and_rank_and_saves_nothing(client):
    fw = tiny_framework()
    client.force_login(make_user("viewer"))
    unit = province("Thái Nguyên", legacy=True)
    c = Indicator.objects.get(group__pillar__framework=fw, code="2.1.1")
    response = client.post(
        reverse("innovation:unit_whatif", args=[fw.pk, unit.pk]), {"indicator": c.pk, "value": "100"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "rank 4 → 2" in html
    assert IndicatorValue.objects.get(indicator=c, admin_unit=unit).value == 3


def test_the_results_export_to_excel(client):
    fw = tiny_framework()
    client.force_login(make_user("viewer"))
    response = client.get(reverse("innovation:framework_results", args=[fw.pk]) + "?_export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_command_the_api_and_the_page_give_the_same_results(client):
    fw = tiny_framework()
    out = io.StringIO()
    call_command("index", "compute", "2023", "--framework", "T", "--json", stdout=out)
    from_command = json.loads(out.getvalue())
    client.force_login(make_user("viewer"))
    from_api = client.get(f"/api/index/frameworks/{fw.pk}/results/").json()
    assert from_command == from_api
    page = client.get(reverse("innovation:framework_results", args=[fw.pk])).content.decode()
    for row in from_api["units"]:
        if row["rank"]:
            assert f"{row['overall']:.2f}".replace(".", ",") in page


def test_a_local_officer_enters_only_their_own_units_values(client):
    fw = tiny_framework()
    qn = province("Quảng Ninh", legacy=True)
    officer = make_user("local_officer", admin_unit=qn)
    client.force_login(officer)
    own = IndicatorValue.objects.get(
        admin_unit=qn, indicator__code="1.1.1", indicator__group__pillar__framework=fw
    )
    other = IndicatorValue.objects.get(
        admin_unit=province("Hà Nội", legacy=True),
        indicator__code="1.1.1",
        indicator__group__pillar__framework=fw,
    )
    assert client.get(reverse("innovation:indicatorvalue_edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("innovation:indicatorvalue_edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("innovation:indicatorvalue_detail", args=[other.pk])).status_code == 404
    listing = client.get(reverse("innovation:indicatorvalue_list")).content.decode()
    assert "Hà Nội" not in listing and "Quảng Ninh" in listing
    assert client.get(f"/api/index/values/{other.pk}/").status_code == 404
    assert client.get(f"/api/index/values/{own.pk}/").status_code == 200
    # A value entered for another province is refused and nothing changes.
    a = own.indicator
    before = IndicatorValue.objects.count()
    response = client.post(
        reverse("innovation:indicatorvalue_add"),
        {"indicator": a.pk, "admin_unit": province("Hà Nội", legacy=True).pk, "value": "5"},
    )
    assert response.status_code == 200 and IndicatorValue.objects.count() == before
    own_edit = client.post(
        reverse("innovation:indicatorvalue_edit", args=[own.pk]),
        {
            "indicator": a.pk,
            "admin_unit": qn.pk,
            "value": "12",
            "source": "Cục Thống kê",
            concurrency.FORM_FIELD: concurrency.version_of(own),
        },
    )
    assert own_edit.status_code == 302
    own.refresh_from_db()
    assert own.value == 12 and own.history.count() == 2


def test_a_value_outside_the_indicators_bounds_is_refused(client):
    fw = tiny_framework()
    a = Indicator.objects.get(group__pillar__framework=fw, code="1.1.1")
    a.upper_bound = 100
    a.save()
    client.force_login(make_user("specialist"))
    response = client.post(
        reverse("innovation:indicatorvalue_add"),
        {"indicator": a.pk, "admin_unit": province("Bắc Giang", legacy=True).pk, "value": "500"},
    )
    assert response.status_code == 200
    assert "upper bound" in response.content.decode()


def test_a_merged_provinces_rank_history_shows_its_predecessors():
    tiny_framework(2023, legacy=True, values={**VALUES, "Bắc Giang": (25, 1, 8)})
    fw25 = tiny_framework(2025, legacy=False, values={"Bắc Ninh": (5, 1, 1), "Hà Nội": (1, 2, 1)})
    today = province("Bắc Ninh")
    olds = {
        s.predecessor.short_name
        for s in AdminUnitSuccession.objects.filter(successor=today, predecessor__level="province")
    }
    assert {"Bắc Giang", "Bắc Ninh"} <= olds
    history = services.rank_history(fw25, today)
    years = [(h["year"], h["unit"].short_name) for h in history]
    assert (2023, "Bắc Giang") in years and (2025, "Bắc Ninh") in years


def test_the_results_page_keeps_its_query_count(client, django_assert_max_num_queries):
    fw = tiny_framework()
    client.force_login(make_user("viewer"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("innovation:framework_results", args=[fw.pk])).status_code == 200


def test_the_value_list_and_its_api_keep_their_query_counts(client, django_assert_max_num_queries):
    tiny_framework()
    client.force_login(make_user("specialist"))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("innovation:indicatorvalue_list") + "?per_page=100").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/index/values/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("innovation:framework_list")).status_code == 200


def test_local_officers_of_units_with_missing_values_are_reminded_once_before_the_deadline():
    import datetime

    from stims.accounts.models import Notification

    fw = tiny_framework()
    fw.deadline = datetime.date(2024, 8, 30)
    fw.save()
    qn = province("Quảng Ninh", legacy=True)
    IndicatorValue.objects.filter(admin_unit=qn, indicator__code="2.1.1").delete()
    officer = make_user("local_officer", admin_unit=qn)
    complete = make_user("local_officer", admin_unit=province("Hà Nội", legacy=True))
    assert services.send_deadline_reminders(datetime.date(2024, 7, 1)) == 0  # too early
    assert services.send_deadline_reminders(datetime.date(2024, 8, 20)) == 1
    assert services.send_deadline_reminders(datetime.date(2024, 8, 21)) == 0  # once
    note = Notification.objects.get(user=officer)
    assert "30/08/2024" in note.message and "2 of 3" in note.message
    assert not Notification.objects.filter(user=complete).exists()


def test_the_menus_entry_shows_the_newest_results_or_says_there_is_none(client):
    client.force_login(make_user("viewer"))
    empty = client.get(reverse("innovation:results"))
    assert empty.status_code == 200 and "No index framework yet." in empty.content.decode()
    tiny_framework()
    page = client.get(reverse("innovation:results"))
    assert page.status_code == 200 and 'data-testid="results"' in page.content.decode()


def test_evidence_uploaded_with_a_value_downloads_only_within_scope(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    fw = tiny_framework()
    qn = province("Quảng Ninh", legacy=True)
    client.force_login(make_user("local_officer", admin_unit=qn))
    own = IndicatorValue.objects.get(
        admin_unit=qn, indicator__code="1.1.1", indicator__group__pillar__framework=fw
    )
    response = client.post(
        reverse("innovation:indicatorvalue_edit", args=[own.pk]),
        {
            "indicator": own.indicator_id,
            "admin_unit": qn.pk,
            "value": "10",
            "source": "Cục Thống kê",
            "evidence": SimpleUploadedFile(
                "bao-cao.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf"
            ),
            concurrency.FORM_FIELD: concurrency.version_of(own),
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    url = own.evidence.url
    assert client.get(url).status_code == 200
    client.force_login(make_user("local_officer", admin_unit=province("Hà Nội", legacy=True)))
    assert client.get(url).status_code == 404


def test_results_are_kept_until_a_value_changes(monkeypatch):
    fw = tiny_framework()
    computed = []
    real = services._compute
    monkeypatch.setattr(services, "_compute", lambda *a: computed.append(1) or real(*a))
    first = services.results(fw)
    assert services.results(fw).rows() == first.rows() and len(computed) == 1  # the second from the cache
    value = IndicatorValue.objects.filter(
        indicator__code="2.1.1", admin_unit__name__contains="Quảng Ninh"
    ).get()
    value.value = 9
    value.save()
    rows = {r["unit_name"]: r for r in services.results(fw).rows()}
    assert len(computed) == 2 and rows["Tỉnh Quảng Ninh"]["overall"] > 25  # recomputed with the new value
    IndicatorValue.objects.filter(pk=value.pk).delete()
    services.results(fw)
    assert len(computed) == 3  # a deleted value changes the version too
    services.results(fw, overrides={(value.admin_unit_id, value.indicator_id): 1.0})
    assert len(computed) == 4  # "what if" is never cached


def test_the_results_page_links_every_framework_without_inline_script(client):
    old, new = tiny_framework(year=2023), tiny_framework(year=2024)
    client.force_login(make_user("leader"))
    page = client.get(reverse("innovation:framework_results", args=[new.pk])).content.decode()
    # Links, not a select that navigates by an inline handler (the content security policy blocks those).
    for fw in (old, new):
        assert f'href="{reverse("innovation:framework_results", args=[fw.pk])}"' in page
    assert "onchange=" not in page and 'aria-current="page"' in page


def test_a_bulk_update_moves_the_data_version_and_reading_it_is_one_query(
    monkeypatch, django_assert_num_queries
):
    fw = tiny_framework()
    computed = []
    real = services._compute
    monkeypatch.setattr(services, "_compute", lambda *a: computed.append(1) or real(*a))
    services.results(fw)
    with django_assert_num_queries(1):
        services.data_version(fw)
    IndicatorValue.objects.filter(indicator__code="2.1.1").update(value=9)  # updated_at left alone
    services.results(fw)
    assert len(computed) == 2
