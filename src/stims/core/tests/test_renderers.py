"""The form renderer's selects and inputs written in Python (core/renderers.py) are the markup of
Django's templates, character for character: on hand-made widgets with every kind of value, and on
every widget of every page a role's menu opens and of every add form, rendered both ways."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from stims.core import renderers
from stims.core.filters import YesNoAnySelect
from stims.core.tests.test_navigation import add_pages, client_for, menu_links

ours, django_own = renderers.FormRenderer(), DjangoTemplates()


class Every(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", 'Ấp <1> & "2"'), (3, 2024)])
    grouped = forms.ChoiceField(
        choices=[("Huyện", [("x", "Ba Chẽ"), ("y", "Bình Liêu")]), ("z", "Khác")], required=False
    )
    many = forms.MultipleChoiceField(choices=[("1", "Một"), ("2", "Hai")], required=False)
    yes_no = forms.NullBooleanField(required=False)
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Tìm <tên>", "autofocus": True}))
    off = forms.CharField(widget=forms.TextInput(attrs={"disabled": False, "data-x": mark_safe("<b>")}))
    number = forms.DecimalField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "plain": "a",
            "grouped": "y",
            "many": ["1", "2"],
            "yes_no": "true",
            "text": 'Hợp tác xã "Mật ong" <script>',
            "off": "&amp;",
            "number": Decimal("1234.5"),
            "day": datetime.date(2026, 12, 7),
            "hidden": "1",
            "secret": "x<y",
        },
    ],
)
def test_hand_made_widgets_render_as_djangos_templates(data):
    form = Every(data=data or None, initial={"number": 1234567, "day": datetime.date(2026, 1, 2)})
    for field in form:
        widget, value = field.field.widget, field.value()
        fast = widget.render(field.html_name, value, {"id": field.auto_id}, renderer=ours)
        slow = widget.render(field.html_name, value, {"id": field.auto_id}, renderer=django_own)
        assert fast == slow, field.name


def test_the_yes_no_selects_in_vietnamese_render_as_djangos_templates():
    cases = [
        (YesNoAnySelect(attrs={"class": "x"}), True),
        (YesNoAnySelect(), "false"),
        (forms.NullBooleanSelect(), None),
        (forms.Select(attrs={"class": "form-select"}, choices=[("", "---"), (1, "Hà <Nội>")]), 1),
    ]
    with translation.override("vi"):
        for widget, value in cases:
            fast = widget.render("f", value, attrs={"id": "id_f"}, renderer=ours)
            assert fast == widget.render("f", value, attrs={"id": "id_f"}, renderer=django_own)


def test_a_template_overriding_djangos_is_rendered_by_the_template(tmp_path):
    """An app's (or here a folder's) django/forms/widgets/select.html wins over the Python markup."""
    widgets = tmp_path / "django" / "forms" / "widgets"
    widgets.mkdir(parents=True)
    (widgets / "select.html").write_text('<select name="{{ widget.name }}">ours</select>')
    renderer = renderers.FormRenderer()
    engine = renderer.engine.engine
    engine.dirs = [str(tmp_path), *engine.dirs]
    html = forms.Select(choices=[("a", "A")]).render("x", "a", renderer=renderer)
    assert html == '<select name="x">ours</select>'
    assert forms.Select(choices=[("a", "A")]).render("x", "a", renderer=ours) != html


@pytest.fixture
def shadowed(monkeypatch):
    """Every select and input the renderer writes in Python, rendered by the templates too."""
    compared, differ = [], []
    fast = renderers.FormRenderer.render

    def both(self, template_name, context, request=None):
        html = fast(self, template_name, context, request)
        if template_name == renderers.SELECT or template_name in renderers.INPUTS:
            slow = DjangoTemplates.render(self, template_name, context, request)
            compared.append(template_name)
            if html != slow:
                differ.append((html, slow))
        return html

    monkeypatch.setattr(renderers.FormRenderer, "render", both)
    return compared, differ


@pytest.mark.slow  # every menu page and add form rendered twice (5 s): a proof for CI's slow tier
@pytest.mark.django_db
def test_every_widget_of_the_menus_pages_and_the_add_forms_is_the_templates_markup(demo_data, shadowed):
    compared, differ = shadowed
    client = client_for("admin")
    urls = [url for _label, url in menu_links(client)]
    for name, _view in add_pages():
        try:
            urls.append(reverse(name))
        except Exception:  # an add form under a parent record: reached from its page, not here
            continue
    for url in urls:
        client.get(url)
    assert differ == []
    assert compared.count(renderers.SELECT) > 100 and len(compared) > 300
