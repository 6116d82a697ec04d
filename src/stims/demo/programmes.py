"""Demo records of the department's own agenda for `stims demo`, from the seed articles:

* the strategies, plans and programmes they name: the Quảng Ninh master plan 2021–2030 for S&T and
  innovation and its IP development programme to 2030; the coordination programmes of the Quảng Ninh
  department with the districts of Bình Liêu (industrial-property guidance for 100 % of the key and OCOP
  products, at least 01 S&T enterprise) and Ba Chẽ (01 to 02 new S&T enterprises each year), which
  the working sessions of 13/3/2023 discussed; Sơn La's action programme 21-CTr/TU on biotechnology,
  the S&T and innovation strategy to 2030 and the startup-ecosystem support plan 2017–2025; Quảng Trị's
  scheme for microbial products in agriculture 2021–2025;
* the 9 directing documents the Sơn La department advised on in the first five months of 2023 (the
  figure is their count), among them NQ 54/2023/NQ-HĐND on the provincial S&T award; those the article
  does not name are recorded as such;
* the cooperation with the Vietnam National University of Agriculture on the Mộc Châu research zone,
  the startup centre's strawberry trial with Phú Nhuận Farm, and the Ba Chẽ coordination programme as
  an agreement with its commitments;
* an outreach activity (labelling guidance for 09 establishments of Ba Chẽ in 2022), the Nam Định
  conference on grassroots S&T (24/7/2023), and a Ba Chẽ steering committee meeting and S&T officer as
  illustrations (marked "demo").

Matched on natural keys, saved only when they differ.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from stims.demo.orgs import SRC_ND, SRC_QN, SRC_QT, SRC_SL, Tally, load_directory, upsert, write_summary
from stims.programmes.models import (
    Activity,
    ActivityKind,
    Agreement,
    BodyMeeting,
    Commitment,
    DocumentRole,
    DocumentStatus,
    DocumentType,
    LegalDocument,
    LocalOfficer,
    OfficerStatus,
    Plan,
    PlanKind,
    PlanLink,
    Target,
)

Date = datetime.date
ILLUSTRATION = "Minh hoạ (demo)."
T = DocumentType

# key -> (kind, name, unit key, owner key, years, decision number, decision date, issuer, summary)
PLANS = {
    "qh_qn": (
        PlanKind.MASTER_PLAN,
        "Quy hoạch tỉnh Quảng Ninh thời kỳ 2021-2030, tầm nhìn đến năm 2050 lĩnh vực khoa học, công nghệ và"
        " đổi mới sáng tạo",
        "qn",
        "so_qn",
        (2021, 2030),
        "",
        None,
        "Thủ tướng Chính phủ",
        SRC_QN,
    ),
    "sttt_qn": (
        PlanKind.PROGRAMME,
        "Chương trình Phát triển tài sản trí tuệ trên địa bàn tỉnh Quảng Ninh đến năm 2030",
        "qn",
        "so_qn",
        (2021, 2030),
        "",
        None,
        "UBND tỉnh Quảng Ninh",
        SRC_QN,
    ),
    "pp_binhlieu": (
        PlanKind.COORDINATION,
        "Chương trình phối hợp giữa Sở KH&CN và UBND huyện Bình Liêu về phát triển KH&CN và ĐMST",
        "old_h_binhlieu",
        "so_qn",
        (2023, 2025),
        "",
        None,
        "Sở KH&CN Quảng Ninh, UBND huyện Bình Liêu",
        "Tuyên truyền về vai trò của KH&CN; nhiệm vụ, mô hình ứng dụng KH&CN; hướng dẫn thủ tục sở hữu công"
        " nghiệp; phát triển doanh nghiệp KH&CN; tiêu chuẩn đo lường chất lượng; thanh tra, kiểm tra. "
        + SRC_QN,
    ),
    "pp_bache": (
        PlanKind.COORDINATION,
        "Chương trình phối hợp giữa Sở KH&CN và UBND huyện Ba Chẽ về phát triển KH&CN và ĐMST",
        "old_h_bache",
        "so_qn",
        (2023, 2025),
        "",
        None,
        "Sở KH&CN Quảng Ninh, UBND huyện Ba Chẽ",
        "Triển khai Chương trình Phát triển tài sản trí tuệ; quản lý, duy trì nhãn hiệu; phát triển doanh"
        " nghiệp KH&CN; tiêu chuẩn đo lường chất lượng; thanh tra, kiểm tra. " + SRC_QN,
    ),
    "ctr21_sl": (
        PlanKind.PROGRAMME,
        "Chương trình hành động số 21-CTr/TU thực hiện Nghị quyết số 36-NQ/TW về phát triển và ứng dụng công"
        " nghệ sinh học phục vụ phát triển bền vững đất nước trong tình hình mới",
        "sl",
        "so_sl",
        (2023, 2030),
        "21-CTr/TU",
        Date(2023, 3, 21),
        "Ban Thường vụ Tỉnh ủy Sơn La",
        SRC_SL,
    ),
    "cl2030_sl": (
        PlanKind.STRATEGY,
        "Chiến lược phát triển khoa học, công nghệ và đổi mới sáng tạo đến năm 2030 (thực hiện tại tỉnh Sơn La)",
        "sl",
        "so_sl",
        (2021, 2030),
        "",
        None,
        "Thủ tướng Chính phủ",
        SRC_SL,
    ),
    "knst_sl": (
        PlanKind.PLAN,
        "Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Sơn La giai đoạn 2017-2025",
        "sl",
        "so_sl",
        (2017, 2025),
        "",
        None,
        "UBND tỉnh Sơn La",
        SRC_SL,
    ),
    "vsv_qt": (
        PlanKind.SCHEME,
        "Đề án Ứng dụng chế phẩm vi sinh vật trong sản xuất nông nghiệp giai đoạn 2021 - 2025, định hướng đến"
        " năm 2030 trên địa bàn tỉnh Quảng Trị",
        "qt",
        "so_qt",
        (2021, 2025),
        "",
        None,
        "UBND tỉnh Quảng Trị",
        SRC_QT,
    ),
}
PARENTS = {"pp_binhlieu": "qh_qn", "pp_bache": "qh_qn", "sttt_qn": "qh_qn"}

# plan key -> [(indicator, unit, year, value, measure, unit key or None, note)]
TARGETS = {
    "pp_binhlieu": [
        (
            "Sản phẩm chủ lực, sản phẩm OCOP được hướng dẫn, hỗ trợ thủ tục sở hữu công nghiệp",
            "%",
            2023,
            100,
            "",
            None,
            "“hướng dẫn, hỗ trợ … thủ tục về sở hữu công nghiệp cho 100% sản phẩm chủ lực, sản phẩm thuộc"
            " Chương trình OCOP”",
        ),
        (
            "Doanh nghiệp KH&CN trên địa bàn huyện",
            "doanh nghiệp",
            None,
            1,
            "st_enterprises",
            "old_h_binhlieu",
            "“phấn đấu phát triển ít nhất 01 doanh nghiệp khoa học và công nghệ trên địa bàn huyện”",
        ),
    ],
    "pp_bache": [
        (
            "Doanh nghiệp KH&CN phát triển thêm trên địa bàn huyện",
            "doanh nghiệp",
            year,
            1,
            "st_enterprises",
            "old_h_bache",
            "“phấn đấu mỗi năm phát triển thêm được 01 đến 02 doanh nghiệp KH&CN trên địa bàn”",
        )
        for year in (2023, 2024, 2025)
    ],
    "sttt_qn": [
        (
            "Nhiệm vụ KH&CN thuộc Chương trình phát triển tài sản trí tuệ",
            "nhiệm vụ",
            None,
            1,
            "tasks",
            None,
            "Năm 2022 huyện Bình Liêu đặt hàng 01 nhiệm vụ thuộc Chương trình; giá trị chỉ tiêu là minh hoạ (demo).",
        ),
    ],
}

# The 9 directing documents of Sơn La (Jan–May 2023): (number, type, title, date, issuer, role, plan key).
SL_NOTE = "Một trong 09 văn bản chỉ đạo Sở tham mưu ban hành 5 tháng đầu năm 2023. " + SRC_SL
SL_DOCUMENTS = [
    (
        "21-CTr/TU",
        T.PLAN,
        "Chương trình hành động thực hiện Nghị quyết số 36-NQ/TW về phát triển và ứng dụng công nghệ sinh học",
        Date(2023, 3, 21),
        "Ban Thường vụ Tỉnh ủy Sơn La",
        DocumentRole.ADVISED,
        "ctr21_sl",
    ),
    (
        "54/2023/NQ-HĐND",
        T.RESOLUTION,
        "Quy định nội dung, mức chi xét, tặng Giải thưởng Khoa học và Công nghệ tỉnh Sơn La",
        Date(2023, 4, 18),
        "HĐND tỉnh Sơn La",
        DocumentRole.DRAFTED,
        None,
    ),
    (
        "",
        T.PLAN,
        "Văn bản tham mưu thực hiện Chiến lược phát triển khoa học, công nghệ và đổi mới sáng tạo đến năm 2030",
        None,
        "UBND tỉnh Sơn La",
        DocumentRole.ADVISED,
        "cl2030_sl",
    ),
    (
        "",
        T.REGULATION,
        "Quy định quản lý hoạt động sáng kiến trên địa bàn tỉnh đến năm 2025",
        None,
        "UBND tỉnh Sơn La",
        DocumentRole.ADVISED,
        None,
    ),
    (
        "",
        T.PLAN,
        "Văn bản triển khai Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Sơn La giai đoạn"
        " 2017-2025",
        None,
        "UBND tỉnh Sơn La",
        DocumentRole.ADVISED,
        "knst_sl",
    ),
    *(
        (
            "",
            T.OTHER,
            f"Văn bản chỉ đạo số {n} trong 09 văn bản (bài viết không nêu tên)",
            None,
            "UBND tỉnh Sơn La",
            DocumentRole.ADVISED,
            None,
        )
        for n in range(6, 10)
    ),
]


def load(stdout: TextIO) -> None:
    directory = load_directory()
    units, orgs = directory.units, directory.orgs
    tally = Tally()
    plans: dict[str, Plan] = {}
    for key, (kind, name, unit, owner, (start, end), number, date, issuer, summary) in PLANS.items():
        plans[key] = upsert(
            Plan,
            {"name": name},
            {
                "kind": kind,
                "admin_unit": units[unit],
                "owner": orgs[owner],
                "start_year": start,
                "end_year": end,
                "decision_number": number,
                "decision_date": date,
                "issuer": issuer,
                "summary": summary,
                "parent": plans.get(PARENTS.get(key, "")),
            },
            tally,
        )
    from stims.sttasks.models import Programme, Task

    ip_programme = Programme.objects.filter(code="sttt").first()
    if ip_programme is not None:
        upsert(Plan, {"pk": plans["sttt_qn"].pk}, {"task_programme": ip_programme}, tally)
    for key, rows in TARGETS.items():
        for indicator, unit_label, year, value, measure, unit, note in rows:
            upsert(
                Target,
                {"plan": plans[key], "indicator": indicator, "year": year},
                {
                    "unit": unit_label,
                    "value": value,
                    "measure": measure,
                    "admin_unit": units[unit] if unit else None,
                    "note": note[:300],
                },
                tally,
            )
    # Ba Chẽ's tasks serve its coordination programme.
    for task in Task.objects.filter(ordering_unit=units["old_h_bache"]).order_by("pk")[:3]:
        upsert(PlanLink, {"plan": plans["pp_bache"], "task": task}, {"note": SRC_QN[:300]}, tally)

    for number, doc_type, title, date, issuer, role, plan in SL_DOCUMENTS:
        upsert(
            LegalDocument,
            {"organization": orgs["so_sl"], "title": title},
            {
                "doc_type": doc_type,
                "number": number,
                "issued_on": date,
                "issuer": issuer,
                "role": role,
                "status": DocumentStatus.IN_FORCE if date else DocumentStatus.ISSUED,
                "effective_on": date,
                "admin_unit": units["sl"],
                "plan": plans[plan] if plan else None,
            },
            tally,
        )

    mocchau = upsert(
        Agreement,
        {"name": "Hợp tác giữa Học viện Nông nghiệp Việt Nam và Sở KH&CN Sơn La về Khu nghiên cứu Mộc Châu"},
        {
            "owner": orgs["so_sl"],
            "admin_unit": units["sl"],
            "scope": "Khảo sát, xây dựng Khu nghiên cứu ứng dụng KH&CN về nông lâm nghiệp huyện Mộc Châu"
            " theo biên bản hợp tác ký kết giữa hai bên. " + SRC_SL,
        },
        tally,
    )
    mocchau.partners.add(orgs["hvnn"])
    upsert(
        Commitment,
        {
            "agreement": mocchau,
            "text": "Khảo sát Khu nghiên cứu ứng dụng KH&CN về nông lâm nghiệp huyện Mộc Châu",
        },
        {"party": "Sở KH&CN Sơn La, Học viện Nông nghiệp Việt Nam"},
        tally,
    )
    strawberry = upsert(
        Agreement,
        {
            "name": "Hợp tác khảo nghiệm giống dâu tây giữa Trung tâm Hỗ trợ khởi nghiệp ĐMST và Công ty Phú Nhuận Farm"
        },
        {
            "owner": orgs["tt_knst_sl"],
            "admin_unit": units["sl"],
            "scope": "Xây dựng thí điểm mô hình, khảo nghiệm giống dâu tây hiện có trên địa bàn tỉnh và nhập nội"
            " để tìm ra giống cho năng suất, chất lượng, hiệu quả cao nhất. " + SRC_SL,
            "plan": plans["knst_sl"],
        },
        tally,
    )
    strawberry.partners.add(orgs["phu_nhuan"])
    ba_che_agreement = upsert(
        Agreement,
        {"name": "Chương trình phối hợp giữa Sở KH&CN Quảng Ninh và UBND huyện Ba Chẽ"},
        {
            "owner": orgs["so_qn"],
            "admin_unit": units["old_h_bache"],
            "start_date": Date(2023, 3, 13),
            "scope": PLANS["pp_bache"][8],
            "plan": plans["pp_bache"],
        },
        tally,
    )
    ba_che_agreement.partners.add(orgs["ubnd_h_bache"])
    for text in (
        "Triển khai Chương trình Phát triển tài sản trí tuệ; quản lý, duy trì nhãn hiệu đã được cấp văn bằng"
        " bảo hộ trên địa bàn huyện",
        "Mỗi năm phát triển thêm 01 đến 02 doanh nghiệp KH&CN trên địa bàn",
        "Phối hợp thực hiện các cuộc thanh tra, kiểm tra trên địa bàn huyện",
    ):
        upsert(
            Commitment, {"agreement": ba_che_agreement, "text": text}, {"party": "UBND huyện Ba Chẽ"}, tally
        )

    upsert(
        Activity,
        {
            "title": "Hướng dẫn ghi nhãn hàng hoá cho các cơ sở sản xuất huyện Ba Chẽ",
            "held_on": Date(2022, 12, 31),
        },
        {
            "kind": ActivityKind.TRAINING,
            "audience": "Cơ sở sản xuất, kinh doanh trên địa bàn huyện",
            "attendees": 9,
            "organizer": orgs["so_qn"],
            "admin_unit": units["old_h_bache"],
            "plan": plans["pp_bache"],
            "note": "09 cơ sở được hướng dẫn trong năm 2022 (ngày là minh hoạ). " + SRC_QN,
        },
        tally,
    )
    upsert(
        Activity,
        {
            "title": "Hội nghị tổng kết đánh giá hoạt động KH&CN cấp cơ sở năm 2022",
            "held_on": Date(2023, 7, 24),
        },
        {
            "kind": ActivityKind.CONFERENCE,
            "audience": "Các huyện, thành phố và cơ sở",
            "attendees": 0,
            "organizer": orgs["so_nd"],
            "admin_unit": units["old_nd"],
            "note": "Số người tham dự không nêu trong bài. " + SRC_ND,
        },
        tally,
    )
    upsert(
        BodyMeeting,
        {"body": directory.bodies["bcd_Ba Chẽ"], "held_on": Date(2023, 3, 20)},
        {
            "agenda": "Triển khai nội dung làm việc với Sở KH&CN ngày 13/3/2023. " + ILLUSTRATION,
            "conclusions": "Giao Phòng Kinh tế và Hạ tầng rà soát đề xuất đặt hàng nhiệm vụ KH&CN cấp tỉnh năm 2024.",
            "attendees": 9,
        },
        tally,
    )
    upsert(
        LocalOfficer,
        {"admin_unit": units["old_h_bache"], "person": directory.people["trieu_van_long"]},
        {
            "position": "Chuyên viên Phòng Kinh tế và Hạ tầng, phụ trách KH&CN",
            "status": OfficerStatus.PART_TIME,
            "since": Date(2021, 6, 10),
        },
        tally,
    )
    write_summary(stdout, "Plans, documents, agreements, outreach", tally)
