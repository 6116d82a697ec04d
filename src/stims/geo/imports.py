"""Administrative units in an Excel import (`stims.core.imports`): the unit columns and their reader.

A unit is written by its full name ("Xã Đạp Thanh"), with a "Tỉnh" (province) and a "Giai đoạn"
(before/after the 2025 reorganisation) column to tell namesakes apart. Used by the registries' and
the tasks' imports.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import widgets

from stims.core import permissions
from stims.core.imports import fold, is_empty

from .models import AdminUnit, Generation, Level

# The unit columns' headers (the Vietnamese words people already use in their workbooks).
UNIT = "Đơn vị hành chính"
PROVINCE = "Tỉnh"
GENERATION = "Giai đoạn"
LEGACY_LABEL, CURRENT_LABEL = "trước 2025", "sau 2025"
# A row key an import may set to the period its row speaks of (Generation.LEGACY or CURRENT), used only
# to tell apart a shortened name that fits a unit of each period.
PERIOD_HINT = "_period"
# Likewise the level its unit column names (Level.DISTRICT under "Huyện", Level.COMMUNE under "Xã").
LEVEL_HINT = "_level"


def level_of_header(header: str) -> str | None:
    """The level a unit column's own header names: "Huyện…" a district, "Xã…" a commune."""
    folded = fold(header)
    if folded.startswith(("huyen", "quan huyen")):
        return Level.DISTRICT
    if folded.startswith(("xa", "phuong xa")):
        return Level.COMMUNE
    return None


def generation_label(unit: AdminUnit) -> str:
    return LEGACY_LABEL if unit.generation == Generation.LEGACY else CURRENT_LABEL


class UnitWidget(widgets.Widget):
    """An administrative unit by its full name ("Xã Đạp Thanh"), narrowed by the row's "Tỉnh" and
    "Giai đoạn" columns, then by the home province, then by the units the user may use. The unit must
    be one the user may attach this kind of record to."""

    GENERATIONS = {
        fold(LEGACY_LABEL): Generation.LEGACY,
        "truoc": Generation.LEGACY,
        "legacy": Generation.LEGACY,
        fold(CURRENT_LABEL): Generation.CURRENT,
        "sau": Generation.CURRENT,
        "2025": Generation.CURRENT,
    }

    def __init__(self, user, model, **kwargs):
        super().__init__(**kwargs)
        self.user, self.model = user, model
        self._candidates: dict[str, list[AdminUnit]] = {}
        self._assignable: dict[int, bool] = {}
        self._names: list[dict[str, str]] | None = None
        self._answers: dict[tuple, tuple] = {}

    # Unit names as people shorten them: "H. Ba Chẽ", "TT. Bình Liêu", "TP. Hạ Long", or no kind at all.
    ABBREVIATIONS = {
        "h": "huyen",
        "tx": "thi xa",
        "tp": "thanh pho",
        "tt": "thi tran",
        "x": "xa",
        "p": "phuong",
        "q": "quan",
        "t": "tinh",
    }
    KINDS = ("huyen", "thi xa", "thanh pho", "thi tran", "xa", "phuong", "quan", "tinh", "dac khu")

    def candidates(self, name: str) -> list[AdminUnit]:
        key = fold(name)
        if key not in self._candidates:
            units = list(AdminUnit.objects.filter(name=name).select_related("province"))
            if not units:  # typed without diacritics or with other capitals: compare folded names
                units = self.folded(key, {key})
            if not units:  # "H. Ba Chẽ" → "huyen ba che"; "Ba Chẽ" → any kind of unit named Ba Chẽ
                first, _sep, rest = key.partition(" ")
                if first in self.ABBREVIATIONS and rest:
                    units = self.folded(rest, {f"{self.ABBREVIATIONS[first]} {rest}"})
                else:
                    units = self.folded(key, {f"{kind} {key}" for kind in self.KINDS})
            self._candidates[key] = units
        return self._candidates[key]

    def folded(self, contains: str, names: set[str]) -> list[AdminUnit]:
        return [
            u
            for u in AdminUnit.objects.filter(search_text__contains=contains).select_related("province")
            if fold(u.name) in names
        ]

    def suggestions(self, value) -> str:
        """Names of units the user may use that look like `value` (diacritics and kinds aside)."""
        import difflib

        if self._names is None:
            # The units the user may use, those of the home province first (a district's list speaks
            # of its own province).
            usable = permissions.assignable_units(self.user, self.model, permissions.ADD)
            home = Q(province__code=settings.STIMS_PROVINCE) | Q(
                code=settings.STIMS_PROVINCE, level=Level.PROVINCE
            )
            self._names = [
                {fold(name): name for name in usable.filter(home).values_list("name", flat=True)},
                {fold(name): name for name in usable.exclude(home).values_list("name", flat=True)},
            ]
        key = fold(str(value))
        first, _sep, rest = key.partition(" ")
        if first in self.ABBREVIATIONS and rest:  # "h ba tre" is compared as "huyen ba tre"
            key = f"{self.ABBREVIATIONS[first]} {rest}"
        bare = rest if first in self.ABBREVIATIONS or first in self.KINDS else key
        found: list[str] = []
        for names in self._names:
            found = [
                names[k]
                for k in difflib.get_close_matches(key, list(names), n=3, cutoff=0.8)
                + [k for k in names if k.endswith(" " + bare) and k[: -len(bare) - 1] in self.KINDS]
            ]
            if found:
                break
        return ", ".join(f"“{name}”" for name in dict.fromkeys(found)) if found else ""

    def assignable(self, unit: AdminUnit) -> bool:
        if unit.pk not in self._assignable:
            self._assignable[unit.pk] = (
                permissions.assignable_units(self.user, self.model, permissions.ADD)
                .filter(pk=unit.pk)
                .exists()
            )
        return self._assignable[unit.pk]

    def clean(self, value, row=None, **kwargs):
        """The unit; the answer is remembered for the same cells (a workbook repeats a few units)."""
        row = row or {}
        key = (
            str(value).strip() if value is not None else "",
            *(str(row.get(k) or "") for k in (PROVINCE, GENERATION, PERIOD_HINT, LEVEL_HINT)),
        )
        if key not in self._answers:
            try:
                self._answers[key] = (self.find(value, row), None)
            except ValueError as exc:
                self._answers[key] = (None, str(exc))
        unit, error = self._answers[key]
        if error is not None:
            raise ValueError(error)
        return unit

    def find(self, value, row):
        if is_empty(value):
            raise ValueError(_("this column is required"))
        units = self.candidates(str(value).strip())
        if not units:
            suggestions = self.suggestions(value)
            if suggestions:
                raise ValueError(
                    _("not found “%(value)s”; did you mean %(suggestions)s?")
                    % {"value": value, "suggestions": suggestions}
                )
            raise ValueError(_("not found “%(value)s”") % {"value": value})
        province = row.get(PROVINCE)
        if not is_empty(province):
            wanted = fold(str(province))
            units = [
                u
                for u in units
                if wanted in {fold(u.name), fold(u.short_name)}
                and u.province_id is None
                or u.province_id is not None
                and wanted in {fold(u.province.name), fold(u.province.short_name)}
            ]
            if not units:
                raise ValueError(
                    _("not found “%(value)s” in “%(province)s”") % {"value": value, "province": province}
                )
        generation = row.get(GENERATION)
        if not is_empty(generation):
            wanted = self.GENERATIONS.get(fold(str(generation)))
            if wanted is None:
                raise ValueError(
                    _("“%(column)s” must be “%(legacy)s” or “%(current)s”")
                    % {"column": GENERATION, "legacy": LEGACY_LABEL, "current": CURRENT_LABEL}
                )
            units = [u for u in units if u.generation == wanted]
            if not units:
                raise ValueError(_("not found “%(value)s” in that period") % {"value": value})
        if len(units) > 1:
            home = [
                u for u in units if (u.province.code if u.province_id else u.code) == settings.STIMS_PROVINCE
            ]
            units = home or units
        if len(units) > 1:
            usable = [u for u in units if self.assignable(u)]
            units = usable or units
        hint = row.get(PERIOD_HINT)
        if len(units) > 1 and hint and len({u.generation for u in units}) > 1:
            # A shortened name ("Ba Chẽ") of a district before 2025 and a commune after: the row's own
            # date (an evaluation of 2023) says which period it speaks of.
            units = [u for u in units if u.generation == hint] or units
        level = row.get(LEVEL_HINT)
        if len(units) > 1 and level:  # the column was headed "Huyện" or "Xã": "Ba Chẽ" is the district
            units = [u for u in units if u.level == level] or units
        if len(units) > 1 and len({u.name for u in units}) > 1:
            raise ValueError(
                _("“%(value)s” may be %(names)s: write the full name")
                % {"value": value, "names": ", ".join(f"“{u.name}”" for u in sorted(units, key=str))}
            )
        if len(units) > 1:
            raise ValueError(
                _("“%(value)s” matches several units; fill in “%(province)s” or “%(generation)s”")
                % {"value": value, "province": PROVINCE, "generation": GENERATION}
            )
        unit = units[0]
        if not self.assignable(unit):
            raise ValueError(_("you may not add records to “%(unit)s”") % {"unit": unit})
        return unit

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""
