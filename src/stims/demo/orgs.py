"""Demo directory for `stims demo`: the organizations, people, positions and local S&T bodies of the
seed articles (working sessions of provincial Departments of S&T in 2023), plus a few demo staff.

Everything is matched on a natural key and only written when it differs, so running the command
again creates nothing and writes no history. Facts come from the articles (cited in `notes`);
whatever the articles do not give (decision numbers and dates, who sits on which body, the demo
staff themselves) is an illustration and says so in `notes`.

Other apps' demo modules can call `load_directory()` and pick records by key, e.g.
`load_directory().orgs["so_qn"]`, instead of looking names up again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.db import models
from django.utils import translation

from stims.core.text import fold
from stims.geo.models import LEGACY_END_DATE, REFORM_DATE, AdminUnit, Generation, Level
from stims.orgs.models import (
    LocalBody,
    LocalBodyKind,
    LocalBodyMember,
    MemberRole,
    Organization,
    OrganizationKind,
    Person,
    Position,
)

# Shown as the reason of every history row the demo writes, so demo records are easy to tell apart.
DEMO_REASON = "Dữ liệu mẫu (demo)"
DEMO_PERSON_NOTE = "Nhân vật minh hoạ (demo), không phải người thật."
DEMO_DECISION_NOTE = "Số quyết định minh hoạ (demo); ngày quyết định cũng là minh hoạ."

Date = datetime.date

# --- Sources: the seed articles ------------------------------------------------------------------
SRC_TN = "Nguồn: tin “Sở KH&CN làm việc với huyện Định Hóa” (Sở KH&CN Thái Nguyên), 27/4/2023."
SRC_QN = (
    "Nguồn: tin “Sở KH&CN làm việc với UBND huyện Bình Liêu và UBND huyện Ba Chẽ về triển khai hoạt động"
    " KH&CN và đổi mới sáng tạo năm 2023” (Trung tâm Ứng dụng và Thống kê KH&CN), 13/3/2023."
)
SRC_QT = "Nguồn: tin “UBND tỉnh Quảng Trị làm việc với sở Khoa học và Công nghệ” (Cổng TTĐT), 29/11/2023."
SRC_ND = (
    "Nguồn: tin “Nâng cao hơn nữa hiệu quả hoạt động khoa học và công nghệ cấp cơ sở”"
    " (Báo Nam Định điện tử), 24/7/2023."
)
SRC_SL = (
    "Nguồn: tin “Đồng chí Nguyễn Thành Công - Phó chủ tịch UBND tỉnh làm việc với Sở Khoa học và Công nghệ”"
    " (Sở KH&CN Sơn La), 05/6/2023."
)
DISTRICT_ENDED = "Cấp huyện chấm dứt hoạt động từ 01/7/2025 (sắp xếp đơn vị hành chính)."
NAM_DINH_ENDED = "Tỉnh Nam Định hợp nhất vào tỉnh Ninh Bình từ 01/7/2025."

# Article dates: a position named in an article was held at least from that day.
D_QN = Date(2023, 3, 13)
D_TN = Date(2023, 4, 27)
D_SL = Date(2023, 6, 5)
D_ND = Date(2023, 7, 24)
D_QT = Date(2023, 11, 29)


# --- Administrative units --------------------------------------------------------------------------
# By official code (stable across loader fixes), with the expected name as a guard against a typo in
# a code. Records of 2023 attach to legacy units; bodies and organizations that exist today to
# post-2025 ones.
UNITS: dict[str, tuple[str, str, str, str]] = {
    "qn": (Generation.CURRENT, Level.PROVINCE, "22", "Tỉnh Quảng Ninh"),
    "x_binhlieu": (Generation.CURRENT, Level.COMMUNE, "06838", "Xã Bình Liêu"),
    "x_bache": (Generation.CURRENT, Level.COMMUNE, "06970", "Xã Ba Chẽ"),
    "tn": (Generation.CURRENT, Level.PROVINCE, "19", "Tỉnh Thái Nguyên"),
    "qt": (Generation.CURRENT, Level.PROVINCE, "44", "Tỉnh Quảng Trị"),
    "sl": (Generation.CURRENT, Level.PROVINCE, "14", "Tỉnh Sơn La"),
    "hn": (Generation.CURRENT, Level.PROVINCE, "01", "Hà Nội"),
    "old_h_binhlieu": (Generation.LEGACY, Level.DISTRICT, "198", "Huyện Bình Liêu"),
    "old_h_bache": (Generation.LEGACY, Level.DISTRICT, "202", "Huyện Ba Chẽ"),
    "old_x_dapthanh": (Generation.LEGACY, Level.COMMUNE, "06979", "Xã Đạp Thanh"),
    "old_h_dinhhoa": (Generation.LEGACY, Level.DISTRICT, "167", "Huyện Định Hóa"),
    "old_nd": (Generation.LEGACY, Level.PROVINCE, "36", "Tỉnh Nam Định"),
    "old_h_haihau": (Generation.LEGACY, Level.DISTRICT, "366", "Huyện Hải Hậu"),
    # The other districts and the city of Nam Định in 2023 ("UBND các huyện, thành phố", seed 003).
    # Huyện Mỹ Lộc (merged into Thành phố Nam Định on 01/01/2025) is not in the loaded legacy list.
    "old_tp_namdinh": (Generation.LEGACY, Level.DISTRICT, "356", "Thành phố Nam Định"),
    "old_h_vuban": (Generation.LEGACY, Level.DISTRICT, "359", "Huyện Vụ Bản"),
    "old_h_yyen": (Generation.LEGACY, Level.DISTRICT, "360", "Huyện Ý Yên"),
    "old_h_nghiahung": (Generation.LEGACY, Level.DISTRICT, "361", "Huyện Nghĩa Hưng"),
    "old_h_namtruc": (Generation.LEGACY, Level.DISTRICT, "362", "Huyện Nam Trực"),
    "old_h_trucninh": (Generation.LEGACY, Level.DISTRICT, "363", "Huyện Trực Ninh"),
    "old_h_xuantruong": (Generation.LEGACY, Level.DISTRICT, "364", "Huyện Xuân Trường"),
    "old_h_giaothuy": (Generation.LEGACY, Level.DISTRICT, "365", "Huyện Giao Thủy"),
}

# The people's committees of Nam Định's city and districts in 2023, by directory key: the units the
# conference of 24/7/2023 addressed as "UBND các huyện, thành phố" (Hải Hậu is listed below).
NAM_DINH_DISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("ubnd_tp_namdinh", "UBND thành phố Nam Định", "old_tp_namdinh"),
    ("ubnd_h_vuban", "UBND huyện Vụ Bản", "old_h_vuban"),
    ("ubnd_h_yyen", "UBND huyện Ý Yên", "old_h_yyen"),
    ("ubnd_h_nghiahung", "UBND huyện Nghĩa Hưng", "old_h_nghiahung"),
    ("ubnd_h_namtruc", "UBND huyện Nam Trực", "old_h_namtruc"),
    ("ubnd_h_trucninh", "UBND huyện Trực Ninh", "old_h_trucninh"),
    ("ubnd_h_xuantruong", "UBND huyện Xuân Trường", "old_h_xuantruong"),
    ("ubnd_h_giaothuy", "UBND huyện Giao Thủy", "old_h_giaothuy"),
)


def resolve_units() -> dict[str, AdminUnit]:
    """The units the demo uses, by key; fails clearly if the official units are not loaded."""
    resolved = {}
    for key, (generation, level, code, expected) in UNITS.items():
        unit = AdminUnit.objects.filter(generation=generation, level=level, code=code).first()
        if unit is None:
            raise CommandError(
                f"Unit {expected} ({generation}, code {code}) is missing: run `stims load_units`."
            )
        if not fold(unit.name).endswith(fold(expected)):
            raise CommandError(f"Unit code {code} ({generation}) is {unit.name!r}, expected {expected!r}.")
        resolved[key] = unit
    return resolved


# --- Specifications --------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    unit: str
    parent: str | None = None
    short_name: str = ""
    is_active: bool = True
    address: str = ""
    phone: str = ""
    website: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PositionSpec:
    org: str
    title: str
    start: Date | None = None
    end: Date | None = None
    is_primary: bool = True


@dataclass(frozen=True)
class PersonSpec:
    key: str
    full_name: str
    positions: tuple[PositionSpec, ...]
    gender: str = ""
    degree: str = ""
    expertise: str = ""
    notes: str = ""
    # The person's unit is their primary organization's unit unless given.
    unit: str | None = None


@dataclass(frozen=True)
class MemberSpec:
    person: str
    role: str
    position_text: str = ""
    start: Date | None = None
    end: Date | None = None


@dataclass(frozen=True)
class BodySpec:
    key: str
    kind: str
    name: str
    unit: str
    issuer: str | None
    decision_number: str
    decision_date: Date | None
    valid_to: Date | None
    notes: str
    members: tuple[MemberSpec, ...] = ()


K = OrganizationKind
ORGANIZATIONS: tuple[OrgSpec, ...] = (
    # Quảng Ninh, the home province: the department and its units exist today.
    OrgSpec(
        "so_qn",
        "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        K.DEPARTMENT,
        "qn",
        short_name="Sở KH&CN Quảng Ninh",
        notes=SRC_QN,
    ),
    OrgSpec("vp_so_qn", "Văn phòng Sở", K.DIVISION, "qn", parent="so_qn"),
    OrgSpec("p_qlkh_qn", "Phòng Quản lý khoa học", K.DIVISION, "qn", parent="so_qn", short_name="Phòng QLKH"),
    OrgSpec(
        "p_qlcn_qn",
        "Phòng Quản lý công nghệ và chuyên ngành",
        K.DIVISION,
        "qn",
        parent="so_qn",
        short_name="Phòng QLCN&CN",
    ),
    OrgSpec("tt_so_qn", "Thanh tra Sở", K.DIVISION, "qn", parent="so_qn"),
    OrgSpec(
        "cc_tdc_qn",
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        K.CENTRE,
        "qn",
        parent="so_qn",
        short_name="Chi cục TĐC",
    ),
    OrgSpec(
        "tt_udtk_qn",
        "Trung tâm Ứng dụng và Thống kê KH&CN",
        K.CENTRE,
        "qn",
        parent="so_qn",
        notes="Đơn vị đưa tin làm việc với UBND huyện Bình Liêu và Ba Chẽ. " + SRC_QN,
    ),
    OrgSpec("ubnd_qn", "UBND tỉnh Quảng Ninh", K.PEOPLES_COMMITTEE, "qn"),
    OrgSpec(
        "ubnd_h_binhlieu",
        "UBND huyện Bình Liêu",
        K.PEOPLES_COMMITTEE,
        "old_h_binhlieu",
        is_active=False,
        notes=f"{DISTRICT_ENDED} {SRC_QN}",
    ),
    OrgSpec(
        "ubnd_h_bache",
        "UBND huyện Ba Chẽ",
        K.PEOPLES_COMMITTEE,
        "old_h_bache",
        is_active=False,
        notes=f"{DISTRICT_ENDED} {SRC_QN}",
    ),
    OrgSpec(
        "ubnd_x_binhlieu",
        "UBND xã Bình Liêu",
        K.PEOPLES_COMMITTEE,
        "x_binhlieu",
        notes="Chính quyền cấp xã từ 01/7/2025.",
    ),
    OrgSpec(
        "ubnd_x_bache",
        "UBND xã Ba Chẽ",
        K.PEOPLES_COMMITTEE,
        "x_bache",
        notes="Chính quyền cấp xã từ 01/7/2025.",
    ),
    OrgSpec(
        "dap_thanh",
        "Công ty CP Kinh doanh lâm sản Đạp Thanh",
        K.ENTERPRISE,
        "old_x_dapthanh",
        notes="Doanh nghiệp KH&CN duy nhất trên địa bàn huyện Ba Chẽ năm 2023. " + SRC_QN,
    ),
    # Thái Nguyên (seed 000): the department exists today; the district committee does not.
    OrgSpec(
        "so_tn",
        "Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
        K.DEPARTMENT,
        "tn",
        short_name="Sở KH&CN Thái Nguyên",
        notes=SRC_TN,
    ),
    OrgSpec(
        "p_kh_tn",
        "Phòng Khoa học",
        K.DIVISION,
        "tn",
        parent="so_tn",
        notes="Được giao hỗ trợ huyện Định Hóa phục tráng lúa Bao Thai và Nếp Vải. " + SRC_TN,
    ),
    OrgSpec(
        "ubnd_h_dinhhoa",
        "UBND huyện Định Hóa",
        K.PEOPLES_COMMITTEE,
        "old_h_dinhhoa",
        is_active=False,
        notes=f"{DISTRICT_ENDED} {SRC_TN}",
    ),
    # Quảng Trị (seed 002): the merged province kept the name.
    OrgSpec("ubnd_qt", "UBND tỉnh Quảng Trị", K.PEOPLES_COMMITTEE, "qt", notes=SRC_QT),
    OrgSpec(
        "so_qt",
        "Sở Khoa học và Công nghệ tỉnh Quảng Trị",
        K.DEPARTMENT,
        "qt",
        short_name="Sở KH&CN Quảng Trị",
        notes=SRC_QT,
    ),
    # Nam Định (seed 003): the province no longer exists, so these stay on the legacy province.
    OrgSpec(
        "ubnd_nd",
        "UBND tỉnh Nam Định",
        K.PEOPLES_COMMITTEE,
        "old_nd",
        is_active=False,
        notes=f"{NAM_DINH_ENDED} {SRC_ND}",
    ),
    OrgSpec(
        "so_nd",
        "Sở Khoa học và Công nghệ tỉnh Nam Định",
        K.DEPARTMENT,
        "old_nd",
        short_name="Sở KH&CN Nam Định",
        is_active=False,
        notes=f"{NAM_DINH_ENDED} {SRC_ND}",
    ),
    OrgSpec(
        "stc_nd",
        "Sở Tài chính tỉnh Nam Định",
        K.PROVINCIAL_AGENCY,
        "old_nd",
        is_active=False,
        notes=f"{NAM_DINH_ENDED} {SRC_ND}",
    ),
    # Not named by the article, which speaks of "các huyện, thành phố": one district, as an example.
    OrgSpec(
        "ubnd_h_haihau",
        "UBND huyện Hải Hậu",
        K.PEOPLES_COMMITTEE,
        "old_h_haihau",
        is_active=False,
        notes=f"Huyện minh hoạ (demo) cho hội đồng xét sáng kiến cấp huyện. {DISTRICT_ENDED}",
    ),
    *(
        OrgSpec(
            key,
            name,
            K.PEOPLES_COMMITTEE,
            unit,
            is_active=False,
            notes=f"Dự hội nghị tổng kết KH&CN cấp cơ sở tỉnh Nam Định. {DISTRICT_ENDED} {SRC_ND}",
        )
        for key, name, unit in NAM_DINH_DISTRICTS
    ),
    # Central bodies, in Hà Nội.
    OrgSpec("bo_khcn", "Bộ Khoa học và Công nghệ", K.MINISTRY, "hn", short_name="Bộ KH&CN"),
    OrgSpec(
        "vien_ptv",
        "Viện Nghiên cứu và Phát triển vùng",
        K.INSTITUTE,
        "hn",
        parent="bo_khcn",
        notes="Dự hội nghị tổng kết KH&CN cấp cơ sở tỉnh Nam Định. " + SRC_ND,
    ),
    OrgSpec(
        "hvnn",
        "Học viện Nông nghiệp Việt Nam",
        K.UNIVERSITY,
        "hn",
        notes="Hợp tác với Sở KH&CN Sơn La khảo sát Khu nghiên cứu ứng dụng KH&CN nông lâm nghiệp Mộc Châu. "
        + SRC_SL,
    ),
    # Sơn La (seed 004): unchanged by the merger.
    OrgSpec("ubnd_sl", "UBND tỉnh Sơn La", K.PEOPLES_COMMITTEE, "sl", notes=SRC_SL),
    OrgSpec(
        "so_sl",
        "Sở Khoa học và Công nghệ tỉnh Sơn La",
        K.DEPARTMENT,
        "sl",
        short_name="Sở KH&CN Sơn La",
        address="Tầng 3, tòa nhà 6T1, Trụ sở HĐND-UBND tỉnh và một số sở, ngành, Khu Quảng trường Tây Bắc,"
        " Thành phố Sơn La, tỉnh Sơn La",
        phone="02123.852.224",
        website="https://sokhoahoc.sonla.gov.vn",
        notes="Địa chỉ, điện thoại theo chân trang website của Sở (2023). " + SRC_SL,
    ),
    OrgSpec(
        "tt_knst_sl",
        "Trung tâm Hỗ trợ Khởi nghiệp đổi mới sáng tạo",
        K.CENTRE,
        "sl",
        parent="so_sl",
        notes=SRC_SL,
    ),
    OrgSpec(
        "phu_nhuan",
        "Công ty Phú Nhuận Farm",
        K.ENTERPRISE,
        "sl",
        notes="Hợp tác với Trung tâm Hỗ trợ Khởi nghiệp ĐMST Sơn La khảo nghiệm giống dâu tây. Bài viết không"
        " nêu trụ sở công ty; gắn tạm với tỉnh Sơn La, nơi triển khai hợp tác. " + SRC_SL,
    ),
)

P = Person.Gender
DEMO_START = Date(2020, 1, 1)
PEOPLE: tuple[PersonSpec, ...] = (
    # People named in the articles, with the posts the articles give them on that day. A post in a
    # body abolished by the 2025 reform ended, at the latest, on its last day.
    PersonSpec(
        "pham_quoc_chinh",
        "Phạm Quốc Chính",
        (PositionSpec("so_tn", "Bí thư Đảng ủy, Giám đốc Sở KH&CN", D_TN),),
        notes=SRC_TN,
    ),
    PersonSpec(
        "hoang_duc_vy", "Hoàng Đức Vỹ", (PositionSpec("so_tn", "Phó Giám đốc Sở", D_TN),), notes=SRC_TN
    ),
    PersonSpec(
        "nguyen_minh_tu",
        "Nguyễn Minh Tú",
        (
            PositionSpec(
                "ubnd_h_dinhhoa", "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Định Hóa", D_TN, LEGACY_END_DATE
            ),
        ),
        notes=SRC_TN,
    ),
    PersonSpec(
        "ly_van_thang",
        "Lý Văn Thắng",
        (PositionSpec("ubnd_h_dinhhoa", "Phó Chủ tịch UBND huyện", D_TN, LEGACY_END_DATE),),
        notes=SRC_TN,
    ),
    PersonSpec(
        "pham_xuan_dai",
        "Phạm Xuân Đài",
        (PositionSpec("so_qn", "Tỉnh ủy viên, Bí thư Đảng ủy, Giám đốc Sở KH&CN", D_QN),),
        notes=SRC_QN,
    ),
    PersonSpec(
        "do_xuan_truong",
        "Đỗ Xuân Trường",
        (PositionSpec("ubnd_h_binhlieu", "Phó Chủ tịch UBND huyện Bình Liêu", D_QN, LEGACY_END_DATE),),
        notes=SRC_QN,
    ),
    PersonSpec(
        "do_manh_hung",
        "Đỗ Mạnh Hùng",
        (
            PositionSpec(
                "ubnd_h_bache", "Phó Bí thư Huyện ủy, Chủ tịch UBND huyện Ba Chẽ", D_QN, LEGACY_END_DATE
            ),
        ),
        notes=SRC_QN,
    ),
    PersonSpec(
        "vo_van_hung",
        "Võ Văn Hưng",
        (PositionSpec("ubnd_qt", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", D_QT),),
        notes=SRC_QT,
    ),
    PersonSpec(
        "le_duc_tien", "Lê Đức Tiến", (PositionSpec("ubnd_qt", "Phó Chủ tịch UBND tỉnh", D_QT),), notes=SRC_QT
    ),
    PersonSpec(
        "tran_ngoc_lan",
        "Trần Ngọc Lân",
        (PositionSpec("so_qt", "Giám đốc Sở Khoa học và Công nghệ", D_QT),),
        notes=SRC_QT,
    ),
    PersonSpec(
        "tran_le_doai",
        "Trần Lê Đoài",
        (PositionSpec("ubnd_nd", "Tỉnh ủy viên, Phó Chủ tịch UBND tỉnh", D_ND, LEGACY_END_DATE),),
        notes=SRC_ND,
    ),
    PersonSpec(
        "nguyen_thanh_cong",
        "Nguyễn Thành Công",
        (PositionSpec("ubnd_sl", "Phó Chủ tịch UBND tỉnh", D_SL),),
        notes=SRC_SL,
    ),
    # Demo staff of the Quảng Ninh department: one per division or centre.
    PersonSpec(
        "nguyen_thi_thu_ha",
        "Nguyễn Thị Thu Hà",
        (PositionSpec("vp_so_qn", "Chuyên viên", DEMO_START),),
        gender=P.FEMALE,
        degree="CN",
        expertise="Hành chính, tổng hợp",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "tran_quang_minh",
        "Trần Quang Minh",
        (PositionSpec("p_qlkh_qn", "Chuyên viên", DEMO_START),),
        gender=P.MALE,
        degree="ThS",
        expertise="Quản lý nhiệm vụ KH&CN",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "le_thi_hong_nhung",
        "Lê Thị Hồng Nhung",
        (PositionSpec("p_qlcn_qn", "Chuyên viên", DEMO_START),),
        gender=P.FEMALE,
        degree="ThS",
        expertise="Sở hữu trí tuệ, chuyển giao công nghệ",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "pham_duc_anh",
        "Phạm Đức Anh",
        (PositionSpec("tt_so_qn", "Thanh tra viên", DEMO_START),),
        gender=P.MALE,
        degree="KS",
        expertise="Thanh tra tiêu chuẩn, đo lường, chất lượng",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "vu_thi_lan_anh",
        "Vũ Thị Lan Anh",
        (PositionSpec("cc_tdc_qn", "Chuyên viên", DEMO_START),),
        gender=P.FEMALE,
        degree="KS",
        expertise="Đo lường, ghi nhãn hàng hoá",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "hoang_van_nam",
        "Hoàng Văn Nam",
        (PositionSpec("tt_udtk_qn", "Viên chức", DEMO_START),),
        gender=P.MALE,
        degree="KS",
        expertise="Thống kê, thông tin KH&CN",
        notes=DEMO_PERSON_NOTE,
    ),
    # Demo officers in charge of S&T in the districts (before 2025) and in today's commune.
    PersonSpec(
        "hoang_thi_thanh_mai",
        "Hoàng Thị Thanh Mai",
        (
            PositionSpec(
                "ubnd_h_binhlieu",
                "Chuyên viên Phòng Kinh tế và Hạ tầng, phụ trách KH&CN",
                DEMO_START,
                LEGACY_END_DATE,
            ),
        ),
        gender=P.FEMALE,
        degree="KS",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "trieu_van_long",
        "Triệu Văn Long",
        (
            PositionSpec(
                "ubnd_h_bache",
                "Chuyên viên Phòng Kinh tế và Hạ tầng, phụ trách KH&CN",
                DEMO_START,
                LEGACY_END_DATE,
            ),
        ),
        gender=P.MALE,
        degree="KS",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "ma_thi_hong",
        "Ma Thị Hồng",
        (
            PositionSpec(
                "ubnd_h_dinhhoa", "Chuyên viên Phòng Kinh tế và Hạ tầng", DEMO_START, LEGACY_END_DATE
            ),
        ),
        gender=P.FEMALE,
        degree="CN",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "vu_van_thanh",
        "Vũ Văn Thành",
        (PositionSpec("ubnd_h_haihau", "Phó Chủ tịch UBND huyện", DEMO_START, LEGACY_END_DATE),),
        gender=P.MALE,
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "tran_thi_ngoc_lan",
        "Trần Thị Ngọc Lan",
        (PositionSpec("ubnd_h_haihau", "Chuyên viên Phòng Nội vụ", DEMO_START, LEGACY_END_DATE),),
        gender=P.FEMALE,
        degree="CN",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "le_thi_thu_trang",
        "Lê Thị Thu Trang",
        (PositionSpec("ubnd_x_bache", "Phó Chủ tịch UBND xã", REFORM_DATE),),
        gender=P.FEMALE,
        degree="ThS",
        notes=DEMO_PERSON_NOTE,
    ),
    PersonSpec(
        "dang_van_hai",
        "Đặng Văn Hải",
        (PositionSpec("ubnd_x_bache", "Chuyên viên Phòng Kinh tế, phụ trách KH&CN", REFORM_DATE),),
        gender=P.MALE,
        degree="KS",
        notes=DEMO_PERSON_NOTE,
    ),
    # A demo expert who sits on councils (the `hoidong` demo user).
    PersonSpec(
        "ngo_van_khanh",
        "Ngô Văn Khánh",
        (PositionSpec("hvnn", "Giảng viên", Date(2015, 9, 1)),),
        gender=P.MALE,
        degree="TS",
        expertise="Khoa học cây trồng, cây dược liệu",
        notes=DEMO_PERSON_NOTE,
    ),
)

R = MemberRole
B = LocalBodyKind
QN_BODY_NOTE = (
    "Bài viết cho biết huyện đã thành lập/phân công trong giai đoạn 2020–2022; thành phần minh hoạ (demo)."
)


def _district_bodies(
    district: str,
    unit: str,
    issuer: str,
    leader: str,
    leader_text: str,
    officer: str,
    numbers: tuple[str, str, str],
    dates: tuple[Date, Date, Date],
) -> tuple[BodySpec, ...]:
    """The three S&T arrangements seed 001 reports for both Quảng Ninh districts."""
    officer_text = "Chuyên viên Phòng Kinh tế và Hạ tầng"
    common = {
        "unit": unit,
        "issuer": issuer,
        "valid_to": LEGACY_END_DATE,
        "notes": f"{DEMO_DECISION_NOTE} {QN_BODY_NOTE} {DISTRICT_ENDED} {SRC_QN}",
    }
    return (
        BodySpec(
            key=f"bcd_{district}",
            kind=B.STEERING_COMMITTEE,
            name=f"Ban Chỉ đạo phát triển KH&CN huyện {district}",
            decision_number=numbers[0],
            decision_date=dates[0],
            members=(
                MemberSpec(leader, R.HEAD, leader_text, dates[0]),
                MemberSpec(officer, R.SECRETARY, officer_text, dates[0]),
            ),
            **common,
        ),
        BodySpec(
            key=f"hd_{district}",
            kind=B.ADVISORY_COUNCIL,
            name=f"Hội đồng KH&CN huyện {district}",
            decision_number=numbers[1],
            decision_date=dates[1],
            members=(
                MemberSpec(leader, R.HEAD, leader_text, dates[1]),
                MemberSpec(officer, R.SECRETARY, officer_text, dates[1]),
            ),
            **common,
        ),
        BodySpec(
            key=f"pc_{district}",
            kind=B.ASSIGNMENT,
            name=f"Phân công lãnh đạo UBND huyện, chuyên viên phụ trách KH&CN huyện {district}",
            decision_number=numbers[2],
            decision_date=dates[2],
            members=(
                MemberSpec(leader, R.LEADER_IN_CHARGE, leader_text, dates[2]),
                MemberSpec(officer, R.OFFICER_IN_CHARGE, officer_text, dates[2]),
            ),
            **common,
        ),
    )


BODIES: tuple[BodySpec, ...] = (
    *_district_bodies(
        district="Bình Liêu",
        unit="old_h_binhlieu",
        issuer="ubnd_h_binhlieu",
        leader="do_xuan_truong",
        leader_text="Phó Chủ tịch UBND huyện",
        officer="hoang_thi_thanh_mai",
        numbers=("215/QĐ-UBND (demo)", "216/QĐ-UBND (demo)", "1032/QĐ-UBND (demo)"),
        dates=(Date(2021, 3, 15), Date(2021, 3, 15), Date(2021, 8, 2)),
    ),
    *_district_bodies(
        district="Ba Chẽ",
        unit="old_h_bache",
        issuer="ubnd_h_bache",
        leader="do_manh_hung",
        leader_text="Chủ tịch UBND huyện",
        officer="trieu_van_long",
        numbers=("148/QĐ-UBND (demo)", "149/QĐ-UBND (demo)", "876/QĐ-UBND (demo)"),
        dates=(Date(2021, 2, 22), Date(2021, 2, 22), Date(2021, 6, 10)),
    ),
    BodySpec(
        key="hd_dinhhoa",
        kind=B.ADVISORY_COUNCIL,
        name="Hội đồng tư vấn khoa học và công nghệ huyện Định Hóa",
        unit="old_h_dinhhoa",
        issuer="ubnd_h_dinhhoa",
        decision_number="2051/QĐ-UBND (demo)",
        decision_date=Date(2022, 5, 16),
        valid_to=LEGACY_END_DATE,
        notes=(
            f"{DEMO_DECISION_NOTE} Sở KH&CN đề nghị huyện kiện toàn và duy trì hội đồng;"
            f" thành phần minh hoạ (demo). {DISTRICT_ENDED} {SRC_TN}"
        ),
        members=(
            MemberSpec("ly_van_thang", R.HEAD, "Phó Chủ tịch UBND huyện", Date(2022, 5, 16)),
            MemberSpec("ma_thi_hong", R.SECRETARY, "Chuyên viên Phòng Kinh tế và Hạ tầng", Date(2022, 5, 16)),
        ),
    ),
    BodySpec(
        key="hdsk_haihau",
        kind=B.INITIATIVES_COUNCIL,
        name="Hội đồng xét sáng kiến huyện Hải Hậu",
        unit="old_h_haihau",
        issuer="ubnd_h_haihau",
        decision_number="3127/QĐ-UBND (demo)",
        decision_date=Date(2022, 9, 12),
        valid_to=LEGACY_END_DATE,
        notes=(
            f"{DEMO_DECISION_NOTE} Bài viết cho biết các huyện, thành phố của tỉnh đã thành lập"
            f" Hội đồng xét sáng kiến; Hải Hậu và thành phần là minh hoạ (demo). {DISTRICT_ENDED} {SRC_ND}"
        ),
        members=(
            MemberSpec("vu_van_thanh", R.HEAD, "Phó Chủ tịch UBND huyện", Date(2022, 9, 12)),
            MemberSpec("tran_thi_ngoc_lan", R.SECRETARY, "Chuyên viên Phòng Nội vụ", Date(2022, 9, 12)),
        ),
    ),
    BodySpec(
        key="hd_xa_bache",
        kind=B.ADVISORY_COUNCIL,
        name="Hội đồng tư vấn khoa học, công nghệ và đổi mới sáng tạo xã Ba Chẽ",
        unit="x_bache",
        issuer="ubnd_x_bache",
        decision_number="95/QĐ-UBND (demo)",
        decision_date=Date(2025, 8, 20),
        valid_to=None,
        notes=(
            f"{DEMO_DECISION_NOTE} Cơ quan tư vấn KH&CN cấp xã sau sắp xếp đơn vị hành chính 01/7/2025;"
            " tên và thành phần minh hoạ (demo)."
        ),
        members=(
            MemberSpec("le_thi_thu_trang", R.HEAD, "Phó Chủ tịch UBND xã", Date(2025, 8, 20)),
            MemberSpec("dang_van_hai", R.SECRETARY, "Chuyên viên Phòng Kinh tế", Date(2025, 8, 20)),
        ),
    ),
)


# --- Loading ---------------------------------------------------------------------------------------
@dataclass
class Tally:
    """Created / updated / unchanged counts per model, for the command's summary."""

    counts: dict[str, list[int]] = field(default_factory=dict)

    def add(self, label: str, outcome: int) -> None:
        self.counts.setdefault(label, [0, 0, 0])[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(created or updated for created, updated, _ in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"  {label}: {created} created, {updated} updated, {unchanged} unchanged"
            for label, (created, updated, unchanged) in self.counts.items()
        ]


CREATED, UPDATED, UNCHANGED = 0, 1, 2


def _label(model: type[models.Model]) -> str:
    # Console output is in English (as `load_units`), whatever the deployment's language.
    with translation.override("en"):
        plural = str(model._meta.verbose_name_plural)
    return plural[:1].upper() + plural[1:]


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        # Compare keys, not instances: no query per foreign key.
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], tally: Tally) -> Any:
    """The row matching `lookup`, created or brought up to date with `values`.

    Saved through the ORM (never bulk) so the history records the change, with the demo reason; a row
    that already matches is not saved at all, so a second run writes no history.
    """
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**{**lookup, **values})
        outcome = CREATED
    else:
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if not changed:
            tally.add(_label(model), UNCHANGED)
            return obj
        for name in changed:
            setattr(obj, name, values[name])
        outcome = UPDATED
    obj.full_clean()
    obj._change_reason = DEMO_REASON
    obj.save()
    tally.add(_label(model), outcome)
    return obj


@dataclass
class Directory:
    """The demo records, by the keys used in this module."""

    units: dict[str, AdminUnit]
    orgs: dict[str, Organization]
    people: dict[str, Person]
    bodies: dict[str, LocalBody]
    tally: Tally


def load_directory() -> Directory:
    """Create or bring up to date every demo organization, person, position, body and member.

    Idempotent; safe to call from several demo modules in one run.
    """
    tally = Tally()
    units = resolve_units()

    orgs: dict[str, Organization] = {}
    for spec in ORGANIZATIONS:  # parents are listed before their children
        parent = orgs[spec.parent] if spec.parent else None
        lookup: dict[str, Any] = {"name": spec.name, "admin_unit": units[spec.unit]}
        if parent is not None:
            # Names like "Văn phòng Sở" repeat across the departments of one province: the parent
            # tells them apart.
            lookup["parent"] = parent
        orgs[spec.key] = upsert(
            Organization,
            lookup,
            {
                "short_name": spec.short_name,
                "kind": spec.kind,
                "parent": parent,
                "is_active": spec.is_active,
                "address": spec.address,
                "phone": spec.phone,
                "website": spec.website,
                "notes": spec.notes,
            },
            tally,
        )

    people: dict[str, Person] = {}
    for spec in PEOPLE:
        unit = units[spec.unit] if spec.unit else orgs[spec.positions[0].org].admin_unit
        person = upsert(
            Person,
            {"full_name": spec.full_name},
            {
                "admin_unit": unit,
                "gender": spec.gender,
                "degree": spec.degree,
                "expertise": spec.expertise,
                "notes": spec.notes,
            },
            tally,
        )
        people[spec.key] = person
        for position in spec.positions:
            upsert(
                Position,
                {"person": person, "organization": orgs[position.org], "title": position.title},
                {"start_date": position.start, "end_date": position.end, "is_primary": position.is_primary},
                tally,
            )

    bodies: dict[str, LocalBody] = {}
    for spec in BODIES:
        body = upsert(
            LocalBody,
            {"kind": spec.kind, "admin_unit": units[spec.unit]},
            {
                "name": spec.name,
                "decision_number": spec.decision_number,
                "decision_date": spec.decision_date,
                "decision_issuer": orgs[spec.issuer] if spec.issuer else None,
                "valid_from": spec.decision_date,
                "valid_to": spec.valid_to,
                "notes": spec.notes,
            },
            tally,
        )
        bodies[spec.key] = body
        for member in spec.members:
            upsert(
                LocalBodyMember,
                {"body": body, "person": people[member.person]},
                {
                    "role": member.role,
                    "position_text": member.position_text,
                    "start_date": member.start,
                    "end_date": member.end,
                },
                tally,
            )

    return Directory(units=units, orgs=orgs, people=people, bodies=bodies, tally=tally)


def write_summary(stdout: TextIO, title: str, tally: Tally) -> None:
    stdout.write(f"{title}\n")
    for line in tally.lines():
        stdout.write(f"{line}\n")


def load(stdout: TextIO) -> None:
    """`stims demo` entry point for orgs.

    The accounts demo (which runs first) has usually loaded the directory already; then this pass
    finds nothing to do and stays quiet, so the accounts' sign-in table remains the last thing shown.
    """
    directory = load_directory()
    if directory.tally.changed:
        write_summary(stdout, "Demo directory (organizations, people, local S&T bodies):", directory.tally)
