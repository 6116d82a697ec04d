"""`stims draft FILE [--json]`: the engine's proposal for a text file, as the page would propose it."""

import json

import pytest
from django.core.management import CommandError, call_command

from stims.drafting import nlp

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not nlp.available(), reason="the nlp extra (underthesea) is not installed"),
]

NOTICE = """UBND TỈNH QUẢNG NINH
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 125/TB-SKHCN
Quảng Ninh, ngày 12 tháng 4 năm 2026

THÔNG BÁO
Kết luận của Giám đốc Sở tại buổi làm việc với UBND xã Ba Chẽ

Ngày 09 tháng 4 năm 2026, tại trụ sở UBND xã Ba Chẽ, đồng chí Phạm Xuân Đài, Giám đốc Sở Khoa học và Công nghệ chủ trì buổi làm việc với UBND xã Ba Chẽ. Dự có đồng chí Bàn Văn Tài, Phó Chủ tịch UBND xã Ba Chẽ; đồng chí Chìu A Sáng, Chuyên viên Văn phòng HĐND và UBND xã.

Xã Ba Chẽ đề nghị Sở Khoa học và Công nghệ hỗ trợ xây dựng nhãn hiệu chứng nhận ba kích.

Giám đốc Sở kết luận như sau:
1. UBND xã Ba Chẽ chủ trì rà soát kế hoạch phát triển sản phẩm OCOP, hoàn thành trước ngày 30/6/2026.
2. Giao Trung tâm Ứng dụng tiến bộ khoa học và công nghệ xây dựng mô hình nhân giống ba kích, thực hiện trong quý III/2026.
3. Giao Chi cục Tiêu chuẩn Đo lường Chất lượng kiểm định phương tiện đo hằng năm.
4. Phòng Quản lý khoa học thường xuyên hướng dẫn xã đề xuất nhiệm vụ khoa học.

Nơi nhận:
- UBND xã Ba Chẽ;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Nguyễn Văn Hùng
"""


@pytest.fixture
def notice(tmp_path):
    path = tmp_path / "thong-bao.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return path


def test_json_is_one_object_in_the_documented_schema(notice, capsys):
    call_command("draft", str(notice), "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {
        "date",
        "title",
        "place",
        "host",
        "locality",
        "people",
        "figures",
        "requests",
        "directives",
    }
    assert data["date"] == "2026-04-09"  # the session's, not the notice's (12 April)
    assert data["title"] == "Kết luận của Giám đốc Sở tại buổi làm việc với UBND xã Ba Chẽ"
    assert data["place"] == "trụ sở UBND xã Ba Chẽ"
    assert data["locality"] == "xã Ba Chẽ"
    assert {(p["name"], p["position"], p["side"]) for p in data["people"]} == {
        ("Phạm Xuân Đài", "Giám đốc Sở Khoa học và Công nghệ", "department"),
        ("Bàn Văn Tài", "Phó Chủ tịch UBND xã Ba Chẽ", "locality"),
        ("Chìu A Sáng", "Chuyên viên Văn phòng HĐND và UBND xã", "locality"),
        ("Nguyễn Văn Hùng", "Phó giám đốc", "department"),
    }
    assert data["requests"] == [
        {
            "text": "Hỗ trợ xây dựng nhãn hiệu chứng nhận ba kích",
            "addressee": "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        }
    ]
    assert [(d["lead"], d["deadline"], d["recurrence"]) for d in data["directives"]] == [
        ("UBND xã Ba Chẽ", "2026-06-30", None),
        ("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "2026-09-30", None),
        ("Chi cục Tiêu chuẩn Đo lường Chất lượng", None, "annually"),
        ("Phòng Quản lý khoa học", None, "regularly"),
    ]
    assert data["directives"][0]["content"].startswith("Chủ trì rà soát kế hoạch phát triển sản phẩm OCOP")


def test_the_default_output_is_for_people(notice, capsys):
    call_command("draft", str(notice))
    out = capsys.readouterr().out
    assert "Date:      09/04/2026" in out
    assert "  - UBND xã Ba Chẽ: Chủ trì rà soát" in out and "[30/06/2026]" in out


def test_a_missing_or_unreadable_file_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("draft", str(tmp_path / "none.txt"))
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81 not utf-8")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("draft", str(binary))
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="only plain text"):
        call_command("draft", str(pdf))
