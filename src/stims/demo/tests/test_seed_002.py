"""Seed 002: UBND tỉnh Quảng Trị works with its Department of S&T, 29/11/2023."""

import pytest

from stims.meetings.models import ParticipantRole as Role
from stims.meetings.models import RequestStatus

from .conftest import assert_directives, figures_of, participants_of, requests_of, session

# Each test loads the six demo sessions (about 4 s): the slow tier.
pytestmark = pytest.mark.slow

SO = "Sở Khoa học và Công nghệ tỉnh Quảng Trị"
# "Về các kiến nghị của sở …, Chủ tịch UBND tỉnh Võ Văn Hưng thống nhất cao và giao các ngành liên quan
# rà soát, phối hợp và hỗ trợ tốt nhất để sở thực hiện tốt hơn nhiệm vụ của mình trong thời gian tới."
ANSWER = (
    "Chủ tịch UBND tỉnh thống nhất cao với các kiến nghị của sở và giao các ngành liên quan rà soát, "
    "phối hợp và hỗ trợ tốt nhất để sở thực hiện tốt hơn nhiệm vụ của mình trong thời gian tới."
)


def test_quang_tri_session_is_the_articles(seed_sessions):
    s = session("2023-11-29", "Tỉnh Quảng Trị")
    assert s.host_organization.name == "UBND tỉnh Quảng Trị"
    # "đồng chí Võ Văn Hưng … và Phó Chủ tịch UBND tỉnh Lê Đức Tiến đã chủ trì": two chairs.
    assert participants_of(s) == {
        ("Võ Văn Hưng", Role.CHAIR, "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"),
        ("Lê Đức Tiến", Role.CO_CHAIR, "Phó Chủ tịch UBND tỉnh"),
        ("Trần Ngọc Lân", Role.REPORTER, "Giám đốc sở Khoa học và Công nghệ"),
    }
    assert figures_of(s) == set()
    assert requests_of(s) == [
        ("Quan tâm bố trí đủ nguồn kinh phí để hoạt động", RequestStatus.ACCEPTED, ANSWER),
        (
            "Cho phép lãnh đạo sở đi nghiên cứu học tập các công nghệ mới trên thế giới",
            RequestStatus.ACCEPTED,
            ANSWER,
        ),
        ("Cho chủ trương để sửa chữa trụ sở", RequestStatus.ACCEPTED, ANSWER),
    ]
    assert all(r.from_organization.name == SO and r.responded_on == s.held_on for r in s.requests.all())
    r = "regularly"
    assert_directives(
        s,
        [
            (SO, "Tiếp thu các ý kiến", r, None, False),
            (
                SO,
                "Chiến lược phát triển khoa học, công nghệ và đổi mới sáng tạo đến năm 2030",
                "once",
                "2030-12-31",
                False,
            ),
            # "Tham mưu UBND tỉnh ban hành …": no date in the article — illustrative, flagged.
            (
                SO,
                "Chương trình hành động về phát triển và ứng dụng công nghệ sinh học",
                "once",
                "2023-12-29",
                True,
            ),
            (SO, "nghiên cứu khoa học, phát triển công nghệ", r, None, False),
            (SO, "Ứng dụng và chuyển giao tiến bộ khoa học", r, None, False),
            (SO, "Đề án Ứng dụng chế phẩm vi sinh vật", r, None, False),
            (SO, "chương trình hỗ trợ về sở hữu trí tuệ", r, None, False),
            (SO, "thương mại hóa", r, None, False),
            (SO, "tiêu chuẩn, đo lường, chất lượng", r, None, False),
            (SO, "năng lực đổi mới sáng tạo", r, None, False),
            (SO, "hỗ trợ doanh nghiệp trong lĩnh vực khoa học công nghệ", r, None, False),
        ],
    )
