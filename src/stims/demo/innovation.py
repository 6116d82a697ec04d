"""Demo local innovation index (PII) for `stims demo`.

Real: the PII structure's seven pillar names, and the PII 2023 overall scores of the top ten provinces as
officially published (12/3/2024), stored as *published* scores. SYNTHETIC (a seeded random generator,
marked as such on every page): every indicator value of the 63 provinces in 2023 and 2024, of the 34
provinces in 2025, and of Quảng Ninh's communes in 2025. The synthetic values follow one latent
"capacity" per province so that the computed ranks look plausible; for 2023 the ten published provinces
get the highest capacities in their published order. Idempotent: frameworks match on (code, year),
values on (indicator, unit); only what is missing is created.
"""

from __future__ import annotations

from typing import TextIO

import numpy as np
from simple_history.utils import bulk_create_with_history

from stims.geo.models import AdminUnit, Generation, Level
from stims.innovation import pii
from stims.innovation.models import Framework, Indicator, IndicatorValue, PublishedScore, UnitLevel
from stims.innovation.services import units_of

PII_NAME = "Chỉ số đổi mới sáng tạo cấp địa phương (PII)"
SYNTHETIC_SOURCE = "Dữ liệu tổng hợp giả lập (demo), không phải số liệu thật"
PUBLISHED_SOURCE = "Bộ Khoa học và Công nghệ, công bố PII 2023 ngày 12/3/2024"

# PII 2023, published overall scores of the top ten (short names of the pre-2025 provinces).
PUBLISHED_2023 = [
    ("Hà Nội", 62.86),
    ("Hồ Chí Minh", 55.85),
    ("Hải Phòng", 52.32),
    ("Đà Nẵng", 50.70),
    ("Cần Thơ", 49.66),
    ("Bắc Ninh", 49.20),
    ("Bà Rịa - Vũng Tàu", 49.18),
    ("Bình Dương", 48.64),
    ("Quảng Ninh", 48.03),
    ("Thái Nguyên", 47.75),
]

# (code, year, legacy units, level, province short name of a commune index, seed)
FRAMEWORKS = [
    ("PII", 2023, True, UnitLevel.PROVINCE, None, 2023),
    ("PII", 2024, True, UnitLevel.PROVINCE, None, 2024),
    ("PII", 2025, False, UnitLevel.PROVINCE, None, 2025),
    ("PII-XA", 2025, False, UnitLevel.COMMUNE, "Quảng Ninh", 7025),
]


def _fold(name: str) -> str:
    return name.replace("–", "-").replace("  ", " ").strip().lower()


def published_unit(short_name: str) -> AdminUnit | None:
    provinces = AdminUnit.objects.filter(generation=Generation.LEGACY, level=Level.PROVINCE)
    wanted = _fold(short_name)
    for unit in provinces:
        if _fold(unit.short_name) == wanted or _fold(unit.short_name).endswith(wanted):
            return unit
    return None


def synthetic_values(units: list[AdminUnit], indicators: list[Indicator], seed: int, leaders: list[int]):
    """units × indicators: a latent capacity per unit (leaders first, in order) plus noise per indicator."""
    rng = np.random.default_rng(seed)
    n, k = len(units), len(indicators)
    capacity = rng.normal(0, 1, n)
    for place, index in enumerate(leaders):
        capacity[index] = 3.0 - place * 0.12
    loading = rng.uniform(0.4, 0.9, k)
    noise = rng.normal(0, 1, (n, k))
    direction = np.array([i.direction for i in indicators])
    z = capacity[:, None] * loading * direction + noise * np.sqrt(1 - loading**2)
    scale = rng.uniform(5, 100, k)
    values = np.exp(0.35 * z) * scale  # positive, a little right-skewed like real statistics
    return np.round(values, 2)


def load(stdout: TextIO) -> None:
    created_values = 0
    for code, year, legacy, level, province_name, seed in FRAMEWORKS:
        province = None
        if province_name:
            province = AdminUnit.objects.get(
                generation=Generation.CURRENT, level=Level.PROVINCE, short_name=province_name
            )
        fw, _ = Framework.objects.get_or_create(
            code=code,
            year=year,
            defaults={
                "name": PII_NAME if level == UnitLevel.PROVINCE else f"{PII_NAME} cấp xã, {province}",
                "legacy_units": legacy,
                "unit_level": level,
                "province": province,
                "synthetic": True,
                "description": "Giá trị chỉ số là dữ liệu giả lập để minh hoạ.",
            },
        )
        pii.load(fw)
        units = list(units_of(fw))
        indicators = list(
            Indicator.objects.filter(group__pillar__framework=fw).order_by(
                "group__pillar__number", "group__code", "code"
            )
        )
        leaders = []
        if year == 2023 and level == UnitLevel.PROVINCE:
            index = {u.pk: i for i, u in enumerate(units)}
            for name, _score in PUBLISHED_2023:
                unit = published_unit(name)
                if unit is not None and unit.pk in index:
                    leaders.append(index[unit.pk])
        values = synthetic_values(units, indicators, seed, leaders)
        existing = set(
            IndicatorValue.objects.filter(indicator__group__pillar__framework=fw).values_list(
                "admin_unit_id", "indicator_id"
            )
        )
        rows = [
            IndicatorValue(indicator=ind, admin_unit=unit, value=float(values[i, j]), source=SYNTHETIC_SOURCE)
            for i, unit in enumerate(units)
            for j, ind in enumerate(indicators)
            if (unit.pk, ind.pk) not in existing
        ]
        if rows:
            bulk_create_with_history(rows, IndicatorValue, batch_size=2000)
            created_values += len(rows)
        if year == 2023 and level == UnitLevel.PROVINCE:
            for rank, (name, score) in enumerate(PUBLISHED_2023, start=1):
                unit = published_unit(name)
                if unit is None:
                    continue
                PublishedScore.objects.update_or_create(
                    framework=fw,
                    admin_unit=unit,
                    defaults={"overall": score, "rank": rank, "source": PUBLISHED_SOURCE},
                )
    stdout.write(
        f"Innovation index: {len(FRAMEWORKS)} frameworks, {created_values} synthetic values created.\n"
    )
