"""Seed 004: the Vice-Chairman of UBND tỉnh Sơn La works with the Department of S&T, 05/6/2023."""

import pytest

from stims.meetings.models import ParticipantRole as Role
from stims.meetings.models import RequestStatus

from .conftest import assert_directives, expected_figures, figures_of, participants_of, requests_of, session

# Each test loads the six demo sessions (about 4 s): the slow tier.
pytestmark = pytest.mark.slow

SO = "Sở Khoa học và Công nghệ tỉnh Sơn La"


def test_son_la_session_is_the_articles(seed_sessions):
    s = session("2023-06-05", "Tỉnh Sơn La")
    assert participants_of(s) == {
        ("Nguyễn Thành Công", Role.CHAIR, "Phó Chủ tịch UBND tỉnh"),
        (SO, Role.REPORTER, "Lãnh đạo Sở báo cáo kết quả 5 tháng đầu năm 2023"),
    }
    # The results of the first five months of 2023, as the report gave them.
    assert figures_of(s) == expected_figures(
        [
            (
                "Văn bản chỉ đạo triển khai các hoạt động quản lý nhà nước về KH&CN Sở đã tham mưu trình Tỉnh ủy, "
                "HĐND, UBND tỉnh, Chủ tịch UBND tỉnh ban hành (5 tháng đầu năm)",
                "9",
                "văn bản",
                2023,
            ),
            (
                "Kết quả các đề tài, dự án KH&CN đã nghiệm thu được bàn giao cho các sở, ngành, Trường đại học, cao "
                "đẳng, đơn vị trên địa bàn tỉnh ứng dụng vào thực tiễn (5 tháng đầu năm)",
                "12",
                "kết quả",
                2023,
            ),
            (
                "Nhiệm vụ KH&CN chuyển tiếp từ năm 2021 sang tiếp tục triển khai thực hiện",
                "29",
                "nhiệm vụ",
                2023,
            ),
            ("Đề tài cấp tỉnh chuyển tiếp từ năm 2021", "24", "đề tài", 2023),
            (
                "Dự án thuộc Chương trình Nông thôn miền núi nhóm Trung ương quản lý chuyển tiếp từ năm 2021",
                "4",
                "dự án",
                2023,
            ),
            ("Đề tài cấp thiết địa phương cấp Quốc gia chuyển tiếp từ năm 2021", "1", "đề tài", 2023),
            (
                "Đề tài cấp tỉnh thực hiện năm 2023 đã tổ chức Hội đồng tư vấn tuyển chọn tổ chức, cá nhân chủ trì",
                "9",
                "đề tài",
                2023,
            ),
            (
                "Đề tài cấp tỉnh thực hiện năm 2023 theo Quyết định số 2423/QĐ-UBND ngày 18/11/2022 và Quyết định "
                "số 338/QĐ-UBND ngày 07/03/2023 của UBND tỉnh",
                "13",
                "đề tài",
                2023,
            ),
            (
                "Dự án xây dựng quản lý và phát triển thương hiệu sản phẩm chủ lực của tỉnh chuyển tiếp từ năm 2021 "
                "sang năm 2023",
                "5",
                "dự án",
                2023,
            ),
            (
                "Dự án thuộc Chương trình phát triển tài sản trí tuệ trên địa bàn tỉnh Sơn La giai đoạn 2021 - 2025 "
                "và đến năm 2030",
                "5",
                "dự án",
                2023,
            ),
        ]
    )
    requests = requests_of(s)
    assert [(text[:45], status) for text, status, _ in requests] == [
        ("Khó khăn, vướng mắc về phân bổ dự toán ngân s", RequestStatus.ACCEPTED),
        ("Khó khăn, vướng mắc về việc xây dựng kế hoạch", RequestStatus.OPEN),
    ]
    assert "bổ sung dự toán ngân sách nhà nước" in requests[0][2] and requests[1][2] == ""
    r = "regularly"
    assert_directives(
        s,
        [
            (SO, "Tiếp tục rà soát các văn bản quy phạm pháp luật", r, None, False),
            # No date in the article for the urgent one-off items: session + 30 days, flagged illustrative.
            (SO, "bổ sung dự toán ngân sách", "once", "2023-07-05", True),
            (
                SO,
                "hội nghị đánh giá công tác quản lý, xây dựng, phát triển thương hiệu",
                "once",
                "2023-07-05",
                True,
            ),
            ("Trung tâm Hỗ trợ Khởi nghiệp đổi mới sáng tạo", "Phú Nhuận Farm", r, None, False),
            (SO, "kéo dài thời gian nghiên cứu", "once", "2023-07-05", True),
            (
                SO,
                "bộ chỉ số đổi mới sáng tạo cấp địa phương năm 2023 và hàng năm",
                "annually",
                "2023-12-31",
                True,
            ),
            (SO, "tổ chức cán bộ", r, None, False),
            (SO, "kinh doanh xăng dầu", r, None, False),
            (SO, "Rà soát lại toàn bộ văn bản", r, None, False),
        ],
    )
