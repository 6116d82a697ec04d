"""The demo's quality records (`stims.demo.inspections`); `slow`: they build every domain's demo."""

import pytest

from stims.inspections import dashboards
from stims.inspections.models import (
    Inspection,
    InspectionState,
    MeasuringInstrument,
    RadiationLicence,
    Sanction,
)
from stims.testing import make_user

pytestmark = pytest.mark.slow


def test_the_demo_holds_son_las_2023_inspections_with_findings_and_fines(demo_data, db):
    inspections = Inspection.objects.filter(
        decision__plan__year=2023, decision__plan__admin_unit__short_name="Sơn La"
    )
    assert inspections.count() == 6
    assert set(inspections.values_list("establishment__sector__code", flat=True)) == {
        "fuel-retail",
        "prepackaged",
    }
    assert inspections.filter(state=InspectionState.CLOSED).count() == 4
    assert inspections.filter(state=InspectionState.FOLLOW_UP).count() == 1
    assert inspections.filter(state=InspectionState.PLANNED).count() == 1
    assert sum(Sanction.objects.values_list("fine_vnd", flat=True)) == 30_500_000
    assert MeasuringInstrument.objects.count() == 8
    assert RadiationLicence.objects.count() == 1
    figures = dashboards.figures(make_user("leader"), 2023)
    assert figures["inspection_total"] == 6
    assert (figures["concluded"], figures["with_violations"], figures["violation_rate"]) == (5, 3, 60)
    assert figures["fines_imposed"] == 30_500_000 and figures["fines_paid"] == 25_500_000
    assert [licence.number for licence in figures["licences_expiring"]] == ["112/GP-SKHCN (demo)"]


def test_the_demo_links_ba_ches_labelling_guidance_to_its_nine_establishments(demo_data, db):
    from stims.inspections.models import Establishment
    from stims.products.models import LabellingGuidance

    guided = Establishment.objects.filter(labelling_guidance__isnull=False).distinct()
    assert guided.count() == 9
    assert set(guided.values_list("sector__code", flat=True)) == {"labelling"}
    linked = LabellingGuidance.objects.filter(establishment__isnull=False)
    assert linked.count() == 9 and all(g.product.admin_unit == g.establishment.admin_unit for g in linked)


def test_running_the_demo_again_changes_nothing(demo_data, db):
    import io

    from django.core.management import call_command

    before = list(Inspection.history.values_list("history_id", flat=True))
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert list(Inspection.history.values_list("history_id", flat=True)) == before
    assert "standards, metrology and quality" not in out.getvalue()
