"""Programmes' forms choose a directive with the search box of the rest of STIMS (core.forms.SearchSelect),
not a plain <select> of every directive, and still validate and keep to the user's scope."""

import datetime

import pytest
from django.urls import reverse

from stims.core.forms import SearchSelect
from stims.meetings.models import Directive, WorkingSession
from stims.programmes.forms import CommitmentForm, DocumentLinkForm, PlanLinkForm


def directive(committee, text):
    session = WorkingSession.objects.create(
        title=f"Làm việc với {committee.name}",
        held_on=datetime.date(2023, 3, 13),
        host_organization=committee,
        admin_unit=committee.admin_unit,
    )
    return Directive.objects.create(
        session=session,
        text=text,
        lead_organization=committee,
        assigned_on=session.held_on,
        admin_unit=committee.admin_unit,
    )


@pytest.fixture
def ba_che_directive(ba_che_committee):
    return directive(ba_che_committee, "Nhân rộng mô hình trồng trà hoa vàng")


@pytest.fixture
def binh_lieu_directive(binh_lieu_committee):
    return directive(binh_lieu_committee, "Xây dựng nhãn hiệu cho sản phẩm chủ lực")


@pytest.mark.parametrize("form_class", [PlanLinkForm, DocumentLinkForm, CommitmentForm])
def test_the_directive_is_chosen_in_a_search_box(form_class, specialist, ba_che_directive):
    form = form_class(user=specialist)
    assert isinstance(form.fields["directive"].widget, SearchSelect)
    html = str(form["directive"])
    assert reverse("meetings:directive_options") in html
    # Only the empty choice is rendered, not every directive of the province.
    assert ba_che_directive.text not in html
    # The tasks keep the search box their app registers.
    if "task" in form.fields:
        assert isinstance(form.fields["task"].widget, SearchSelect)


def test_the_form_still_validates_and_keeps_to_the_officer_s_scope(
    ba_che_officer, ba_che_plan, ba_che_directive, binh_lieu_directive
):
    data = {"plan": ba_che_plan.pk, "directive": ba_che_directive.pk, "note": ""}
    form = PlanLinkForm(data, user=ba_che_officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["directive"] == ba_che_directive
    # A chosen directive is shown back in the box.
    assert ba_che_directive.text in str(form["directive"])

    form = PlanLinkForm({**data, "directive": binh_lieu_directive.pk}, user=ba_che_officer)
    assert not form.is_valid()
    assert "directive" in form.errors


def test_the_search_box_offers_only_directives_in_scope(
    client, specialist, ba_che_officer, ba_che_directive, binh_lieu_directive
):
    url = reverse("meetings:directive_options")
    client.force_login(specialist)
    assert binh_lieu_directive.text in client.get(url, {"q": "nhãn hiệu"}).content.decode()
    client.force_login(ba_che_officer)
    page = client.get(url, {"q": "nhãn hiệu"}).content.decode()
    assert binh_lieu_directive.text not in page
    page = client.get(url, {"q": "trà hoa vàng"}).content.decode()
    assert ba_che_directive.text in page
