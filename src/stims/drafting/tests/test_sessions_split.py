"""Several sessions in one text (sessions.py): where an article is cut, and where it is not."""

import pytest

from stims.drafting import nlp
from stims.drafting.rules import propose_sessions
from stims.drafting.sessions import split_sessions

pytestmark = pytest.mark.skipif(not nlp.available(), reason="the nlp extra (underthesea) is not installed")


def test_tiep_do_and_cung_ngay_open_the_next_locality_after_the_first():
    text = (
        "Đoàn công tác Sở KH&CN làm việc tại ba xã\n\n"
        "Ngày 14/10/2025, Sở Khoa học và Công nghệ đã có buổi làm việc với UBND xã Quảng Tân. Xã có 5 mô hình.\n\n"
        "Tiếp đó, Đoàn đến làm việc với UBND xã Quảng Đức. Xã có 7 sản phẩm OCOP.\n\n"
        "Cùng ngày, Đoàn làm việc với UBND xã Quảng Tân về chuyển đổi số. Xã có 12 thôn.\n\n"
        "Trước đó, Sở đã làm việc với UBND đặc khu Cô Tô. Đặc khu có 3 sản phẩm.\n"
    )
    parts = split_sessions(text)
    # "Cùng ngày … xã Quảng Tân" goes back to the session the lead paragraph opened with Quảng Tân.
    assert [p.locality for p in parts] == [("xã", "Quảng Tân"), ("xã", "Quảng Đức"), ("đặc khu", "Cô Tô")]
    assert "5 mô hình" in parts[0].text and "12 thôn" in parts[0].text and "7 sản phẩm" not in parts[0].text
    assert all(p.text.startswith("Đoàn công tác Sở KH&CN làm việc tại ba xã") for p in parts)


def test_headings_that_name_one_locality_each_cut_the_article():
    text = (
        "Kiểm tra mô hình ứng dụng khoa học tại Lạng Sơn\n\n"
        "Từ ngày 8 đến 10/9/2025, Sở Khoa học và Công nghệ tỉnh Lạng Sơn kiểm tra các mô hình.\n\n"
        "Tại xã Bắc Sơn\n\n"
        "Xã có 4 mô hình nấm. Đồng chí Hoàng Văn Quý, Phó Giám đốc Sở đề nghị xã Bắc Sơn nhân rộng mô hình nấm.\n\n"
        "Tại xã Hữu Lũng\n\n"
        "Xã có 6 mô hình na. Đồng chí Hoàng Văn Quý, Phó Giám đốc Sở đề nghị xã Hữu Lũng xây dựng nhãn hiệu na.\n"
    )
    sessions = propose_sessions(text)
    assert [s.locality for s in sessions] == ["xã Bắc Sơn", "xã Hữu Lũng"]
    assert [[int(f.value) for f in s.figures] for s in sessions] == [[4], [6]]
    assert [[d.lead for d in s.directives] for s in sessions] == [["UBND xã Bắc Sơn"], ["UBND xã Hữu Lũng"]]


def test_one_locality_or_a_formal_document_is_one_session():
    one_place = (
        "Sở KH&CN làm việc với huyện Tiên Yên\n\n"
        "Sáng ngày 05/4/2023, Sở KH&CN đã có buổi làm việc với UBND huyện Tiên Yên.\n\n"
        "Chiều cùng ngày, Đoàn tiếp tục làm việc với UBND huyện Tiên Yên tại các mô hình.\n"
    )
    assert split_sessions(one_place) == []
    assert len(propose_sessions(one_place)) == 1
    notice = (
        "UBND TỈNH QUẢNG NINH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 86/TB-SKHCN\nQuảng Ninh, ngày 17 tháng 3 năm 2026\n\n"
        "THÔNG BÁO\nKết luận của Giám đốc Sở\n\n"
        "Sáng ngày 12/3/2026, Sở làm việc với UBND xã Quảng Đức.\n\n"
        "Chiều cùng ngày, Sở làm việc với UBND xã Quảng Tân.\n"
    )
    assert split_sessions(notice) == []
