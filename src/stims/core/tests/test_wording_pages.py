"""The wrong senses and raw codes the review of issue 13 found, on the pages themselves (Vietnamese,
the default language)."""

import datetime
import re

import pytest
from django.urls import reverse

from stims.accounts.models import Role
from stims.meetings.models import ParticipantRole, SessionStatus, WorkingSession
from stims.orgs.models import Organization, OrganizationKind, Person
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def leader(client):
    user = make_user("leader")
    client.force_login(user)
    return user


def test_a_yes_no_filter_offers_all_yes_and_no_and_filters(client, leader):
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    Organization.objects.create(name="HTX Chè Ba Chẽ", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che)
    Organization.objects.create(
        name="HTX Quế Ba Chẽ", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che, is_active=False
    )
    url = reverse("orgs:organization_list")
    html = client.get(url).content.decode()
    select = re.search(r'<select name="is_active".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["Tất cả", "Có", "Không"]
    assert "Chưa xác định" not in html
    names = [str(o) for o in client.get(url, {"is_active": "false", "q": "htx"}).context["table"].data]
    assert names == ["HTX Quế Ba Chẽ"]
    assert len(client.get(url, {"is_active": "unknown", "q": "htx"}).context["table"].data) == 2


def test_counts_are_grouped_by_thousands(client, leader):
    text = text_of(client.get(reverse("geo:adminunit_list")))
    count = re.search(r"(\S+) bản ghi", text).group(1)
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+", count), count  # e.g. 14.149, never 14149


def test_the_workflow_page_names_roles_and_shows_no_state_code(client, leader):
    text = text_of(client.get(reverse("sttasks:workflow")))
    assert str(Role.LEADER.label) == "Lãnh đạo Sở" and "Lãnh đạo Sở, Chuyên viên phòng" in text
    assert not re.search(r"\b(leader|specialist|local_officer|proposed)\b", text)
    assert "Từ trạng thái" in text and "Sang trạng thái" in text and "Từ ngày" not in text


def test_a_session_page_says_title_place_and_chair_in_the_departments_words(client, leader):
    department = Organization.objects.create(
        name="Sở KH&CN Quảng Ninh", kind=OrganizationKind.DEPARTMENT, admin_unit=unit("Tỉnh Quảng Ninh")
    )
    chair = Person.objects.create(full_name="Nguyễn Văn Hùng", admin_unit=unit("Tỉnh Quảng Ninh"))
    session = WorkingSession.objects.create(
        title="Làm việc với huyện Ba Chẽ",
        held_on=datetime.date(2026, 3, 2),
        host_organization=department,
        place="Hội trường UBND huyện",
        chair=chair,
        status=SessionStatus.PLANNED,
    )
    session.participants.create(person=chair, role=ParticipantRole.CHAIR)
    text = text_of(client.get(session.get_absolute_url()))
    assert "Địa điểm Hội trường UBND huyện" in text and "Nơi ứng dụng" not in text
    assert "Dự kiến" in text and "Cơ quan chủ trì" in text
    assert "Chủ trì" in text and "Chủ tịch" not in text
    edit = client.get(reverse("meetings:workingsession_edit", args=[session.pk])).content.decode()
    assert re.search(r'<label[^>]*for="id_title"[^>]*>\s*Tiêu đề', edit), "the session's title, not 'Chức vụ'"


def test_the_work_calendar_names_the_week_as_people_write_it(client, leader):
    text = text_of(client.get(reverse("meetings:work_calendar"), {"week": "2026-W49"}))
    assert "tuần 49/2026, 30/11/2026 – 06/12/2026" in text and "2026-W49" not in text
