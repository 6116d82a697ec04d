"""S&T enterprises (doanh nghiệp KH&CN, NĐ 13/2019/NĐ-CP) and innovative startups (Đề án 844)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel, SearchableModel


class StEnterprise(SearchableModel, AuditedModel):
    organization = models.OneToOneField(
        "orgs.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="st_enterprise",
    )
    certificate_number = models.CharField(_("certificate number"), max_length=50)
    certificate_date = models.DateField(_("certificate date"))
    issued_by = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    st_result = models.TextField(_("S&T result it rests on"))
    field = models.CharField(_("field"), max_length=150, blank=True)
    revoked_on = models.DateField(_("certificate revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    search_fields = ("organization.name", "certificate_number", "organization.tax_code", "field")
    search_name_field = "organization.name"
    scope_unit_path = "organization__admin_unit"
    scope_organization_path = "organization"

    class Meta:
        verbose_name = _("S&T enterprise")
        verbose_name_plural = _("S&T enterprises")
        ordering = ["-certificate_date"]

    label_select_related = ("organization",)

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def is_active(self) -> bool:
        return self.revoked_on is None


class StRevenueShare(AuditedModel):
    """Revenue from S&T products in a year (the ≥30% condition), in VND."""

    enterprise = models.ForeignKey(
        StEnterprise, verbose_name=_("S&T enterprise"), on_delete=models.PROTECT, related_name="revenues"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    total_revenue = models.BigIntegerField(_("total revenue (VND)"))
    st_revenue = models.BigIntegerField(_("revenue from S&T products (VND)"))

    scope_unit_path = "enterprise__organization__admin_unit"
    scope_organization_path = "enterprise__organization"

    class Meta:
        verbose_name = _("revenue share")
        verbose_name_plural = _("revenue shares")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="enterprises_one_revenue_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} — {self.year}"

    @property
    def share_percent(self) -> float | None:
        return round(100 * self.st_revenue / self.total_revenue, 1) if self.total_revenue else None


class StIncentive(AuditedModel):
    enterprise = models.ForeignKey(
        StEnterprise, verbose_name=_("S&T enterprise"), on_delete=models.PROTECT, related_name="incentives"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        _("incentive"), max_length=200, help_text=_("E.g. corporate income tax exemption, land rent.")
    )
    amount = models.BigIntegerField(_("amount (VND)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "enterprise__organization__admin_unit"
    scope_organization_path = "enterprise__organization"

    class Meta:
        verbose_name = _("incentive")
        verbose_name_plural = _("incentives")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.year})"


class StartupStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    EARLY = "early", _("Early revenue")
    GROWTH = "growth", _("Growth")


class Startup(SearchableModel, AuditedModel):
    name = models.CharField(_("name"), max_length=255)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("registered as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="startups",
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="startups",
    )
    field = models.CharField(_("field"), max_length=150)
    stage = models.CharField(
        _("stage"), max_length=20, choices=StartupStage.choices, default=StartupStage.IDEA
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    search_fields = ("name", "field", "admin_unit.name")
    scope_unit_path = "admin_unit"
    scope_organization_path = "organization"

    class Meta:
        verbose_name = _("startup")
        verbose_name_plural = _("startups")
        ordering = ["search_name"]

    def __str__(self) -> str:
        return self.name


class StartupFounder(AuditedModel):
    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.PROTECT, related_name="founders"
    )
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name (if not a person on record)"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)

    scope_unit_path = "startup__admin_unit"
    scope_organization_path = "startup__organization"

    class Meta:
        verbose_name = _("founder")
        verbose_name_plural = _("founders")

    def __str__(self) -> str:
        return str(self.person) if self.person_id else self.name


class SupportKind(models.TextChoices):
    TRAINING = "training", _("Training and coaching")
    FUNDING = "funding", _("Funding")
    INVESTOR = "investor", _("Meeting with investors")
    EXPERT = "expert", _("Expert connection")
    EVENT = "event", _("Competition or event")
    OTHER = "other", _("Other")


class StartupSupport(AuditedModel):
    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.PROTECT, related_name="supports"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    provider = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("provided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counterpart = models.CharField(_("investor or expert met"), max_length=200, blank=True)
    amount = models.BigIntegerField(_("amount (VND)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "startup__admin_unit"
    scope_organization_path = "startup__organization"

    class Meta:
        verbose_name = _("support received")
        verbose_name_plural = _("support received")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"
