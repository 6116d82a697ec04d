"""Demo ISO 9001 records for `stims demo`: every state agency of the demo directory applies a quality
management system under TCVN ISO 9001:2015, as the seed says of Nam Định (“100% cơ quan hành chính trên
địa bàn các huyện, thành phố đã xây dựng, áp dụng, duy trì cải tiến hệ thống quản lý theo TCVN ISO
9001:2015”, 24/7/2023) and as the department's work in Quảng Ninh and Thái Nguyên implies.

Agencies that existed then carry records of 2022 and 2023 (legacy districts too); the communes formed on
1/7/2025 have a 2025 record (one still building its system). Announcement numbers, dates, audits and the
department's check are illustrations and say so. Matched on natural keys, saved only when they differ.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from stims.demo.orgs import SRC_ND, SRC_QN, SRC_TN, Tally, load_directory, upsert, write_summary
from stims.iso.models import ActivityKind, CheckResult, IsoActivity, IsoCheck, IsoRecord, IsoStatus

Date = datetime.date
ILLUSTRATIVE = "Số, ngày công bố và nội dung đánh giá là minh hoạ (demo)."
SCOPE = "Toàn bộ thủ tục hành chính thuộc thẩm quyền giải quyết và hoạt động nội bộ của cơ quan."

# agency key -> [(year, status, source)]
RECORDS = {
    # Nam Định (seed of 24/7/2023: 100 % of the agencies apply the system).
    "so_nd": [(2022, IsoStatus.MAINTAINED, SRC_ND), (2023, IsoStatus.MAINTAINED, SRC_ND)],
    "stc_nd": [(2022, IsoStatus.MAINTAINED, SRC_ND), (2023, IsoStatus.MAINTAINED, SRC_ND)],
    "ubnd_nd": [(2022, IsoStatus.MAINTAINED, SRC_ND), (2023, IsoStatus.MAINTAINED, SRC_ND)],
    "ubnd_h_haihau": [(2022, IsoStatus.ANNOUNCED, SRC_ND), (2023, IsoStatus.MAINTAINED, SRC_ND)],
    # Quảng Ninh.
    "so_qn": [(2022, IsoStatus.MAINTAINED, SRC_QN), (2023, IsoStatus.MAINTAINED, SRC_QN)],
    "ubnd_qn": [(2022, IsoStatus.MAINTAINED, SRC_QN), (2023, IsoStatus.MAINTAINED, SRC_QN)],
    "ubnd_h_binhlieu": [(2022, IsoStatus.APPLYING, SRC_QN), (2023, IsoStatus.ANNOUNCED, SRC_QN)],
    "ubnd_h_bache": [(2022, IsoStatus.ANNOUNCED, SRC_QN), (2023, IsoStatus.MAINTAINED, SRC_QN)],
    "ubnd_x_binhlieu": [(2025, IsoStatus.APPLYING, SRC_QN)],
    "ubnd_x_bache": [(2025, IsoStatus.NOT_YET, SRC_QN)],
    # Thái Nguyên.
    "so_tn": [(2022, IsoStatus.MAINTAINED, SRC_TN), (2023, IsoStatus.MAINTAINED, SRC_TN)],
    "ubnd_h_dinhhoa": [(2022, IsoStatus.ANNOUNCED, SRC_TN), (2023, IsoStatus.MAINTAINED, SRC_TN)],
}


def load(stdout: TextIO) -> None:
    directory = load_directory()
    tally = Tally()
    for n, (key, years) in enumerate(RECORDS.items(), start=1):
        agency = directory.orgs[key]
        first_year = min(year for year, _status, _source in years)
        for year, status, source in years:
            announced = status in (IsoStatus.ANNOUNCED, IsoStatus.MAINTAINED)
            announcement_year = first_year if status == IsoStatus.MAINTAINED else year
            record = upsert(
                IsoRecord,
                {"agency": agency, "year": year},
                {
                    "status": status,
                    "scope": SCOPE,
                    "announcement_number": f"{n:02d}/QĐ-CBHT (demo)" if announced else "",
                    "announcement_date": Date(announcement_year, 3, 15) if announced else None,
                    "notes": f"{ILLUSTRATIVE} {source}",
                },
                tally,
            )
            if status != IsoStatus.NOT_YET:
                upsert(
                    IsoActivity,
                    {"record": record, "kind": ActivityKind.INTERNAL_AUDIT, "date": Date(year, 10, 10)},
                    {"nonconformities": 2, "summary": "Đánh giá nội bộ định kỳ (demo)."},
                    tally,
                )
                upsert(
                    IsoActivity,
                    {"record": record, "kind": ActivityKind.MANAGEMENT_REVIEW, "date": Date(year, 12, 5)},
                    {"nonconformities": 0, "summary": "Xem xét của lãnh đạo (demo)."},
                    tally,
                )
    # The department's check of Ba Chẽ's system in 2023 (illustration).
    ba_che_2023 = IsoRecord.objects.get(agency=directory.orgs["ubnd_h_bache"], year=2023)
    upsert(
        IsoCheck,
        {"record": ba_che_2023, "date": Date(2023, 9, 20)},
        {
            "team": "Tổ ISO, Chi cục Tiêu chuẩn Đo lường Chất lượng Quảng Ninh",
            "result": CheckResult.MINOR,
            "findings": "Chưa cập nhật 3 quy trình theo thủ tục hành chính mới công bố (minh hoạ).",
            "remedies": "Cập nhật quy trình, công bố lại phạm vi áp dụng.",
            "remedy_deadline": Date(2023, 12, 31),
        },
        tally,
    )
    if tally.changed:
        write_summary(stdout, "Demo ISO 9001 records of state agencies:", tally)
