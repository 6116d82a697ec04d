"""Seed 003: Nam Định's conference on grassroots S&T, 24/7/2023. Directives to "UBND các huyện, thành
phố" go to every people's committee of the city and districts (one directive each)."""

import pytest

from stims.meetings.models import ParticipantRole as Role

from .conftest import assert_directives, expected_figures, figures_of, participants_of, requests_of, session

# Each test loads the six demo sessions (about 4 s): the slow tier.
pytestmark = pytest.mark.slow

SO = "Sở Khoa học và Công nghệ tỉnh Nam Định"
DISTRICTS = [
    "UBND thành phố Nam Định",
    "UBND huyện Vụ Bản",
    "UBND huyện Ý Yên",
    "UBND huyện Nghĩa Hưng",
    "UBND huyện Nam Trực",
    "UBND huyện Trực Ninh",
    "UBND huyện Xuân Trường",
    "UBND huyện Giao Thủy",
    "UBND huyện Hải Hậu",
]


def test_nam_dinh_conference_is_the_articles(seed_sessions):
    s = session("2023-07-24", "Tỉnh Nam Định")
    assert ("Trần Lê Đoài", Role.CHAIR, "TUV, Phó Chủ tịch UBND tỉnh") in participants_of(s)
    assert {name for name, role, _ in participants_of(s) if role == Role.LOCALITY} == set(DISTRICTS)
    # "100% cơ quan hành chính trên địa bàn các huyện, thành phố đã xây dựng, áp dụng, duy trì cải tiến
    # hệ thống quản lý theo TCVN ISO 9001: 2015."
    assert figures_of(s) == expected_figures(
        [
            (
                "Cơ quan hành chính trên địa bàn các huyện, thành phố đã xây dựng, áp dụng, duy trì cải tiến hệ "
                "thống quản lý theo TCVN ISO 9001:2015",
                "100",
                "%",
                None,
            )
        ]
    )
    assert requests_of(s) == []
    r = "regularly"
    expected = [
        (SO, "đào tạo, tập huấn", r, None, False),
        (SO, "Phối hợp với Sở Tài chính", r, None, False),
        (SO, "xác định sản phẩm chủ lực", r, None, False),
        (SO, "thông tin, truyền thông", r, None, False),
    ]
    for district in DISTRICTS:
        expected += [
            (district, "Hội đồng tư vấn KH và CN cấp cơ sở", r, None, False),
            (district, "tiếp nhận và chịu trách nhiệm ứng dụng, nhân rộng", r, None, False),
            (district, "Bố trí cán bộ chuyên trách", r, None, False),
        ]
    assert_directives(s, expected)
    # Each of the three sentences to "UBND các huyện, thành phố" was entered once: one group of parts.
    groups = {}
    for d in s.directives.filter(lead_organization__name__in=DISTRICTS):
        groups.setdefault(d.group_id, []).append(d.lead_organization.name)
    assert None not in groups and len(groups) == 3
    assert all(sorted(names) == sorted(DISTRICTS) for names in groups.values())
    assert not s.directives.filter(lead_organization__name=SO).exclude(group=None).exists()
    finance = s.directives.get(text__startswith="Phối hợp với Sở Tài chính")
    assert [o.name for o in finance.supporting_organizations.all()] == ["Sở Tài chính tỉnh Nam Định"]
    media = s.directives.get(text__contains="thông tin, truyền thông")
    assert set(media.supporting_organizations.values_list("name", flat=True)) == set(DISTRICTS)
