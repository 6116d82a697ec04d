"""Links reversed once per URL name (core.reversing) are the links `reverse()` gives."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from stims.core.reversing import page_url, record_url


@pytest.mark.parametrize("pk", [0, 7, 123456789])
def test_a_records_url_is_what_reverse_gives_for_every_key(pk):
    assert record_url("sttasks:task_detail", pk) == reverse("sttasks:task_detail", args=[pk])
    assert record_url("orgs:organization_detail", pk) == reverse("orgs:organization_detail", args=[pk])


def test_a_key_that_is_not_a_number_goes_through_reverse():
    with pytest.raises(NoReverseMatch):
        record_url("sttasks:task_detail", "abc")
    with pytest.raises(NoReverseMatch):
        record_url("sttasks:task_detail", -1)


def test_an_unknown_name_is_refused_as_reverse_refuses_it_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            page_url("nowhere:page")
        with pytest.raises(NoReverseMatch):
            record_url("nowhere:page_detail", 1)


def test_a_page_url_follows_the_script_prefix_and_the_urlconf(settings):
    assert page_url("sttasks:task_list") == reverse("sttasks:task_list")
    from django.urls import set_script_prefix

    set_script_prefix("/stims/")
    try:
        assert page_url("sttasks:task_list") == reverse("sttasks:task_list")
        assert page_url("sttasks:task_list").startswith("/stims/")
        assert record_url("sttasks:task_detail", 5) == reverse("sttasks:task_detail", args=[5])
        assert record_url("sttasks:task_detail", 5).startswith("/stims/")
    finally:
        set_script_prefix("/")
    assert not page_url("sttasks:task_list").startswith("/stims/")
    settings.ROOT_URLCONF = "stims.core.tests.urls_only_health"
    with pytest.raises(NoReverseMatch):
        page_url("sttasks:task_list")


def test_the_same_in_each_language():
    for language in ("vi", "en"):
        with translation.override(language):
            assert record_url("sttasks:task_detail", 3) == reverse("sttasks:task_detail", args=[3])
