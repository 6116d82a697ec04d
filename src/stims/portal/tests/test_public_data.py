"""Public catalogues, open data, the calendar and the proposal service: only what is public reaches
the portal, in every page and every download."""

import datetime
import json

import pytest
from django.urls import reverse

from stims.accounts.models import Notification
from stims.meetings.models import SessionStatus, WorkingSession
from stims.orgs.models import Organization, OrganizationKind
from stims.portal.models import ArticleStatus, PortalProposal, PublicSession
from stims.portal.public import CATALOGUES
from stims.results.models import ResultKind, TaskResult
from stims.sttasks.models import Call, Task, TaskType
from stims.testing import make_user, unit


@pytest.fixture
def tasks(db):
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    lead = Organization.objects.create(
        name="Viện Nghiên cứu Lúa", kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che
    )
    kind = TaskType.objects.get(code="de-tai")
    public = Task.objects.create(
        code="ĐT.01/2026", title="Phục tráng giống lúa Bao Thai", task_type=kind, proposal_year=2026,
        ordering_unit=ba_che, lead_organization=lead, is_published=True, objectives="Mục tiêu công khai",
    )  # fmt: skip
    private = Task.objects.create(
        code="ĐT.02/2026", title="Nhiệm vụ chưa công bố Mật", task_type=kind, proposal_year=2026,
        ordering_unit=ba_che, lead_organization=lead, is_published=False,
    )  # fmt: skip
    TaskResult.objects.create(
        task=public, kind=ResultKind.TECHNOLOGY, name="Quy trình nhân giống công khai",
        certificate_number="01/2025/KQNV", certificate_date=datetime.date(2025, 5, 1),
    )  # fmt: skip
    TaskResult.objects.create(task=public, kind=ResultKind.TECHNOLOGY, name="Kết quả chưa đăng ký Mật")
    TaskResult.objects.create(
        task=private, kind=ResultKind.TECHNOLOGY, name="Kết quả của nhiệm vụ chưa công bố Mật",
        certificate_number="02/2025/KQNV", certificate_date=datetime.date(2025, 5, 1),
    )  # fmt: skip
    return public, private


@pytest.fixture
def calls(db):
    """A published call open today, a published one opening later, a published one closed, a draft."""
    from django.utils import timezone

    today = timezone.localdate()
    day = datetime.timedelta(days=1)

    def make(title, open_from, open_until, published=True):
        return Call.objects.create(
            title=title, number="", issued_on=open_from, open_from=open_from, open_until=open_until,
            publish_on_portal=published, contact="Phòng Quản lý khoa học",
        )  # fmt: skip

    return {
        "open": make("Kêu gọi đề xuất nhiệm vụ năm 2027", today - 5 * day, today + 20 * day),
        "upcoming": make("Thông báo đặt hàng sắp mở", today + 3 * day, today + 40 * day),
        "closed": make("Đợt kêu gọi đã đóng Mật", today - 60 * day, today - day),
        "draft": make("Đợt kêu gọi chưa công bố Mật", today - day, today + 30 * day, published=False),
    }


def _everything(client):
    """Every portal page and download a visitor can reach, as one text."""
    texts = []
    urls = [
        reverse("portal:index"),
        reverse("portal:news_list"),
        reverse("portal:calendar"),
        reverse("portal:catalogues"),
        reverse("portal:sitemap"),
        reverse("portal:news_rss"),
    ]
    for key, catalogue in CATALOGUES.items():
        urls += [
            reverse("portal:catalogue", args=[key]),
            reverse("portal:catalogue_download", args=[key, "csv"]),
            reverse("portal:catalogue_download", args=[key, "json"]),
        ]
        urls += [
            reverse("portal:catalogue_record", args=[key, pk])
            for pk in catalogue.rows().values_list("pk", flat=True)
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    return "\n".join(texts)


def test_unpublished_internal_and_private_data_is_absent_from_every_page_and_download(
    client, tasks, calls, make_article
):
    make_article(title="Bản nháp Mật", status=ArticleStatus.DRAFT)
    make_article(title="Chờ duyệt Mật", status=ArticleStatus.REVIEW)
    make_article(title="Hẹn giờ Mật", days_ago=-3)
    everything = _everything(client)
    assert "Phục tráng giống lúa Bao Thai" in everything
    assert "Quy trình nhân giống công khai" in everything
    assert "Kêu gọi đề xuất nhiệm vụ năm 2027" in everything and "Thông báo đặt hàng sắp mở" in everything
    assert "Mật" not in everything


def test_the_open_calls_catalogue_lists_published_calls_open_or_upcoming_with_a_page_each(
    client, calls, django_assert_max_num_queries
):
    url = reverse("portal:catalogue", args=["calls"])
    assert url == "/portal/data/calls/"
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Kêu gọi đề xuất nhiệm vụ năm 2027" in page and "Thông báo đặt hàng sắp mở" in page
    assert (
        reverse("portal:catalogue", args=["calls"])
        in client.get(reverse("portal:catalogues")).content.decode()
    )
    assert reverse("portal:catalogue", args=["calls"]) in client.get(reverse("portal:index")).content.decode()
    record = client.get(reverse("portal:catalogue_record", args=["calls", calls["open"].pk])).content.decode()
    assert "Phòng Quản lý khoa học" in record and f"?call={calls['open'].pk}" in record
    # An upcoming call has its page but takes no proposal yet; closed and draft calls have no page.
    upcoming = client.get(reverse("portal:catalogue_record", args=["calls", calls["upcoming"].pk]))
    assert upcoming.status_code == 200 and "?call=" not in upcoming.content.decode()
    for key in ("closed", "draft"):
        assert (
            client.get(reverse("portal:catalogue_record", args=["calls", calls[key].pk])).status_code == 404
        )
    data = json.loads(client.get(reverse("portal:catalogue_download", args=["calls", "json"])).content)
    assert "CC BY 4.0" in data["licence"]
    assert [r["title"] for r in data["records"]] == [
        "Kêu gọi đề xuất nhiệm vụ năm 2027",
        "Thông báo đặt hàng sắp mở",
    ]
    text = client.get(reverse("portal:catalogue_download", args=["calls", "csv"])).content.decode("utf-8-sig")
    assert "CC BY 4.0" in text.splitlines()[0] and "Kêu gọi đề xuất nhiệm vụ năm 2027" in text


def test_a_changed_call_reaches_the_cached_catalogue_at_once(client, calls):
    url = reverse("portal:catalogue", args=["calls"])
    assert "Đợt mới" not in client.get(url).content.decode()
    calls["draft"].title, calls["draft"].publish_on_portal = "Đợt mới", True
    calls["draft"].save()
    assert "Đợt mới" in client.get(url).content.decode()


def test_a_record_outside_the_public_rows_has_no_page(client, tasks):
    public, private = tasks
    assert client.get(reverse("portal:catalogue_record", args=["tasks", public.pk])).status_code == 200
    assert client.get(reverse("portal:catalogue_record", args=["tasks", private.pk])).status_code == 404
    assert client.get(reverse("portal:catalogue", args=["budgets"])).status_code == 404


def test_open_data_downloads_carry_the_licence_and_public_fields_only(client, tasks):
    data = json.loads(client.get(reverse("portal:catalogue_download", args=["tasks", "json"])).content)
    assert "CC BY 4.0" in data["licence"]
    assert [r["title"] for r in data["records"]] == ["Phục tráng giống lúa Bao Thai"]
    assert set(data["records"][0]) == {f.name for f in CATALOGUES["tasks"].fields}
    csv_response = client.get(reverse("portal:catalogue_download", args=["tasks", "csv"]))
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"# ') and "CC BY 4.0" in text.splitlines()[0]
    assert 'rel="license"' in csv_response["Link"]


def test_ocop_products_filter_by_star_and_locality(client, db):
    from stims.products.models import OcopEvaluation, ProducerKind, Product, ProductGroup

    group = ProductGroup.objects.first()
    ba_che, binh_lieu = unit("Huyện Ba Chẽ", legacy=True), unit("Huyện Bình Liêu", legacy=True)
    for name, admin_unit, stars in (
        ("Trà hoa vàng Ba Chẽ", ba_che, 4),
        ("Miến dong Bình Liêu", binh_lieu, 3),
        ("Chưa xếp hạng", ba_che, None),
    ):
        product = Product.objects.create(
            name=name,
            group=group,
            producer_kind=ProducerKind.HOUSEHOLD,
            producer_name="Hộ A",
            admin_unit=admin_unit,
            is_ocop=True,
        )
        if stars:
            OcopEvaluation.objects.filter(
                pk=OcopEvaluation.objects.create(
                    product=product, year=2024, score_a=30, score_b=20, score_c=25
                ).pk
            ).update(stars=stars)
    url = reverse("portal:catalogue", args=["products"])
    page = client.get(url).content.decode()
    assert "Trà hoa vàng" in page and "Miến dong" in page and "Chưa xếp hạng" not in page
    page = client.get(url, {"stars": "4"}).content.decode()
    assert "Trà hoa vàng" in page and "Miến dong" not in page
    page = client.get(url, {"unit": str(binh_lieu.pk)}).content.decode()
    assert "Miến dong" in page and "Trà hoa vàng" not in page


def test_the_calendar_shows_only_the_sessions_made_public(client, db):
    host = Organization.objects.create(
        name="Sở KH&CN", kind=OrganizationKind.DEPARTMENT, admin_unit=unit("Huyện Ba Chẽ", legacy=True)
    )
    day = datetime.date.today()
    shown = WorkingSession.objects.create(
        title="Làm việc với huyện Bình Liêu", held_on=day, host_organization=host, place="Bình Liêu"
    )
    WorkingSession.objects.create(title="Họp nội bộ Mật", held_on=day, host_organization=host)
    cancelled = WorkingSession.objects.create(
        title="Đã huỷ Mật", held_on=day, host_organization=host, status=SessionStatus.CANCELLED
    )
    PublicSession.objects.create(session=shown)
    PublicSession.objects.create(session=cancelled)
    page = client.get(reverse("portal:calendar")).content.decode()
    assert "Làm việc với huyện Bình Liêu" in page and "Mật" not in page


# --- Online service: proposals ------------------------------------------------------------------------


def _proposal(client, **extra):
    from stims.geo.services import home_province

    commune = unit("Xã Ba Chẽ")
    data = {
        "submitter_kind": "commune",
        "organization_name": "UBND xã Ba Chẽ",
        "ordering_unit": commune.pk,
        "title": "Ứng dụng công nghệ sấy trà hoa vàng",
        "objectives": "Nâng cao chất lượng sản phẩm OCOP.",
        "expected_products": "Quy trình sấy",
        "contact_name": "Nguyễn Văn A",
        "contact_email": "xa.bache@example.vn",
        "contact_phone": "0203 123 456",
        "website": "",
        **extra,
    }
    assert home_province() is not None
    return client.post(reverse("portal:proposal"), data, REMOTE_ADDR="10.1.1.1")


def test_a_commune_proposes_a_task_that_arrives_in_the_tasks_module_with_a_notification(
    client, db, django_capture_on_commit_callbacks
):
    staff = make_user("specialist")
    with django_capture_on_commit_callbacks(execute=True):
        response = _proposal(client)
    assert response.status_code == 302
    proposal = PortalProposal.objects.get()
    task = proposal.task
    assert (
        task.title == "Ứng dụng công nghệ sấy trà hoa vàng"
        and task.submitted_at is not None
        and task.code is None
    )
    assert Notification.objects.filter(user=staff, link=task.get_absolute_url()).exists()
    page = client.get(response["Location"]).content.decode()
    assert proposal.tracking_code in page and str(task.state) in page
    # The tracking page says where it stands, never the sender's details.
    assert "xa.bache@example.vn" not in page and "Nguyễn Văn A" not in page
    assert "xa.bache@example.vn" not in _everything(client)


def test_a_proposal_may_answer_an_open_call_only(client, calls):
    form = client.get(reverse("portal:proposal")).content.decode()
    assert "Kêu gọi đề xuất nhiệm vụ năm 2027" in form
    assert "Thông báo đặt hàng sắp mở" not in form and "Mật" not in form
    for key in ("upcoming", "closed", "draft"):
        response = _proposal(client, call=calls[key].pk)
        assert response.status_code == 200 and not PortalProposal.objects.exists(), key
    response = _proposal(client, call=calls["open"].pk)
    assert response.status_code == 302
    assert PortalProposal.objects.get().task.call == calls["open"]


def test_the_honeypot_and_the_rate_limit_refuse_robots(client, db):
    response = _proposal(client, website="http://spam.example")
    assert response.status_code == 200 and not PortalProposal.objects.exists()
    for _ in range(4):  # the robot's post counted as one of the five an address may send in an hour
        assert _proposal(client).status_code == 302
    assert _proposal(client).status_code == 429
    assert PortalProposal.objects.count() == 4


def test_an_unknown_tracking_code_says_so(client, db):
    page = client.get(reverse("portal:track"), {"code": "DX-NOPE"}).content.decode()
    assert "No proposal has this tracking code" in page or "Không có đề xuất" in page


# --- Visitor statistics -------------------------------------------------------------------------------


def test_visitors_are_counted_once_a_day_without_storing_who_they_are(client, db):
    from stims.portal.models import DailyVisits
    from stims.portal.visitors import statistics

    for address in ("10.0.0.1", "10.0.0.1", "10.0.0.2"):
        client.get(reverse("portal:catalogues"), REMOTE_ADDR=address)
    stats = statistics()
    assert (stats["today"], stats["week"], stats["total"], stats["online"]) == (2, 2, 2, 2)
    row = DailyVisits.objects.get()
    assert "10.0.0" not in str(row.__dict__)
