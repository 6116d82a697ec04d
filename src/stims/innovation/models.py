"""The local innovation index (chỉ số đổi mới sáng tạo cấp địa phương, PII): a framework versioned per
year (two sub-indices, input and output → pillars → groups → indicators), each unit's raw indicator
values with their source and evidence, and the officially published scores kept apart from the ones
STIMS computes (`engine.py` computes, `services.py` reads the database into it)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.files import document_upload_path, validate_document_file
from stims.core.models import AuditedModel, SearchableModel


class SubIndex(models.TextChoices):
    INPUT = "input", _("Input sub-index")
    OUTPUT = "output", _("Output sub-index")


class Direction(models.IntegerChoices):
    POSITIVE = 1, _("Higher is better")
    NEGATIVE = -1, _("Lower is better")


class Transformation(models.TextChoices):
    AUTO = "auto", _("By the GII rule (winsorise or log when skewed)")
    NONE = "none", _("None")
    LOG = "log", _("Logarithm")
    WINSORISE = "winsorise", _("Winsorise")


class MissingValues(models.TextChoices):
    REWEIGHT = "reweight", _("Leave out and re-weight")
    IMPUTE = "impute", _("Impute the mean of the other units")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Provinces")
    COMMUNE = "commune", _("Communes of one province")


class Framework(SearchableModel, AuditedModel):
    """One year's version of an index: its structure, the method and the units it ranks."""

    code = models.CharField(_("code"), max_length=20, help_text=_("Short name of the index, e.g. PII."))
    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    unit_level = models.CharField(
        _("units ranked"), max_length=10, choices=UnitLevel.choices, default=UnitLevel.PROVINCE
    )
    legacy_units = models.BooleanField(
        _("pre-2025 units"),
        default=False,
        help_text=_("Ranks the 63 provinces (or communes) before the 2025 reorganisation."),
    )
    province = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="innovation_frameworks",
        help_text=_("For a commune-level index: the province whose communes are ranked."),
    )
    missing_values = models.CharField(
        _("missing values"), max_length=10, choices=MissingValues.choices, default=MissingValues.REWEIGHT
    )
    deadline = models.DateField(_("data deadline"), null=True, blank=True)
    synthetic = models.BooleanField(
        _("synthetic data"), default=False, help_text=_("The values are made up for demonstration.")
    )
    description = models.TextField(_("description"), blank=True)

    search_fields = ("code", "name")

    class Meta:
        verbose_name = _("index framework")
        verbose_name_plural = _("index frameworks")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="innovation_framework_code_year")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    def clean(self):
        if self.unit_level == UnitLevel.COMMUNE and self.province_id is None:
            raise ValidationError(
                {"province": _("A commune-level index names the province of its communes.")}
            )


class Pillar(AuditedModel):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="pillars"
    )
    sub_index = models.CharField(_("sub-index"), max_length=6, choices=SubIndex.choices)
    number = models.PositiveSmallIntegerField(pgettext_lazy("pillar", "number"))
    name = models.CharField(_("name"), max_length=255)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0)])
    placeholder = models.BooleanField(
        _("placeholder name"), default=False, help_text=_("The official name is not known to us.")
    )

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="innovation_pillar_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class IndicatorGroup(AuditedModel):
    pillar = models.ForeignKey(
        Pillar, verbose_name=_("pillar"), on_delete=models.CASCADE, related_name="groups"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=255)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0)])
    placeholder = models.BooleanField(_("placeholder name"), default=False)

    class Meta:
        verbose_name = _("indicator group")
        verbose_name_plural = _("indicator groups")
        ordering = ["pillar", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(AuditedModel):
    group = models.ForeignKey(
        IndicatorGroup, verbose_name=_("indicator group"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit of measure"), max_length=50, blank=True)
    direction = models.SmallIntegerField(
        _("direction"), choices=Direction.choices, default=Direction.POSITIVE
    )
    source = models.CharField(pgettext_lazy("data source", "source"), max_length=255, blank=True)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0)])
    transformation = models.CharField(
        _("transformation"), max_length=10, choices=Transformation.choices, default=Transformation.AUTO
    )
    lower_bound = models.FloatField(
        _("lower bound"), null=True, blank=True, help_text=_("Values below it count as this bound.")
    )
    upper_bound = models.FloatField(
        _("upper bound"), null=True, blank=True, help_text=_("Values above it count as this bound.")
    )
    placeholder = models.BooleanField(_("placeholder name"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("innovation index", "indicator")
        verbose_name_plural = pgettext_lazy("innovation index", "indicators")
        ordering = ["group", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        if (
            self.lower_bound is not None
            and self.upper_bound is not None
            and self.lower_bound >= self.upper_bound
        ):
            raise ValidationError({"upper_bound": _("The upper bound must be above the lower bound.")})


class IndicatorValue(AuditedModel):
    """One unit's raw value of one indicator in one framework year, with where it comes from."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=pgettext_lazy("innovation index", "indicator"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="innovation_values",
    )
    value = models.FloatField(_("value"))
    source = models.CharField(pgettext_lazy("data source", "source"), max_length=255, blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    scope_unit_path = "admin_unit"

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "admin_unit"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "admin_unit"], name="innovation_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.admin_unit}"


class PublishedScore(AuditedModel):
    """A score as officially published (e.g. by the Ministry), kept apart from what STIMS computes."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="published_scores"
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+"
    )
    overall = models.FloatField(_("published overall score"))
    rank = models.PositiveSmallIntegerField(_("published rank"), null=True, blank=True)
    source = models.CharField(pgettext_lazy("data source", "source"), max_length=255, blank=True)

    scope_unit_path = "admin_unit"

    class Meta:
        verbose_name = _("published score")
        verbose_name_plural = _("published scores")
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "admin_unit"], name="innovation_published_unique")
        ]

    def __str__(self) -> str:
        return f"{self.admin_unit}: {self.overall}"
