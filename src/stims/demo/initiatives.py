"""Demo initiatives for `stims demo`: the initiatives council of Huyện Hải Hậu (Nam Định) sitting for
2022, whose members score the applications of the district's agencies, three recognised by decision with
a scope of effect and a reward and one not; and a 2023 round in Huyện Ba Chẽ (Quảng Ninh) with one
initiative recognised and one still awaiting the council. The seed (Báo Nam Định, 24/7/2023) says the
districts “đã thành lập Hội đồng xét sáng kiến, công nhận phạm vi ảnh hưởng sáng kiến”; titles, authors,
scores, decisions and rewards are illustrations (“minh hoạ”).

Records are matched on natural keys and saved only when they differ (state and decision included), so a
second run writes nothing.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from stims.accounts.models import User
from stims.demo.orgs import Tally, load_directory, upsert, write_summary
from stims.initiatives.models import (
    CouncilRound,
    EffectScope,
    Initiative,
    InitiativeAuthor,
    InitiativeState,
    MemberRole,
    RoundMember,
    ScoreSheet,
)

Date = datetime.date
S = InitiativeState
NOTE = "Tên sáng kiến, tác giả, điểm, số quyết định và tiền thưởng là minh hoạ (demo)."

ROUNDS = {
    "haihau": {
        "name": "Hội đồng xét sáng kiến huyện Hải Hậu năm 2022",
        "year": 2022,
        "unit": "old_h_haihau",
        "convened_by": "ubnd_h_haihau",
        "decision_number": "3127/QĐ-UBND (demo)",
        "decision_date": Date(2022, 9, 12),
        "members": (
            ("Vũ Văn Thành", "Phó Chủ tịch UBND huyện", MemberRole.CHAIR),
            ("Trần Thị Ngọc Lan", "Chuyên viên Phòng Nội vụ", MemberRole.SECRETARY),
            ("Phạm Văn Hùng", "Trưởng phòng Kinh tế và Hạ tầng (minh hoạ)", MemberRole.MEMBER),
        ),
    },
    "bache": {
        "name": "Hội đồng xét sáng kiến huyện Ba Chẽ năm 2023",
        "year": 2023,
        "unit": "old_h_bache",
        "convened_by": "ubnd_h_bache",
        "decision_number": "1520/QĐ-UBND (demo)",
        "decision_date": Date(2023, 8, 1),
        "members": (
            ("Lý Văn Thắng", "Phó Chủ tịch UBND huyện", MemberRole.CHAIR),
            ("Ma Thị Hồng", "Chuyên viên Phòng Kinh tế và Hạ tầng", MemberRole.SECRETARY),
            # The demo council member (`hoidong`) sits on this council and enters their own sheets.
            ("Hoàng Văn Dũng", "Chánh Văn phòng HĐND và UBND huyện (minh hoạ)", MemberRole.MEMBER),
        ),
    },
}

# (round, agency, title, field, submitted, authors [(name, position, share)], state, scores per member,
#  decision (number, date, scope, reward, note))
INITIATIVES = (
    (
        "haihau",
        "ubnd_h_haihau",
        "Số hoá quy trình tiếp nhận và trả kết quả hồ sơ đất đai tại bộ phận một cửa huyện",
        "Cải cách hành chính",
        Date(2022, 10, 3),
        (
            ("Nguyễn Thị Thu", "Chuyên viên Văn phòng HĐND và UBND huyện", 70),
            ("Đỗ Văn Nam", "Viên chức Chi nhánh VPĐK đất đai", 30),
        ),
        S.RECOGNISED,
        ((26, 27, 35), (25, 26, 34), (27, 27, 36)),
        ("215/QĐ-UBND (demo)", Date(2022, 12, 20), EffectScope.LOCALITY, 3_000_000, ""),
    ),
    (
        "haihau",
        "ubnd_h_haihau",
        "Mô hình nhắn tin tự động nhắc lịch tiêm chủng cho trẻ em trên địa bàn xã",
        "Y tế",
        Date(2022, 10, 10),
        (("Trần Văn Quang", "Viên chức Trung tâm Y tế huyện", 100),),
        S.RECOGNISED,
        ((24, 25, 30), (23, 24, 31), (25, 25, 30)),
        ("215/QĐ-UBND (demo)", Date(2022, 12, 20), EffectScope.UNIT, 2_000_000, ""),
    ),
    (
        "haihau",
        "ubnd_h_haihau",
        "Ứng dụng bản đồ số quản lý diện tích lúa chất lượng cao",
        "Nông nghiệp",
        Date(2022, 10, 17),
        (
            ("Phạm Thị Hoa", "Chuyên viên Phòng Nông nghiệp và PTNT", 60),
            ("Vũ Đức Long", "Kỹ sư Trạm khuyến nông", 40),
        ),
        S.RECOGNISED,
        ((27, 28, 36), (28, 27, 37), (26, 28, 35)),
        ("215/QĐ-UBND (demo)", Date(2022, 12, 20), EffectScope.PROVINCE, 5_000_000, ""),
    ),
    (
        "haihau",
        "ubnd_h_haihau",
        "Sắp xếp lại kho lưu trữ hồ sơ của Văn phòng UBND huyện",
        "Văn thư, lưu trữ",
        Date(2022, 10, 24),
        (("Lê Thị Mai", "Văn thư Văn phòng HĐND và UBND huyện", 100),),
        S.NOT_RECOGNISED,
        ((15, 18, 20), (14, 17, 22), (16, 18, 21)),
        (
            "216/QĐ-UBND (demo)",
            Date(2022, 12, 20),
            "",
            None,
            "Giải pháp mang tính công việc thường xuyên, chưa có tính mới.",
        ),
    ),
    (
        "bache",
        "ubnd_h_bache",
        "Quy trình hỗ trợ hộ dân đăng ký truy xuất nguồn gốc sản phẩm ba kích tím trên cổng điện tử",
        "Khoa học và công nghệ",
        Date(2023, 9, 5),
        (
            ("Ma Thị Hồng", "Chuyên viên Phòng Kinh tế và Hạ tầng", 80),
            ("Chíu Văn Sầu", "Cán bộ khuyến nông xã", 20),
        ),
        S.RECOGNISED,
        ((25, 27, 33), (26, 26, 34), (24, 27, 32)),
        ("2011/QĐ-UBND (demo)", Date(2023, 12, 15), EffectScope.LOCALITY, 2_500_000, ""),
    ),
    (
        "bache",
        "ubnd_h_bache",
        "Sổ tay điện tử hướng dẫn ghi nhãn hàng hoá cho cơ sở sản xuất OCOP",
        "Tiêu chuẩn, đo lường, chất lượng",
        Date(2023, 10, 2),
        (("Đặng Thị Thuý", "Chuyên viên Phòng Kinh tế và Hạ tầng", 100),),
        S.SUBMITTED,
        (),
        None,
    ),
)


def load(stdout: TextIO) -> None:
    directory = load_directory()
    tally = Tally()
    rounds, members = {}, {}
    council_member = User.objects.filter(username="hoidong").first()
    for key, spec in ROUNDS.items():
        council_round = upsert(
            CouncilRound,
            {"name": spec["name"]},
            {
                "year": spec["year"],
                "admin_unit": directory.units[spec["unit"]],
                "convened_by": directory.orgs[spec["convened_by"]],
                "decision_number": spec["decision_number"],
                "decision_date": spec["decision_date"],
            },
            tally,
        )
        rounds[key] = council_round
        members[key] = []
        for n, (name, position, role) in enumerate(spec["members"]):
            values = {"position": position, "role": role}
            if key == "bache" and n == 2 and council_member is not None:
                values["user"] = council_member
            members[key].append(upsert(RoundMember, {"round": council_round, "name": name}, values, tally))
    for round_key, agency, title, field, submitted, authors, state, scores, decision in INITIATIVES:
        number, day, scope, reward, note = decision or ("", None, "", None, "")
        # The application first (as submitted), its authors and sheets, then the council's outcome:
        # an application is frozen once before the council.
        initiative = upsert(
            Initiative,
            {"title": title},
            {
                "agency": directory.orgs[agency],
                "field": field,
                "submitted_on": submitted,
                "first_applied_on": submitted - datetime.timedelta(days=90),
                "description": f"{title}. {NOTE}",
                "benefits": "Rút ngắn thời gian xử lý, tiết kiệm chi phí cho người dân và cơ quan (minh hoạ).",
            },
            tally,
        )
        for name, position, share in authors:
            upsert(
                InitiativeAuthor,
                {"initiative": initiative, "name": name},
                {"position": position, "contribution": share},
                tally,
            )
        for member, (novelty, applicability, benefit) in zip(members[round_key], scores, strict=False):
            upsert(
                ScoreSheet,
                {"initiative": initiative, "member": member},
                {"novelty": novelty, "applicability": applicability, "benefit": benefit},
                tally,
            )
        upsert(
            Initiative,
            {"title": title},
            {
                "round": rounds[round_key] if state != S.SUBMITTED else None,
                "state": state,
                "decision_number": number,
                "decision_date": day,
                "effect_scope": scope,
                "reward": reward,
                "decision_note": note,
            },
            tally,
        )
    if tally.changed:
        write_summary(stdout, "Demo initiatives and their councils:", tally)
