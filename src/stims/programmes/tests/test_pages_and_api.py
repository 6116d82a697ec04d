"""The agenda's pages and API: scope (another district's record is a 404), refusals (403), the status
moves on the page and the API, progress shown on a plan's page, lists' query counts, the report export."""

import datetime

import pytest
from django.urls import reverse

from stims.orgs.models import Organization
from stims.programmes.models import (
    Activity,
    ActivityKind,
    DocumentRole,
    DocumentStatus,
    DocumentType,
    LegalDocument,
    Plan,
    ProgressEntry,
    Target,
)

from .conftest import make_plan

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_specialist_records_a_plan_with_a_target_and_sees_its_progress(
    client, specialist, ba_che_committee, ba_che
):
    signed_in(client, specialist)
    response = client.post(
        reverse("programmes:plan_add"),
        {
            "kind": "programme",
            "name": "Chương trình phát triển tài sản trí tuệ tỉnh Quảng Ninh đến năm 2030",
            "decision_number": "1234/QĐ-UBND",
            "decision_date": "15/04/2022",
            "issuer": "UBND tỉnh Quảng Ninh",
            "start_year": 2022,
            "end_year": 2030,
            "owner": ba_che_committee.pk,
            "admin_unit": ba_che.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    plan = Plan.objects.get()
    assert plan.history.first().history_user == specialist
    response = client.post(
        reverse("programmes:target_add") + f"?plan={plan.pk}",
        {"plan": plan.pk, "indicator": "Đơn đăng ký nhãn hiệu", "unit": "đơn", "value": "20", "year": 2023},
    )
    assert response.status_code == 302
    target = Target.objects.get()
    ProgressEntry.objects.create(target=target, reported_on=datetime.date(2023, 12, 1), value=5)
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200
    assert "5 (25 %)" in page.content.decode() and len(page.context["behind"]) == 1
    # A target outside the plan's period is refused with its reason, and nothing is saved.
    late = client.post(
        reverse("programmes:target_add"),
        {"plan": plan.pk, "indicator": "X", "unit": "đơn", "value": "1", "year": 2035},
    )
    assert late.status_code == 200 and late.context["form"].errors["year"] == [
        "The year must lie within the plan's period."
    ]
    assert Target.objects.count() == 1


def test_a_local_officer_reads_their_districts_plan_but_not_anothers_on_pages_and_api(
    client, ba_che_officer, ba_che_plan, binh_lieu_plan
):
    signed_in(client, ba_che_officer)
    assert client.get(ba_che_plan.get_absolute_url()).status_code == 200
    assert client.get(binh_lieu_plan.get_absolute_url()).status_code == 404
    assert client.get(reverse("programmes:plan_edit", args=[ba_che_plan.pk])).status_code == 403
    # Editing is not theirs at all (403), whichever plan; another district's activity is a 404 to edit.
    assert client.get(reverse("api:plan-detail", args=[binh_lieu_plan.pk])).status_code == 404
    listed = client.get(reverse("api:plan-list")).json()
    assert [row["id"] for row in listed["results"]] == [ba_che_plan.pk]
    assert (
        client.patch(
            reverse("api:plan-detail", args=[ba_che_plan.pk]), {"name": "X"}, content_type="application/json"
        ).status_code
        == 403
    )
    # They enter progress on their district's target, not on another's.
    target = ba_che_plan.targets.get()
    other = Target.objects.create(plan=binh_lieu_plan, indicator="Y", unit="%", value=1)
    made = client.post(
        reverse("api:progressentry-list"),
        {"target": target.pk, "reported_on": "2023-12-01", "value": "100"},
        content_type="application/json",
    )
    assert made.status_code == 201
    refused = client.post(
        reverse("api:progressentry-list"),
        {"target": other.pk, "reported_on": "2023-12-01", "value": "100"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and ProgressEntry.objects.count() == 1
    assert client.get(reverse("api:plantarget-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:plantarget-detail", args=[target.pk])).json()["achieved"] == "100.00"


@pytest.fixture
def document(ba_che_committee, ba_che):
    return LegalDocument.objects.create(
        doc_type=DocumentType.RESOLUTION,
        title="Quy định giải thưởng khoa học và công nghệ tỉnh",
        role=DocumentRole.DRAFTED,
        organization=ba_che_committee,
        admin_unit=ba_che,
    )


def test_a_document_moves_on_its_page_and_through_the_api(client, leader, ba_che_officer, document):
    signed_in(client, leader)
    refused = client.post(reverse("programmes:legaldocument_move", args=[document.pk, "issue"]), {})
    assert refused.status_code == 400 and "Give the number and symbol" in refused.content.decode()
    done = client.post(
        reverse("programmes:legaldocument_move", args=[document.pk, "issue"]),
        {"number": "54/2023/NQ-HĐND", "date": "08/12/2023"},
    )
    assert done.status_code == 302
    moved = client.post(
        reverse("api:legaldocument-move", args=[document.pk]),
        {"move": "enter_into_force"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == DocumentStatus.IN_FORCE
    wrong = client.post(
        reverse("api:legaldocument-move", args=[document.pk]),
        {"move": "consult"},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    # The status is not a field a plain update may set.
    client.patch(
        reverse("api:legaldocument-detail", args=[document.pk]),
        {"status": "replaced"},
        content_type="application/json",
    )
    assert LegalDocument.objects.get().status == DocumentStatus.IN_FORCE
    client.logout()
    signed_in(client, ba_che_officer)
    page = client.post(reverse("programmes:legaldocument_move", args=[document.pk, "start_review"]))
    api = client.post(
        reverse("api:legaldocument-move", args=[document.pk]),
        {"move": "start_review"},
        content_type="application/json",
    )
    assert page.status_code == 403 and api.status_code == 403
    assert LegalDocument.objects.get().status == DocumentStatus.IN_FORCE


def test_the_replacing_document_is_found_by_a_search_box_not_listed_whole(
    client, leader, ba_che_officer, document, ba_che_committee, ba_che
):
    """A national deployment holds tens of thousands of documents (issue #20): the "replaced by" choice
    and the document links' and reviews' forms hold only the chosen one, and a search box finds the others
    among those the user may see."""
    newer = LegalDocument.objects.create(
        doc_type=DocumentType.RESOLUTION,
        title="Quy định mới về giải thưởng sáng tạo",
        role=DocumentRole.DRAFTED,
        organization=ba_che_committee,
        admin_unit=ba_che,
    )
    for n in range(5):
        LegalDocument.objects.create(
            doc_type=DocumentType.DECISION,
            title=f"Quyết định số {n}",
            organization=ba_che_committee,
            admin_unit=ba_che,
        )
    signed_in(client, leader)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Quyết định số 3" not in page
    from stims.programmes.forms import DocumentMoveForm

    chosen = DocumentMoveForm({"replaced_by": newer.pk}, user=leader)
    shown = str(chosen["replaced_by"])
    assert "Quy định mới về giải thưởng" in shown and "Quyết định số 3" not in shown
    assert reverse("programmes:legaldocument_options") in shown
    assert chosen.is_valid() and chosen.cleaned_data["replaced_by"] == newer
    for form in ("programmes:documentlink_add", "programmes:documentreview_add"):
        assert "Quyết định số 3" not in client.get(reverse(form)).content.decode()
    found = client.get(reverse("programmes:legaldocument_options"), {"q": "giai thuong sang tao"})
    assert found.status_code == 200
    assert [o.pk for o in found.context["options"]] == [newer.pk]
    assert not client.get(reverse("programmes:legaldocument_options"), {"q": ""}).context["options"]
    signed_in(client, ba_che_officer)  # the officer sees the district's documents only
    elsewhere = unit_elsewhere()
    LegalDocument.objects.create(
        doc_type=DocumentType.DECISION,
        title="Quyết định sáng tạo của huyện khác",
        organization=Organization.objects.create(name="UBND huyện Bình Liêu", admin_unit=elsewhere),
        admin_unit=elsewhere,
    )
    seen = client.get(reverse("programmes:legaldocument_options"), {"q": "sang tao"}).context["options"]
    assert {o.pk for o in seen} == {newer.pk}


def unit_elsewhere():
    from stims.testing import unit

    return unit("Huyện Bình Liêu", legacy=True)


def test_activities_are_counted_by_kind_and_exported(client, leader, ba_che_committee, ba_che):
    for n, (kind, attendees) in enumerate(
        [(ActivityKind.TRAINING, 40), (ActivityKind.TRAINING, 35), (ActivityKind.OUTREACH, 120)]
    ):
        Activity.objects.create(
            kind=kind,
            title=f"Hoạt động {n}",
            held_on=datetime.date(2024, 5, n + 1),
            attendees=attendees,
            organizer=ba_che_committee,
            admin_unit=ba_che,
        )
    signed_in(client, leader)
    page = client.get(reverse("programmes:activity_report"), {"year": 2024})
    assert page.context["total_activities"] == 3 and page.context["total_attendees"] == 195
    csv = client.get(reverse("programmes:activity_report"), {"year": 2024, "_export": "csv"})
    assert csv.status_code == 200 and "75" in csv.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "name",
    [
        "plan_list",
        "legaldocument_list",
        "agreement_list",
        "activity_list",
        "bodymeeting_list",
        "localofficer_list",
    ],
)
def test_list_pages_make_a_fixed_number_of_queries(
    client, leader, ba_che_committee, ba_che, name, django_assert_max_num_queries
):
    for n in range(15):
        make_plan(ba_che_committee, ba_che, name=f"Kế hoạch {n}")
    signed_in(client, leader)
    client.get(reverse(f"programmes:{name}"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse(f"programmes:{name}")).status_code == 200


def test_the_plan_api_list_makes_a_fixed_number_of_queries(
    client, leader, ba_che_committee, ba_che, django_assert_max_num_queries
):
    for n in range(15):
        make_plan(ba_che_committee, ba_che, name=f"Kế hoạch {n}")
    signed_in(client, leader)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:plan-list")).status_code == 200


def test_the_behind_page_lists_a_plan_behind(client, leader, ba_che_plan):
    signed_in(client, leader)
    page = client.get(reverse("programmes:behind"))
    assert list(page.context["object_list"]) == [ba_che_plan]


def test_the_behind_page_pages_the_plans_most_behind_first_and_reads_only_a_pages_plans(
    client, leader, ba_che_committee, ba_che
):
    """53 plans behind (one, two or three targets each; two periods): 50 on the first page, most behind
    first, then the earlier end, then the older plan; the rest on the second, reached by its link. A
    page reads its own 50 plans, not all of them (at national scale all 2,000 plans were behind)."""
    plans = []
    for n in range(53):
        plan = make_plan(ba_che_committee, ba_che, name=f"Kế hoạch {n:02d}", end_year=2025 if n % 2 else 2024)
        for k in range(1 + n % 3):
            Target.objects.create(plan=plan, indicator=f"Chỉ tiêu {k}", unit="%", value=100, year=2023)
        plans.append((-(1 + n % 3), plan.end_year, plan.pk, plan))
    expected = [plan for *_key, plan in sorted(plans, key=lambda row: row[:3])]
    signed_in(client, leader)
    first = client.get(reverse("programmes:behind"))
    assert list(first.context["object_list"]) == expected[:50]
    assert [plan.behind_count for plan in first.context["object_list"][:1]] == [3]
    body = first.content.decode()
    assert "Kế hoạch" in body and 'href="?page=2"' in body
    second = client.get(reverse("programmes:behind"), {"page": 2})
    assert list(second.context["object_list"]) == expected[50:]
    for params, shown in (({}, 50), ({"page": 2}, 3)):
        read = [ids for ids in _plans_read(client, params) if ids]
        assert read == [shown], params  # one query for the page's plans, and only theirs


def _plans_read(client, params) -> list[int]:
    """How many plans each query reading plans by key asked for."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("programmes:behind"), params)
    return [
        len(found.group(1).split(","))
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT")
        and 'FROM "programmes_plan"' in query["sql"]
        and (found := re.search(r'"programmes_plan"\."id" IN \(([^)]*)\)', query["sql"]))
    ]


def test_the_targets_api_list_makes_a_fixed_number_of_queries(
    client, leader, ba_che_plan, django_assert_max_num_queries
):
    for n in range(15):
        Target.objects.create(plan=ba_che_plan, indicator=f"Chỉ tiêu {n}", unit="%", value=10, year=2023)
    signed_in(client, leader)
    with django_assert_max_num_queries(8):
        listed = client.get(reverse("api:plantarget-list"))
    assert listed.status_code == 200 and len(listed.json()["results"]) == 16
