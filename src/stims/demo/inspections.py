"""Demo standards, metrology and quality records for `stims demo`.

Seed 004 (Sở KH&CN Sơn La, 2023) reports "thanh tra, kiểm tra … việc chấp hành các quy định của pháp
luật về đo lường, ghi nhãn hàng hóa đối với hoạt động sản xuất, kinh doanh hàng đóng gói sẵn, kinh
doanh xăng dầu, khí dầu mỏ hóa lỏng". The article gives no establishment, finding or fine: those below
are made up for the demo (the names say "(demo)"), in Sơn La's districts as they were in 2023 (legacy
units). Sơn La's 2023 plans of fuel retail and pre-packaged goods, one decision each, six inspections
moved through the workflow by the demo inspector (`thanhtra`) as on the inspection's page, with their
violations, fines and follow-ups; the fuel stations' pumps as measuring instruments (one due for
verification soon); one clinic with an X-ray device whose licence expires soon.

Seed 001 (Ba Chẽ, 2022): "hướng dẫn ghi nhãn hàng hoá cho 09 cơ sở". The registries demo records that
guidance on nine of Ba Chẽ's products; here each producer's premises becomes an establishment (sector
"labelling", on the product's commune) and its guidance is linked to it, so the establishment's page
shows the guidance beside its inspections.

Idempotent: rows are matched on natural keys and only what differs is saved; an inspection already
moved is not moved again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TextIO

from django.core.management.base import CommandError
from django.utils import timezone

from stims.accounts.models import User
from stims.demo.orgs import Tally, upsert, write_summary
from stims.demo.registries import BA_CHE
from stims.geo.models import AdminUnit, Generation, Level
from stims.inspections import services
from stims.inspections.models import (
    Establishment,
    FollowUp,
    Inspection,
    InspectionDecision,
    InspectionPlan,
    InspectionState,
    MeasuringInstrument,
    RadiationLicence,
    RadiationSource,
    Sanction,
    Sector,
    Violation,
    ViolationType,
)
from stims.products.models import LabellingGuidance

D = datetime.date
SIGNER = "Phó Giám đốc Sở KH&CN Sơn La (demo)"

# key, name, sector code, legacy district of Sơn La, address, owner
ESTABLISHMENTS = [
    (
        "xd_maison",
        "Cửa hàng xăng dầu Cò Nòi (demo)",
        "fuel-retail",
        "Huyện Mai Sơn",
        "Xã Cò Nòi, huyện Mai Sơn",
        "Lò Văn Thành",
    ),
    (
        "xd_mocchau",
        "Cửa hàng xăng dầu Tiểu khu 6 (demo)",
        "fuel-retail",
        "Thị xã Mộc Châu",
        "Phường Mộc Châu",
        "Đinh Thị Hoa",
    ),
    (
        "xd_thuanchau",
        "Cửa hàng xăng dầu Chiềng Pấc (demo)",
        "fuel-retail",
        "Huyện Thuận Châu",
        "Xã Chiềng Pấc, huyện Thuận Châu",
        "Cầm Văn Dũng",
    ),
    (
        "xd_tpsonla",
        "Cửa hàng xăng dầu Chiềng Sinh (demo)",
        "fuel-retail",
        "Thành phố Sơn La",
        "Phường Chiềng Sinh, TP Sơn La",
        "Nguyễn Văn Hải",
    ),
    (
        "dg_tra",
        "Cơ sở chế biến chè Tân Lập (demo)",
        "prepackaged",
        "Thị xã Mộc Châu",
        "Xã Tân Lập, thị xã Mộc Châu",
        "Vì Thị Lan",
    ),
    (
        "dg_caphe",
        "Hợp tác xã cà phê Chiềng Ban (demo)",
        "prepackaged",
        "Huyện Mai Sơn",
        "Xã Chiềng Ban, huyện Mai Sơn",
        "Quàng Văn Tú",
    ),
    (
        "xq_phongkham",
        "Phòng khám đa khoa Tô Hiệu (demo)",
        "radiation",
        "Thành phố Sơn La",
        "Đường Tô Hiệu, TP Sơn La",
        "Bác sĩ Hoàng Minh Đức",
    ),
]

PLANS = [
    # key, sector, title, planned, approved, decision number, signed
    (
        "fuel",
        "fuel-retail",
        "Kế hoạch kiểm tra đo lường, chất lượng xăng dầu năm 2023 (demo)",
        4,
        D(2023, 2, 10),
        "15/QĐ-SKHCN (demo)",
        D(2023, 3, 1),
    ),
    (
        "prepack",
        "prepackaged",
        "Kế hoạch kiểm tra đo lường hàng đóng gói sẵn và ghi nhãn hàng hóa năm 2023 (demo)",
        2,
        D(2023, 2, 10),
        "16/QĐ-SKHCN (demo)",
        D(2023, 3, 1),
    ),
]


@dataclass(frozen=True)
class Visit:
    """One inspection of a plan: what was found, the violations (type codes), the sanction (number,
    issued, fine, remedies, paid on), the follow-up (due, done, outcome) and the workflow moves the
    demo inspector makes. An inspection still planned gives only the first three."""

    establishment: str
    plan: str
    planned: datetime.date
    inspected: datetime.date | None = None
    samples: str = ""
    instruments: int = 0
    findings: str = ""
    violations: tuple[str, ...] = ()
    sanction: tuple[str, datetime.date, int, str, datetime.date | None] | None = None
    follow_up: tuple[datetime.date, datetime.date | None, str] | None = None
    moves: tuple[tuple[str, datetime.date], ...] = ()


INSPECTIONS = [
    Visit(
        "xd_maison",
        "fuel",
        D(2023, 4, 5),
        inspected=D(2023, 4, 5),
        samples="02 mẫu xăng RON 95-III, 01 mẫu dầu DO 0,05S",
        instruments=4,
        findings="01 cột đo có chứng chỉ kiểm định hết hiệu lực; sai số cột đo số 2 vượt giới hạn cho phép.",
        violations=("fuel-pump-unverified", "fuel-quantity-error"),
        sanction=(
            "42/QĐ-XPVPHC (demo)",
            D(2023, 4, 20),
            17_500_000,
            "Kiểm định lại 02 cột đo trước khi tiếp tục bán hàng",
            D(2023, 5, 3),
        ),
        follow_up=(D(2023, 5, 20), D(2023, 5, 18), "Đã kiểm định lại 02 cột đo, chứng chỉ còn hiệu lực"),
        moves=(
            ("start", D(2023, 4, 5)),
            ("conclude", D(2023, 4, 12)),
            ("follow_up", D(2023, 4, 21)),
            ("close", D(2023, 5, 20)),
        ),
    ),
    Visit(
        "xd_mocchau",
        "fuel",
        D(2023, 4, 6),
        inspected=D(2023, 4, 6),
        samples="01 mẫu xăng E5 RON 92-II",
        instruments=3,
        findings="Cột đo có chứng chỉ kiểm định còn hiệu lực; mẫu xăng phù hợp QCVN 1:2022/BKHCN.",
        moves=(("start", D(2023, 4, 6)), ("conclude", D(2023, 4, 12)), ("close", D(2023, 4, 14))),
    ),
    Visit(
        "xd_thuanchau",
        "fuel",
        D(2023, 4, 10),
        inspected=D(2023, 4, 10),
        samples="01 mẫu dầu DO 0,05S",
        instruments=2,
        findings="Không xuất trình được chứng từ chất lượng của lô dầu nhập ngày 02/4/2023.",
        violations=("fuel-records",),
        sanction=(
            "47/QĐ-XPVPHC (demo)",
            D(2023, 4, 25),
            5_000_000,
            "Lưu giữ chứng từ chất lượng từng lô hàng nhập",
            None,
        ),
        follow_up=(D(2023, 6, 30), None, ""),
        moves=(("start", D(2023, 4, 10)), ("conclude", D(2023, 4, 18)), ("follow_up", D(2023, 4, 26))),
    ),
    Visit("xd_tpsonla", "fuel", D(2023, 10, 15)),
    Visit(
        "dg_tra",
        "prepack",
        D(2023, 5, 9),
        inspected=D(2023, 5, 9),
        samples="05 gói chè xanh 200 g",
        instruments=1,
        findings="Lượng thực của 02/05 gói thiếu so với lượng danh nghĩa 200 g; nhãn thiếu ngày sản xuất.",
        violations=("prepack-short-quantity", "label-mandatory-content"),
        sanction=(
            "58/QĐ-XPVPHC (demo)",
            D(2023, 5, 22),
            8_000_000,
            "Điều chỉnh định lượng đóng gói; bổ sung ngày sản xuất trên nhãn",
            D(2023, 6, 2),
        ),
        follow_up=(D(2023, 7, 1), D(2023, 6, 28), "Đã in lại nhãn, định lượng đạt yêu cầu"),
        moves=(
            ("start", D(2023, 5, 9)),
            ("conclude", D(2023, 5, 16)),
            ("follow_up", D(2023, 5, 23)),
            ("close", D(2023, 7, 1)),
        ),
    ),
    Visit(
        "dg_caphe",
        "prepack",
        D(2023, 5, 10),
        inspected=D(2023, 5, 10),
        samples="03 gói cà phê bột 500 g",
        instruments=1,
        findings="Lượng thực và nhãn hàng hóa phù hợp quy định.",
        moves=(("start", D(2023, 5, 10)), ("conclude", D(2023, 5, 16)), ("close", D(2023, 5, 17))),
    ),
]


def _district(name: str) -> AdminUnit:
    unit = (
        AdminUnit.objects.filter(
            name=name, generation=Generation.LEGACY, province__short_name="Sơn La"
        ).first()
        or AdminUnit.objects.filter(name=name, generation=Generation.LEGACY).first()
    )
    if unit is None:
        raise CommandError(f"Unit {name} (2023) is missing: run `stims load_units`.")
    return unit


def load(stdout: TextIO) -> None:
    tally = Tally()
    today = timezone.localdate()
    inspector = User.objects.filter(username="thanhtra").first()
    if inspector is None:
        raise CommandError("The demo inspector `thanhtra` is missing: the accounts demo runs first.")
    province = AdminUnit.objects.get(level=Level.PROVINCE, short_name="Sơn La", generation=Generation.LEGACY)
    sectors = {s.code: s for s in Sector.objects.all()}
    places = {}
    for key, name, sector, district, address, owner in ESTABLISHMENTS:
        places[key] = upsert(
            Establishment,
            {"name": name},
            {
                "sector": sectors[sector],
                "admin_unit": _district(district),
                "address": address,
                "owner_name": owner,
            },
            tally,
        )
    decisions = {}
    for key, sector, title, planned, approved, number, signed in PLANS:
        plan = upsert(
            InspectionPlan,
            {"year": 2023, "sector": sectors[sector], "admin_unit": province},
            {"title": title, "planned_count": planned, "approved_on": approved},
            tally,
        )
        decisions[key] = upsert(
            InspectionDecision,
            {"plan": plan, "number": number},
            {"signed_on": signed, "signer": SIGNER, "kind": "check", "subject": title},
            tally,
        )
    types = {t.code: t for t in ViolationType.objects.all()}
    for spec in INSPECTIONS:
        inspection = upsert(
            Inspection,
            {"establishment": places[spec.establishment], "decision": decisions[spec.plan]},
            {
                "planned_on": spec.planned,
                "inspected_on": spec.inspected,
                "lead_inspector": inspector,
                "samples_taken": spec.samples,
                "instruments_checked": spec.instruments,
                "findings": spec.findings,
            },
            tally,
        )
        for code in spec.violations:
            upsert(Violation, {"inspection": inspection, "violation_type": types[code]}, {}, tally)
        if spec.sanction:
            number, issued, fine, remedies, paid = spec.sanction
            upsert(
                Sanction,
                {"inspection": inspection, "decision_number": number},
                {"issued_on": issued, "fine_vnd": fine, "remedies": remedies, "paid_on": paid},
                tally,
            )
        if spec.follow_up:
            due, done, outcome = spec.follow_up
            upsert(
                FollowUp,
                {"inspection": inspection, "due_on": due},
                {"done_on": done, "outcome": outcome},
                tally,
            )
        if inspection.state == InspectionState.PLANNED and not inspection.events.exists():
            for action, on in spec.moves:
                services.move(inspection, action, inspector, on=on)
    # The fuel stations' pumps: verified yearly; one due within the month.
    for key in ("xd_maison", "xd_mocchau", "xd_thuanchau", "xd_tpsonla"):
        for number in (1, 2):
            due = (
                today + datetime.timedelta(days=20)
                if (key, number) == ("xd_mocchau", 1)
                else D(today.year + 1, 3, 31)
            )
            upsert(
                MeasuringInstrument,
                {"establishment": places[key], "serial_number": f"{key.upper()}-CD{number:02d}"},
                {
                    "kind": "Cột đo nhiên liệu",
                    "last_verified_on": D(today.year, 3, 31)
                    if due.year > today.year
                    else D(today.year - 1, 12, 31),
                    "verification_due": due,
                },
                tally,
            )
    clinic = places["xq_phongkham"]
    upsert(
        RadiationSource,
        {"establishment": clinic, "serial_number": "XQ-2019-0457"},
        {"kind": "xray", "model_name": "Máy X-quang chẩn đoán y tế", "purpose": "Chụp X-quang chẩn đoán"},
        tally,
    )
    upsert(
        RadiationLicence,
        {"establishment": clinic, "number": "112/GP-SKHCN (demo)"},
        {
            "issued_on": today - datetime.timedelta(days=3 * 365 - 45),
            "expires_on": today + datetime.timedelta(days=45),
            "work_scope": "Sử dụng thiết bị X-quang chẩn đoán trong y tế",
        },
        tally,
    )
    link_ba_che_guidance(sectors["labelling"], tally)
    if tally.changed:
        write_summary(stdout, "Demo standards, metrology and quality (Sơn La 2023, Ba Chẽ 2022):", tally)


def link_ba_che_guidance(sector: Sector, tally: Tally) -> None:
    """Ba Chẽ's labelling guidance of 2022, given to 09 establishments: each product's producer (a
    cooperative, an enterprise or a household) as an establishment, the guidance linked to it."""
    for spec in BA_CHE:
        if spec.labelling is None:
            continue
        guidance = (
            LabellingGuidance.objects.select_related("product__producer", "product__admin_unit")
            .filter(product__name=spec.name, given_on=spec.labelling)
            .first()
        )
        if guidance is None:
            raise CommandError(
                f"The labelling guidance of {spec.name} is missing: the registries demo runs first."
            )
        product = guidance.product
        name = product.producer.name if product.producer_id else product.producer_name
        place = upsert(
            Establishment,
            {"name": name, "admin_unit": product.admin_unit},
            {
                "sector": sector,
                "organization": product.producer,
                "note": "Cơ sở được hướng dẫn ghi nhãn năm 2022 (demo).",
            },
            tally,
        )
        upsert(LabellingGuidance, {"pk": guidance.pk}, {"establishment": place}, tally)
