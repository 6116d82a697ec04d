"""Funding in the browser: the task's money edited from its page, the budget by year, the allocations
to localities with their spendings; scope, refusals and constant query counts."""

import csv
import io

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from stims.core.tests.versions import versioned
from stims.funding.models import (
    AllocationSpending,
    BudgetLine,
    Disbursement,
    FundingSource,
    Settlement,
    Tranche,
)
from stims.funding.panels import budget_context
from stims.sttasks.models import Level
from stims.testing import make_user

from .conftest import D, M, allocate, pay, plan, planned_state_550, tranche

pytestmark = pytest.mark.django_db


def body(response):
    return response.content.decode()


def task_url(task):
    return reverse("sttasks:task_detail", args=[task.pk])


# ---- a task's money, from the task page


def test_a_budget_line_typed_with_dots_is_saved_to_the_exact_dong(client, specialist, ba_che_task):
    page = client.get(reverse("funding:budgetline_add"), {"task": ba_che_task.pk})
    assert page.status_code == 200 and page.context["parent"] == ba_che_task
    data = {
        "task": ba_che_task.pk,
        "year": "2025",
        "source": FundingSource.STATE_LUMP_SUM,
        "amount": "550.000.000",
    }
    response = client.post(reverse("funding:budgetline_add") + f"?task={ba_che_task.pk}", data)
    assert response.status_code == 302 and response["Location"] == task_url(ba_che_task)
    assert BudgetLine.objects.get().amount == 550_000_000
    data["amount"], data["year"] = "550000001", "2026"
    assert client.post(reverse("funding:budgetline_add"), data).status_code == 302
    assert sorted(BudgetLine.objects.values_list("amount", flat=True)) == [550_000_000, 550_000_001]


def test_a_negative_or_decimal_amount_is_refused_on_the_form_and_nothing_is_saved(
    client, specialist, english, ba_che_task
):
    data = {"task": ba_che_task.pk, "year": "2025", "source": FundingSource.STATE_LUMP_SUM}
    negative = client.post(reverse("funding:budgetline_add"), {**data, "amount": "-550.000.000"})
    assert (
        negative.status_code == 200
        and "An amount cannot be negative." in negative.context["form"].errors["amount"]
    )
    decimal = client.post(reverse("funding:budgetline_add"), {**data, "amount": "550000,5"})
    assert "without decimals" in decimal.context["form"].errors["amount"][0]
    assert not BudgetLine.objects.exists()


def test_an_over_disbursement_on_the_page_is_refused_with_the_amounts_and_nothing_is_saved(
    client, specialist, english, ba_che_task
):
    planned_state_550(ba_che_task)
    first = tranche(ba_che_task, 1, 550 * M, D(2024, 3, 1))
    pay(ba_che_task, 500 * M, D(2024, 3, 10), first)
    data = {"task": ba_che_task.pk, "tranche": first.pk, "paid_on": "15/09/2024", "amount": "50.000.001"}
    response = client.post(reverse("funding:disbursement_add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "Disbursing 50.000.001 ₫ would bring the amount disbursed to 550.000.001 ₫, more than the 550.000.000 ₫ "
        "of state budget planned for this task."
    ]
    assert "550.000.001 ₫" in body(response)
    assert list(Disbursement.objects.values_list("amount", flat=True)) == [500 * M]
    data["amount"] = "50.000.000"
    assert client.post(reverse("funding:disbursement_add"), data).status_code == 302
    assert sum(Disbursement.objects.values_list("amount", flat=True)) == 550 * M


def test_tranches_beyond_the_plan_and_unbalanced_settlements_are_refused_on_the_page(
    client, specialist, english, ba_che_task
):
    planned_state_550(ba_che_task)
    over = client.post(
        reverse("funding:tranche_add"), {"task": ba_che_task.pk, "number": "1", "amount": "550.000.001"}
    )
    assert "more than the 550.000.000 ₫" in over.context["form"].errors["amount"][0]
    assert not Tranche.objects.exists()
    pay(ba_che_task, 550 * M, D(2024, 3, 10))
    data = {
        "task": ba_che_task.pk,
        "settled_on": "05/01/2026",
        "settled_amount": "500.000.000",
        "returned_amount": "40.000.000",
    }
    unbalanced = client.post(reverse("funding:settlement_add"), data)
    assert (
        unbalanced.status_code == 200 and "540.000.000 ₫" in unbalanced.context["form"].non_field_errors()[0]
    )
    assert not Settlement.objects.exists()
    data["returned_amount"] = "50.000.000"
    assert client.post(reverse("funding:settlement_add"), data).status_code == 302
    assert Settlement.objects.get().returned_amount == 50 * M


def test_a_budget_line_the_disbursements_rest_on_cannot_be_deleted(client, ba_che_task):
    client.force_login(make_user("leader"))  # specialists may not delete at all
    planned_state_550(ba_che_task)
    pay(ba_che_task, 400 * M, D(2024, 3, 10))
    line = BudgetLine.objects.get(year=2025)
    response = client.post(reverse("funding:budgetline_delete", args=[line.pk]))
    assert response.status_code == 302 and response["Location"] == task_url(ba_che_task)
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    counterpart = BudgetLine.objects.get(source=FundingSource.COUNTERPART)
    assert client.post(reverse("funding:budgetline_delete", args=[counterpart.pk])).status_code == 302
    assert not BudgetLine.objects.filter(pk=counterpart.pk).exists()


def test_a_budget_line_stays_on_its_task_when_edited(client, specialist, ba_che_task, binh_lieu_task):
    line = plan(ba_che_task, 2024, FundingSource.OTHER, 10 * M)
    data = {"task": binh_lieu_task.pk, "year": "2024", "source": FundingSource.OTHER, "amount": "12.000.000"}
    assert (
        client.post(reverse("funding:budgetline_edit", args=[line.pk]), versioned(line, data)).status_code
        == 302
    )
    line.refresh_from_db()
    assert (line.task, line.amount) == (ba_che_task, 12 * M)


def test_the_add_page_needs_a_task_the_user_may_see(client, specialist, ba_che_task):
    assert client.get(reverse("funding:budgetline_add")).status_code == 404
    assert client.get(reverse("funding:budgetline_add"), {"task": 999_999}).status_code == 404


def test_a_scoped_specialist_cannot_plan_the_budget_of_another_districts_task(
    client, ba_che, ba_che_task, binh_lieu_task
):
    client.force_login(make_user("specialist", admin_unit=ba_che))
    assert client.get(reverse("funding:budgetline_add"), {"task": binh_lieu_task.pk}).status_code == 404
    data = {"task": binh_lieu_task.pk, "year": "2025", "source": FundingSource.OTHER, "amount": "1.000"}
    assert client.post(reverse("funding:budgetline_add"), data).status_code == 200
    assert not BudgetLine.objects.exists()
    data["task"] = ba_che_task.pk
    assert client.post(reverse("funding:budgetline_add"), data).status_code == 302
    assert BudgetLine.objects.get().task == ba_che_task


def test_a_local_officer_reads_the_budget_of_their_task_but_cannot_plan_it(
    client, ba_che_officer, ba_che_task, binh_lieu_task
):
    line = plan(ba_che_task, 2024, FundingSource.STATE_LUMP_SUM, 10 * M)
    other = plan(binh_lieu_task, 2024, FundingSource.STATE_LUMP_SUM, 10 * M)
    assert client.get(reverse("funding:budgetline_detail", args=[line.pk])).status_code == 200
    assert client.get(reverse("funding:budgetline_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("funding:budgetline_add"), {"task": ba_che_task.pk}).status_code == 403
    data = {"task": ba_che_task.pk, "year": "2025", "source": FundingSource.OTHER, "amount": "1.000"}
    assert client.post(reverse("funding:budgetline_add"), data).status_code == 403
    assert (
        client.post(reverse("funding:budgetline_edit", args=[line.pk]), {**data, "year": "2024"}).status_code
        == 403
    )
    assert client.post(reverse("funding:budgetline_delete", args=[line.pk])).status_code == 403
    assert (
        client.post(
            reverse("funding:disbursement_add"),
            {"task": ba_che_task.pk, "paid_on": "01/01/2024", "amount": "1"},
        ).status_code
        == 403
    )
    assert list(BudgetLine.objects.values_list("amount", flat=True)) == [10 * M, 10 * M]
    assert not Disbursement.objects.exists()


def test_a_viewer_reads_but_changes_nothing(client, viewer, ba_che, ba_che_task):
    line = plan(ba_che_task, 2024, FundingSource.STATE_LUMP_SUM, 10 * M)
    allocation = allocate(2025, 550 * M, unit=ba_che)
    assert client.get(reverse("funding:budgetline_detail", args=[line.pk])).status_code == 200
    assert client.get(reverse("funding:budget_by_year")).status_code == 200
    assert client.get(reverse("funding:allocation_list")).status_code == 200
    page = client.get(reverse("funding:allocation_detail", args=[allocation.pk]))
    assert page.status_code == 200 and not page.context["can_add_spending"]
    assert client.get(reverse("funding:budgetline_edit", args=[line.pk])).status_code == 403
    assert client.get(reverse("funding:tranche_add"), {"task": ba_che_task.pk}).status_code == 403
    assert client.get(reverse("funding:allocation_add")).status_code == 403
    spending = {"allocation": allocation.pk, "spent_on": "01/03/2025", "amount": "1.000", "purpose": "x"}
    assert client.post(reverse("funding:allocationspending_add"), spending).status_code == 403
    assert not AllocationSpending.objects.exists()


# ---- the Budget panel of the task page


def panel_html(user, task):
    request = RequestFactory().get(task_url(task))
    request.user = user
    data = budget_context(request, task)
    return data, render_to_string(
        "funding/_budget_panel.html", {"data": data, "task": task, "user": user}, request=request
    )


def test_the_budget_panel_shows_plan_tranches_disbursements_and_settlement(ba_che_task):
    planned_state_550(ba_che_task)
    first = tranche(ba_che_task, 1, 550 * M, D(2024, 3, 1))
    pay(ba_che_task, 550 * M, D(2024, 3, 10), first)
    Settlement.objects.create(
        task=ba_che_task, settled_on=D(2026, 1, 5), settled_amount=550 * M, decision_number="QĐ 12"
    )
    data, html = panel_html(make_user("specialist"), ba_che_task)
    assert "650.000.000 ₫" in html and "10/03/2024" in html and "QĐ 12" in html
    assert reverse("funding:tranche_edit", args=[first.pk]) in html
    assert reverse("funding:budgetline_add") + f"?task={ba_che_task.pk}" in html
    assert reverse("funding:disbursement_add") not in html  # settled: no more payments
    assert data["budget"].remaining == 0


def test_the_budget_panel_offers_no_links_to_readers_and_nothing_to_council_members(ba_che, ba_che_task):
    planned_state_550(ba_che_task)
    _data, html = panel_html(make_user("local_officer", admin_unit=ba_che), ba_che_task)
    assert "300.000.000 ₫" in html
    assert "/funding/" not in html  # no add or edit link
    data, html = panel_html(make_user("council_member"), ba_che_task)
    assert data == {"visible": False} and "300.000.000" not in html


def test_the_budget_panel_runs_a_fixed_number_of_queries(ba_che_task, django_assert_num_queries):
    user = make_user("specialist", admin_unit=ba_che_task.ordering_unit)
    planned_state_550(ba_che_task)
    panel_html(user, ba_che_task)  # the user's grants are read once per request
    with django_assert_num_queries(4):
        panel_html(user, ba_che_task)
    for number in range(1, 11):
        t = tranche(ba_che_task, number, 10 * M, D(2024, 1, number))
        pay(ba_che_task, 5 * M, D(2024, 2, number), t)
        pay(ba_che_task, 1, D(2024, 3, number))
    with django_assert_num_queries(4):
        _data, html = panel_html(user, ba_che_task)
    assert html.count('data-testid="disbursement"') == 20


# ---- budget by year


def test_the_budget_by_year_page_filters_by_years_level_and_programme_and_exports(
    client, specialist, make_task, ba_che, programme
):
    a = make_task("A", ordering_unit=ba_che, programme=programme)
    b = make_task("B", ordering_unit=ba_che, level=Level.GRASSROOTS)
    planned_state_550(a)
    tranche(a, 1, 300 * M, D(2024, 3, 1))
    pay(a, 300 * M, D(2024, 4, 1))
    plan(b, 2025, FundingSource.STATE_LUMP_SUM, 80 * M)
    url = reverse("funding:budget_by_year")
    page = client.get(url)
    assert [(r.year, r.planned) for r in page.context["rows"]] == [(2024, 400 * M), (2025, 330 * M)]
    assert "730.000.000 ₫" in body(page)  # the total
    page = client.get(url, {"year_from": "2023", "year_to": "2025", "programme": programme.pk})
    assert [(r.year, r.planned, r.allocated, r.disbursed) for r in page.context["rows"]] == [
        (2023, 0, 0, 0),
        (2024, 400 * M, 300 * M, 300 * M),
        (2025, 250 * M, 0, 0),
    ]
    page = client.get(url, {"year_from": "2025", "level": Level.GRASSROOTS})
    assert [(r.year, r.planned_state) for r in page.context["rows"]] == [(2025, 80 * M)]
    refused = client.get(url, {"year_from": "2026", "year_to": "2024"})
    assert refused.context["rows"] == [] and refused.context["form"].errors

    exported = client.get(url, {"year_from": "2024", "year_to": "2025", "_export": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1:] == [
        ["2024", str(400 * M), str(300 * M), str(300 * M), str(300 * M)],
        ["2025", str(330 * M), str(330 * M), "0", "0"],
        [rows[3][0], str(730 * M), str(630 * M), str(300 * M), str(300 * M)],
    ]
    xlsx = client.get(url, {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_budget_by_year_page_counts_only_the_tasks_a_local_officer_may_see(
    client, ba_che_officer, ba_che_task, binh_lieu_task
):
    plan(ba_che_task, 2024, FundingSource.STATE_LUMP_SUM, 10 * M)
    plan(binh_lieu_task, 2024, FundingSource.STATE_LUMP_SUM, 20 * M)
    page = client.get(reverse("funding:budget_by_year"))
    assert [(r.year, r.planned) for r in page.context["rows"]] == [(2024, 10 * M)]


def test_council_members_may_not_open_the_budget_by_year(client):
    client.force_login(make_user("council_member"))
    assert client.get(reverse("funding:budget_by_year")).status_code == 403


def test_the_budget_by_year_page_runs_a_fixed_number_of_queries(
    client, specialist, make_task, ba_che, django_assert_max_num_queries, django_assert_num_queries
):
    url = reverse("funding:budget_by_year")
    first = make_task("T0", ordering_unit=ba_che)
    planned_state_550(first)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year_from": "2000", "year_to": "2030"})
    for index in range(1, 8):
        task = make_task(f"T{index}", ordering_unit=ba_che, year=2020 + index)
        plan(task, 2020 + index, FundingSource.STATE_LUMP_SUM, index * M)
        tranche(task, 1, index * M, D(2020 + index, 5, 1))
        pay(task, index * M, D(2020 + index, 6, 1))
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url, {"year_from": "2000", "year_to": "2030"})
    assert len(page.context["rows"]) == 31


# ---- allocations to localities


def test_a_local_officer_sees_only_their_localitys_allocations(client, ba_che_officer, ba_che, binh_lieu):
    own = allocate(2025, 550 * M, unit=ba_che)
    other = allocate(2025, 300 * M, unit=binh_lieu)
    page = client.get(reverse("funding:allocation_list"))
    assert [a.pk for a in page.context["table"].data] == [own.pk]
    assert [(r.recipient, r.allocated) for r in page.context["by_year"]] == [("Huyện Ba Chẽ", 550 * M)]
    assert client.get(reverse("funding:allocation_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("funding:allocation_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("funding:allocation_add")).status_code == 403
    assert (
        client.post(
            reverse("funding:allocation_edit", args=[own.pk]), {"year": "2025", "amount": "1", "purpose": "x"}
        ).status_code
        == 403
    )


def test_a_local_officer_adds_spendings_to_their_own_allocation_only(
    client, ba_che_officer, english, ba_che, binh_lieu
):
    own = allocate(2025, 550 * M, unit=ba_che)
    other = allocate(2025, 300 * M, unit=binh_lieu)
    detail = client.get(reverse("funding:allocation_detail", args=[own.pk]))
    assert detail.context["can_add_spending"]
    add = reverse("funding:allocationspending_add")
    spending = {
        "allocation": own.pk,
        "spent_on": "01/03/2025",
        "amount": "500.000.000",
        "purpose": "Mô hình trồng ba kích",
    }
    response = client.post(add + f"?allocation={own.pk}", spending)
    assert response.status_code == 302 and response["Location"] == reverse(
        "funding:allocation_detail", args=[own.pk]
    )
    assert AllocationSpending.objects.get().amount == 500 * M

    over = client.post(add, {**spending, "amount": "50.000.001"})
    assert over.status_code == 200
    assert over.context["form"].errors["amount"] == [
        "Spending 50.000.001 ₫ would bring the spending of this allocation to 550.000.001 ₫, more than the 550.000.000 ₫ allocated."
    ]
    assert client.get(add, {"allocation": other.pk}).status_code == 404
    assert client.post(add, {**spending, "allocation": other.pk, "amount": "1.000"}).status_code == 200
    assert AllocationSpending.objects.count() == 1

    mine = AllocationSpending.objects.get()
    assert client.get(reverse("funding:allocationspending_edit", args=[mine.pk])).status_code == 200
    elsewhere = AllocationSpending.objects.create(
        allocation=other, spent_on=D(2025, 3, 1), amount=1, purpose="x"
    )
    assert client.get(reverse("funding:allocationspending_edit", args=[elsewhere.pk])).status_code == 404


def test_the_allocation_list_filters_by_year_unit_and_words_and_exports(
    client, specialist, ba_che, binh_lieu
):
    allocate(2025, 550 * M, unit=ba_che, purpose="Phát triển khoa học và công nghệ")
    allocate(2024, 300 * M, unit=ba_che, purpose="Ứng dụng tiến bộ kỹ thuật")
    allocate(2025, 200 * M, unit=binh_lieu, purpose="Phát triển khoa học và công nghệ")
    url = reverse("funding:allocation_list")
    assert client.get(url, {"year": "2025"}).context["table"].paginator.count == 2
    assert client.get(url, {"recipient_unit": ba_che.pk}).context["table"].paginator.count == 2
    assert client.get(url, {"q": "tiến bộ"}).context["table"].paginator.count == 1
    exported = client.get(url, {"year": "2025", "_export": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert sorted(row[3] for row in rows[1:]) == [str(200 * M), str(550 * M)]


def test_an_allocation_typed_with_dots_is_saved_and_cannot_be_lowered_below_its_spending(
    client, specialist, english, ba_che
):
    data = {
        "year": "2025",
        "recipient_unit": ba_che.pk,
        "amount": "550.000.000",
        "purpose": "Phát triển KH&CN",
    }
    assert client.post(reverse("funding:allocation_add"), data).status_code == 302
    allocation = ba_che.st_allocations.get()
    assert allocation.amount == 550 * M
    AllocationSpending.objects.create(
        allocation=allocation, spent_on=D(2025, 3, 1), amount=500 * M, purpose="x"
    )
    lowered = client.post(
        reverse("funding:allocation_edit", args=[allocation.pk]),
        versioned(allocation, {**data, "amount": "499.999.999"}),
    )
    assert lowered.status_code == 200 and "500.000.000 ₫" in lowered.context["form"].errors["amount"][0]
    assert ba_che.st_allocations.get().amount == 550 * M
    nobody = client.post(reverse("funding:allocation_add"), {**data, "recipient_unit": ""})
    assert nobody.status_code == 200 and ba_che.st_allocations.count() == 1


def test_the_allocation_list_runs_a_fixed_number_of_queries(client, specialist, ba_che, binh_lieu):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("funding:allocation_list")
    first = allocate(2025, 10 * M, unit=ba_che)
    AllocationSpending.objects.create(allocation=first, spent_on=D(2025, 3, 1), amount=1, purpose="x")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(30):
        allocation = allocate(2000 + index, index * M, unit=ba_che if index % 2 else binh_lieu)
        AllocationSpending.objects.create(
            allocation=allocation, spent_on=D(2000 + index, 3, 1), amount=1, purpose="x"
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(page.context["table"].page.object_list) == 25
    assert len(many.captured_queries) == len(few.captured_queries)


def test_record_pages_show_amounts_as_vnd_with_dots(client, specialist, ba_che, ba_che_task):
    line = plan(ba_che_task, 2024, FundingSource.STATE_LUMP_SUM, 550 * M)
    page = body(client.get(reverse("funding:budgetline_detail", args=[line.pk])))
    fields = page[page.index('data-testid="record-fields"') :]
    fields = fields[: fields.index("</dl>")]
    assert "550.000.000 ₫" in fields and "550000000" not in fields
    allocation = allocate(2025, 550 * M, unit=ba_che)
    assert "550.000.000 ₫" in body(client.get(reverse("funding:allocation_detail", args=[allocation.pk])))
