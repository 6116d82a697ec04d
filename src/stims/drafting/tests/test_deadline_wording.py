"""A deadline read from a text is shown back as the text wrote it, with its diacritics and slashes."""

import datetime

import pytest

from stims.drafting.dates import as_written, read_deadline


@pytest.mark.parametrize(
    ("item", "recurrence", "deadline", "phrase"),
    [
        (
            "Sở KH&CN hoàn thành trước ngày 30/6/2026 và báo cáo UBND tỉnh",
            "once",
            datetime.date(2026, 6, 30),
            "trước ngày 30/6/2026",
        ),
        ("Chậm nhất ngày 15/9/2026 gửi báo cáo", "once", datetime.date(2026, 9, 15), "ngày 15/9/2026"),
        ("UBND huyện tổ chức thực hiện hằng năm", "annually", None, "hằng năm"),
        ("Hoàn thành trong năm 2027", "once", datetime.date(2027, 12, 31), "trong năm 2027"),
        ("Theo dõi, đôn đốc thường xuyên", "regularly", None, "thường xuyên"),
    ],
)
def test_the_deadline_phrase_keeps_the_words_as_written(item, recurrence, deadline, phrase):
    got_recurrence, got_deadline, got_phrase = read_deadline(item, 2026)
    assert (got_recurrence, got_deadline) == (recurrence, deadline)
    assert phrase in got_phrase and got_phrase in item  # the text's own words, diacritics and slashes kept


def test_a_phrase_is_found_in_the_text_whatever_its_spacing_and_marks():
    assert (
        as_written("Đồng chí  Giám đốc: trước   ngày 30/6/2026, xong.", "truoc ngay 30 6 2026")
        == "trước   ngày 30/6/2026"
    )
    assert as_written("không có", "truoc ngay 1 1 2026") == "truoc ngay 1 1 2026"
