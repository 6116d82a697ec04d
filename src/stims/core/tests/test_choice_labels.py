"""`get_<field>_display()` of STIMS's models: the label in the active language, translated once per
language and field (core.models.LinkedModel), as Django's own gives it."""

from django.db.models.base import Model
from django.utils import translation

from stims.iso.models import IsoRecord, IsoStatus


def test_a_choice_label_follows_the_active_language_and_an_unknown_value_is_shown_as_it_is():
    record = IsoRecord(status=IsoStatus.ANNOUNCED)
    field = IsoRecord._meta.get_field("status")
    for language in ("vi", "en", "vi"):
        with translation.override(language):
            expected = Model._get_FIELD_display(record, field)  # Django's own, uncached
            assert record.get_status_display() == expected == str(IsoStatus.ANNOUNCED.label)
    with translation.override("vi"):
        vietnamese = record.get_status_display()
    with translation.override("en"):
        assert record.get_status_display() != vietnamese  # each language its own label
    record.status = "no-such-status"
    assert record.get_status_display() == "no-such-status"
