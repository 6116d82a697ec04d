"""A deadline read from a text is shown back as the text wrote it, with its diacritics and slashes."""

import datetime

import pytest

from stims.drafting.rules import _deadline


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "Sở KH&CN hoàn thành trước ngày 30/6/2026 và báo cáo UBND tỉnh",
            ("once", datetime.date(2026, 6, 30), "trước ngày 30/6/2026"),
        ),
        (
            "Chậm nhất ngày 15/9/2026 gửi báo cáo",
            ("once", datetime.date(2026, 9, 15), "Chậm nhất ngày 15/9/2026"),
        ),
        ("UBND huyện tổ chức thực hiện hằng năm", ("annually", datetime.date(2026, 12, 31), "hằng năm")),
        ("Hoàn thành trong năm 2027", ("once", datetime.date(2027, 12, 31), "trong năm 2027")),
        ("Theo dõi, đôn đốc thường xuyên", ("regularly", None, "thường xuyên")),
    ],
)
def test_the_deadline_phrase_keeps_the_words_as_written(item, expected):
    assert _deadline(item, 2026) == expected
