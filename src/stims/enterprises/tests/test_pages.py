"""The two registers in the browser: scope, refusals, validation, lists, history and exports."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.core.tests.versions import versioned
from stims.enterprises.models import (
    Startup,
    StartupFounder,
    StartupSupport,
    StEnterprise,
    StIncentive,
    StRevenueShare,
)
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


# --- A local officer of legacy Huyện Ba Chẽ ---------------------------------------------------------


def test_a_local_officer_sees_their_units_enterprise_in_the_list_and_its_page(
    client, ba_che_officer, ba_che_enterprise, binh_lieu_enterprise
):
    response = client.get(reverse("enterprises:stenterprise_list"))
    assert [e.pk for e in response.context["table"].data] == [ba_che_enterprise.pk]
    page = client.get(reverse("enterprises:stenterprise_detail", args=[ba_che_enterprise.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "5701234567" in html  # tax code from the organization
    assert reverse("enterprises:stenterprise_edit", args=[ba_che_enterprise.pk]) not in html
    assert reverse("enterprises:stenterprise_revoke", args=[ba_che_enterprise.pk]) not in html
    assert reverse("enterprises:strevenueshare_add") not in html


def test_a_local_officer_may_not_add_or_edit_an_enterprise_certificate(
    client, ba_che_officer, ba_che_enterprise, ba_che
):
    organization = Organization.objects.create(
        name="HTX Ba Chẽ xanh", kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che
    )
    assert client.get(reverse("enterprises:stenterprise_add")).status_code == 403
    response = client.post(
        reverse("enterprises:stenterprise_add"),
        {
            "organization": organization.pk,
            "certificate_number": "1/2024",
            "certificate_date": "01/02/2024",
            "st_result": "X",
        },
    )
    assert response.status_code == 403
    assert (
        client.get(reverse("enterprises:stenterprise_edit", args=[ba_che_enterprise.pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("enterprises:stenterprise_revoke", args=[ba_che_enterprise.pk]),
            {"on_date": "01/02/2024", "reason": "X"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("enterprises:strevenueshare_add"),
            {"enterprise": ba_che_enterprise.pk, "year": 2023, "total_revenue": "10", "st_revenue": "5"},
        ).status_code
        == 403
    )
    assert not StEnterprise.objects.filter(certificate_number="1/2024").exists()
    ba_che_enterprise.refresh_from_db()
    assert ba_che_enterprise.revoked_on is None
    assert not StRevenueShare.objects.exists()


def test_a_local_officer_gets_404_for_another_units_enterprise(client, ba_che_officer, binh_lieu_enterprise):
    assert (
        client.get(reverse("enterprises:stenterprise_detail", args=[binh_lieu_enterprise.pk])).status_code
        == 404
    )
    # Editing is refused for the role as a whole (403) before any lookup, so it tells nothing either.
    assert (
        client.get(reverse("enterprises:stenterprise_edit", args=[binh_lieu_enterprise.pk])).status_code
        == 403
    )


def test_a_specialist_limited_to_ba_che_gets_404_editing_another_units_enterprise(
    client, ba_che, binh_lieu_enterprise, ba_che_enterprise
):
    client.force_login(make_user("specialist", admin_unit=ba_che))
    assert (
        client.get(reverse("enterprises:stenterprise_edit", args=[ba_che_enterprise.pk])).status_code == 200
    )
    assert (
        client.get(reverse("enterprises:stenterprise_edit", args=[binh_lieu_enterprise.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("enterprises:stenterprise_revoke", args=[binh_lieu_enterprise.pk]),
            {"on_date": "01/02/2024", "reason": "X"},
        ).status_code
        == 404
    )


def test_a_local_officer_adds_a_startup_in_their_unit(client, ba_che_officer, ba_che):
    response = client.post(
        reverse("enterprises:startup_add"),
        {
            "name": "Nấm lim xanh Đạp Thanh",
            "admin_unit": ba_che.pk,
            "field": "Nông nghiệp",
            "stage": "prototype",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    startup = Startup.objects.get(name="Nấm lim xanh Đạp Thanh")
    assert response["Location"] == reverse("enterprises:startup_detail", args=[startup.pk])
    assert client.get(response["Location"]).status_code == 200


def test_a_local_officer_cannot_add_a_startup_elsewhere(client, ba_che_officer, binh_lieu):
    response = client.post(
        reverse("enterprises:startup_add"),
        {"name": "Khởi nghiệp Bình Liêu", "admin_unit": binh_lieu.pk, "field": "Du lịch", "stage": "idea"},
    )
    assert response.status_code == 200
    assert "admin_unit" in response.context["form"].errors
    assert not Startup.objects.filter(name="Khởi nghiệp Bình Liêu").exists()


def test_a_local_officer_adds_founders_and_support_from_the_startup_page(
    client, ba_che_officer, ba_che_startup
):
    page = client.get(reverse("enterprises:startup_detail", args=[ba_che_startup.pk])).content.decode()
    assert f"{reverse('enterprises:startupfounder_add')}?startup={ba_che_startup.pk}" in page
    response = client.post(
        reverse("enterprises:startupfounder_add"),
        {"startup": ba_che_startup.pk, "name": "Lê Văn Tú", "role": "CEO"},
    )
    assert response["Location"] == reverse("enterprises:startup_detail", args=[ba_che_startup.pk])
    response = client.post(
        reverse("enterprises:startupsupport_add"),
        {
            "startup": ba_che_startup.pk,
            "date": "12/09/2024",
            "kind": "investor",
            "counterpart": "Quỹ ĐMST Quảng Ninh",
            "amount": "50.000.000",
        },
    )
    assert response["Location"] == reverse("enterprises:startup_detail", args=[ba_che_startup.pk])
    assert StartupSupport.objects.get().amount == 50_000_000
    page = client.get(reverse("enterprises:startup_detail", args=[ba_che_startup.pk])).content.decode()
    assert "Lê Văn Tú" in page and "Quỹ ĐMST Quảng Ninh" in page and "50.000.000 ₫" in page


def test_meeting_an_investor_must_name_them(client, ba_che_officer, ba_che_startup):
    response = client.post(
        reverse("enterprises:startupsupport_add"),
        {"startup": ba_che_startup.pk, "date": "12/09/2024", "kind": "investor"},
    )
    assert "counterpart" in response.context["form"].errors
    assert not StartupSupport.objects.exists()


def test_a_local_officer_cannot_attach_a_founder_to_another_units_startup(client, ba_che_officer, binh_lieu):
    other = Startup.objects.create(name="Bình Liêu Tea", admin_unit=binh_lieu, field="Chè")
    response = client.post(reverse("enterprises:startupfounder_add"), {"startup": other.pk, "name": "X"})
    assert "startup" in response.context["form"].errors
    assert not StartupFounder.objects.exists()
    assert client.get(reverse("enterprises:startup_detail", args=[other.pk])).status_code == 404


# --- The department's certificate form --------------------------------------------------------------


def test_a_specialist_records_a_certificate_for_an_existing_enterprise(client, specialist, ba_che):
    organization = Organization.objects.create(
        name="Công ty Ba Kích", kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che, tax_code="5700000001"
    )
    response = client.post(
        reverse("enterprises:stenterprise_add"),
        {
            "organization": organization.pk,
            "certificate_number": "05/2024/DNKHCN",
            "certificate_date": "01/02/2024",
            "st_result": "Giải pháp hữu ích số 123",
            "field": "Dược liệu",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    enterprise = StEnterprise.objects.get(certificate_number="05/2024/DNKHCN")
    assert enterprise.certificate_date == datetime.date(2024, 2, 1)
    assert enterprise.organization == organization


def test_the_certificate_form_offers_only_enterprises(client, specialist, ba_che):
    committee = Organization.objects.create(
        name="UBND huyện Ba Chẽ", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=ba_che
    )
    Organization.objects.create(
        name="Công ty Ba Chẽ Xanh", kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che
    )
    response = client.post(
        reverse("enterprises:stenterprise_add"),
        {
            "organization": committee.pk,
            "certificate_number": "1",
            "certificate_date": "01/02/2024",
            "st_result": "X",
        },
    )
    assert "organization" in response.context["form"].errors
    options = client.get(reverse("enterprises:enterprise_organization_options"), {"q": "ba che"}).context[
        "options"
    ]
    assert [o.name for o in options] == ["Công ty Ba Chẽ Xanh"]


def test_a_certificate_dated_in_the_future_is_refused(client, specialist, ba_che):
    organization = Organization.objects.create(
        name="Công ty Tương Lai", kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che
    )
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client.post(
        reverse("enterprises:stenterprise_add"),
        {
            "organization": organization.pk,
            "certificate_number": "9",
            "certificate_date": tomorrow.strftime("%d/%m/%Y"),
            "st_result": "X",
        },
    )
    assert "certificate_date" in response.context["form"].errors
    assert not StEnterprise.objects.exists()


# --- Revocation from the page ----------------------------------------------------------------------


def test_a_specialist_revokes_a_certificate_from_its_page(client, specialist, ba_che_enterprise):
    url = reverse("enterprises:stenterprise_revoke", args=[ba_che_enterprise.pk])
    response = client.post(url, {"on_date": "02/05/2024", "reason": "Không còn đáp ứng điều kiện"})
    assert response.status_code == 302
    ba_che_enterprise.refresh_from_db()
    assert ba_che_enterprise.revoked_on == datetime.date(2024, 5, 2)
    page = client.get(
        reverse("enterprises:stenterprise_detail", args=[ba_che_enterprise.pk])
    ).content.decode()
    assert "Không còn đáp ứng điều kiện" in page and url not in page
    again = client.post(url, {"on_date": "03/05/2024", "reason": "Lần hai"})
    assert again.status_code == 400
    ba_che_enterprise.refresh_from_db()
    assert ba_che_enterprise.revocation_reason == "Không còn đáp ứng điều kiện"


def test_a_revocation_before_the_certificate_is_shown_on_the_page_and_nothing_changes(
    client, specialist, ba_che_enterprise
):
    response = client.post(
        reverse("enterprises:stenterprise_revoke", args=[ba_che_enterprise.pk]),
        {"on_date": "01/01/2020", "reason": "Sai"},
    )
    assert response.status_code == 400
    assert "on_date" in response.context["revoke_form"].errors
    assert 'value="01/01/2020"' in response.content.decode()
    ba_che_enterprise.refresh_from_db()
    assert ba_che_enterprise.revoked_on is None


# --- Revenue and VND ------------------------------------------------------------------------------


def test_st_revenue_above_total_is_refused_nothing_saved_and_typed_values_kept(
    client, specialist, ba_che_enterprise
):
    response = client.post(
        reverse("enterprises:strevenueshare_add"),
        {
            "enterprise": ba_che_enterprise.pk,
            "year": "2023",
            "total_revenue": "1.000.000",
            "st_revenue": "2.500.000",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"st_revenue"}
    html = response.content.decode()
    assert 'value="1.000.000"' in html and 'value="2.500.000"' in html and 'value="2023"' in html
    assert not StRevenueShare.objects.exists()


def test_vnd_amounts_typed_with_dots_are_read_as_whole_dong(client, specialist, ba_che_enterprise):
    response = client.post(
        reverse("enterprises:strevenueshare_add"),
        {
            "enterprise": ba_che_enterprise.pk,
            "year": "2023",
            "total_revenue": "12.500.000.000",
            "st_revenue": "4500000000 đ",
        },
    )
    assert response["Location"] == reverse("enterprises:stenterprise_detail", args=[ba_che_enterprise.pk])
    share = StRevenueShare.objects.get()
    assert (share.total_revenue, share.st_revenue) == (12_500_000_000, 4_500_000_000)
    response = client.post(
        reverse("enterprises:stincentive_add"),
        {"enterprise": ba_che_enterprise.pk, "year": "2023", "kind": "Miễn thuế TNDN", "amount": "1.500.000"},
    )
    assert StIncentive.objects.get().amount == 1_500_000
    page = client.get(
        reverse("enterprises:stenterprise_detail", args=[ba_che_enterprise.pk])
    ).content.decode()
    assert "1.500.000 ₫" in page and "12.500.000.000 ₫" in page and "36,0 %" in page
    assert 'data-testid="below-threshold"' not in page  # 36 % meets the 30 % condition
    StRevenueShare.objects.create(
        enterprise=ba_che_enterprise, year=2024, total_revenue=1_000_000, st_revenue=200_000
    )
    page = client.get(
        reverse("enterprises:stenterprise_detail", args=[ba_che_enterprise.pk])
    ).content.decode()
    assert page.count('data-testid="below-threshold"') == 1


@pytest.mark.parametrize("typed", ["1.5", "1,500,000", "1.500,5", "-5", "abc", "1.50.000"])
def test_amounts_that_are_not_whole_dong_are_refused(client, specialist, ba_che_enterprise, typed):
    response = client.post(
        reverse("enterprises:stincentive_add"),
        {"enterprise": ba_che_enterprise.pk, "year": "2023", "kind": "Ưu đãi", "amount": typed},
    )
    assert "amount" in response.context["form"].errors
    assert f'value="{typed}"' in response.content.decode()
    assert not StIncentive.objects.exists()


def test_the_edit_form_shows_saved_amounts_grouped_with_dots(client, specialist, ba_che_enterprise):
    share = StRevenueShare.objects.create(
        enterprise=ba_che_enterprise, year=2023, total_revenue=2_000_000, st_revenue=700_000
    )
    html = client.get(reverse("enterprises:strevenueshare_edit", args=[share.pk])).content.decode()
    assert 'value="2.000.000"' in html and 'value="700.000"' in html


def test_one_revenue_record_a_year(client, specialist, ba_che_enterprise):
    StRevenueShare.objects.create(enterprise=ba_che_enterprise, year=2023, total_revenue=10, st_revenue=5)
    response = client.post(
        reverse("enterprises:strevenueshare_add"),
        {"enterprise": ba_che_enterprise.pk, "year": "2023", "total_revenue": "20", "st_revenue": "5"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert StRevenueShare.objects.count() == 1


# --- Lists, history, exports -------------------------------------------------------------------------


def _fill(ba_che, n=30):
    for i in range(n):
        organization = Organization.objects.create(
            name=f"Công ty {i}", kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che, tax_code=f"57{i:08d}"
        )
        enterprise = StEnterprise.objects.create(
            organization=organization,
            certificate_number=f"{i}/DNKHCN",
            certificate_date=datetime.date(2020, 1, 1),
            st_result="X",
        )
        StRevenueShare.objects.create(enterprise=enterprise, year=2022, total_revenue=100, st_revenue=40)
        StRevenueShare.objects.create(enterprise=enterprise, year=2023, total_revenue=100, st_revenue=20 + i)
        startup = Startup.objects.create(name=f"Startup {i}", admin_unit=ba_che, field="CNTT")
        StartupFounder.objects.create(startup=startup, name="A")
        StartupFounder.objects.create(startup=startup, name="B")
        StartupSupport.objects.create(
            startup=startup, date=datetime.date(2024, 1, 1 + i % 28), kind="training"
        )


@pytest.mark.parametrize("role", ["specialist", "local_officer"])
@pytest.mark.parametrize("url_name", ["enterprises:stenterprise_list", "enterprises:startup_list"])
def test_list_pages_run_a_constant_number_of_queries(client, url_name, role):
    """Latest share, founders and last support come from subqueries; a unit scope costs 2 queries."""
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    client.force_login(make_user(role, admin_unit=ba_che if role == "local_officer" else None))
    _fill(ba_che)
    client.get(reverse(url_name))
    sizes = {}
    for per_page in (5, 25):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name), {"per_page": per_page}).status_code == 200
        sizes[per_page] = len(queries)
    assert sizes[5] == sizes[25] <= (8 if role == "local_officer" else 6), sizes


def test_the_list_shows_the_latest_share_and_founders(client, specialist, ba_che):
    _fill(ba_che, n=3)
    table = client.get(reverse("enterprises:stenterprise_list"), {"q": "cong ty 2"}).context["table"]
    row = table.data[0]
    assert (row.latest_share_year, round(row.latest_share)) == (2023, 22)
    startups = client.get(reverse("enterprises:startup_list"), {"q": "startup 1"}).context["table"].data
    assert [(s.founder_count, s.last_support) for s in startups] == [(2, datetime.date(2024, 1, 2))]


def test_filters_by_unit_status_year_and_support_kind(
    client, specialist, ba_che_enterprise, binh_lieu_enterprise, ba_che_startup
):
    from stims.testing import province

    binh_lieu_enterprise.revoked_on = datetime.date(2023, 1, 1)
    binh_lieu_enterprise.save()
    url = reverse("enterprises:stenterprise_list")
    names = lambda **params: sorted(str(e) for e in client.get(url, params).context["table"].data)  # noqa: E731
    assert names(admin_unit=unit("Huyện Ba Chẽ", legacy=True).pk) == ["Công ty TNHH Dược liệu Ba Chẽ"]
    # Today's Quảng Ninh covers the records filed under the legacy districts it absorbed.
    assert len(names(admin_unit=province("Quảng Ninh").pk)) == 2
    assert names(status="revoked") == ["Công ty CP Miến dong Bình Liêu"]
    assert names(status="active", year=2021) == ["Công ty TNHH Dược liệu Ba Chẽ"]
    assert names(year=2019) == []
    StartupSupport.objects.create(startup=ba_che_startup, date=datetime.date(2024, 1, 1), kind="funding")
    StartupSupport.objects.create(startup=ba_che_startup, date=datetime.date(2024, 2, 1), kind="funding")
    startups = (
        client.get(reverse("enterprises:startup_list"), {"support_kind": "funding"}).context["table"].data
    )
    assert [s.name for s in startups] == ["Trà hoa vàng Ba Chẽ"]
    assert (
        list(
            client.get(reverse("enterprises:startup_list"), {"support_kind": "investor"})
            .context["table"]
            .data
        )
        == []
    )


def test_the_history_panel_shows_an_edit_with_its_user(client, specialist, ba_che_enterprise):
    response = client.post(
        reverse("enterprises:stenterprise_edit", args=[ba_che_enterprise.pk]),
        versioned(
            ba_che_enterprise,
            {
                "organization": ba_che_enterprise.organization_id,
                "certificate_number": "12/2021/DNKHCN-sửa",
                "certificate_date": "15/03/2021",
                "st_result": ba_che_enterprise.st_result,
                "field": "Dược liệu",
            },
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert ba_che_enterprise.history.first().history_user == specialist
    page = client.get(
        reverse("enterprises:stenterprise_detail", args=[ba_che_enterprise.pk])
    ).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "12/2021/DNKHCN-sửa" in history
    assert "Nguyễn Thị Lan" in history or "Lan Nguyễn Thị" in history


def _csv(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_export_holds_only_the_rows_the_user_may_see(
    client, ba_che_officer, ba_che_enterprise, binh_lieu_enterprise, ba_che_startup, binh_lieu
):
    StRevenueShare.objects.create(enterprise=ba_che_enterprise, year=2023, total_revenue=1000, st_revenue=350)
    rows = _csv(client.get(reverse("enterprises:stenterprise_list"), {"_export": "csv"}))
    assert len(rows) == 2
    assert "Công ty TNHH Dược liệu Ba Chẽ" in rows[1] and "5701234567" in rows[1] and "35.0" in rows[1]
    assert "Miến dong" not in str(rows)
    Startup.objects.create(name="Bình Liêu Tea", admin_unit=binh_lieu, field="Chè")
    rows = _csv(client.get(reverse("enterprises:startup_list"), {"_export": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Trà hoa vàng Ba Chẽ"]


def test_the_global_search_finds_enterprises_by_tax_code_and_follows_renames(
    client, specialist, ba_che_enterprise
):
    from stims.core.search import search

    assert [r.pk for g in search(specialist, "5701234567") for r in g.results if g.model is StEnterprise] == [
        ba_che_enterprise.pk
    ]
    organization = ba_che_enterprise.organization
    organization.name = "Công ty CP Ba Kích Tím"
    organization.save()
    assert [
        r.pk for g in search(specialist, "ba kich tim") for r in g.results if g.model is StEnterprise
    ] == [ba_che_enterprise.pk]
