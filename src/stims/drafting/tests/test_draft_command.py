"""`stims draft FILE [--json]`: the engine's proposal for a text file, as the page would propose it."""

import json
from pathlib import Path

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


def test_json_is_a_list_of_sessions_in_the_documented_schema(notice, capsys):
    call_command("draft", str(notice), "--json")
    [data] = json.loads(capsys.readouterr().out)  # one session in this notice
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


SEEDS = Path(__file__).parents[2] / "demo" / "demo_seeds"  # copies of /work/shared/seeds
SEED_001 = SEEDS / "001_9896f2a58990e926.txt"
MORNING_AND_AFTERNOON = """Sở KH&CN làm việc với UBND huyện Tiên Yên và UBND huyện Đầm Hà

Sáng ngày 05/4/2023, Sở KH&CN đã có buổi làm việc với UBND huyện Tiên Yên. Huyện có 9 sản phẩm OCOP.

Đồng chí Phạm Xuân Đài, Giám đốc Sở KH&CN đề nghị: Huyện Tiên Yên cần rà soát các nhiệm vụ khoa học đã nghiệm thu.

Chiều cùng ngày, Sở KH&CN đã có buổi làm việc với UBND huyện Đầm Hà. Huyện có 4 sản phẩm OCOP.

Đồng chí Phạm Xuân Đài, Giám đốc Sở KH&CN đề nghị: Huyện Đầm Hà cần xây dựng nhãn hiệu cho sản phẩm ngao.
"""


def test_an_article_about_two_sessions_prints_two(tmp_path, capsys):
    path = tmp_path / "hai-buoi.txt"
    path.write_text(MORNING_AND_AFTERNOON, encoding="utf-8")
    call_command("draft", str(path), "--json")
    sessions = json.loads(capsys.readouterr().out)
    assert [(s["locality"], s["date"]) for s in sessions] == [
        ("huyện Tiên Yên", "2023-04-05"),
        ("huyện Đầm Hà", "2023-04-05"),  # "Chiều cùng ngày": the lead paragraph's date
    ]
    assert [[f["value"] for f in s["figures"]] for s in sessions] == [[9], [4]]
    assert [[d["lead"] for d in s["directives"]] for s in sessions] == [
        ["UBND huyện Tiên Yên"],
        ["UBND huyện Đầm Hà"],
    ]
    call_command("draft", str(path))
    out = capsys.readouterr().out
    assert out.startswith("2 sessions: huyện Tiên Yên; huyện Đầm Hà")
    assert "=== Session 2 of 2 ===" in out


@pytest.mark.skipif(not SEED_001.is_file(), reason="the demo seeds are not in this checkout")
def test_seed_001_is_two_sessions_each_with_its_own_figures(capsys):
    call_command("draft", str(SEED_001), "--json")
    binh_lieu, ba_che = json.loads(capsys.readouterr().out)
    assert binh_lieu["locality"] == "huyện Bình Liêu" and ba_che["locality"] == "huyện Ba Chẽ"
    assert binh_lieu["date"] == ba_che["date"] == "2023-03-13"

    def counts(session):
        return {(f["value"], f["unit"]) for f in session["figures"]}

    assert {(27, "sản phẩm"), (11, "sản phẩm"), (1, "sản phẩm"), (3, "sản phẩm")} <= counts(binh_lieu)
    assert {(13, "sản phẩm"), (8, "sản phẩm"), (5, "sản phẩm")} <= counts(ba_che)
    assert not {13, 8, 5} & {f["value"] for f in binh_lieu["figures"]}
    assert not {27, 11} & {f["value"] for f in ba_che["figures"]}
    texts = [f["text"] for f in binh_lieu["figures"]]
    assert any("11 sản phẩm 3 sao" in t for t in texts) and any("nhãn hiệu" in t for t in texts)
    texts = [f["text"] for f in ba_che["figures"]]
    assert any("08 sản phẩm được xếp 3 sao" in t for t in texts)
    assert any("05 sản phẩm được xếp hạng 4 sao" in t for t in texts)
    labels = {f["label"]: f["value"] for f in ba_che["figures"]}
    assert labels["sản phẩm OCOP"] == 13
    assert labels["sản phẩm được xếp 3 sao"] == 8 and labels["sản phẩm được xếp hạng 4 sao"] == 5
    labels = {f["label"]: f["value"] for f in binh_lieu["figures"]}
    assert labels["sản phẩm 3 sao"] == 11 and labels["sản phẩm 4 sao"] == 1
    assert labels["sản phẩm đã được xây dựng nhãn hiệu"] == 3
    assert {p["name"] for p in binh_lieu["people"]} == {"Phạm Xuân Đài", "Đỗ Xuân Trường"}
    assert {p["name"] for p in ba_che["people"]} == {"Phạm Xuân Đài", "Đỗ Mạnh Hùng"}
    assert ba_che["requests"] and not binh_lieu["requests"]  # only Ba Chẽ asked ("mong muốn Sở …")
    assert all("Ba Chẽ" not in d["lead"] for d in binh_lieu["directives"])
    assert any("trà hoa vàng" in d["content"] for d in ba_che["directives"])


@pytest.mark.parametrize(
    "seed", ["000_5111004916535261", "002_2a1da29baf66937e", "003_89ed0526043fe554", "004_c37f746252b8d3a8"]
)
def test_the_other_seeds_are_one_session_each(seed, capsys):
    path = SEEDS / f"{seed}.txt"
    if not path.is_file():
        pytest.skip("the demo seeds are not in this checkout")
    call_command("draft", str(path), "--json")
    assert len(json.loads(capsys.readouterr().out)) == 1
