"""The demo's agenda (`stims.demo.programmes`), read back record by record; `slow`: it builds every
domain's demo."""

import datetime

import pytest

from stims.programmes import services
from stims.programmes.models import (
    Activity,
    Agreement,
    BodyMeeting,
    DocumentStatus,
    LegalDocument,
    LocalOfficer,
    OfficerStatus,
    Plan,
    PlanKind,
)

pytestmark = pytest.mark.slow


def test_the_demo_holds_the_strategies_plans_and_programmes_named_in_the_articles(demo_data, db):
    names = set(Plan.objects.values_list("name", flat=True))
    for fragment in (
        "Quy hoạch tỉnh Quảng Ninh thời kỳ 2021-2030",
        "Chương trình Phát triển tài sản trí tuệ trên địa bàn tỉnh Quảng Ninh đến năm 2030",
        "21-CTr/TU",
        "Chiến lược phát triển khoa học, công nghệ và đổi mới sáng tạo đến năm 2030",
        "Đề án Ứng dụng chế phẩm vi sinh vật trong sản xuất nông nghiệp giai đoạn 2021 - 2025",
        "Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Sơn La giai đoạn 2017-2025",
    ):
        assert any(fragment in name for name in names), fragment
    biotech = Plan.objects.get(decision_number="21-CTr/TU")
    assert biotech.decision_date == datetime.date(2023, 3, 21) and biotech.admin_unit.short_name == "Sơn La"


def test_the_coordination_programmes_hold_their_targets(demo_data, db):
    binh_lieu = Plan.objects.get(kind=PlanKind.COORDINATION, admin_unit__name="Huyện Bình Liêu")
    ip = binh_lieu.targets.get(unit="%")
    assert (ip.value, ip.year, ip.measure) == (100, 2023, "")
    assert binh_lieu.targets.get(measure="st_enterprises").value == 1
    ba_che = Plan.objects.get(kind=PlanKind.COORDINATION, admin_unit__name="Huyện Ba Chẽ")
    yearly = ba_che.targets.filter(measure="st_enterprises").order_by("year")
    assert [t.year for t in yearly] == [2023, 2024, 2025] and "01 đến 02" in yearly[0].note
    assert ba_che.parent.kind == PlanKind.MASTER_PLAN
    # The IP guidance has no progress entered: Bình Liêu's programme is behind once 2023 has begun.
    assert binh_lieu in services.behind_plans(Plan.objects.all(), datetime.date(2024, 1, 1))


def test_son_las_nine_directing_documents_are_document_records(demo_data, db):
    documents = LegalDocument.objects.filter(organization__name="Sở Khoa học và Công nghệ tỉnh Sơn La")
    assert documents.count() == 9
    award = documents.get(number="54/2023/NQ-HĐND")
    assert award.issued_on == datetime.date(2023, 4, 18) and award.status == DocumentStatus.IN_FORCE
    assert "Giải thưởng Khoa học và Công nghệ tỉnh Sơn La" in award.title


def test_the_agreements_activities_and_local_bodies_are_recorded(demo_data, db):
    mocchau = Agreement.objects.get(name__contains="Mộc Châu")
    assert list(mocchau.partners.values_list("name", flat=True)) == ["Học viện Nông nghiệp Việt Nam"]
    assert mocchau.commitments.count() == 1
    assert Agreement.objects.get(name__contains="dâu tây").partners.get().name == "Công ty Phú Nhuận Farm"
    assert Agreement.objects.get(admin_unit__name="Huyện Ba Chẽ").commitments.count() == 3
    assert Activity.objects.get(title__contains="ghi nhãn").attendees == 9
    assert BodyMeeting.objects.filter(body__admin_unit__name="Huyện Ba Chẽ").exists()
    assert LocalOfficer.objects.get(admin_unit__name="Huyện Ba Chẽ").status == OfficerStatus.PART_TIME
