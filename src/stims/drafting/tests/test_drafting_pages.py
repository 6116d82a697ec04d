"""Drafting pages: paste → review (nothing saved) → confirm (all saved in one transaction)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from stims.demo.orgs import load_directory
from stims.drafting import nlp
from stims.meetings.models import Directive, DirectiveState, LocalityRequest, Participant, WorkingSession
from stims.orgs.models import Organization, Person

pytestmark = pytest.mark.django_db
# Proposing a session needs the `nlp` extra (underthesea; `make test` installs it).
needs_nlp = pytest.mark.skipif(not nlp.available(), reason="the nlp extra (underthesea) is not installed")

SEED = (Path(__file__).parents[2] / "demo" / "demo_seeds" / "000_5111004916535261.txt").read_text(
    encoding="utf-8"
)


@pytest.fixture
def directory(db):
    return load_directory()


def management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(total),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def review_post(response) -> dict:
    """What the review page would post back untouched: every field's initial value."""
    data = {}
    context = response.context
    forms_ = [context["session_form"]]
    for key in ("participants", "figures", "requests", "directives"):
        formset = context[key]
        data.update(management(formset.prefix, formset.total_form_count()))
        forms_.extend(formset.forms)
    for form in forms_:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list):
                data[key] = [str(v) for v in value]
            elif value is None:
                data[key] = ""
            elif hasattr(value, "strftime"):
                data[key] = value.strftime("%d/%m/%Y")
            else:
                data[key] = str(value)
    return data


def with_deadlines(data: dict) -> dict:
    """A one-off directive the text gives no date for waits for the reviewer's date."""
    for key, value in list(data.items()):
        if key.endswith("-recurrence") and value == "once":
            deadline = key.replace("-recurrence", "-deadline")
            data[deadline] = data.get(deadline) or "31/05/2023"
    return data


def propose(client):
    return client.post(
        reverse("meetings:draft"), {"text": SEED, "source_url": "https://example.org/dinh-hoa"}
    )


def test_the_paste_page_is_refused_to_roles_that_cannot_add_sessions(
    client_as, viewer, lead_officer, specialist
):
    assert client_as(viewer).get(reverse("meetings:draft")).status_code == 403
    assert client_as(lead_officer).post(reverse("meetings:draft"), {"text": SEED}).status_code == 403
    assert client_as(lead_officer).post(reverse("meetings:draft_confirm"), {}).status_code == 403
    assert client_as(specialist).get(reverse("meetings:draft")).status_code == 200
    assert WorkingSession.objects.count() == 0


@needs_nlp
def test_pasting_proposes_the_session_matched_to_the_directory_and_saves_nothing(
    client_as, specialist, directory
):
    response = propose(client_as(specialist))
    assert response.status_code == 200
    session = response.context["session_form"].initial
    assert session["host_organization"] == directory.orgs["so_tn"].pk
    assert session["admin_unit"] == directory.units["old_h_dinhhoa"].pk
    people = {p["name"]: p for p in response.context["participants"].initial}
    assert people["Phạm Quốc Chính"]["person"] == directory.people["pham_quoc_chinh"].pk
    assert people["Phạm Quốc Chính"]["role"] == "chair"
    leads = [d["lead"] for d in response.context["directives"].initial]
    assert directory.orgs["p_kh_tn"].pk in leads and directory.orgs["ubnd_h_dinhhoa"].pk in leads
    assert WorkingSession.objects.count() == Directive.objects.count() == 0


@needs_nlp
def test_confirming_saves_everything_and_goes_to_the_session(client_as, specialist, directory):
    client = client_as(specialist)
    untouched = review_post(propose(client))
    response = client.post(reverse("meetings:draft_confirm"), untouched)
    assert response.status_code == 200  # "kiện toàn …" is one-off work the text gives no date for
    assert [f.errors["deadline"] for f in response.context["directives"].forms if f.errors]
    response = client.post(reverse("meetings:draft_confirm"), with_deadlines(untouched))
    assert response.status_code == 302
    session = WorkingSession.objects.get()
    assert session.source_text == SEED and session.source_url == "https://example.org/dinh-hoa"
    assert session.chair == directory.people["pham_quoc_chinh"]
    assert session.participants.count() == 4
    directives = Directive.objects.filter(session=session)
    assert directives.count() == 8
    assert {d.state for d in directives} == {DirectiveState.ASSIGNED}
    assert {d.assigned_by for d in directives} == {specialist}
    assert {d.assigned_on for d in directives} == {session.held_on}
    bao_thai = directives.get(lead_organization=directory.orgs["p_kh_tn"])
    assert bao_thai.request is not None and "Bao Thai" in bao_thai.request.text
    assert LocalityRequest.objects.filter(session=session).count() == 3


@needs_nlp
def test_unticked_items_are_left_out_and_corrections_are_kept(client_as, specialist, directory):
    client = client_as(specialist)
    data = with_deadlines(review_post(propose(client)))
    data["directives-0-include"] = ""
    data.pop("directives-0-include")
    data["directives-1-text"] = "Sản phẩm OCOP gắn với nhãn hiệu (sửa)"
    data["participants-1-include"] = ""
    data.pop("participants-1-include")
    client.post(reverse("meetings:draft_confirm"), data)
    session = WorkingSession.objects.get()
    assert session.directives.count() == 7
    assert session.directives.filter(text="Sản phẩm OCOP gắn với nhãn hiệu (sửa)").exists()
    assert not Participant.objects.filter(session=session, person=directory.people["hoang_duc_vy"]).exists()


@needs_nlp
def test_a_rejected_confirm_keeps_what_was_typed_and_saves_nothing(client_as, specialist, directory):
    client = client_as(specialist)
    data = review_post(propose(client))
    data["directives-0-recurrence"] = "once"
    data["directives-0-deadline"] = ""
    data["directives-2-text"] = "Văn bản người dùng đã sửa"
    people_before = Person.objects.count()
    response = client.post(reverse("meetings:draft_confirm"), data)
    assert response.status_code == 200
    assert response.context["directives"].forms[0].errors["deadline"]
    assert "Văn bản người dùng đã sửa" in response.content.decode()
    assert WorkingSession.objects.count() == 0 and Person.objects.count() == people_before


@needs_nlp
def test_a_deadline_before_the_session_is_refused_by_the_commit_and_nothing_is_saved(
    client_as, specialist, directory
):
    client = client_as(specialist)
    data = with_deadlines(review_post(propose(client)))
    data["participants-3-person"] = ""
    data["participants-3-create_person"] = "on"  # a new person would be created…
    data["directives-0-recurrence"] = "once"
    data["directives-0-deadline"] = "01/01/2020"  # …but this deadline is before the session
    people_before, orgs_before = Person.objects.count(), Organization.objects.count()
    response = client.post(reverse("meetings:draft_confirm"), data)
    assert response.status_code == 200 and response.context["commit_errors"]
    assert WorkingSession.objects.count() == 0
    assert (Person.objects.count(), Organization.objects.count()) == (people_before, orgs_before)


@needs_nlp
def test_an_unmatched_lead_must_be_chosen_or_created(client_as, specialist, directory):
    client = client_as(specialist)
    data = with_deadlines(review_post(propose(client)))
    data["directives-0-lead"] = ""
    data.pop("directives-0-create_lead", None)
    response = client.post(reverse("meetings:draft_confirm"), data)
    assert response.context["directives"].forms[0].errors["lead"]
    data["directives-0-create_lead"] = "on"
    data["directives-0-lead_name"] = "Tổ công tác OCOP huyện Định Hóa"
    assert client.post(reverse("meetings:draft_confirm"), data).status_code == 302
    created = Organization.objects.get(name="Tổ công tác OCOP huyện Định Hóa")
    assert Directive.objects.filter(lead_organization=created).count() == 1


@needs_nlp
def test_the_paste_form_overrides_host_and_date(client_as, specialist, directory):
    response = client_as(specialist).post(
        reverse("meetings:draft"),
        {"text": SEED, "host_organization": directory.orgs["p_kh_tn"].pk, "held_on": "28/04/2023"},
    )
    initial = response.context["session_form"].initial
    assert initial["host_organization"] == directory.orgs["p_kh_tn"].pk
    assert initial["held_on"].isoformat() == "2023-04-28"


def test_an_empty_paste_is_refused_with_the_form_again(client_as, specialist):
    response = client_as(specialist).post(reverse("meetings:draft"), {"text": ""})
    assert response.status_code == 200 and response.context["form"].errors["text"]


def test_without_the_nlp_extra_the_page_says_so_and_proposes_nothing(
    client, client_as, specialist, monkeypatch
):
    monkeypatch.setattr(nlp, "available", lambda: False)
    english = client_as(specialist)
    page = english.get(reverse("meetings:draft"))
    assert page.status_code == 200
    assert "The text-analysis extra is not installed" in page.content.decode()
    posted = english.post(reverse("meetings:draft"), {"text": SEED})
    assert posted.status_code == 200 and "session_form" not in posted.context
    assert "The text-analysis extra is not installed" in posted.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert (
        "Chưa cài đặt phần bổ sung phân tích văn bản"
        in client.get(reverse("meetings:draft")).content.decode()
    )
    assert WorkingSession.objects.count() == 0


def test_with_the_nlp_extra_the_page_does_not_warn(client_as, specialist, monkeypatch):
    monkeypatch.setattr(nlp, "available", lambda: True)
    assert b"nlp-missing" not in client_as(specialist).get(reverse("meetings:draft")).content


@pytest.mark.parametrize(("role", "assigns"), [("specialist", True), ("local_officer", False)])
def test_a_committed_directive_is_assigned_by_the_user_only_if_on_the_department_staff(
    role, assigns, agriculture_office, dinh_hoa
):
    """Issue #12, finding 5: a directive's assigner is one of the department staff, on every path."""
    import datetime

    from stims.drafting.commit import commit_draft
    from stims.drafting.draft import DirectiveDraft, SessionDraft
    from stims.orgs.models import OrganizationKind
    from stims.testing import make_user

    user = make_user(role, admin_unit=dinh_hoa if role == "local_officer" else None)
    host = Organization.objects.create(
        name="Sở Khoa học và Công nghệ", kind=OrganizationKind.DEPARTMENT, admin_unit=dinh_hoa.province
    )
    draft = SessionDraft(
        title="Làm việc với UBND huyện Định Hóa",
        held_on=datetime.date(2026, 3, 10),
        host=host,
        admin_unit=dinh_hoa,
        directives=[DirectiveDraft(text="Phục tráng giống lúa Bao Thai", lead=agriculture_office)],
    )
    session = commit_draft(draft, user)
    assert session.directives.get().assigned_by == (user if assigns else None)


SEED_001 = (Path(__file__).parents[2] / "demo" / "demo_seeds" / "001_9896f2a58990e926.txt").read_text(
    encoding="utf-8"
)


def session_post(forms_of: dict) -> dict:
    """What one session's section of the review page posts back untouched."""

    class Context(dict):
        context = None

    response = Context()
    response.context = forms_of
    return review_post(response)


@needs_nlp
def test_an_article_about_two_sessions_is_reviewed_and_saved_as_two(client_as, specialist, directory):
    client = client_as(specialist)
    response = client.post(reverse("meetings:draft"), {"text": SEED_001})
    assert response.status_code == 200 and response.context["session_count"] == 2
    binh_lieu, ba_che = response.context["sessions"]
    assert binh_lieu["session_form"].initial["admin_unit"] == directory.units["old_h_binhlieu"].pk
    assert ba_che["session_form"].initial["admin_unit"] == directory.units["old_h_bache"].pk
    assert ba_che["session_form"].prefix == "s1-session" and ba_che["directives"].prefix == "s1-directives"
    assert b"Session 2 of 2" in response.content or b"2/2" in response.content

    data = {"session_count": "2"}
    for forms_of in (binh_lieu, ba_che):
        part = session_post(forms_of)
        # A task with no unit in the directory, or one-off work without a date, is left out here.
        for key in [k for k in part if k.endswith("-include") and "directives" in k]:
            row = key.removesuffix("-include")
            if not part.get(f"{row}-lead") or part.get(f"{row}-recurrence") == "once":
                part.pop(key)
        data |= part
        data[f"{forms_of['create_form'].prefix}-create"] = "on"
    # A mistake in one session saves neither, and the page comes back with both and what was typed.
    broken = {**data, "s1-session-title": ""}
    response = client.post(reverse("meetings:draft_confirm"), broken)
    assert response.status_code == 200 and WorkingSession.objects.count() == 0
    assert response.context["session_count"] == 2
    assert response.context["sessions"][1]["session_form"].errors["title"]
    # Unticking the second session saves only the first; ticking both saves both, in one go.
    only_first = {k: v for k, v in data.items() if k != "s1-create-create"}
    response = client.post(reverse("meetings:draft_confirm"), only_first)
    assert response.status_code == 302
    assert list(WorkingSession.objects.values_list("admin_unit", flat=True)) == [
        directory.units["old_h_binhlieu"].pk
    ]
    first = WorkingSession.objects.get()
    response = client.post(reverse("meetings:draft_confirm"), data)
    assert response.status_code == 302
    saved = {s.admin_unit_id: s for s in WorkingSession.objects.exclude(pk=first.pk)}
    assert set(saved) == {directory.units["old_h_binhlieu"].pk, directory.units["old_h_bache"].pk}
    figures = {
        unit: sorted(int(v) for v in s.figures.values_list("value", flat=True) if v in (27, 11, 13, 8, 5))
        for unit, s in saved.items()
    }
    assert figures[directory.units["old_h_binhlieu"].pk] == [11, 27]
    assert figures[directory.units["old_h_bache"].pk] == [5, 8, 13]


def test_a_sentence_given_to_several_units_is_committed_as_the_parts_of_one_group(
    agriculture_office, dinh_hoa
):
    """Issue #22: the rows `from_proposal` copies from one sentence, one per lead unit, form one group."""
    import datetime

    from stims.drafting.commit import commit_draft
    from stims.drafting.draft import DirectiveDraft, SessionDraft
    from stims.meetings.models import DirectiveGroup
    from stims.orgs.models import OrganizationKind
    from stims.testing import make_user

    host = Organization.objects.create(
        name="Sở Khoa học và Công nghệ", kind=OrganizationKind.DEPARTMENT, admin_unit=dinh_hoa.province
    )
    other = Organization.objects.create(name="Phòng Văn hóa huyện Định Hóa", admin_unit=dinh_hoa)
    sentence = "Tuyên truyền kết quả phục tráng giống lúa Bao Thai"
    draft = SessionDraft(
        title="Làm việc với UBND huyện Định Hóa",
        held_on=datetime.date(2026, 3, 10),
        host=host,
        admin_unit=dinh_hoa,
        directives=[
            DirectiveDraft(text=sentence, lead=agriculture_office),
            DirectiveDraft(text=sentence, lead=other),
            DirectiveDraft(text="Phục tráng giống lúa Bao Thai", lead=agriculture_office),
        ],
    )
    session = commit_draft(draft, make_user("specialist"))
    group = DirectiveGroup.objects.get()
    assert set(group.parts.values_list("lead_organization", flat=True)) == {agriculture_office.pk, other.pk}
    assert session.directives.count() == 3 and session.directives.filter(group=None).count() == 1
