import datetime

import pytest

from stims.inspections.models import (
    Establishment,
    Inspection,
    InspectionDecision,
    InspectionPlan,
    Sector,
    ViolationType,
)
from stims.testing import make_user, province, unit

D = datetime.date


@pytest.fixture
def fuel(db):
    return Sector.objects.get(code="fuel-retail")


@pytest.fixture
def mai_son(db):
    return unit("Huyện Mai Sơn", legacy=True)


@pytest.fixture
def station(fuel, mai_son):
    return Establishment.objects.create(
        name="Cửa hàng xăng dầu Hát Lót", sector=fuel, admin_unit=mai_son, address="Thị trấn Hát Lót"
    )


@pytest.fixture
def plan(fuel):
    return InspectionPlan.objects.create(
        year=2023,
        sector=fuel,
        admin_unit=province("Sơn La", legacy=True),
        title="Kế hoạch kiểm tra xăng dầu 2023",
    )


@pytest.fixture
def decision(plan):
    return InspectionDecision.objects.create(
        plan=plan, number="15/QĐ-SKHCN", signed_on=D(2023, 3, 1), signer="Phó Giám đốc Sở"
    )


@pytest.fixture
def inspector(db):
    return make_user("inspector", username="thanhtra1")


@pytest.fixture
def other_inspector(db):
    return make_user("inspector", username="thanhtra2")


@pytest.fixture
def leader(db):
    return make_user("leader", username="lanhdao1")


@pytest.fixture
def inspection(decision, station, inspector):
    return Inspection.objects.create(
        decision=decision, establishment=station, planned_on=D(2023, 4, 5), lead_inspector=inspector
    )


@pytest.fixture
def pump_violation(db):
    return ViolationType.objects.get(code="fuel-pump-unverified")


@pytest.fixture
def english():
    """Messages in English, as the source strings read (the deployment's language is Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
