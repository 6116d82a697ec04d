"""ISO 9001 records: the rules of a record, the compliance figures, the pages and the API in scope."""

import datetime

import pytest
from django.urls import reverse

from stims.geo.models import AdminUnit, Level
from stims.iso import services
from stims.iso.models import AgencyLevel, IsoActivity, IsoCheck, IsoRecord, IsoStatus
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, province, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def agencies(ba_che):
    quang_ninh = province("Quảng Ninh", legacy=True)
    binh_lieu = unit("Huyện Bình Liêu", legacy=True)
    commune = AdminUnit.objects.filter(parent=ba_che, level=Level.COMMUNE).order_by("code").first()
    make = Organization.objects.create
    return {
        "department": make(
            name="Sở KH&CN Quảng Ninh", kind=OrganizationKind.DEPARTMENT, admin_unit=quang_ninh
        ),
        "finance": make(name="Sở Tài chính", kind=OrganizationKind.PROVINCIAL_AGENCY, admin_unit=quang_ninh),
        "ba_che": make(name="UBND huyện Ba Chẽ", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=ba_che),
        "binh_lieu": make(
            name="UBND huyện Bình Liêu", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=binh_lieu
        ),
        "commune": make(
            name="UBND xã Thanh Sơn", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=commune
        ),
        "company": make(name="Công ty Đạp Thanh", kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che),
    }


def record(agency, year=2023, status=IsoStatus.APPLYING, **values):
    announced = status in (IsoStatus.ANNOUNCED, IsoStatus.MAINTAINED)
    item = IsoRecord(
        agency=agency,
        year=year,
        status=status,
        scope="TTHC",
        announcement_number="01/CB" if announced else "",
        announcement_date=datetime.date(year, 3, 1) if announced else None,
        **values,
    )
    item.full_clean()
    item.save()
    return item


def test_a_records_level_comes_from_its_agencys_unit_and_only_state_agencies_have_one(agencies):
    assert record(agencies["department"]).level == AgencyLevel.PROVINCE
    assert record(agencies["ba_che"]).level == AgencyLevel.DISTRICT
    assert record(agencies["commune"]).level == AgencyLevel.COMMUNE
    with pytest.raises(Exception) as refused:
        record(agencies["company"])
    assert "Choose a state agency" in str(refused.value)


def test_an_announced_system_needs_its_announcement_dated_within_the_year(agencies):
    item = IsoRecord(agency=agencies["ba_che"], year=2023, status=IsoStatus.ANNOUNCED, scope="TTHC")
    with pytest.raises(Exception) as refused:
        item.full_clean()
    assert "announcement's number and date" in str(refused.value)
    item.announcement_number, item.announcement_date = "1", datetime.date(2024, 1, 2)
    with pytest.raises(Exception) as refused:
        item.full_clean()
    assert "after the year of the record" in str(refused.value)


def test_compliance_counts_per_year_and_level_with_the_lists_behind_the_figures(agencies):
    record(agencies["department"], status=IsoStatus.MAINTAINED)
    record(agencies["finance"], status=IsoStatus.NOT_YET)
    record(agencies["ba_che"], status=IsoStatus.APPLYING)
    record(agencies["binh_lieu"], status=IsoStatus.ANNOUNCED)
    record(agencies["ba_che"], year=2022, status=IsoStatus.APPLYING)
    rows = services.compliance(IsoRecord.objects.all())
    figures = [(r.year, r.level, r.agencies, r.applying, r.compliant, r.applying_percent) for r in rows]
    assert figures == [
        (2023, "province", 2, 1, 1, 50.0),
        (2023, "district", 2, 2, 1, 100.0),
        (2023, "", 4, 3, 2, 75.0),
        (2022, "district", 1, 1, 0, 100.0),
        (2022, "", 1, 1, 0, 100.0),
    ]
    assert rows[0].list_url("compliant") == "/iso/records/?year=2023&level=province&standing=compliant"


def test_the_compliance_page_and_the_list_behind_a_figure(client, agencies):
    record(agencies["department"], status=IsoStatus.MAINTAINED)
    record(agencies["finance"], status=IsoStatus.NOT_YET)
    client.force_login(make_user("viewer"))
    page = client.get(reverse("iso:compliance"))
    html = page.content.decode()
    assert "50,0 %" in html or "50.0 %" in html
    listed = client.get(
        reverse("iso:isorecord_list"), {"year": 2023, "level": "province", "standing": "compliant"}
    )
    assert [r.agency.name for r in listed.context["table"].data] == ["Sở KH&CN Quảng Ninh"]


def test_a_local_officer_keeps_their_agencys_record_but_never_records_a_check(client, agencies, ba_che):
    officer = make_user("local_officer", admin_unit=ba_che)
    own, other = record(agencies["ba_che"]), record(agencies["binh_lieu"])
    client.force_login(officer)
    assert [r.pk for r in client.get(reverse("iso:isorecord_list")).context["table"].data] == [own.pk]
    assert client.get(reverse("iso:isorecord_detail", args=[other.pk])).status_code == 404
    added = client.post(
        reverse("iso:isoactivity_add") + f"?record={own.pk}",
        {
            "record": own.pk,
            "kind": "internal_audit",
            "date": "10/10/2023",
            "nonconformities": 2,
            "summary": "Đánh giá",
        },
    )
    assert added.status_code == 302 and own.activities.count() == 1
    wrong_year = client.post(
        reverse("iso:isoactivity_add"),
        {"record": own.pk, "kind": "internal_audit", "date": "10/10/2022", "nonconformities": 0},
    )
    assert wrong_year.status_code == 200 and own.activities.count() == 1
    check = {"record": own.pk, "date": "20/09/2023", "team": "Tổ ISO", "result": "conforming"}
    assert client.post(reverse("iso:isocheck_add"), check).status_code == 403
    api = client.post(
        reverse("api:isocheck-list"), {**check, "date": "2023-09-20"}, content_type="application/json"
    )
    assert api.status_code == 403 and not IsoCheck.objects.exists()
    assert [r["id"] for r in client.get(reverse("api:isorecord-list")).json()["results"]] == [own.pk]
    assert client.get(reverse("api:isorecord-detail", args=[other.pk])).status_code == 404


def test_the_departments_iso_team_records_a_check_with_its_findings(client, agencies):
    own = record(agencies["ba_che"])
    specialist = make_user("specialist")
    client.force_login(specialist)
    check = {
        "record": own.pk,
        "date": "20/09/2023",
        "team": "Tổ ISO",
        "result": "minor",
        "remedy_deadline": "31/12/2023",
    }
    missing = client.post(reverse("iso:isocheck_add"), check)
    assert missing.status_code == 200 and "findings" in missing.context["form"].errors
    done = client.post(reverse("iso:isocheck_add"), {**check, "findings": "Chưa cập nhật 3 quy trình"})
    assert done.status_code == 302
    saved = IsoCheck.objects.get()
    assert saved.history.first().history_user == specialist
    page = client.get(reverse("iso:isorecord_detail", args=[own.pk])).content.decode()
    assert "Chưa cập nhật 3 quy trình" in page and "20/09/2023" in page
    # The list shows each record's latest check (an earlier one added later does not replace it).
    IsoCheck.objects.create(
        record=own, date=datetime.date(2023, 5, 2), team="Tổ ISO", result="minor", findings="-"
    )
    rows = client.get(reverse("iso:isorecord_list")).context["table"].page.object_list
    assert [(row.record.pk, row.record.last_check) for row in rows] == [(own.pk, datetime.date(2023, 9, 20))]
    # An organization-scoped specialist is not the department's ISO team.
    scoped = make_user("specialist", organization=agencies["ba_che"])
    client.force_login(scoped)
    assert client.post(reverse("iso:isocheck_add"), {**check, "findings": "X"}).status_code == 403
    assert IsoCheck.objects.count() == 2
    assert IsoActivity.objects.count() == 0


def test_the_record_list_takes_the_same_queries_for_one_row_or_many(client, agencies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user("specialist"))
    record(agencies["ba_che"], year=2020)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("iso:isorecord_list")).status_code == 200
    for year in range(2010, 2020):
        record(agencies["ba_che"], year=year)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("iso:isorecord_list")).status_code == 200
    assert len(many) == len(one)
