"""Seed 000: Sở KH&CN Thái Nguyên works with huyện Định Hóa, 27/4/2023."""

import pytest

from stims.meetings.models import ParticipantRole as Role
from stims.meetings.models import RequestStatus

from .conftest import assert_directives, figures_of, participants_of, requests_of, session

# Each test loads the six demo sessions (about 4 s): the slow tier.
pytestmark = pytest.mark.slow

AGREED = RequestStatus.ACCEPTED


def test_dinh_hoa_session_is_the_articles(seed_sessions):
    s = session("2023-04-27", "Huyện Định Hóa")
    assert s.host_organization.name == "Sở Khoa học và Công nghệ tỉnh Thái Nguyên"
    assert s.chair.full_name == "Phạm Quốc Chính"
    assert participants_of(s) == {
        ("Phạm Quốc Chính", Role.CHAIR, "Bí thư Đảng ủy, Giám đốc Sở KH&CN"),
        ("Hoàng Đức Vỹ", Role.HOST, "Phó Giám đốc Sở"),
        ("Nguyễn Minh Tú", Role.LOCALITY, "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Định Hóa"),
        ("Lý Văn Thắng", Role.LOCALITY, "Phó Chủ tịch UBND huyện"),
    }
    # The article reports no figure (results of 2020–2022 in words only).
    assert figures_of(s) == set()
    # "…đồng chí Giám đốc Sở KH&CN đồng tình với huyện và giao cho Phòng Khoa học … các Phòng chuyên môn …"
    requests = requests_of(s)
    assert [(text[:40], status) for text, status, _ in requests] == [
        ("Tiếp tục quan tâm hỗ trợ về chuyên môn, ", AGREED),
        ("Hỗ trợ phục tráng giống lúa Bao Thai, lú", AGREED),
        ("Hỗ trợ cấp quyền bảo hộ các sản phẩm chủ", AGREED),
    ]
    assert "đào tạo, tập huấn" in requests[0][2]
    assert "Phòng Khoa học" in requests[1][2]
    assert "nhãn hiệu tập thể gạo Bao Thai" in requests[2][2] and "quế" in requests[2][2]
    district, science, dept = (
        "UBND huyện Định Hóa",
        "Phòng Khoa học",
        "Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
    )
    r = "regularly"
    assert_directives(
        s,
        [
            (district, "phối hợp các Viện, Trường Đại học", r, None, False),
            (district, "sản phẩm OCOP phải gắn chặt thương hiệu", r, None, False),
            (district, "quản lý nhà nước về công nghệ các dự án đầu tư", r, None, False),
            (district, "tiêu chuẩn, đo lường, chất lượng", r, None, False),
            # The advisory council and ISO 9001 are two items, not one.
            (district, "hội đồng tư vấn khoa học, công nghệ cấp huyện", r, None, False),
            (district, "ISO 9001:2015", r, None, False),
            (science, "phục tráng lúa Bao Thai Định Hóa và lúa Nếp Vải Định Biên", r, None, False),
            (dept, "nhãn hiệu tập thể gạo Bao Thai", r, None, False),
            (dept, "đào tạo, tập huấn", r, None, False),
        ],
    )
    # Each agreed request is answered by the assignment the director gave.
    for request in s.requests.all():
        assert request.directives.count() == 1
