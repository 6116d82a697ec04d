"""Each cause the issue found on the department's own forms, as a small text the engine must read right.
(The stages: structure.py, dates.py, people.py, figures.py, places.py, rules.py; vocabulary: lexicon.py.)"""

import datetime
from decimal import Decimal

import pytest

from stims.drafting import nlp
from stims.drafting.dates import find_session_date, read_deadline
from stims.drafting.figures import find_figures
from stims.drafting.people import find_people
from stims.drafting.rules import propose
from stims.drafting.structure import read_structure

pytestmark = pytest.mark.skipif(not nlp.available(), reason="the nlp extra (underthesea) is not installed")

LETTERHEAD = """UBND TỈNH QUẢNG NINH
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 86/TB-SKHCN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Ninh, ngày 17 tháng 3 năm 2026

THÔNG BÁO
Kết luận của Giám đốc Sở tại buổi làm việc với UBND xã Quảng Đức

Ngày 12 tháng 3 năm 2026, đồng chí Trần Văn Khải, Giám đốc Sở Khoa học và Công nghệ chủ trì buổi làm việc với UBND xã Quảng Đức.
"""
SIGNATURE = """
Nơi nhận:
- UBND tỉnh (b/c);
- Lưu: VT.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Phạm Đức Long
"""


def notice(body: str):
    return propose(LETTERHEAD + body + SIGNATURE, known_provinces=["Quảng Ninh"])


def leads(proposal):
    return [(d.lead, d.text.split()[0]) for d in proposal.directives]


def test_the_letterhead_and_signature_are_set_aside():
    doc = read_structure(LETTERHEAD + SIGNATURE)
    assert doc.kind == "THÔNG BÁO"
    assert doc.title == "Kết luận của Giám đốc Sở tại buổi làm việc với UBND xã Quảng Đức"
    assert doc.document_date == datetime.date(2026, 3, 17)
    assert doc.signers == [("Phạm Đức Long", "Phó giám đốc")]
    assert doc.recipients == ["- UBND tỉnh (b/c);", "- Lưu: VT."]
    proposal = notice("")
    assert proposal.province == "Quảng Ninh" and proposal.host == "Sở Khoa học và Công nghệ tỉnh Quảng Ninh"


def test_a_date_in_words_is_the_session_date_not_the_notice_date():
    assert notice("").held_on == datetime.date(2026, 3, 12)
    assert find_session_date(
        "Quyết định số 312/QĐ-KHCN ngày 02/10/2023; Hôm nay, ngày 17/10/2023, tại xã"
    ) == (datetime.date(2023, 10, 17))
    assert find_session_date("Cập nhật 09:12 ngày 22/08/2025\n\nSáng 21/8, đoàn làm việc") == datetime.date(
        2025, 8, 21
    )


def test_items_after_a_conclusion_line_standing_alone_are_the_chairs_each_with_its_own_lead():
    proposal = notice(
        "Giám đốc Sở kết luận như sau:\n"
        "1. Đánh giá chung\nXã có 7 sản phẩm OCOP.\n"
        "2. Nhiệm vụ thời gian tới\n"
        "a) Giao Trung tâm Ứng dụng tiến bộ khoa học và công nghệ xây dựng mô hình nhân giống chè.\n"
        "b) Giao Chi cục Tiêu chuẩn Đo lường Chất lượng kiểm định phương tiện đo.\n"
        "c) Hướng dẫn các hộ đăng ký nhãn hiệu chè hoa vàng.\n"
        "3. UBND xã Quảng Đức:\n"
        "– Kiện toàn bộ phận phụ trách chuyển đổi số;\n"
        "– Đồng chí Chủ tịch UBND xã chỉ đạo các thôn tuyên truyền về sở hữu trí tuệ.\n"
    )
    assert leads(proposal) == [
        ("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "Xây"),
        ("Chi cục Tiêu chuẩn Đo lường Chất lượng", "Kiểm"),
        ("UBND xã Quảng Đức", "Hướng"),  # an item with no unit of its own is the locality's, not item b)'s
        ("UBND xã Quảng Đức", "Kiện"),
        ("Các thôn", "Tuyên"),
    ]
    assert proposal.locality == "xã Quảng Đức"


def test_phat_bieu_chi_dao_is_a_heading_and_a_capitalised_dong_chi_keeps_the_directive():
    proposal = propose(
        "Sở KH&CN làm việc với xã Lũng Cú\n\nNgày 09/01/2026, đồng chí Nguyễn Mạnh Tiến, Giám đốc Sở chủ trì.\n\n"
        "Phát biểu chỉ đạo tại buổi làm việc\n\n"
        "Đồng chí Nguyễn Mạnh Tiến ghi nhận kết quả của xã. Đồng chí đề nghị UBND xã Lũng Cú rà soát các hộ"
        " nuôi ong, hoàn thành trong quý IV.\n"
    )
    assert [(d.lead, d.deadline) for d in proposal.directives] == [
        ("UBND xã Lũng Cú", datetime.date(2026, 12, 31))
    ]


def test_a_members_comment_in_minutes_is_not_a_directive_but_the_communes_proposal_is_a_request():
    proposal = propose(
        "BIÊN BẢN\nLàm việc với UBND xã Ba Bể\n\nHôm nay, ngày 24/02/2026, tại UBND xã Ba Bể.\n\n"
        "Thành phần:\nVề phía Sở Khoa học và Công nghệ:\n1. Ông Đặng Xuân Trường, Phó Giám đốc Sở;\n"
        "2. Bà Lô Thị Hạnh, Chuyên viên Phòng Chuyển đổi số.\nVề phía UBND xã Ba Bể:\n"
        "1. Ông Tằng Văn Phú, Chủ tịch UBND xã.\n\n"
        "Ý kiến trao đổi:\n- Bà Lô Thị Hạnh đề nghị xã cần cập nhật dữ liệu dân cư.\n"
        "- Ông Tằng Văn Phú đề xuất Sở Khoa học và Công nghệ hỗ trợ xây dựng cơ sở dữ liệu du lịch.\n\n"
        "Kết luận:\n- Đề nghị UBND xã Ba Bể rà soát dữ liệu du lịch cộng đồng trước ngày 30/4/2026.\n"
    )
    assert [(d.lead, d.deadline) for d in proposal.directives] == [
        ("UBND xã Ba Bể", datetime.date(2026, 4, 30))
    ]
    assert [(r.text, r.addressed_to) for r in proposal.requests] == [
        ("Hỗ trợ xây dựng cơ sở dữ liệu du lịch", "Sở Khoa học và Công nghệ")
    ]
    sides = {p.name: p.side for p in proposal.people}
    assert sides == {"Đặng Xuân Trường": "host", "Lô Thị Hạnh": "host", "Tằng Văn Phú": "locality"}


@pytest.mark.parametrize(
    ("item", "recurrence", "deadline"),
    [
        ("rà soát, hoàn thành trước ngày 30/6/2026", "once", datetime.date(2026, 6, 30)),
        ("gửi Sở trước ngày 15 tháng 7 năm 2026", "once", datetime.date(2026, 7, 15)),
        ("xây dựng mô hình trong quý III/2026", "once", datetime.date(2026, 9, 30)),
        ("trình Giám đốc Sở trong quý IV", "once", datetime.date(2026, 12, 31)),
        ("hoàn thiện đề án trong quý I/2027", "once", datetime.date(2027, 3, 31)),
        ("hướng dẫn xã lập hồ sơ trong tháng 6", "once", datetime.date(2026, 6, 30)),
        ("kiểm định phương tiện đo hằng năm", "annually", None),
        ("hằng năm rà soát nhiệm vụ, gửi Sở trước ngày 30 tháng 4", "annually", datetime.date(2027, 4, 30)),
        ("thường xuyên tuyên truyền về sở hữu trí tuệ", "regularly", None),
        ("định kỳ hằng quý báo cáo tiến độ", "regularly", None),
        ("phấn đấu năm 2027 có 50% sản phẩm dùng tem", "once", datetime.date(2027, 12, 31)),
        ("hỗ trợ in tem trước mùa thu hoạch", "regularly", None),
    ],
)
def test_deadlines_and_recurrences(item, recurrence, deadline):
    assert read_deadline(item, datetime.date(2026, 5, 12))[:2] == (recurrence, deadline)


def test_surnames_of_the_mountain_peoples_and_the_title_chuyen_vien_and_positions_with_va():
    people = find_people(
        "Dự có đồng chí Bàn Văn Quý, Bí thư Đảng ủy xã; đồng chí Chìu A Sáng, Chuyên viên Văn phòng HĐND và"
        " UBND xã; bà Tằng Thị Mai, Trưởng phòng Nông nghiệp và Phát triển nông thôn huyện; ông Lô Văn Hải,"
        " Phó Chủ tịch UBND xã và đồng chí Sùng Mí Chá, Chủ tịch UBND xã."
    )
    assert [(p.name, p.position) for p in people] == [
        ("Bàn Văn Quý", "Bí thư Đảng ủy xã"),
        ("Chìu A Sáng", "Chuyên viên Văn phòng HĐND và UBND xã"),
        ("Tằng Thị Mai", "Trưởng phòng Nông nghiệp và Phát triển nông thôn huyện"),
        ("Lô Văn Hải", "Phó Chủ tịch UBND xã"),
        ("Sùng Mí Chá", "Chủ tịch UBND xã"),
    ]


def test_commune_officials_are_not_the_departments_delegation():
    proposal = notice(
        "Dự có đồng chí Bàn Văn Quý, Phó Chủ tịch UBND xã Quảng Đức; đồng chí Phạm Đức Long, Phó Giám đốc Sở.\n"
    )
    sides = {p.name: p.side for p in proposal.people}
    assert sides["Bàn Văn Quý"] == "locality" and sides["Phạm Đức Long"] == "host"
    assert proposal.as_json()["people"][0]["side"] == "department"


def test_figures_counts_after_va_amounts_by_their_noun_and_no_ranges():
    figures = find_figures(
        "Xã có 12 sản phẩm OCOP và 3 sản phẩm 4 sao; doanh thu du lịch đạt 86 tỷ đồng, kinh phí hỗ trợ 350 triệu"
        " đồng; mỗi xã đề xuất 1 - 2 sản phẩm."
    )
    assert {(f.label, f.value, f.unit) for f in figures} == {
        ("sản phẩm OCOP", Decimal(12), "sản phẩm"),
        ("sản phẩm 4 sao", Decimal(3), "sản phẩm"),
        ("doanh thu", Decimal(86_000_000_000), "VND"),
        ("kinh phí", Decimal(350_000_000), "VND"),
    }


def test_a_cong_van_gives_its_subject_line_its_date_and_the_units_it_asks():
    proposal = propose(
        "UBND TỈNH LÀO CAI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 1245/SKHCN-QLCN\nV/v rà soát sản phẩm xây dựng nhãn hiệu\n"
        "Lào Cai, ngày 20 tháng 10 năm 2025\n\nKính gửi:\n- Sở Công Thương;\n- UBND các xã, phường.\n\n"
        "Sở Khoa học và Công nghệ đề nghị các cơ quan, đơn vị thực hiện một số nội dung sau:\n"
        "1. UBND các xã, phường rà soát các sản phẩm đặc sản; gửi về Sở trước ngày 15/11/2025.\n"
        "2. Sở Kế hoạch và Đầu tư, Sở Công Thương cung cấp số liệu về doanh nghiệp.\n"
    )
    assert proposal.title == "V/v rà soát sản phẩm xây dựng nhãn hiệu"
    assert proposal.held_on == datetime.date(2025, 10, 20)
    # One task for two units is one directive with both lead units (the first one is `lead`).
    assert [(d.leads, d.deadline) for d in proposal.directives] == [
        (["UBND các xã, phường"], datetime.date(2025, 11, 15)),
        (["Sở Kế hoạch và Đầu tư tỉnh Lào Cai", "Sở Công Thương tỉnh Lào Cai"], None),
    ]
    assert proposal.directives[1].lead == "Sở Kế hoạch và Đầu tư tỉnh Lào Cai"
    assert proposal.as_json()["directives"][1]["leads"] == [
        "Sở Kế hoạch và Đầu tư tỉnh Lào Cai",
        "Sở Công Thương tỉnh Lào Cai",
    ]


NEWS = (
    "Sở KH&CN làm việc với xã Tân Lập\n\nNgày 10/3/2026, đồng chí Nguyễn Văn An, Giám đốc Sở Khoa học và Công"
    " nghệ chủ trì buổi làm việc với UBND xã Tân Lập.\n\n"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Kết luận buổi làm việc, đồng chí Nguyễn Văn An yêu cầu:\n- UBND xã Tân Lập rà soát dữ liệu dân cư;\n"
            "- Phòng Chuyển đổi số hướng dẫn xã triển khai nền tảng số trong quý I/2026.\n"
            "Đồng chí cũng giao Văn phòng Sở tổng hợp đề nghị của xã.",
            [("UBND xã Tân Lập", "Rà"), ("Phòng Chuyển đổi số", "Hướng"), ("Văn phòng Sở", "Tổng")],
        ),
        (
            "Đồng chí Nguyễn Văn An yêu cầu UBND xã Tân Lập: (1) rà soát các mô hình đã chuyển giao; (2) báo cáo"
            " Sở kết quả đánh giá từng mô hình trước ngày 30/4/2026.",
            [("UBND xã Tân Lập", "Rà"), ("UBND xã Tân Lập", "Báo")],
        ),
        (
            "Kết luận, đồng chí Nguyễn Văn An đề nghị xã Tân Lập tập trung một số nội dung: Thứ nhất, tiếp tục rà"
            " soát các sản phẩm OCOP. Thứ hai, phối hợp với Trung tâm Ứng dụng tiến bộ KH&CN nhân rộng mô hình nấm.",
            [("UBND xã Tân Lập", "Tiếp"), ("UBND xã Tân Lập", "Nhân")],
        ),
        (
            "“Xã cần chủ động hơn trong đề xuất nhiệm vụ khoa học”, đồng chí Nguyễn Văn An nhấn mạnh.",
            [("UBND xã Tân Lập", "Chủ")],
        ),
        (
            "Lãnh đạo Sở giao Phòng Quản lý chuyên ngành hướng dẫn xã hoàn thiện hồ sơ nhãn hiệu trong tháng 5.",
            [("Phòng Quản lý chuyên ngành", "Hướng")],
        ),
        (
            "Đồng chí Nguyễn Văn An giao Phòng Quản lý khoa học tổ chức nghiệm thu mô hình trong tháng 10 và Trung tâm"
            " Kỹ thuật Tiêu chuẩn Đo lường Chất lượng hỗ trợ quan trắc môi trường trước ngày 15/9/2026.",
            [("Phòng Quản lý khoa học", "Tổ"), ("Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng", "Hỗ")],
        ),
    ],
)
def test_the_chairs_phrasings_in_news_reports(body, expected):
    assert leads(propose(NEWS + body)) == expected


def test_the_localitys_listed_opinions_are_requests_and_a_cooperatives_are_not():
    proposal = propose(
        NEWS + "Ý kiến của UBND xã Tân Lập:\n- Đề nghị Sở hỗ trợ xây dựng nhãn hiệu tập thể miến dong;\n"
        "- Kiến nghị Sở Nông nghiệp và Môi trường hỗ trợ giống dong riềng.\n"
        "Ý kiến của Hợp tác xã Miến Tân Lập: đề nghị hỗ trợ máy sấy miến.\n"
    )
    assert [(r.text, r.addressed_to) for r in proposal.requests] == [
        ("Hỗ trợ xây dựng nhãn hiệu tập thể miến dong", "Sở Khoa học và Công nghệ"),
        ("Hỗ trợ giống dong riềng", "Sở Nông nghiệp và Môi trường"),
    ]
