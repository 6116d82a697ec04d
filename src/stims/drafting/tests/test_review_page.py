"""The review page after issue 14: sentences shown, directory matches proposed (nothing created by
default), missed items added, requests' addressees kept as written, new people filed by their side."""

import datetime

import pytest
from django.urls import reverse

from stims.demo.orgs import load_directory
from stims.drafting import nlp
from stims.drafting.commit import commit_draft
from stims.drafting.draft import DirectiveDraft, ParticipantDraft, RequestDraft, SessionDraft
from stims.meetings.models import LocalityRequest, WorkingSession
from stims.orgs.models import Organization, Person

from .test_drafting_pages import review_post
from .test_drafting_pages import with_deadlines as with_one_off_deadlines

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not nlp.available(), reason="the nlp extra (underthesea) is not installed"),
]

NOTICE = """UBND TỈNH THÁI NGUYÊN
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 45/TB-SKHCN
Thái Nguyên, ngày 05 tháng 5 năm 2023

THÔNG BÁO
Kết luận của Giám đốc Sở tại buổi làm việc với UBND huyện Định Hóa

Ngày 27 tháng 4 năm 2023, tại trụ sở UBND huyện Định Hóa, đồng chí Phạm Quốc Chính, Giám đốc Sở Khoa học và Công nghệ chủ trì buổi làm việc với UBND huyện Định Hóa. Dự có đồng chí Bàn Văn Tài, Chuyên viên Văn phòng HĐND và UBND huyện.

Huyện Định Hóa đề nghị Hội Nông dân tỉnh hỗ trợ tập huấn kỹ thuật trồng chè cho các hộ.

Giám đốc Sở kết luận như sau:
1. Giao Phòng Khoa học hỗ trợ huyện phục tráng giống lúa Bao Thai, hoàn thành trong quý III/2023.
2. Sở Khoa học và Công nghệ chủ trì rà soát các nhiệm vụ khoa học cấp huyện hằng năm.

Nơi nhận:
- UBND huyện Định Hóa;
- Lưu: VT.
GIÁM ĐỐC
Phạm Quốc Chính
"""


def with_deadlines(data: dict) -> dict:
    """The reviewer dates what the text leaves undated (a one-off task, the day of a yearly one)."""
    data = with_one_off_deadlines(data)
    for key, value in list(data.items()):
        if key.endswith("-recurrence") and value == "annually":
            deadline = key.replace("-recurrence", "-deadline")
            data[deadline] = data.get(deadline) or "31/12/2023"
    return data


@pytest.fixture
def directory(db):
    return load_directory()


@pytest.fixture
def review(client_as, specialist, directory):
    client = client_as(specialist)
    response = client.post(reverse("meetings:draft"), {"text": NOTICE})
    assert response.status_code == 200
    return client, response


def test_each_proposal_shows_the_sentence_it_came_from_with_the_words_marked(review):
    _, response = review
    page = response.content.decode()
    assert "<mark>Phòng Khoa học</mark>" not in page  # the lead is not the marked part…
    assert "<mark>hỗ trợ huyện phục tráng giống lúa Bao Thai" in page  # …the task is
    assert "<mark>Bàn Văn Tài</mark>, Chuyên viên Văn phòng HĐND và UBND huyện" in page
    assert page.count('data-testid="source-sentence"') >= 4


def test_nothing_is_created_by_default_and_the_department_is_matched(review, directory):
    _, response = review
    directives = response.context["directives"].initial
    assert all(d["create_lead"] is False for d in directives)
    assert {d["lead"] for d in directives} == {directory.orgs["p_kh_tn"].pk, directory.orgs["so_tn"].pk}
    assert all(p["create_person"] is False for p in response.context["participants"].initial)
    page = response.content.decode()
    assert (
        'name="directives-0-create_lead" class="form-check-input" id="id_directives-0-create_lead" checked'
        not in page
    )


def test_asking_to_create_an_existing_unit_uses_the_one_in_the_directory(review, directory):
    client, response = review
    data = with_deadlines(review_post(response))
    data["participants-1-create_person"] = "on"  # Bàn Văn Tài is not in the directory
    data["directives-1-lead"] = ""
    data["directives-1-create_lead"] = "on"
    data["directives-1-lead_name"] = "Sở Khoa học và Công nghệ tỉnh Thái Nguyên"
    departments = Organization.objects.filter(name="Sở Khoa học và Công nghệ tỉnh Thái Nguyên").count()
    assert client.post(reverse("meetings:draft_confirm"), data).status_code == 302
    session = WorkingSession.objects.get()
    assert (
        Organization.objects.filter(name="Sở Khoa học và Công nghệ tỉnh Thái Nguyên").count() == departments
    )
    assert session.directives.filter(lead_organization=directory.orgs["so_tn"]).count() == 1


def test_a_request_addressed_to_a_unit_outside_the_directory_keeps_its_name(review, directory):
    client, response = review
    requests = response.context["requests"].initial
    assert requests[0]["addressed_to"] is None
    assert requests[0]["addressed_to_name"] == "Hội Nông dân tỉnh"
    data = with_deadlines(review_post(response))
    data["participants-1-create_person"] = "on"
    assert client.post(reverse("meetings:draft_confirm"), data).status_code == 302
    saved = LocalityRequest.objects.get()
    assert (saved.addressed_to, saved.addressed_to_name) == (None, "Hội Nông dân tỉnh")
    page = client.get(WorkingSession.objects.get().get_absolute_url()).content.decode()
    assert "Hội Nông dân tỉnh" in page


def test_a_missed_directive_added_on_the_review_page_is_saved(review, directory):
    client, response = review
    data = with_deadlines(review_post(response))
    data["participants-1-create_person"] = "on"
    total = int(data["directives-TOTAL_FORMS"])
    data["directives-TOTAL_FORMS"] = str(total + 2)  # one filled row, one left blank
    data[f"directives-{total}-include"] = "on"
    data[f"directives-{total}-text"] = "Kiện toàn Hội đồng khoa học và công nghệ cấp huyện"
    data[f"directives-{total}-lead"] = str(directory.orgs["ubnd_h_dinhhoa"].pk)
    data[f"directives-{total}-recurrence"] = "once"
    data[f"directives-{total}-deadline"] = "30/06/2023"
    data[f"directives-{total + 1}-include"] = "on"
    data[f"directives-{total + 1}-recurrence"] = "regularly"
    assert client.post(reverse("meetings:draft_confirm"), data).status_code == 302
    added = WorkingSession.objects.get().directives.get(text__startswith="Kiện toàn Hội đồng")
    assert added.lead_organization == directory.orgs["ubnd_h_dinhhoa"]
    assert added.deadline == datetime.date(2023, 6, 30)
    assert WorkingSession.objects.get().directives.count() == total + 1


def test_a_new_person_with_no_organization_is_filed_by_side_not_under_the_commune(directory):
    from stims.testing import make_user

    commune = directory.units["old_h_dinhhoa"]
    host = directory.orgs["so_tn"]
    draft = SessionDraft(
        title="Làm việc với UBND huyện Định Hóa",
        held_on=datetime.date(2023, 4, 27),
        host=host,
        admin_unit=commune,
        participants=[
            ParticipantDraft(name="Tạ Văn Mới", position="Chuyên viên", create_person=True, side="host"),
            ParticipantDraft(name="Lò Thị Xã", position="Công chức xã", create_person=True, side="locality"),
        ],
        requests=[RequestDraft(text="Hỗ trợ giống chè", addressed_to_name="Hội Nông dân tỉnh")],
        directives=[DirectiveDraft(text="Hỗ trợ giống lúa Bao Thai", lead=directory.orgs["p_kh_tn"])],
    )
    commit_draft(draft, make_user("specialist"))
    assert Person.objects.get(full_name="Tạ Văn Mới").admin_unit == host.admin_unit
    assert Person.objects.get(full_name="Lò Thị Xã").admin_unit == commune
