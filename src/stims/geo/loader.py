"""Loads the official administrative units from maintained PyPI packages into STIMS.

Sources (never copied into our source tree):
  * `vietnam-provinces`: the 34 post-2025 provinces and 3,321 communes with official NSO codes;
  * `vietnamadminunits`: the legacy 63 provinces, 696 districts and ~10,000 communes (its SQLite
    dataset) and the 2025 old-to-new conversion table (its `converter_2025.json`).

Idempotent: rows are matched on (generation, level, code); unchanged rows are left alone, changed
ones updated, missing ones created. Running it twice leaves the same counts.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from stims.core.text import fold

from .models import LEGACY_END_DATE, REFORM_DATE, AdminUnit, AdminUnitSuccession, Generation, Level

BATCH = 1000
UPDATABLE = (
    "name",
    "short_name",
    "kind",
    "parent_id",
    "province_id",
    "valid_from",
    "valid_to",
    "source_key",
    "latitude",
    "longitude",
    "area_km2",
)


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    counts: dict = field(default_factory=dict)


def _legacy_rows() -> list[dict]:
    from vietnamadminunits.database import query

    return query("SELECT DISTINCT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode")


def _current_extra_rows() -> dict[str, dict]:
    """Keys and coordinates of post-2025 communes, by official code, from vietnamadminunits."""
    from vietnamadminunits.database import query

    return {row["wardCode"]: row for row in query("SELECT DISTINCT * FROM admin_units")}


def _conversion_table() -> dict:
    import vietnamadminunits

    path = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _kind_of(name: str, kinds: tuple[str, ...]) -> str:
    for kind in kinds:
        if name.startswith(kind + " "):
            return kind
    return name.split(" ")[0]


PROVINCE_KINDS = ("Thành phố", "Tỉnh")


class _Upserter:
    """Creates or updates units keyed by (generation, level, code), in batches."""

    def __init__(self, report: LoadReport):
        self.report = report
        self.existing = {(u.generation, u.level, u.code): u for u in AdminUnit.objects.all()}

    def put(self, generation, level, code, **values) -> AdminUnit:
        key = (generation, level, code)
        unit = self.existing.get(key)
        if unit is None:
            unit = AdminUnit(generation=generation, level=level, code=code, **values)
            self._new.append(unit)
            self.existing[key] = unit
            return unit
        if level == Level.PROVINCE:
            values["province_id"] = unit.pk  # a province is its own province
        for name, value in values.items():
            setattr(unit, name, value)
        self._pending.append(unit)
        return unit

    _pending: list

    def begin(self):
        self._pending, self._new = [], []
        self._snapshots = {id(u): tuple(getattr(u, f) for f in UPDATABLE) for u in self.existing.values()}

    def flush(self):
        """Writes one level; the next level needs these ids as parents, so levels flush in order."""
        if self._new:
            AdminUnit.objects.bulk_create(self._new, batch_size=BATCH)
            self.report.created += len(self._new)
            self._new = []
        changed = [
            u for u in self._pending if tuple(getattr(u, f) for f in UPDATABLE) != self._snapshots.get(id(u))
        ]
        self.report.unchanged += len(self._pending) - len(changed)
        self.report.updated += len(changed)
        if changed:
            AdminUnit.objects.bulk_update(changed, UPDATABLE, batch_size=BATCH)
        self._pending = []


@transaction.atomic
def load_units(stdout=None) -> LoadReport:
    from vietnam_provinces import Province, Ward

    report = LoadReport()
    upsert = _Upserter(report)
    upsert.begin()

    # --- Post-2025: provinces and communes (official codes from vietnam-provinces) ---------------
    extra = _current_extra_rows()
    province_keys = {row["provinceCode"]: row for row in extra.values()}
    current_provinces = {}
    for province in Province.iter_all():
        code = f"{province.code.value:02d}"
        info = province_keys.get(code, {})
        kind = "Thành phố" if province.division_type.value == "thành phố trung ương" else "Tỉnh"
        # The package names cities in full ("Thành phố Hà Nội") but provinces bare ("Cao Bằng").
        short_name = province.name.removeprefix(f"{kind} ")
        unit = upsert.put(
            Generation.CURRENT,
            Level.PROVINCE,
            code,
            name=f"{kind} {short_name}",
            short_name=short_name,
            kind=kind,
            parent_id=None,
            province_id=None,
            valid_from=REFORM_DATE,
            valid_to=None,
            source_key=info.get("provinceKey", ""),
            latitude=info.get("provinceLat"),
            longitude=info.get("provinceLon"),
            area_km2=None,
        )
        current_provinces[code] = unit
    upsert.flush()
    _make_their_own_province(current_provinces.values())

    current_wards = {}
    for ward in Ward.iter_all():
        code = f"{ward.code.value:05d}"
        home = current_provinces[f"{ward.province_code.value:02d}"]
        info = extra.get(code, {})
        kind = _kind_of(ward.name, ("Phường", "Xã", "Đặc khu", "Thị trấn"))
        unit = upsert.put(
            Generation.CURRENT,
            Level.COMMUNE,
            code,
            name=ward.name,
            short_name=ward.name[len(kind) :].strip() or ward.name,
            kind=kind,
            parent_id=home.pk,
            province_id=home.pk,
            valid_from=REFORM_DATE,
            valid_to=None,
            source_key=info.get("wardKey", ""),
            latitude=info.get("wardLat"),
            longitude=info.get("wardLon"),
            area_km2=info.get("wardAreaKm2"),
        )
        current_wards[(home.source_key, unit.source_key)] = unit
    upsert.flush()

    # --- Before 2025: provinces, districts, communes (vietnamadminunits legacy dataset) ----------
    legacy_provinces, legacy_districts, legacy_wards = {}, {}, {}
    rows = _legacy_rows()
    for row in rows:
        code = row["provinceCode"]
        if code in legacy_provinces:
            continue
        unit = upsert.put(
            Generation.LEGACY,
            Level.PROVINCE,
            code,
            name=row["province"],
            short_name=row["provinceShort"],
            kind=_kind_of(row["province"], PROVINCE_KINDS),
            parent_id=None,
            province_id=None,
            valid_from=None,
            valid_to=LEGACY_END_DATE,
            source_key=row["provinceKey"],
            latitude=row["provinceLat"],
            longitude=row["provinceLon"],
            area_km2=None,
        )
        legacy_provinces[code] = unit
    upsert.flush()
    _make_their_own_province(legacy_provinces.values())

    for row in rows:
        code = row["districtCode"]
        if code in legacy_districts:
            continue
        home = legacy_provinces[row["provinceCode"]]
        unit = upsert.put(
            Generation.LEGACY,
            Level.DISTRICT,
            code,
            name=row["district"],
            short_name=row["districtShort"],
            kind=row["districtType"],
            parent_id=home.pk,
            province_id=home.pk,
            valid_from=None,
            valid_to=LEGACY_END_DATE,
            source_key=row["districtKey"],
            latitude=row["districtLat"],
            longitude=row["districtLon"],
            area_km2=None,
        )
        legacy_districts[code] = unit
    upsert.flush()

    for row in rows:
        code = row["wardCode"]
        if not code or code in legacy_wards:
            continue
        district = legacy_districts[row["districtCode"]]
        unit = upsert.put(
            Generation.LEGACY,
            Level.COMMUNE,
            code,
            name=row["ward"],
            short_name=row["wardShort"],
            kind=row["wardType"],
            parent_id=district.pk,
            province_id=district.province_id,
            valid_from=None,
            valid_to=LEGACY_END_DATE,
            source_key=row["wardKey"],
            latitude=row["wardLat"],
            longitude=row["wardLon"],
            area_km2=None,
        )
        legacy_wards[(row["provinceKey"], row["districtKey"], row["wardKey"])] = unit
    upsert.flush()

    _refresh_search_text()
    report.successions_created = _load_successions(
        current_provinces, legacy_provinces, current_wards, legacy_wards
    )
    report.counts = {
        f"{generation}/{level}": AdminUnit.objects.filter(generation=generation, level=level).count()
        for generation in Generation.values
        for level in Level.values
    }
    return report


def _load_successions(current_provinces, legacy_provinces, current_wards, legacy_wards) -> int:
    table = _conversion_table()
    current_by_key = {u.source_key: u for u in current_provinces.values()}
    legacy_by_key = {u.source_key: u for u in legacy_provinces.values()}
    edges: dict[tuple[int, int], bool] = {}

    for new_key, old_keys in table["DICT_PROVINCE"].items():
        successor = current_by_key.get(new_key)
        for old_key in old_keys:
            predecessor = legacy_by_key.get(old_key)
            if successor and predecessor:
                edges[(predecessor.pk, successor.pk)] = True

    for new_province_key, wards in table["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_paths in wards.items():
            successor = current_wards.get((new_province_key, new_ward_key))
            for old_path in old_paths:
                predecessor = legacy_wards.get(tuple(old_path.split("_", 2)))
                if successor and predecessor:
                    edges[(predecessor.pk, successor.pk)] = True

    for new_province_key, divided in table["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_path, targets in divided.items():
            predecessor = legacy_wards.get(tuple(old_path.split("_", 2)))
            for target in targets:
                successor = current_wards.get((new_province_key, target["newWardKey"]))
                if successor and predecessor:
                    edges[(predecessor.pk, successor.pk)] = bool(target["isDefaultNewWard"])

    existing = set(AdminUnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    new_edges = [
        AdminUnitSuccession(predecessor_id=p, successor_id=s, is_principal=principal)
        for (p, s), principal in edges.items()
        if (p, s) not in existing
    ]
    AdminUnitSuccession.objects.bulk_create(new_edges, batch_size=BATCH)
    return len(new_edges)


def _make_their_own_province(provinces) -> None:
    """A province's `province` is itself, which only a saved row's id can say."""
    for unit in provinces:
        if unit.province_id != unit.pk:
            unit.province_id = unit.pk
            AdminUnit.objects.filter(pk=unit.pk).update(province_id=unit.pk)


def _refresh_search_text() -> None:
    """Fills the search column from name, type, parent and province (bulk writes skip `save()`)."""
    units = list(
        AdminUnit.objects.only(
            "pk", "name", "kind", "short_name", "parent_id", "province_id", "search_text", "search_name"
        )
    )
    by_id = {unit.pk: unit for unit in units}
    changed = []
    for unit in units:
        parent = by_id.get(unit.parent_id) if unit.parent_id else None
        province = by_id.get(unit.province_id) if unit.province_id else None
        parts = (
            unit.name,
            unit.kind,
            unit.short_name,
            parent.name if parent else "",
            province.short_name if province else "",
        )
        text = fold(" ".join(part for part in parts if part))
        name = fold(unit.short_name)
        if (text, name) != (unit.search_text, unit.search_name):
            unit.search_text, unit.search_name = text, name
            changed.append(unit)
    AdminUnit.objects.bulk_update(changed, ["search_text", "search_name"], batch_size=BATCH)
