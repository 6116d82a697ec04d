"""Causes found on the 36-text development half, each with a sentence of its own (not the corpus's)."""

import datetime

import pytest

from stims.drafting import nlp
from stims.drafting.rules import propose

from .test_engine_rules import LETTERHEAD, SIGNATURE

pytestmark = pytest.mark.skipif(not nlp.available(), reason="the nlp extra (underthesea) is not installed")

CONG_VAN = (
    "UBND TỈNH HÀ TĨNH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 512/SKHCN-QLKH\nV/v thống kê sáng kiến cấp xã\n"
    "Hà Tĩnh, ngày 02 tháng 6 năm 2026\n\nKính gửi: UBND các xã, phường.\n\n"
)


def notice(body: str):
    return propose(LETTERHEAD + body + SIGNATURE, known_provinces=["Quảng Ninh"])


def rows(proposal):
    return [(d.leads, d.text) for d in proposal.directives]


def test_an_item_that_opens_with_its_verb_takes_the_units_its_introduction_names():
    proposal = propose(
        CONG_VAN + "Sở Khoa học và Công nghệ đề nghị UBND các xã, phường:\n"
        "1. Báo cáo kết quả thống kê sáng kiến năm 2026 theo biểu mẫu kèm theo; gửi về Sở trước ngày 30/6/2026.\n",
        known_provinces=["Hà Tĩnh"],
    )
    [directive] = proposal.directives
    assert directive.lead == "UBND các xã, phường"
    assert directive.text.startswith("Báo cáo kết quả thống kê sáng kiến")
    assert directive.deadline == datetime.date(2026, 6, 30)


def test_units_joined_by_va_before_can_cu_make_one_task_with_two_lead_units():
    proposal = propose(
        CONG_VAN + "Sở Khoa học và Công nghệ đề nghị:\n"
        "1. Các phòng, ban và UBND các xã, phường căn cứ tình hình địa phương, đề xuất nhu cầu đào tạo về chuyển"
        " đổi số, gửi Sở trước ngày 20/6/2026.\n",
        known_provinces=["Hà Tĩnh"],
    )
    [directive] = proposal.directives
    assert directive.leads == ["Các phòng, ban", "UBND các xã, phường"]
    assert directive.text.startswith("Căn cứ tình hình địa phương, đề xuất nhu cầu đào tạo")


def test_a_guiding_verb_with_two_objects_joined_by_va_stays_one_task():
    proposal = notice(
        "Đồng chí Trần Văn Khải kết luận như sau:\n"
        "1. Phòng Quản lý chuyên ngành hướng dẫn phường và Hợp tác xã Nấm Đông Triều lập hồ sơ công bố chất"
        " lượng sản phẩm.\n"
    )
    assert rows(proposal) == [
        (
            ["Phòng Quản lý chuyên ngành"],
            "Hướng dẫn phường và Hợp tác xã Nấm Đông Triều lập hồ sơ công bố chất lượng sản phẩm",
        )
    ]


def test_a_conclusion_line_that_lists_what_both_sides_agreed_opens_the_conclusion():
    proposal = notice(
        "Ông Bàn Văn Quý đề nghị Sở hỗ trợ thêm thiết bị sấy.\n"
        "Kết luận: Hai bên thống nhất các nội dung sau:\n"
        "1. UBND xã Quảng Đức lập danh sách hộ trồng quế đủ điều kiện, gửi Sở trước ngày 15/4/2026.\n"
        "2. Sở Khoa học và Công nghệ hỗ trợ tập huấn kỹ thuật sấy quế cho các hộ.\n"
    )
    assert [d.leads for d in proposal.directives] == [
        ["UBND xã Quảng Đức"],
        ["Sở Khoa học và Công nghệ tỉnh Quảng Ninh"],
    ]
    assert proposal.directives[0].deadline == datetime.date(2026, 4, 15)


def test_semicolon_parts_of_a_numbered_item_are_tasks_unless_they_only_say_when_to_report():
    proposal = notice(
        "Đồng chí Trần Văn Khải kết luận như sau:\n"
        "1. UBND xã Quảng Đức rà soát các mô hình đã bàn giao, gửi Sở trước ngày 10/4/2026; bố trí cán bộ theo"
        " dõi các mô hình sau bàn giao.\n"
        "2. Phòng Quản lý khoa học kiểm tra việc duy trì mô hình nấm; báo cáo kết quả trước ngày 30/5/2026.\n"
    )
    assert [(d.lead, d.text.split(",")[0].split(";")[0], d.deadline) for d in proposal.directives] == [
        ("UBND xã Quảng Đức", "Rà soát các mô hình đã bàn giao", datetime.date(2026, 4, 10)),
        ("UBND xã Quảng Đức", "Bố trí cán bộ theo dõi các mô hình sau bàn giao", None),
        ("Phòng Quản lý khoa học", "Kiểm tra việc duy trì mô hình nấm", datetime.date(2026, 5, 30)),
    ]


def test_units_given_tasks_in_the_paragraph_after_the_chairs_conclusion_lead_them():
    proposal = propose(
        "Sở KH&CN làm việc với xã Tân Lập\n\nNgày 10/3/2026, đồng chí Nguyễn Văn An, Giám đốc Sở Khoa học và"
        " Công nghệ chủ trì buổi làm việc với UBND xã Tân Lập.\n\n"
        "Kết luận buổi làm việc, đồng chí Nguyễn Văn An đề nghị xã Tân Lập rà soát danh sách hộ trồng chè.\n\n"
        "Phòng Quản lý khoa học được giao chủ trì xây dựng thuyết minh nhiệm vụ về chè trong tháng 5. Trung tâm"
        " Ứng dụng tiến bộ khoa học và công nghệ có trách nhiệm chuyển giao giống chè mới trước ngày 30/6/2026.\n"
    )
    assert [(d.lead, d.text.split()[0]) for d in proposal.directives] == [
        ("UBND xã Tân Lập", "Rà"),
        ("Phòng Quản lý khoa học", "Chủ"),
        ("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "Chuyển"),
    ]
    assert proposal.directives[2].deadline == datetime.date(2026, 6, 30)


def test_giao_names_a_long_centre_before_a_design_task():
    proposal = propose(
        "Sở KH&CN làm việc với xã Tân Lập\n\nNgày 10/3/2026, đồng chí Nguyễn Văn An, Giám đốc Sở Khoa học và"
        " Công nghệ chủ trì buổi làm việc với UBND xã Tân Lập.\n\n"
        "Kết luận buổi làm việc, đồng chí Nguyễn Văn An giao Trung tâm Thông tin và Thống kê khoa học và công"
        " nghệ thiết kế phần mềm quản lý mô hình, chuyển giao cho xã trong quý III.\n"
    )
    [directive] = proposal.directives
    assert directive.lead == "Trung tâm Thông tin và Thống kê khoa học và công nghệ"
    assert directive.deadline == datetime.date(2026, 9, 30)


def test_a_semicolon_part_that_gives_a_task_to_another_unit_has_that_unit_as_lead():
    proposal = notice(
        "Đồng chí Trần Văn Khải kết luận như sau:\n"
        "- Giao Phòng Quản lý chuyên ngành hướng dẫn các hộ trồng quế đăng ký nhãn hiệu; giao Văn phòng Sở bố trí"
        " kinh phí in tem nhãn trong tháng 11.\n"
    )
    assert [(d.lead, d.text.split()[0], d.deadline) for d in proposal.directives] == [
        ("Phòng Quản lý chuyên ngành", "Hướng", None),
        ("Văn phòng Sở", "Bố", datetime.date(2026, 11, 30)),
    ]


def test_units_a_request_is_for_lead_it_when_the_verb_names_no_one():
    proposal = propose(
        CONG_VAN
        + "Đối với 37 xã, phường chưa cập nhật dữ liệu sáng kiến, đề nghị khẩn trương cập nhật và báo cáo"
        " về Sở trước ngày 15/6/2026.\n",
        known_provinces=["Hà Tĩnh"],
    )
    [directive] = proposal.directives
    assert directive.lead == "Các xã, phường chưa cập nhật dữ liệu sáng kiến"
    assert directive.deadline == datetime.date(2026, 6, 15)


def test_an_item_answering_a_petition_by_its_subject_gives_the_answer_as_a_directive():
    proposal = notice(
        "Đồng chí Trần Văn Khải kết luận như sau:\n"
        "1. Kiến nghị về kinh phí sửa chữa nhà sấy quế: Sở tổng hợp, báo cáo UBND tỉnh xem xét.\n"
    )
    [directive] = proposal.directives
    assert directive.lead == "Sở Khoa học và Công nghệ tỉnh Quảng Ninh"
    assert "tổng hợp" in directive.text.lower()


def test_a_task_on_money_already_given_is_not_a_unit_given_a_task():
    proposal = notice(
        "Đồng chí Trần Văn Khải kết luận như sau:\n"
        "1. UBND xã Quảng Đức giải ngân toàn bộ kinh phí được giao trước ngày 15/12/2026.\n"
    )
    [directive] = proposal.directives
    assert directive.lead == "UBND xã Quảng Đức"
    assert directive.text.startswith("Giải ngân toàn bộ kinh phí được giao")
    assert directive.deadline == datetime.date(2026, 12, 15)


def test_several_wards_by_name_and_a_commune_with_a_cooperative_are_several_lead_units():
    proposal = notice(
        "Đồng chí Trần Văn Khải kết luận như sau:\n"
        "1. UBND các phường Hạ Long, Cẩm Phả tổ chức tập huấn về nhãn hiệu trước ngày 15 tháng 7 năm 2026.\n"
        "2. Đề nghị xã Quảng Đức và Hợp tác xã Quế Hồi cùng xây dựng vùng nguyên liệu quế trong năm 2026.\n"
        "3. Giao Sở Kế hoạch và Đầu tư hướng dẫn xã lập dự án.\n"
    )
    assert [(d.leads, d.deadline) for d in proposal.directives] == [
        (["UBND phường Hạ Long", "UBND phường Cẩm Phả"], datetime.date(2026, 7, 15)),
        (["UBND xã Quảng Đức", "Hợp tác xã Quế Hồi"], datetime.date(2026, 12, 31)),
        (["Sở Kế hoạch và Đầu tư tỉnh Quảng Ninh"], None),
    ]
    assert proposal.directives[1].text.startswith("Xây dựng vùng nguyên liệu quế")


def test_post_reform_special_zones_quarters_and_related_departments():
    proposal = notice(
        "Đồng chí Trần Văn Khải kết luận như sau:\n"
        "1. UBND đặc khu Vân Đồn rà soát các mô hình nuôi biển, hoàn thành trong quý II.\n"
        "2. Các sở, ngành liên quan phối hợp với Sở Khoa học và Công nghệ cung cấp số liệu đổi mới sáng tạo"
        " trong tháng 9.\n"
    )
    assert [(d.leads, d.deadline, d.supporting) for d in proposal.directives] == [
        (["UBND đặc khu Vân Đồn"], datetime.date(2026, 6, 30), []),
        (
            ["Các sở, ngành liên quan"],
            datetime.date(2026, 9, 30),
            ["Sở Khoa học và Công nghệ tỉnh Quảng Ninh"],
        ),
    ]


@pytest.mark.parametrize(
    ("phrase", "deadline"),
    [
        ("Hoàn thiện hồ sơ trước ngày mười lăm tháng Bảy năm 2026.", datetime.date(2026, 7, 15)),
        ("Gửi báo cáo chậm nhất ngày ba mươi mốt tháng Mười Hai năm 2026.", datetime.date(2026, 12, 31)),
        ("Tổ chức hội thảo trong tháng Mười.", datetime.date(2026, 10, 31)),
        ("Nghiệm thu mô hình trước ngày hai mươi tháng Giêng.", datetime.date(2027, 1, 20)),
        ("Bàn giao thiết bị trong tháng Sáu năm 2026.", datetime.date(2026, 6, 30)),
        ("Báo cáo kết quả trong tháng sau.", None),  # "tháng sau" is next month, not June
    ],
)
def test_deadlines_with_days_and_months_in_words(phrase, deadline):
    from stims.drafting.dates import read_deadline

    assert read_deadline(phrase, datetime.date(2026, 3, 12))[1] == deadline


def test_a_figures_rating_or_mark_after_duoc_stays_in_its_label():
    from stims.drafting.figures import find_figures

    figures = find_figures(
        "Xã có 9 sản phẩm OCOP, trong đó 6 sản phẩm được xếp hạng 3 sao, 2 sản phẩm đã được cấp nhãn hiệu và"
        " 4 hộ đã tham gia."
    )
    assert [(f.label, int(f.value)) for f in figures] == [
        ("sản phẩm OCOP", 9),
        ("sản phẩm được xếp hạng 3 sao", 6),
        ("sản phẩm đã được cấp nhãn hiệu", 2),
        ("hộ", 4),
    ]
