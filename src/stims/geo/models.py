"""Administrative units of Viet Nam, before and after the 2025 reform, and the mapping between them.

Both generations are kept side by side: a 2023 record attached to "Huyện Ba Chẽ, Tỉnh Quảng Ninh"
keeps pointing at that legacy district, and `AdminUnitSuccession` rolls it up to today's province
and communes. Codes are the official statistics-office codes, unique within a generation and level.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.models import SearchableModel

REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_END_DATE = datetime.date(2025, 6, 30)


class Generation(models.TextChoices):
    LEGACY = "legacy", _("Before 2025 (63 provinces, 3 levels)")
    CURRENT = "2025", _("From 1 July 2025 (34 provinces, 2 levels)")


class Level(models.TextChoices):
    PROVINCE = "province", pgettext_lazy("administrative level", "Province level")
    DISTRICT = "district", pgettext_lazy("administrative level", "District level")
    COMMUNE = "commune", pgettext_lazy("administrative level", "Commune level")


class AdminUnitQuerySet(models.QuerySet):
    def current(self):
        return self.filter(generation=Generation.CURRENT)

    def legacy(self):
        return self.filter(generation=Generation.LEGACY)

    def provinces(self):
        return self.filter(level=Level.PROVINCE)


class AdminUnit(SearchableModel):
    generation = models.CharField(_("generation"), max_length=8, choices=Generation.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("official code"), max_length=10)
    name = models.CharField(_("name"), max_length=120, help_text=_("Full name, e.g. “Huyện Ba Chẽ”."))
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("unit type"), max_length=30, help_text=_("Tỉnh, Thành phố, Huyện, Xã, Phường…"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Denormalised so that "everything in a province" is one indexed filter, not a recursive walk.
    province = models.ForeignKey(
        "self", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # The normalised key used by the conversion table of `vietnamadminunits` (e.g. "huyenbache").
    source_key = models.CharField(_("source key"), max_length=120, blank=True, editable=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)

    search_fields = ("name", "kind", "short_name", "parent.name", "province.short_name")
    search_name_field = "short_name"
    # Equal matches: provinces before districts before communes, today's units before legacy ones.
    search_tiebreak = ("-level", "generation")
    scope_unit_path = "pk"
    label_select_related = ("parent", "province")

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["generation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "level", "code"], name="geo_unit_unique_code"),
        ]
        indexes = [
            # The unit list filters by generation and level, then orders by code.
            models.Index(fields=["generation", "level", "code"], name="geo_unit_gen_level_code"),
            models.Index(fields=["province", "level"], name="geo_unit_province_level"),
        ]

    def __str__(self) -> str:
        if self.level == Level.PROVINCE or self.parent is None:
            label = self.name
        else:
            above = self.province if self.province_id else self.parent
            label = f"{self.name}, {above.name if above else ''}"
        # Both generations have a "Tỉnh Quảng Ninh": say which one a legacy unit is.
        return f"{label} ({_('before 2025')})" if self.is_legacy else label

    @property
    def is_legacy(self) -> bool:
        return self.generation == Generation.LEGACY

    def lineage(self) -> list["AdminUnit"]:
        """This unit and its ancestors, from the province down."""
        chain: list[AdminUnit] = []
        unit: AdminUnit | None = self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return list(reversed(chain))


class AdminUnitSuccession(models.Model):
    """One edge of the 2025 reform: a legacy unit (or part of it) became a post-reform unit.

    A legacy commune split between several new communes has one edge per new commune; the one that
    took its name or centre is `is_principal`. Legacy provinces map to the merged province.
    """

    predecessor = models.ForeignKey(
        AdminUnit, verbose_name=_("before 2025"), on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        AdminUnit, verbose_name=_("after 2025"), on_delete=models.CASCADE, related_name="predecessions"
    )
    is_principal = models.BooleanField(_("principal successor"), default=True)
    effective_date = models.DateField(_("effective date"), default=REFORM_DATE)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="geo_succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
