"""The scoring script itself: what counts as a match, and the command that prints the table."""

import json

import pytest
from django.core.management import CommandError, call_command

from stims.drafting import nlp
from stims.drafting.scoring import Count, directive_score, leads_match, one_to_one, score_text, token_f1

needs_nlp = pytest.mark.skipif(not nlp.available(), reason="the nlp extra (underthesea) is not installed")


def test_leads_match_across_abbreviations_qualifiers_and_containment():
    assert leads_match("Sở KH&CN", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh")
    assert leads_match("UBND xã Quảng Đức", "Ủy ban nhân dân xã Quảng Đức")
    assert leads_match("xã Quảng Đức", "UBND xã Quảng Đức")
    assert not leads_match("Phòng Quản lý khoa học", "Phòng Kế hoạch - Tài chính")
    assert not leads_match("", "Sở Tài chính")


def test_a_directive_needs_the_right_lead_and_half_its_words():
    expected = {"lead": "Phòng Khoa học", "content": "hỗ trợ huyện phục tráng lúa Bao Thai"}
    assert (
        directive_score(
            expected, {"lead": "Phòng Khoa học", "content": "Hỗ trợ huyện phục tráng lúa Bao Thai Định Hóa"}
        )
        > 0.8
    )
    assert directive_score(expected, {"lead": "UBND huyện Định Hóa", "content": expected["content"]}) == 0
    assert directive_score(expected, {"lead": "Phòng Khoa học", "content": "tập huấn sở hữu trí tuệ"}) == 0
    assert token_f1("a b c d", "a b") == pytest.approx(2 * 1 * 0.5 / 1.5)


def test_matching_is_one_to_one_and_counts_a_duplicate_against_precision():
    expected = [{"lead": "Sở Tài chính", "content": "cân đối bố trí kinh phí cho dự án"}]
    proposed = [dict(expected[0]), dict(expected[0])]
    pairs = one_to_one(expected, proposed, directive_score)
    assert len(pairs) == 1
    count = Count(len(pairs), len(proposed), len(expected))
    assert (count.precision, count.recall) == (0.5, 1.0)


@needs_nlp
def test_a_text_is_scored_on_directives_people_requests_deadlines_and_date():
    text = (
        "THÔNG BÁO\nKết luận của Giám đốc Sở tại buổi làm việc với UBND xã Ba Chẽ\n\n"
        "Ngày 09 tháng 4 năm 2026, đồng chí Phạm Xuân Đài, Giám đốc Sở Khoa học và Công nghệ chủ trì buổi làm việc.\n"
        "Giám đốc Sở kết luận như sau:\n"
        "1. Giao Trung tâm Ứng dụng tiến bộ khoa học và công nghệ xây dựng mô hình nhân giống ba kích, trong quý III/2026.\n"
    )
    expected = {
        "date": "2026-04-09",
        "people": [{"name": "Phạm Xuân Đài"}, {"name": "Bàn Văn Tài"}],
        "requests": [],
        "directives": [
            {
                "lead": "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
                "content": "xây dựng mô hình nhân giống ba kích",
                "deadline": "2026-09-30",
            }
        ],
    }
    scored = score_text("t", text, expected)
    assert (scored.directives.matched, scored.directives.proposed, scored.directives.expected) == (1, 1, 1)
    assert (scored.people.matched, scored.people.expected) == (1, 2)
    assert scored.deadlines_right == 1 and scored.date_right
    assert "missed person: Bàn Văn Tài" in scored.misses


@needs_nlp
@pytest.mark.django_db
def test_the_score_command_prints_the_table_and_the_totals(tmp_path, capsys):
    (tmp_path / "01.txt").write_text(
        "Sở KH&CN làm việc với huyện Tiên Yên\n\nNgày 14/3/2024, đồng chí Trần Văn Khải, Giám đốc Sở chủ trì."
        " Đồng chí đề nghị UBND huyện Tiên Yên rà soát các hộ chăn nuôi gà, hoàn thành trong quý III/2024.\n",
        encoding="utf-8",
    )
    (tmp_path / "01.json").write_text(
        json.dumps(
            {
                "date": "2024-03-14",
                "people": [{"name": "Trần Văn Khải"}],
                "requests": [],
                "directives": [
                    {
                        "lead": "UBND huyện Tiên Yên",
                        "content": "rà soát các hộ chăn nuôi gà",
                        "deadline": "2024-09-30",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    call_command("draft_score", str(tmp_path), "--json")
    totals = json.loads(capsys.readouterr().out)
    assert totals["directives"] == {
        "precision": 1.0,
        "recall": 1.0,
        "matched": 1,
        "proposed": 1,
        "expected": 1,
    }
    assert totals["deadline_accuracy"] == 1.0
    call_command("draft_score", str(tmp_path))
    assert "directives: precision 1.00, recall 1.00" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no NAME.txt"):
        call_command("draft_score", str(tmp_path / "missing"))
