"""Free text has a length limit on every page form and API serializer, with a clear message, and a
refused save changes nothing."""

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from stims.core.textlimits import DEFAULT_TEXT_LIMIT, TextLimitFormMixin, TextLimitValidator
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

TOO_LONG = "Ghi chú rất dài. " * 727 + "x"  # 12,360 characters


@pytest.fixture
def ba_che():
    return unit("Huyện Ba Chẽ", legacy=True)


def test_the_default_limit_is_ten_thousand_and_the_message_counts_in_vietnamese():
    assert DEFAULT_TEXT_LIMIT == 10_000 and len(TOO_LONG) == 12_360
    validator = TextLimitValidator(10_000)
    validator("a" * 10_000)  # exactly the limit is fine
    with translation.override("vi"):
        with pytest.raises(Exception) as refused:
            validator("a" * 12_345)
        # Read inside the block: the message is translated when it is read, in the language active then.
        assert refused.value.messages == ["Tối đa 10.000 ký tự (đã nhập 12.345)."]


def test_a_page_form_refuses_a_long_note_with_the_message_and_saves_nothing(client, ba_che):
    client.force_login(make_user("specialist"))
    response = client.post(
        reverse("orgs:organization_add"),
        {
            "name": "HTX Chè Ba Chẽ",
            "kind": OrganizationKind.COOPERATIVE,
            "admin_unit": ba_che.pk,
            "notes": TOO_LONG,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["notes"] == ["Tối đa 10.000 ký tự (đã nhập 12.360)."]
    assert "Tối đa 10.000 ký tự (đã nhập 12.360)." in response.content.decode()
    assert not Organization.objects.filter(name="HTX Chè Ba Chẽ").exists()
    saved = client.post(
        reverse("orgs:organization_add"),
        {
            "name": "HTX Chè Ba Chẽ",
            "kind": OrganizationKind.COOPERATIVE,
            "admin_unit": ba_che.pk,
            "notes": "x" * 10_000,
        },
    )
    assert saved.status_code == 302 and len(Organization.objects.get(name="HTX Chè Ba Chẽ").notes) == 10_000


def test_the_api_refuses_a_long_note_with_the_message_and_saves_nothing(client, ba_che):
    client.force_login(make_user("specialist"))
    payload = {"name": "HTX Chè Ba Chẽ", "kind": "cooperative", "admin_unit": ba_che.pk, "notes": TOO_LONG}
    response = client.post("/api/orgs/organizations/", payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["notes"] == ["Tối đa 10.000 ký tự (đã nhập 12.360)."]
    assert not Organization.objects.filter(name="HTX Chè Ba Chẽ").exists()
    payload["notes"] = "x" * 10_000
    assert (
        client.post("/api/orgs/organizations/", payload, content_type="application/json").status_code == 201
    )


def test_the_api_schema_states_the_limit(client):
    client.force_login(make_user("leader"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    schema = client.get("/api/schema/", {"format": "json"}).json()
    notes = schema["components"]["schemas"]["Organization"]["properties"]["notes"]
    assert notes["maxLength"] == DEFAULT_TEXT_LIMIT


def test_a_model_or_a_form_may_set_another_limit_and_plain_text_areas_are_limited_too():
    class NoteForm(TextLimitFormMixin, forms.Form):
        text_limits = {"summary": 50}
        note = forms.CharField(widget=forms.Textarea, required=False)
        summary = forms.CharField(widget=forms.Textarea, required=False)
        code = forms.CharField(max_length=20, required=False)

    form = NoteForm({"note": "a" * 10_001, "summary": "b" * 51, "code": "c"})
    with translation.override("vi"):
        assert not form.is_valid()
        errors = {name: list(messages) for name, messages in form.errors.items()}
    assert errors == {
        "note": ["Tối đa 10.000 ký tự (đã nhập 10.001)."],
        "summary": ["Tối đa 50 ký tự (đã nhập 51)."],
    }
    from stims.meetings.forms import WorkingSessionForm

    session_form = WorkingSessionForm(user=make_user("leader"))
    limits = {
        v.limit for v in session_form.fields["source_text"].validators if isinstance(v, TextLimitValidator)
    }
    assert limits == {200_000}  # the pasted minutes a session was drafted from (WorkingSession.text_limits)


def test_an_actions_inputs_limit_their_free_text_through_the_api_too():
    from rest_framework import serializers

    from stims.core.textlimits import TextLimitSerializerMixin
    from stims.meetings.api import MoveSerializer
    from stims.sttasks.api import StepSerializer

    class NoteSerializer(TextLimitSerializerMixin, serializers.Serializer):
        note = serializers.CharField(required=False, allow_blank=True)
        code = serializers.CharField(max_length=5, required=False)

    with translation.override("vi"):
        refused = NoteSerializer(data={"note": "a" * 10_001, "code": "abc"})
        assert not refused.is_valid()
        assert refused.errors == {"note": ["Tối đa 10.000 ký tự (đã nhập 10.001)."]}
    assert NoteSerializer(data={"note": "a" * 10_000}).is_valid()
    assert StepSerializer().fields["reason"].max_length == DEFAULT_TEXT_LIMIT
    assert MoveSerializer().fields["note"].max_length == DEFAULT_TEXT_LIMIT
