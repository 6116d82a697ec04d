"""Demo working sessions for `stims demo`: the sessions the five seed articles report, as the articles
report them.

Each session below is written out by hand from its article (the texts are in `demo_seeds/`): seed 001
reports two sessions on 13/3/2023 (the morning with UBND huyện Bình Liêu, the afternoon with UBND
huyện Ba Chẽ), so it becomes two sessions, each on its own locality. Participants carry the role the
article gives them (chair, co-chair, report, delegation); figures carry the article's full label and
unit; requests carry the answer the article gives (none when it gives none); directives go to the
units the article names, one directive per unit when it names several ("UBND các huyện, thành phố"
of Nam Định: every district and the city), the parts of one sentence tied by a `DirectiveGroup`
(`meetings.services.assign_to_units`).

What the articles do not give is left empty, except one thing a directive needs: a one-off directive
whose article names no date gets the session date + 30 days as its deadline, flagged
`deadline_is_illustrative` (shown "(minh họa)" on the pages and in the API). Targets and plans agreed
at a session (100 % of key products guided on IP, at least one S&T enterprise, "01 đến 02 mỗi năm")
are not reported figures and are not recorded here: they belong to the coordination programme.

A session whose date and title are already recorded is skipped, so a second run creates nothing. The
per-article tests (`demo/tests/test_seed_*.py`) compare these records with lists written from the
articles independently of this module.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from stims.accounts.models import User
from stims.demo.orgs import DEMO_REASON, NAM_DINH_DISTRICTS, load_directory
from stims.meetings import services
from stims.meetings.models import (
    Directive,
    LocalityRequest,
    Participant,
    Recurrence,
    RequestStatus,
    SessionFigure,
    SessionStatus,
    WorkingSession,
)
from stims.meetings.models import ParticipantRole as Role

Date = datetime.date

# The five seed articles (public news reports), the demo's source and the drafting tests' input.
SEEDS = Path(__file__).parent / "demo_seeds"
# The articles give no date for one-off work ("khẩn trương tham mưu …"); the demo sets one month after
# the session, as a department would when it issues the conclusion notice, and flags it illustrative.
ONE_OFF_DAYS = 30

ONCE, REGULARLY, ANNUALLY = Recurrence.ONCE, Recurrence.REGULARLY, Recurrence.ANNUALLY


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]


@dataclass(frozen=True)
class P:
    """A participant: a directory person (key) or organization (org key), the position that day, role."""

    role: str
    position: str = ""
    person: str = ""
    org: str = ""


@dataclass(frozen=True)
class F:
    label: str
    value: str
    unit: str
    year: int | None = None
    sentence: str = ""


@dataclass(frozen=True)
class R:
    """A request; `answer` is the article's own answer (empty when it gives none)."""

    text: str
    to: str  # organization key
    answer: str = ""
    by_org: str = ""  # a request made by an organization (a department) rather than the locality


@dataclass(frozen=True)
class D:
    text: str
    leads: tuple[str, ...]  # one directive per lead unit (the article names several)
    supporting: tuple[str, ...] = ()
    recurrence: str = REGULARLY
    deadline: Date | None = None  # the article's own date; None with ONCE/ANNUALLY = illustrative
    request: int | None = None  # index of the request it answers


@dataclass(frozen=True)
class S:
    seed: str
    title: str
    held_on: Date
    host: str
    unit: str
    chair: str
    chair_position: str
    participants: tuple[P, ...]
    figures: tuple[F, ...] = ()
    requests: tuple[R, ...] = ()
    directives: tuple[D, ...] = ()


QN_DAY = Date(2023, 3, 13)
ND_DISTRICTS = ("ubnd_h_haihau", *(key for key, _name, _unit in NAM_DINH_DISTRICTS))

SESSIONS: tuple[S, ...] = (
    # --- Seed 000: Sở KH&CN Thái Nguyên at Định Hóa, 27/4/2023 ----------------------------------------
    S(
        seed="000",
        title="Sở KH&CN làm việc với huyện Định Hóa",
        held_on=Date(2023, 4, 27),
        host="so_tn",
        unit="old_h_dinhhoa",
        chair="pham_quoc_chinh",
        chair_position="Bí thư Đảng ủy, Giám đốc Sở KH&CN",
        participants=(
            P(Role.CHAIR, "Bí thư Đảng ủy, Giám đốc Sở KH&CN", person="pham_quoc_chinh"),
            P(Role.HOST, "Phó Giám đốc Sở", person="hoang_duc_vy"),
            P(Role.LOCALITY, "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Định Hóa", person="nguyen_minh_tu"),
            P(Role.LOCALITY, "Phó Chủ tịch UBND huyện", person="ly_van_thang"),
        ),
        requests=(
            R(
                "Tiếp tục quan tâm hỗ trợ về chuyên môn, nghiệp vụ thuộc lĩnh vực quản lý nhà nước về KH&CN",
                "so_tn",
                "Giám đốc Sở KH&CN đồng tình với huyện; giao các Phòng chuyên môn của Sở tăng cường hỗ trợ "
                "đào tạo, tập huấn về khoa học và công nghệ theo nhu cầu và đề xuất của địa phương.",
            ),
            R(
                "Hỗ trợ phục tráng giống lúa Bao Thai, lúa Nếp Vải là hai giống lúa đặc sản của huyện để bảo tồn",
                "so_tn",
                "Giám đốc Sở KH&CN đồng tình với huyện; giao Phòng Khoa học hỗ trợ huyện thực hiện phục tráng "
                "lúa Bao Thai Định Hóa và lúa Nếp Vải Định Biên.",
            ),
            R(
                "Hỗ trợ cấp quyền bảo hộ các sản phẩm chủ lực của địa phương",
                "so_tn",
                "Giám đốc Sở KH&CN đồng tình với huyện; giao các Phòng chuyên môn của Sở phối hợp với huyện rà "
                "soát các quy trình quản lý nhãn hiệu tập thể gạo Bao Thai Định Hóa và hỗ trợ huyện xác lập "
                "quyền sở hữu trí tuệ cho lúa Nếp vải Định Biên và sản phẩm quế.",
            ),
        ),
        directives=(
            D(
                "Tăng cường phối hợp các Viện, Trường Đại học, các Doanh nghiệp ứng dụng chuyển giao công nghệ và "
                "hoạt động khởi nghiệp đổi mới sáng tạo để tận dụng tốt tiềm năng phát triển khoa học, công nghệ",
                ("ubnd_h_dinhhoa",),
            ),
            D(
                "Xây dựng các sản phẩm OCOP phải gắn chặt thương hiệu, nhãn hiệu và xác lập quyền sở hữu trí tuệ",
                ("ubnd_h_dinhhoa",),
            ),
            D("Tiếp tục tăng cường quản lý nhà nước về công nghệ các dự án đầu tư", ("ubnd_h_dinhhoa",)),
            D(
                "Quan tâm nâng cao hiệu lực hiệu quả quản lý nhà nước về tiêu chuẩn, đo lường, chất lượng",
                ("ubnd_h_dinhhoa",),
            ),
            D("Kiện toàn và duy trì hội đồng tư vấn khoa học, công nghệ cấp huyện", ("ubnd_h_dinhhoa",)),
            D(
                "Quan tâm tiêu chuẩn ISO 9001:2015 trong hoạt động của các cơ quan hành chính nhà nước",
                ("ubnd_h_dinhhoa",),
            ),
            D(
                "Hỗ trợ huyện thực hiện phục tráng lúa Bao Thai Định Hóa và lúa Nếp Vải Định Biên",
                ("p_kh_tn",),
                request=1,
            ),
            D(
                "Phối hợp với huyện rà soát các quy trình quản lý nhãn hiệu tập thể gạo Bao Thai Định Hóa và hỗ trợ "
                "huyện xác lập quyền sở hữu trí tuệ cho lúa Nếp vải Định Biên và sản phẩm quế",
                ("so_tn",),
                supporting=("ubnd_h_dinhhoa",),
                request=2,
            ),
            D(
                "Tăng cường hỗ trợ đào tạo, tập huấn về khoa học và công nghệ theo nhu cầu và đề xuất của địa phương",
                ("so_tn",),
                request=0,
            ),
        ),
    ),
    # --- Seed 001, morning: Sở KH&CN Quảng Ninh with UBND huyện Bình Liêu, 13/3/2023 -----------------
    S(
        seed="001",
        title="Sở KH&CN làm việc với UBND huyện Bình Liêu về triển khai hoạt động KH&CN và ĐMST năm 2023",
        held_on=QN_DAY,
        host="so_qn",
        unit="old_h_binhlieu",
        chair="pham_xuan_dai",
        chair_position="Tỉnh ủy viên, Bí thư Đảng ủy, Giám đốc Sở KH&CN",
        participants=(
            P(Role.CHAIR, "Tỉnh ủy viên, Bí thư Đảng ủy, Giám đốc Sở KH&CN", person="pham_xuan_dai"),
            P(Role.LOCALITY, "Phó Chủ tịch UBND huyện Bình Liêu", person="do_xuan_truong"),
            P(Role.REPORTER, "Báo cáo kết quả phát triển KH&CN và ĐMST năm 2022", org="ubnd_h_binhlieu"),
        ),
        figures=(
            F("Sản phẩm tham gia chương trình OCOP", "27", "sản phẩm"),
            F("Sản phẩm OCOP 3 sao", "11", "sản phẩm"),
            F("Sản phẩm OCOP 4 sao", "1", "sản phẩm"),
            F("Sản phẩm đã được xây dựng nhãn hiệu", "3", "sản phẩm"),
            F("Nhiệm vụ KH&CN cấp tỉnh huyện đã đặt hàng", "4", "nhiệm vụ", 2022),
            F("Nhiệm vụ NCKH&PTCN huyện đã đặt hàng", "3", "nhiệm vụ", 2022),
            F(
                "Nhiệm vụ thuộc Chương trình phát triển tài sản trí tuệ huyện đã đặt hàng",
                "1",
                "nhiệm vụ",
                2022,
            ),
        ),
        directives=(
            D(
                "Quan tâm đến công tác sở hữu trí tuệ, đẩy mạnh ứng dụng KH&CN để nâng cao giá trị các sản phẩm "
                "chủ lực, có thế mạnh của địa phương",
                ("ubnd_h_binhlieu",),
            ),
            D(
                "Đầu tư đồng bộ về kết cấu hạ tầng và KH&CN, thúc đẩy sản xuất theo chuỗi gắn với thị trường, hình "
                "thành các HTX đẩy mạnh ứng dụng KH&CN, quan tâm phát triển du lịch bền vững",
                ("ubnd_h_binhlieu",),
            ),
            D(
                "Hỗ trợ Bình Liêu triển khai thực hiện các nhiệm vụ KH&CN, mô hình ứng dụng, chuyển giao KH&CN để "
                "góp phần nâng cao chất lượng đời sống nhân dân",
                ("so_qn",),
            ),
            D(
                "Tiếp tục nghiên cứu, bổ sung nội dung (chương trình phối hợp) phù hợp với đặc điểm tình hình phát "
                "triển kinh tế - xã hội của huyện",
                ("so_qn",),
            ),
        ),
    ),
    # --- Seed 001, afternoon: Sở KH&CN Quảng Ninh with UBND huyện Ba Chẽ, 13/3/2023 -------------------
    S(
        seed="001",
        title="Sở KH&CN làm việc với UBND huyện Ba Chẽ về triển khai hoạt động KH&CN và ĐMST năm 2023",
        held_on=QN_DAY,
        host="so_qn",
        unit="old_h_bache",
        chair="pham_xuan_dai",
        chair_position="Tỉnh ủy viên, Bí thư Đảng ủy, Giám đốc Sở KH&CN",
        participants=(
            P(Role.CHAIR, "Tỉnh ủy viên, Bí thư Đảng ủy, Giám đốc Sở KH&CN", person="pham_xuan_dai"),
            P(Role.LOCALITY, "Phó bí thư Huyện uỷ, Chủ tịch UBND huyện Ba Chẽ", person="do_manh_hung"),
        ),
        figures=(
            F("Kinh phí UBND huyện bố trí cho phát triển KH&CN", "550000000", "VND", 2022),
            F("Sản phẩm đã được xây dựng thương hiệu", "6", "sản phẩm"),
            F("Sản phẩm OCOP", "13", "sản phẩm"),
            F("Sản phẩm OCOP được xếp hạng 3 sao", "8", "sản phẩm"),
            F("Sản phẩm OCOP được xếp hạng 4 sao", "5", "sản phẩm"),
            F(
                "Doanh nghiệp KH&CN trên địa bàn huyện (Công ty CP Kinh doanh lâm sản Đạp Thanh)",
                "1",
                "doanh nghiệp",
            ),
            F("Cơ sở được Sở KH&CN hướng dẫn ghi nhãn hàng hoá", "9", "cơ sở", 2022),
            F("Dân số là người dân tộc thiểu số", "81", "%"),
        ),
        requests=(
            R("Có hướng dẫn cụ thể giúp hoàn thiện công bố chất lượng sản phẩm OCOP", "so_qn"),
            R("Hỗ trợ huyện triển khai thực hiện mô hình ứng dụng công nghệ 4.0", "so_qn"),
            R(
                "Kết nối địa phương với doanh nghiệp có giống, kinh phí và có quy trình sản xuất ứng dụng công nghệ "
                "hiện đại, bao tiêu sản phẩm để việc triển khai các nhiệm vụ đạt kết quả",
                "so_qn",
            ),
        ),
        directives=(
            D(
                "Quan tâm đẩy mạnh ứng dụng công nghệ, kết nối công nghệ chế biến sâu các sản phẩm trà hoa vàng, "
                "ba kích tím",
                ("ubnd_h_bache",),
            ),
            D("Nuôi cá tầm, cá chình", ("ubnd_h_bache",)),
            D("Hình thành mô hình HTX để khai thác hiệu quả nguồn tài nguyên đất đai", ("ubnd_h_bache",)),
            D(
                "Nghiên cứu công nghệ trồng sâm theo hướng thu hoạch từng năm và triển khai thực hiện mô hình trồng "
                "cây gỗ lớn kết hợp trồng dược liệu trong năm 2023",
                ("ubnd_h_bache",),
                recurrence=ONCE,
                deadline=Date(2023, 12, 31),
            ),
            D(
                "Hỗ trợ địa phương đẩy mạnh ứng dụng khoa học và công nghệ vào sản xuất, góp phần thúc đẩy kinh tế "
                "xã hội của huyện, nâng cao chất lượng đời sống nhân dân",
                ("so_qn",),
            ),
        ),
    ),
    # --- Seed 002: UBND tỉnh Quảng Trị with its department, 29/11/2023 --------------------------------
    S(
        seed="002",
        title="UBND tỉnh Quảng Trị làm việc với sở Khoa học và Công nghệ",
        held_on=Date(2023, 11, 29),
        host="ubnd_qt",
        unit="qt_legacy",
        chair="vo_van_hung",
        chair_position="Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
        participants=(
            P(Role.CHAIR, "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", person="vo_van_hung"),
            P(Role.CO_CHAIR, "Phó Chủ tịch UBND tỉnh", person="le_duc_tien"),
            P(Role.REPORTER, "Giám đốc sở Khoa học và Công nghệ", person="tran_ngoc_lan"),
        ),
        requests=tuple(
            R(
                text,
                "ubnd_qt",
                "Chủ tịch UBND tỉnh thống nhất cao với các kiến nghị của sở và giao các ngành liên quan rà soát, "
                "phối hợp và hỗ trợ tốt nhất để sở thực hiện tốt hơn nhiệm vụ của mình trong thời gian tới.",
                by_org="so_qt",
            )
            for text in (
                "Quan tâm bố trí đủ nguồn kinh phí để hoạt động",
                "Cho phép lãnh đạo sở đi nghiên cứu học tập các công nghệ mới trên thế giới",
                "Cho chủ trương để sửa chữa trụ sở",
            )
        ),
        directives=tuple(
            D(text, ("so_qt",), recurrence=recurrence, deadline=deadline)
            for text, recurrence, deadline in (
                (
                    "Tiếp thu các ý kiến để tiếp tục triển khai thực hiện tốt nhiệm vụ của mình",
                    REGULARLY,
                    None,
                ),
                (
                    "Tập trung thực hiện Chiến lược phát triển khoa học, công nghệ và đổi mới sáng tạo đến năm 2030",
                    ONCE,
                    Date(2030, 12, 31),
                ),
                (
                    "Tham mưu UBND tỉnh ban hành và tổ chức thực hiện có hiệu quả Chương trình hành động về phát "
                    "triển và ứng dụng công nghệ sinh học phục vụ phát triển bền vững đất nước trong tình hình mới",
                    ONCE,
                    None,
                ),
                ("Tăng cường công tác nghiên cứu khoa học, phát triển công nghệ", REGULARLY, None),
                (
                    "Ứng dụng và chuyển giao tiến bộ khoa học và công nghệ phục vụ sản xuất và đời sống",
                    REGULARLY,
                    None,
                ),
                (
                    "Tổ chức thực hiện có hiệu quả chính sách hỗ trợ ứng dụng, nhân rộng các kết quả khoa học và công "
                    "nghệ trên địa bàn tỉnh và Đề án Ứng dụng chế phẩm vi sinh vật trong sản xuất nông nghiệp giai "
                    "đoạn 2021 - 2025, định hướng đến năm 2030 trên địa bàn tỉnh Quảng Trị",
                    REGULARLY,
                    None,
                ),
                (
                    "Triển khai tốt các chương trình hỗ trợ về sở hữu trí tuệ, bảo hộ và khai thác hiệu quả, hợp lý "
                    "các tài sản trí tuệ trên địa bàn tỉnh",
                    REGULARLY,
                    None,
                ),
                (
                    "Khuyến khích thương mại hóa và chuyển giao công nghệ, quyền sở hữu trí tuệ",
                    REGULARLY,
                    None,
                ),
                (
                    "Tăng cường hỗ trợ doanh nghiệp trong lĩnh vực tiêu chuẩn, đo lường, chất lượng nhằm nâng cao "
                    "năng suất, chất lượng và giá trị sản phẩm hàng hóa",
                    REGULARLY,
                    None,
                ),
                (
                    "Triển khai mạnh mẽ các chính sách phát triển và nâng cao năng lực đổi mới sáng tạo",
                    REGULARLY,
                    None,
                ),
                (
                    "Triển khai có hiệu quả các chính sách hỗ trợ doanh nghiệp trong lĩnh vực khoa học công nghệ",
                    REGULARLY,
                    None,
                ),
            )
        ),
    ),
    # --- Seed 003: Nam Định's conference on grassroots S&T, 24/7/2023 ---------------------------------
    S(
        seed="003",
        title="Nâng cao hơn nữa hiệu quả hoạt động khoa học và công nghệ cấp cơ sở",
        held_on=Date(2023, 7, 24),
        host="so_nd",
        unit="old_nd",
        chair="tran_le_doai",
        chair_position="TUV, Phó Chủ tịch UBND tỉnh",
        participants=(
            P(Role.CHAIR, "TUV, Phó Chủ tịch UBND tỉnh", person="tran_le_doai"),
            P(Role.GUEST, "Lãnh đạo Viện", org="vien_ptv"),
            *(P(Role.LOCALITY, "Lãnh đạo UBND", org=key) for key in ND_DISTRICTS),
        ),
        figures=(
            F(
                "Cơ quan hành chính trên địa bàn các huyện, thành phố đã xây dựng, áp dụng, duy trì cải tiến hệ "
                "thống quản lý theo TCVN ISO 9001:2015",
                "100",
                "%",
            ),
        ),
        directives=(
            D(
                "Thường xuyên tổ chức các lớp đào tạo, tập huấn về các mặt quản lý hoạt động KH và CN cho các cán "
                "bộ quản lý KH và CN ở địa phương",
                ("so_nd",),
            ),
            D(
                "Phối hợp với Sở Tài chính kiểm soát tốt việc sử dụng kinh phí từ nguồn sự nghiệp KHCN đã cấp cho "
                "UBND các huyện, thành phố",
                ("so_nd",),
                supporting=("stc_nd",),
            ),
            D(
                "Thường xuyên phối hợp với các ngành để đánh giá thực trạng kinh tế địa phương, xác định sản phẩm "
                "chủ lực, thực sự mới, có chất lượng, năng suất cao, thiết thực và phù hợp với năng lực, điều kiện "
                "của địa bàn để tập trung hỗ trợ",
                ("so_nd",),
            ),
            D(
                "Phối hợp với UBND các huyện, thành phố tăng cường công tác thông tin, truyền thông phổ biến kết quả "
                "nghiên cứu, thực hiện các nhiệm vụ KH và CN đến người dân và doanh nghiệp",
                ("so_nd",),
                supporting=ND_DISTRICTS,
            ),
            D(
                "Phát huy tối đa vai trò của Hội đồng tư vấn KH và CN cấp cơ sở, đề xuất, đặt hàng nhiệm vụ với Sở "
                "KH và CN, nâng cao hiệu quả hoạt động KH và CN tại đơn vị",
                ND_DISTRICTS,
            ),
            D(
                "Tổ chức tiếp nhận và chịu trách nhiệm ứng dụng, nhân rộng các kết quả nghiên cứu nhiệm vụ KH và CN "
                "cấp tỉnh do sở, ban, ngành, huyện đã đề xuất đặt hàng",
                ND_DISTRICTS,
            ),
            D(
                "Bố trí cán bộ chuyên trách làm công tác quản lý hoạt động KH và CN cơ sở để tạo chiều sâu về nhận "
                "thức, nâng cao trình độ, kinh nghiệm, sự am hiểu về công việc, đáp ứng được nhiệm vụ được giao "
                "trong quản lý lĩnh vực",
                ND_DISTRICTS,
            ),
        ),
    ),
    # --- Seed 004: Phó Chủ tịch UBND tỉnh Sơn La with the department, 05/6/2023 -----------------------
    S(
        seed="004",
        title="Đồng chí Nguyễn Thành Công - Phó chủ tịch UBND tỉnh làm việc với Sở Khoa học và Công nghệ",
        held_on=Date(2023, 6, 5),
        host="ubnd_sl",
        unit="sl_legacy",
        chair="nguyen_thanh_cong",
        chair_position="Phó Chủ tịch UBND tỉnh",
        participants=(
            P(Role.CHAIR, "Phó Chủ tịch UBND tỉnh", person="nguyen_thanh_cong"),
            P(Role.REPORTER, "Lãnh đạo Sở báo cáo kết quả 5 tháng đầu năm 2023", org="so_sl"),
        ),
        figures=(
            F(
                "Văn bản chỉ đạo triển khai các hoạt động quản lý nhà nước về KH&CN Sở đã tham mưu trình Tỉnh ủy, "
                "HĐND, UBND tỉnh, Chủ tịch UBND tỉnh ban hành (5 tháng đầu năm)",
                "9",
                "văn bản",
                2023,
            ),
            F(
                "Kết quả các đề tài, dự án KH&CN đã nghiệm thu được bàn giao cho các sở, ngành, Trường đại học, cao "
                "đẳng, đơn vị trên địa bàn tỉnh ứng dụng vào thực tiễn (5 tháng đầu năm)",
                "12",
                "kết quả",
                2023,
            ),
            F(
                "Nhiệm vụ KH&CN chuyển tiếp từ năm 2021 sang tiếp tục triển khai thực hiện",
                "29",
                "nhiệm vụ",
                2023,
            ),
            F("Đề tài cấp tỉnh chuyển tiếp từ năm 2021", "24", "đề tài", 2023),
            F(
                "Dự án thuộc Chương trình Nông thôn miền núi nhóm Trung ương quản lý chuyển tiếp từ năm 2021",
                "4",
                "dự án",
                2023,
            ),
            F("Đề tài cấp thiết địa phương cấp Quốc gia chuyển tiếp từ năm 2021", "1", "đề tài", 2023),
            F(
                "Đề tài cấp tỉnh thực hiện năm 2023 đã tổ chức Hội đồng tư vấn tuyển chọn tổ chức, cá nhân chủ trì",
                "9",
                "đề tài",
                2023,
            ),
            F(
                "Đề tài cấp tỉnh thực hiện năm 2023 theo Quyết định số 2423/QĐ-UBND ngày 18/11/2022 và Quyết định "
                "số 338/QĐ-UBND ngày 07/03/2023 của UBND tỉnh",
                "13",
                "đề tài",
                2023,
            ),
            F(
                "Dự án xây dựng quản lý và phát triển thương hiệu sản phẩm chủ lực của tỉnh chuyển tiếp từ năm 2021 "
                "sang năm 2023",
                "5",
                "dự án",
                2023,
            ),
            F(
                "Dự án thuộc Chương trình phát triển tài sản trí tuệ trên địa bàn tỉnh Sơn La giai đoạn 2021 - 2025 "
                "và đến năm 2030",
                "5",
                "dự án",
                2023,
            ),
        ),
        requests=(
            R(
                "Khó khăn, vướng mắc về phân bổ dự toán ngân sách thực hiện các nhiệm vụ KH&CN phê duyệt năm 2023",
                "ubnd_sl",
                "Phó Chủ tịch UBND tỉnh chia sẻ khó khăn, vướng mắc; đề nghị Sở tham mưu tờ trình đề nghị bổ sung "
                "dự toán ngân sách nhà nước cho việc tổ chức các nhiệm vụ khoa học công nghệ năm 2023.",
                by_org="so_sl",
            ),
            R(
                "Khó khăn, vướng mắc về việc xây dựng kế hoạch triển khai nhiệm vụ hằng năm đối với các đơn vị sự "
                "nghiệp công lập trực thuộc Sở theo Nghị định số 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ",
                "ubnd_sl",
                by_org="so_sl",
            ),
        ),
        directives=(
            D(
                "Tiếp tục rà soát các văn bản quy phạm pháp luật liên quan đến lĩnh vực KH&CN, quá trình triển khai "
                "đề tài, dự án phải thực hiện theo đúng quy trình, thủ tục và pháp luật quy định, khẳng định được "
                "hiệu quả đề tài khi ứng dụng vào thực tiễn sản xuất",
                ("so_sl",),
            ),
            D(
                "Tham mưu tờ trình đề nghị bổ sung dự toán ngân sách nhà nước cho việc tổ chức các nhiệm vụ khoa học "
                "công nghệ năm 2023",
                ("so_sl",),
                recurrence=ONCE,
                request=0,
            ),
            D(
                "Khẩn trương đề xuất chủ trương tổ chức hội nghị đánh giá công tác quản lý, xây dựng, phát triển "
                "thương hiệu cho các sản phẩm chủ lực trên địa bàn tỉnh giai đoạn 2020 - 2023",
                ("so_sl",),
                recurrence=ONCE,
            ),
            D(
                "Hợp tác giữa Trung tâm Hỗ trợ khởi nghiệp đổi mới sáng tạo với Công ty Phú Nhuận Farm trên tinh thần "
                "quy định của pháp luật về hợp tác: xây dựng thí điểm mô hình, khảo nghiệm giống dâu tây từ nghiên "
                "cứu các giống dâu tây hiện có trên địa bàn tỉnh và nhập nội để tìm ra giống cho năng suất, chất "
                "lượng, hiệu quả cao nhất",
                ("tt_knst_sl",),
                supporting=("phu_nhuan",),
            ),
            D(
                "Đối với các mô hình thuộc đề tài nghiên cứu khoa học, tham mưu UBND tỉnh cho phép kéo dài thời gian "
                "nghiên cứu, trong đó nêu rõ nguyên nhân, lý do khách quan cần phải gia hạn",
                ("so_sl",),
                recurrence=ONCE,
            ),
            D(
                "Khẩn trương tham mưu văn bản trình UBND tỉnh chỉ đạo các sở, ngành, UBND huyện, thành phố phối hợp "
                "triển khai thực hiện bộ chỉ số đổi mới sáng tạo cấp địa phương năm 2023 và hàng năm",
                ("so_sl",),
                recurrence=ANNUALLY,
            ),
            D("Làm tốt công tác tổ chức cán bộ đảm bảo quy trình, quy định, dân chủ, tập trung", ("so_sl",)),
            D(
                "Tăng cường công tác thanh tra, kiểm tra về chấp hành quy định kinh doanh xăng dầu tại các doanh "
                "nghiệp trên địa bàn",
                ("so_sl",),
            ),
            D(
                "Rà soát lại toàn bộ văn bản quy phạm pháp luật liên quan đến quá trình triển khai nhiệm vụ của ngành "
                "để kịp thời tham mưu điều chỉnh, sửa đổi, bổ sung phù hợp với quy định của pháp luật",
                ("so_sl",),
            ),
        ),
    ),
)


def _saved(obj):
    obj.full_clean()
    obj._change_reason = DEMO_REASON
    obj.save()
    return obj


def _source_text(seed: str) -> str:
    return next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")


def _units(directory):
    from stims.geo.models import AdminUnit, Generation, Level

    units = dict(directory.units)
    # The provinces as they were in 2023 (Quảng Trị and Sơn La kept their names in 2025).
    for key, code in (("qt_legacy", "45"), ("sl_legacy", "14")):
        units[key] = AdminUnit.objects.get(generation=Generation.LEGACY, level=Level.PROVINCE, code=code)
    return units


def create_session(spec: S, directory, units, reviewer) -> WorkingSession:
    orgs, people = directory.orgs, directory.people
    chair = people[spec.chair]
    session = _saved(
        WorkingSession(
            title=spec.title,
            held_on=spec.held_on,
            status=SessionStatus.HELD if spec.held_on <= timezone.localdate() else SessionStatus.PLANNED,
            chair=chair,
            chair_position=spec.chair_position,
            host_organization=orgs[spec.host],
            admin_unit=units[spec.unit],
            source_text=_source_text(spec.seed),
        )
    )
    for p in spec.participants:
        _saved(
            Participant(
                session=session,
                person=people[p.person] if p.person else None,
                organization=orgs[p.org] if p.org else None,
                position=p.position,
                role=p.role,
            )
        )
    for f in spec.figures:
        _saved(
            SessionFigure(
                session=session,
                label=f.label,
                value=Decimal(f.value),
                unit=f.unit,
                year=f.year,
                sentence=f.sentence,
            )
        )
    requests = []
    for r in spec.requests:
        requests.append(
            _saved(
                LocalityRequest(
                    session=session,
                    from_unit=None if r.by_org else units[spec.unit],
                    from_organization=orgs[r.by_org] if r.by_org else None,
                    text=r.text,
                    addressed_to=orgs[r.to],
                    status=RequestStatus.ACCEPTED if r.answer else RequestStatus.OPEN,
                    response=r.answer,
                    responded_on=spec.held_on if r.answer else None,
                )
            )
        )
    district_ids, here = {orgs[key].pk for key in ND_DISTRICTS if key in orgs}, units[spec.unit]

    def locality(lead):
        # The locality a directive concerns: the session's, or the district a directive of a
        # province-wide session goes to.
        return lead.admin_unit if lead.pk in district_ids else here

    for d in spec.directives:
        illustrative = d.recurrence != REGULARLY and d.deadline is None
        if d.recurrence == ANNUALLY and illustrative:
            deadline = Date(spec.held_on.year, 12, 31)
        elif illustrative:
            deadline = spec.held_on + datetime.timedelta(days=ONE_OFF_DAYS)
        else:
            deadline = d.deadline
        shared = dict(
            request=requests[d.request] if d.request is not None else None,
            assigned_by=reviewer,
            assigned_by_person=chair,
            assigned_on=spec.held_on,
            recurrence=d.recurrence,
            deadline_is_illustrative=illustrative,
        )
        if len(d.leads) > 1:
            # One sentence for several units: entered once, one part per unit (`assign_to_units`).
            services.assign_to_units(
                session,
                d.text,
                lead_organizations=[orgs[key] for key in d.leads],
                user=reviewer,
                deadline=deadline,
                supporting=[orgs[key] for key in d.supporting],
                check_scope=False,
                reason=DEMO_REASON,
                admin_unit=locality,
                **shared,
            )
            continue
        lead_key = d.leads[0]
        lead = orgs[lead_key]
        directive = _saved(
            Directive(
                session=session,
                text=d.text,
                lead_organization=lead,
                deadline=deadline,
                admin_unit=locality(lead),
                **shared,
            )
        )
        supporting = [orgs[key] for key in d.supporting if key != lead_key]
        if supporting:
            directive.supporting_organizations.set(supporting)
    return session


def load(stdout: TextIO) -> None:
    directory = load_directory()
    units = _units(directory)
    # The department specialist who recorded the sessions assigns (and accepts the reports), as on the pages.
    reviewer = (
        User.objects.filter(username="chuyenvien").first() or User.objects.filter(is_superuser=True).first()
    )
    created = []
    with transaction.atomic():
        for spec in SESSIONS:
            if WorkingSession.objects.filter(held_on=spec.held_on, title=spec.title).exists():
                continue
            created.append(create_session(spec, directory, units, reviewer))
    if created:
        stdout.write("Demo working sessions (from the seed articles):\n")
        for session in created:
            stdout.write(
                f"  {session}: {session.directives.count()} directives, {session.participants.count()} participants\n"
            )
