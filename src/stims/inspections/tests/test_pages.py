"""The quality pages as an inspector uses them: forms submitted, moves made from the inspection's page,
refusals shown, the establishment's history, the dashboard, exports; and who cannot reach them."""

import datetime

import pytest
from django.urls import reverse

from stims.core.tests.versions import versioned
from stims.inspections.models import (
    Establishment,
    Inspection,
    InspectionDecision,
    InspectionPlan,
    InspectionState,
    MeasuringInstrument,
    RadiationLicence,
    Sanction,
    Violation,
)
from stims.testing import make_user, province, unit

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def signed_in(client, inspector):
    client.cookies["django_language"] = "en"
    client.force_login(inspector)
    return client


def test_an_inspector_records_a_plan_its_decision_and_an_inspection_as_forms(
    signed_in, fuel, mai_son, inspector
):
    response = signed_in.post(
        reverse("inspections:establishment_add"),
        {
            "name": "Cửa hàng xăng dầu Nà Sản",
            "sector": fuel.pk,
            "admin_unit": mai_son.pk,
            "address": "Xã Hát Lót",
        },
    )
    establishment = Establishment.objects.get(name="Cửa hàng xăng dầu Nà Sản")
    assert response.status_code == 302
    son_la = province("Sơn La", legacy=True)
    response = signed_in.post(
        reverse("inspections:inspectionplan_add"),
        {
            "year": 2023,
            "sector": fuel.pk,
            "admin_unit": son_la.pk,
            "title": "Kế hoạch 2023",
            "planned_count": 4,
        },
    )
    plan = InspectionPlan.objects.get(title="Kế hoạch 2023")
    assert response.status_code == 302
    response = signed_in.post(
        reverse("inspections:inspectiondecision_add"),
        {
            "plan": plan.pk,
            "kind": "check",
            "number": "15/QĐ-SKHCN",
            "signed_on": "01/03/2023",
            "signer": "Phó Giám đốc",
        },
    )
    decision = InspectionDecision.objects.get(number="15/QĐ-SKHCN")
    assert response["Location"] == plan.get_absolute_url()
    response = signed_in.post(
        reverse("inspections:inspection_add"),
        {
            "decision": decision.pk,
            "establishment": establishment.pk,
            "planned_on": "05/04/2023",
            "lead_inspector": inspector.pk,
            "instruments_checked": 0,
        },
    )
    inspection = Inspection.objects.get(establishment=establishment)
    assert response["Location"] == inspection.get_absolute_url()
    assert inspection.state == InspectionState.PLANNED
    page = signed_in.get(plan.get_absolute_url()).content.decode()
    assert "15/QĐ-SKHCN" in page and "Cửa hàng xăng dầu Nà Sản" in page


def test_an_inspection_cannot_be_planned_before_its_decision(signed_in, decision, station, inspector):
    response = signed_in.post(
        reverse("inspections:inspection_add"),
        {
            "decision": decision.pk,
            "establishment": station.pk,
            "planned_on": "01/02/2023",
            "lead_inspector": inspector.pk,
            "instruments_checked": 0,
        },
    )
    assert response.status_code == 200
    assert "before its decision was signed" in response.content.decode()
    assert not Inspection.objects.exists()


def test_the_team_head_moves_the_inspection_from_its_page_and_a_refusal_shows_every_reason(
    signed_in, inspection
):
    url = reverse("inspections:inspection_move", args=[inspection.pk, "start"])
    page = signed_in.get(inspection.get_absolute_url()).content.decode()
    assert 'data-testid="move-start"' in page and 'data-testid="move-cancel"' in page
    assert signed_in.post(url, {"on": "05/04/2023"}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.IN_PROGRESS
    response = signed_in.post(
        reverse("inspections:inspection_move", args=[inspection.pk, "conclude"]), {"on": "06/04/2023"}
    )
    assert response.status_code == 200
    assert response.context["refusals"] == [
        "Record the day the establishment was inspected first.",
        "Record the findings first.",
    ]
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.IN_PROGRESS


def test_someone_off_the_team_is_not_offered_the_moves_and_is_refused(client, inspection, other_inspector):
    client.force_login(other_inspector)
    page = client.get(inspection.get_absolute_url())
    assert page.status_code == 200 and not page.context["moves"]
    response = client.post(
        reverse("inspections:inspection_move", args=[inspection.pk, "start"]), {"on": "05/04/2023"}
    )
    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.PLANNED


def test_violations_and_sanctions_are_added_from_the_inspection_page_and_frozen_once_closed(
    signed_in, inspection, inspector, pump_violation
):
    response = signed_in.post(
        reverse("inspections:violation_add"),
        {"inspection": inspection.pk, "violation_type": pump_violation.pk},
    )
    assert response["Location"] == inspection.get_absolute_url()
    response = signed_in.post(
        reverse("inspections:sanction_add"),
        {
            "inspection": inspection.pk,
            "issued_on": "20/04/2023",
            "fine_vnd": "-5",
            "remedies": "Kiểm định lại",
        },
    )
    assert "A fine cannot be negative." in response.content.decode()
    signed_in.post(
        reverse("inspections:sanction_add"),
        {
            "inspection": inspection.pk,
            "issued_on": "20/04/2023",
            "fine_vnd": "7500000",
            "remedies": "Kiểm định lại",
        },
    )
    page = signed_in.get(inspection.get_absolute_url()).content.decode()
    assert "7.500.000" in page and pump_violation.legal_basis in page
    Inspection.objects.filter(pk=inspection.pk).update(state=InspectionState.CLOSED)
    response = signed_in.post(
        reverse("inspections:violation_add"),
        {"inspection": inspection.pk, "violation_type": pump_violation.pk},
    )
    assert "A closed or cancelled inspection is not changed any more." in response.content.decode()
    assert Violation.objects.count() == 1 and Sanction.objects.count() == 1


def test_the_establishment_page_shows_its_full_history(signed_in, inspection, station, pump_violation):
    Violation.objects.create(inspection=inspection, violation_type=pump_violation)
    Sanction.objects.create(inspection=inspection, issued_on=D(2023, 4, 20), fine_vnd=17_500_000)
    MeasuringInstrument.objects.create(
        establishment=station, kind="Cột đo nhiên liệu", verification_due=D(2020, 1, 1)
    )
    RadiationLicence.objects.create(
        establishment=station, number="GP-01", issued_on=D(2020, 1, 1), expires_on=D(2021, 1, 1)
    )
    page = signed_in.get(station.get_absolute_url()).content.decode()
    assert "05/04/2023" in page and pump_violation.name in page and "17.500.000" in page
    assert "Cột đo nhiên liệu" in page and "overdue" in page and "GP-01" in page and "expired" in page


def test_the_establishment_page_shows_the_guidance_given_to_it_and_its_declarations(
    signed_in, station, mai_son
):
    from stims.products.models import LabellingGuidance, Product, ProductGroup, QualityDeclaration

    product = Product.objects.create(
        name="Chè shan tuyết Mai Sơn", group=ProductGroup.objects.first(), admin_unit=mai_son
    )
    LabellingGuidance.objects.create(
        product=product, given_on=D(2022, 4, 12), establishment=station, note="Ghi nhãn"
    )
    QualityDeclaration.objects.create(
        product=product, standard="TCCS 01:2022/HTX", declared_on=D(2022, 6, 1), establishment=station
    )
    LabellingGuidance.objects.create(product=product, given_on=D(2021, 1, 5))  # not linked: not shown
    response = signed_in.get(station.get_absolute_url())
    page = response.content.decode()
    assert "12/04/2022" in page and "TCCS 01:2022/HTX" in page and "Chè shan tuyết Mai Sơn" in page
    assert "05/01/2021" not in page
    assert list(response.context["guidance"]) == list(station.labelling_guidance.all())


def test_the_dashboard_counts_inspections_by_sector_and_result(
    signed_in, inspection, inspector, pump_violation
):
    from stims.inspections import services

    inspection.inspected_on, inspection.findings = D(2023, 4, 5), "Sai số vượt giới hạn"
    inspection.save()
    Violation.objects.create(inspection=inspection, violation_type=pump_violation)
    services.move(inspection, "start", inspector, on=D(2023, 4, 5))
    services.move(inspection, "conclude", inspector, on=D(2023, 4, 6))
    response = signed_in.get(reverse("inspections:dashboard") + "?year=2023")
    assert response.context["violation_rate"] == 100
    assert [(r["establishment__sector__name"], r["violations"]) for r in response.context["by_sector"]] == [
        ("Kinh doanh xăng dầu", 1)
    ]


def test_the_inspection_list_filters_and_exports(signed_in, inspection):
    response = signed_in.get(reverse("inspections:inspection_list") + "?q=hat lot&state=planned")
    assert list(response.context["table"].data) == [inspection]
    assert not list(
        signed_in.get(reverse("inspections:inspection_list") + "?state=closed").context["table"].data
    )
    export = signed_in.get(reverse("inspections:inspection_list") + "?_export=csv")
    assert export.status_code == 200 and "Cửa hàng xăng dầu Hát Lót" in export.content.decode("utf-8-sig")
    assert "05/04/2023" in export.content.decode("utf-8-sig")


def test_the_inspection_list_query_count_does_not_grow_with_its_rows(
    signed_in, inspection, django_assert_max_num_queries
):
    for day in range(6, 20):
        Inspection.objects.create(
            decision=inspection.decision,
            establishment=inspection.establishment,
            planned_on=D(2023, 4, day),
            lead_inspector=inspection.lead_inspector,
        )
    with django_assert_max_num_queries(12):
        assert signed_in.get(reverse("inspections:inspection_list")).status_code == 200


def test_an_edit_keeps_the_record_attributable(signed_in, station, inspector):
    data = versioned(
        station,
        {
            "name": station.name,
            "sector": station.sector_id,
            "admin_unit": station.admin_unit_id,
            "address": "Tiểu khu 3",
        },
    )
    assert (
        signed_in.post(reverse("inspections:establishment_edit", args=[station.pk]), data).status_code == 302
    )
    assert station.history.first().history_user == inspector


@pytest.mark.parametrize("role", ["local_officer", "council_member"])
def test_local_officers_and_council_members_do_not_reach_the_quality_pages(client, inspection, mai_son, role):
    client.force_login(make_user(role, admin_unit=mai_son if role == "local_officer" else None))
    for name in ("dashboard", "inspection_list", "establishment_list", "measuringinstrument_list"):
        assert client.get(reverse(f"inspections:{name}")).status_code == 403
    assert client.get(inspection.get_absolute_url()).status_code == 403


def test_an_inspector_limited_to_another_district_gets_404_for_this_establishment(
    client, station, inspection
):
    client.force_login(make_user("inspector", admin_unit=unit("Huyện Ba Chẽ", legacy=True)))
    assert client.get(station.get_absolute_url()).status_code == 404
    assert client.get(inspection.get_absolute_url()).status_code == 404
    assert not list(client.get(reverse("inspections:inspection_list")).context["table"].data)


def test_a_specialist_reads_inspections_but_records_instruments(client, inspection, station):
    client.force_login(make_user("specialist"))
    assert client.get(inspection.get_absolute_url()).status_code == 200
    assert client.get(reverse("inspections:inspection_add")).status_code == 403
    response = client.post(
        reverse("inspections:measuringinstrument_add"),
        {"establishment": station.pk, "kind": "Cột đo nhiên liệu", "verification_due": "31/03/2027"},
    )
    assert response.status_code == 302 and MeasuringInstrument.objects.filter(establishment=station).exists()


def test_a_plans_page_shows_its_inspections_a_page_at_a_time(signed_in, decision, station, inspector):
    """A national plan holds thousands of inspections (issue #20): its page shows 50 at a time, in
    date order, the pager's links leading through all of them."""
    from stims.inspections.views import INSPECTIONS_PER_PAGE

    Inspection.objects.bulk_create(
        Inspection(
            decision=decision,
            establishment=station,
            planned_on=D(2023, 4, 1) + datetime.timedelta(days=n),
            lead_inspector=inspector,
        )
        for n in range(INSPECTIONS_PER_PAGE + 3)
    )
    url = decision.plan.get_absolute_url()
    first = signed_in.get(url)
    shown = list(first.context["inspections"])
    assert len(shown) == INSPECTIONS_PER_PAGE and shown[0].planned_on == D(2023, 4, 1)
    html = first.content.decode()
    assert 'data-testid="plan-inspections-pages"' in html and "1 / 2" in html
    second = signed_in.get(url, {"inspections_page": 2})
    assert [i.planned_on for i in second.context["inspections"]] == [
        D(2023, 4, 1) + datetime.timedelta(days=n)
        for n in range(INSPECTIONS_PER_PAGE, INSPECTIONS_PER_PAGE + 3)
    ]
    assert "?inspections_page=1" in second.content.decode()
    assert signed_in.get(url, {"inspections_page": "x"}).status_code == 200  # a bad page: the first
