"""OCOP and key local products: producers, localities, OCOP evaluations and star ratings over the years,
traceability, labelling guidance and quality declarations.

Product groups and the score-to-stars bands are data (QĐ 148/QĐ-TTg today; a later decision may
change them), not code.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel, SearchableModel


class ProductGroup(AuditedModel):
    """One of the OCOP product groups (food, drinks, herbal, handicraft, ornamental, tourism…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class StarBand(AuditedModel):
    """A band of total OCOP scores that earns a number of stars, valid over a period."""

    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    min_score = models.DecimalField(_("from score"), max_digits=5, decimal_places=2)
    max_score = models.DecimalField(_("to score"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("star band")
        verbose_name_plural = _("star bands")
        ordering = ["-valid_from", "-stars"]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.min_score}–{self.max_score}"

    def clean(self):
        if self.min_score is not None and self.max_score is not None and self.min_score > self.max_score:
            raise ValidationError({"max_score": _("The upper bound cannot be below the lower bound.")})

    @classmethod
    def stars_for(cls, total, on_date=None) -> int | None:
        """Stars earned by a total score under the bands in force on `on_date` (None: below every band)."""
        bands = cls.objects.filter(min_score__lte=total, max_score__gte=total)
        if on_date is not None:
            bands = bands.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on_date)).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=on_date)
            )
        band = bands.order_by("-stars").first()
        return band.stars if band else None


class ProducerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    HOUSEHOLD = "household", _("Household or business household")


class Product(SearchableModel, AuditedModel):
    name = models.CharField(_("name"), max_length=255)
    group = models.ForeignKey(
        ProductGroup, verbose_name=_("product group"), on_delete=models.PROTECT, related_name="products"
    )
    producer_kind = models.CharField(_("producer type"), max_length=20, choices=ProducerKind.choices)
    producer = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("producer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        help_text=_("The enterprise or cooperative; leave empty for a household and type its name below."),
    )
    producer_name = models.CharField(_("producer name (household)"), max_length=200, blank=True)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    is_key_product = models.BooleanField(_("key product of the locality"), default=False)
    is_ocop = models.BooleanField(_("in the OCOP programme"), default=False)
    description = models.TextField(_("description"), blank=True)

    search_fields = ("name", "producer.name", "producer_name", "admin_unit.name")
    scope_unit_path = "admin_unit"
    scope_organization_path = "producer"

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["search_name"]
        indexes = [
            # Registry list and dashboard: products of a unit, by OCOP/key flags.
            models.Index(fields=["admin_unit", "is_ocop", "is_key_product"], name="products_unit_flags"),
            # A group's OCOP products across units (the list's and the API's filters): counted from the
            # index alone instead of visiting each product of the group (50,000 products: 61 ms).
            models.Index(fields=["group", "is_ocop"], name="products_group_ocop"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.producer_kind != ProducerKind.HOUSEHOLD and self.producer_id is None:
            raise ValidationError(
                {"producer": _("Choose the enterprise or cooperative that makes the product.")}
            )
        if self.producer_kind == ProducerKind.HOUSEHOLD and not (self.producer_id or self.producer_name):
            raise ValidationError({"producer_name": _("Give the household's name.")})

    @property
    def producer_label(self) -> str:
        return self.producer.name if self.producer is not None else self.producer_name


class OcopEvaluation(AuditedModel):
    """One OCOP evaluation of a product: part scores A/B/C (out of 40/25/35), total, stars, certificate."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    score_a = models.DecimalField(
        _("part A score (out of 40)"),
        max_digits=4,
        decimal_places=1,
        null=True,  # empty only for a rating imported without part scores; forms still require it
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    score_b = models.DecimalField(
        _("part B score (out of 25)"),
        max_digits=4,
        decimal_places=1,
        null=True,  # empty only for a rating imported without part scores; forms still require it
        validators=[MinValueValidator(0), MaxValueValidator(25)],
    )
    score_c = models.DecimalField(
        _("part C score (out of 35)"),
        max_digits=4,
        decimal_places=1,
        null=True,  # empty only for a rating imported without part scores; forms still require it
        validators=[MinValueValidator(0), MaxValueValidator(35)],
    )
    total_score = models.DecimalField(
        _("total score"), max_digits=5, decimal_places=1, editable=False, null=True
    )
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True, editable=False)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    certificate_expiry = models.DateField(_("certificate valid until"), null=True, blank=True)
    is_recertification = models.BooleanField(_("re-certification"), default=False)

    scope_unit_path = "product__admin_unit"
    scope_organization_path = "product__producer"

    class Meta:
        verbose_name = _("OCOP evaluation")
        verbose_name_plural = _("OCOP evaluations")
        ordering = ["product", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["product", "year"], name="products_one_evaluation_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.year}"

    def derive_scores(self, stars_for=None) -> None:
        """Total and stars are derived from the part scores, never typed: the bands in force on the
        decision date decide. An evaluation recorded without part scores (a district's list giving only
        the total or the stars, imported from Excel) keeps its total, and its stars unless missing."""
        stars_for = stars_for or StarBand.stars_for
        if self.score_a is not None and self.score_b is not None and self.score_c is not None:
            self.total_score = self.score_a + self.score_b + self.score_c
            self.stars = stars_for(self.total_score, self.decision_date)
        elif self.total_score is not None and self.stars is None:
            self.stars = stars_for(self.total_score, self.decision_date)

    def save(self, *args, **kwargs):
        self.derive_scores()
        super().save(*args, **kwargs)


class Traceability(AuditedModel):
    """Traceability applied to a product (Đề án 100): code or stamp type, platform, date."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="traceability"
    )
    code_type = models.CharField(_("code or stamp type"), max_length=100)
    platform = models.CharField(_("platform"), max_length=150, blank=True)
    applied_on = models.DateField(_("applied on"))
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "product__admin_unit"
    scope_organization_path = "product__producer"

    class Meta:
        verbose_name = _("traceability")
        verbose_name_plural = _("traceability")
        ordering = ["-applied_on"]

    def __str__(self) -> str:
        return f"{self.code_type} ({self.product})"


class LabellingGuidance(AuditedModel):
    """Guidance on goods labelling given to a producer for a product (NĐ 43/2017/NĐ-CP)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="labelling_guidance"
    )
    given_on = models.DateField(_("given on"))
    given_by = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("given by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    establishment = models.ForeignKey(
        "inspections.Establishment",
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="labelling_guidance",
        help_text=_(
            "The establishment (producer's premises) the guidance was given to, when it is recorded."
        ),
    )
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "product__admin_unit"
    scope_organization_path = "product__producer"

    class Meta:
        verbose_name = _("labelling guidance")
        verbose_name_plural = _("labelling guidance")
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return f"{self.product} — {self.given_on:%d/%m/%Y}"


class QualityDeclaration(AuditedModel):
    """A declaration of the quality standard a product meets (công bố chất lượng / tiêu chuẩn áp dụng)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="quality_declarations"
    )
    standard = models.CharField(_("standard"), max_length=150, help_text=_("E.g. TCCS 01:2023/HTX…"))
    declared_on = models.DateField(_("declared on"))
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    establishment = models.ForeignKey(
        "inspections.Establishment",
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quality_declarations",
        help_text=_("The establishment (producer's premises) that declared it, when it is recorded."),
    )
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "product__admin_unit"
    scope_organization_path = "product__producer"

    class Meta:
        verbose_name = _("quality declaration")
        verbose_name_plural = _("quality declarations")
        ordering = ["-declared_on"]

    def __str__(self) -> str:
        return f"{self.standard} ({self.product})"
