"""Seed 001: Sở KH&CN Quảng Ninh works with UBND huyện Bình Liêu (morning) and UBND huyện Ba Chẽ
(afternoon), 13/3/2023: two sessions, each on its locality. The aims of the coordination programme
(100 % of key products guided on industrial property, at least one S&T enterprise, "01 đến 02"
enterprises a year) are not reported figures."""

from html import escape

import pytest
from django.urls import reverse

from stims.accounts.models import User
from stims.meetings.models import ParticipantRole as Role
from stims.meetings.models import RequestStatus
from stims.testing import make_user, unit

from .conftest import assert_directives, expected_figures, figures_of, participants_of, requests_of, session

# Each test loads the six demo sessions (about 4 s): the slow tier.
pytestmark = pytest.mark.slow

SO = "Sở Khoa học và Công nghệ tỉnh Quảng Ninh"
DIRECTOR = ("Phạm Xuân Đài", Role.CHAIR, "Tỉnh ủy viên, Bí thư Đảng ủy, Giám đốc Sở KH&CN")


def test_binh_lieu_morning_session_is_the_articles(seed_sessions):
    s = session("2023-03-13", "Huyện Bình Liêu")
    assert participants_of(s) == {
        DIRECTOR,
        ("Đỗ Xuân Trường", Role.LOCALITY, "Phó Chủ tịch UBND huyện Bình Liêu"),
        ("UBND huyện Bình Liêu", Role.REPORTER, "Báo cáo kết quả phát triển KH&CN và ĐMST năm 2022"),
    }
    # "27 sản phẩm tham gia chương trình OCOP, trong đó 11 sản phẩm 3 sao; 01 sản phẩm 4 sao; có 03 sản
    # phẩm đã được xây dựng nhãn hiệu. Năm 2022 … đặt hàng 04 nhiệm vụ KH&CN cấp tỉnh, trong đó 03
    # nhiệm vụ NCKH&PTCN và 01 nhiệm vụ thuộc Chương trình phát triển tài sản trí tuệ."
    assert figures_of(s) == expected_figures(
        [
            ("Sản phẩm tham gia chương trình OCOP", "27", "sản phẩm", None),
            ("Sản phẩm OCOP 3 sao", "11", "sản phẩm", None),
            ("Sản phẩm OCOP 4 sao", "1", "sản phẩm", None),
            ("Sản phẩm đã được xây dựng nhãn hiệu", "3", "sản phẩm", None),
            ("Nhiệm vụ KH&CN cấp tỉnh huyện đã đặt hàng", "4", "nhiệm vụ", 2022),
            ("Nhiệm vụ NCKH&PTCN huyện đã đặt hàng", "3", "nhiệm vụ", 2022),
            (
                "Nhiệm vụ thuộc Chương trình phát triển tài sản trí tuệ huyện đã đặt hàng",
                "1",
                "nhiệm vụ",
                2022,
            ),
        ]
    )
    assert requests_of(s) == []  # Bình Liêu made no request in the article
    r = "regularly"
    assert_directives(
        s,
        [
            ("UBND huyện Bình Liêu", "công tác sở hữu trí tuệ", r, None, False),
            ("UBND huyện Bình Liêu", "kết cấu hạ tầng và KH&CN", r, None, False),
            (SO, "Hỗ trợ Bình Liêu", r, None, False),
            (SO, "bổ sung nội dung", r, None, False),
        ],
    )


def test_ba_che_afternoon_session_is_the_articles(seed_sessions):
    s = session("2023-03-13", "Huyện Ba Chẽ")
    assert participants_of(s) == {
        DIRECTOR,
        ("Đỗ Mạnh Hùng", Role.LOCALITY, "Phó bí thư Huyện uỷ, Chủ tịch UBND huyện Ba Chẽ"),
    }
    # "bố trí 550 triệu cho phát triển KH&CN. Huyện có 06 sản phẩm đã được xây dựng thương hiệu; 13 sản
    # phẩm OCOP, trong đó 08 sản phẩm được xếp 3 sao và 05 sản phẩm được xếp hạng 4 sao … 01 doanh
    # nghiệp KH&CN … hướng dẫn ghi nhãn hàng hoá cho 09 cơ sở … 81% là dân tộc thiểu số"
    assert figures_of(s) == expected_figures(
        [
            ("Kinh phí UBND huyện bố trí cho phát triển KH&CN", "550000000", "VND", 2022),
            ("Sản phẩm đã được xây dựng thương hiệu", "6", "sản phẩm", None),
            ("Sản phẩm OCOP", "13", "sản phẩm", None),
            ("Sản phẩm OCOP được xếp hạng 3 sao", "8", "sản phẩm", None),
            ("Sản phẩm OCOP được xếp hạng 4 sao", "5", "sản phẩm", None),
            (
                "Doanh nghiệp KH&CN trên địa bàn huyện (Công ty CP Kinh doanh lâm sản Đạp Thanh)",
                "1",
                "doanh nghiệp",
                None,
            ),
            ("Cơ sở được Sở KH&CN hướng dẫn ghi nhãn hàng hoá", "9", "cơ sở", 2022),
            ("Dân số là người dân tộc thiểu số", "81", "%", None),
        ]
    )
    # Three requests; the article gives no answer to any of them.
    assert requests_of(s) == [
        ("Có hướng dẫn cụ thể giúp hoàn thiện công bố chất lượng sản phẩm OCOP", RequestStatus.OPEN, ""),
        ("Hỗ trợ huyện triển khai thực hiện mô hình ứng dụng công nghệ 4.0", RequestStatus.OPEN, ""),
        (
            "Kết nối địa phương với doanh nghiệp có giống, kinh phí và có quy trình sản xuất ứng dụng công nghệ "
            "hiện đại, bao tiêu sản phẩm để việc triển khai các nhiệm vụ đạt kết quả",
            RequestStatus.OPEN,
            "",
        ),
    ]
    r, bache = "regularly", "UBND huyện Ba Chẽ"
    assert_directives(
        s,
        [
            (bache, "chế biến sâu các sản phẩm trà hoa vàng, ba kích tím", r, None, False),
            (bache, "Nuôi cá tầm, cá chình", r, None, False),
            (bache, "mô hình HTX", r, None, False),
            # "… trong năm 2023": the article's own date.
            (bache, "trồng sâm", "once", "2023-12-31", False),
            (SO, "Hỗ trợ địa phương đẩy mạnh ứng dụng", r, None, False),
        ],
    )


def test_the_ba_che_officer_sees_ba_ches_session_and_requests_on_the_page_and_in_the_api(
    seed_sessions, client
):
    s = session("2023-03-13", "Huyện Ba Chẽ")
    morning = session("2023-03-13", "Huyện Bình Liêu")
    officer = User.objects.filter(username="canbo.bache").first() or make_user(
        "local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True)
    )
    client.force_login(officer)
    assert client.get(s.get_absolute_url()).status_code == 200
    assert client.get(morning.get_absolute_url()).status_code == 404
    listed = client.get(reverse("meetings:workingsession_list")).content.decode()
    assert escape(s.title) in listed and escape(morning.title) not in listed
    requests_page = client.get(reverse("meetings:localityrequest_list")).content.decode()
    assert "Hỗ trợ huyện triển khai thực hiện mô hình ứng dụng công nghệ 4.0" in requests_page
    api = client.get("/api/meetings/sessions/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [row["id"] for row in rows] == [s.pk]
    requests = client.get("/api/meetings/requests/").json()
    rows = requests["results"] if isinstance(requests, dict) else requests
    assert sorted(row["id"] for row in rows) == sorted(s.requests.values_list("pk", flat=True))
    assert len(rows) == 3
