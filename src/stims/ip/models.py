"""Intellectual-property assets of the province: trademarks, collective and certification marks,
geographical indications, patents, utility solutions, industrial designs — with their status history,
protection titles, renewals, the products they protect and who may use a collective mark.

IP types and statuses are data (the IP law and its circulars change), not code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel, SearchableModel


class IpType(AuditedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    protection_years = models.PositiveSmallIntegerField(
        _("term of protection (years)"),
        null=True,
        blank=True,
        help_text=_("Empty for an indefinite term (geographical indications)."),
    )
    renewable = models.BooleanField(_("renewable"), default=False)
    has_geographic_area = models.BooleanField(_("has a geographic area"), default=False)
    has_management_rules = models.BooleanField(_("has management rules and authorised users"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("IP type")
        verbose_name_plural = _("IP types")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class IpStatus(AuditedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_protected = models.BooleanField(_("means the asset is protected"), default=False)
    is_final = models.BooleanField(_("final (no further status)"), default=False)

    class Meta:
        verbose_name = _("IP status")
        verbose_name_plural = _("IP statuses")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class IpAsset(SearchableModel, AuditedModel):
    ip_type = models.ForeignKey(
        IpType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="assets"
    )
    name = models.CharField(_("name or sign"), max_length=255)
    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ip_assets",
    )
    owner_name = models.CharField(
        _("owner name (if not an organization on record)"), max_length=200, blank=True
    )
    applicant = models.CharField(_("applicant"), max_length=200, blank=True)
    representative = models.CharField(_("IP representative"), max_length=200, blank=True)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="ip_assets",
    )
    application_number = models.CharField(_("application number"), max_length=50, blank=True, db_index=True)
    application_date = models.DateField(_("application date"), null=True, blank=True)
    status = models.ForeignKey(
        IpStatus, verbose_name=_("status"), on_delete=models.PROTECT, related_name="assets"
    )
    status_date = models.DateField(_("status since"), null=True, blank=True)
    title_number = models.CharField(_("protection title number"), max_length=50, blank=True, db_index=True)
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    nice_classes = models.CharField(_("Nice classes"), max_length=100, blank=True, help_text=_("E.g. 30, 31"))
    product_scope = models.TextField(_("goods and services"), blank=True)
    geographic_area = models.TextField(_("geographic area"), blank=True)
    management_rules = models.TextField(_("management rules"), blank=True)
    supporting_project = models.CharField(
        _("supporting project"),
        max_length=255,
        blank=True,
        help_text=_("Project of the IP development programme that supported it."),
    )
    products = models.ManyToManyField(
        "products.Product", verbose_name=_("products protected"), blank=True, related_name="ip_assets"
    )

    search_fields = (
        "name",
        "owner.name",
        "owner_name",
        "application_number",
        "title_number",
        "admin_unit.name",
    )
    scope_unit_path = "admin_unit"
    scope_organization_path = "owner"

    class Meta:
        verbose_name = _("IP asset")
        verbose_name_plural = _("IP assets")
        ordering = ["search_name"]
        indexes = [
            # The register filters by type and status within a unit; the dashboard looks for expiries.
            models.Index(fields=["admin_unit", "ip_type", "status"], name="ip_asset_unit_type_status"),
            models.Index(fields=["expiry_date"], name="ip_asset_expiry"),
            # The register filtered by type and status across units (a department-wide user): counted
            # from this index alone instead of skipping through every unit's part of the one above
            # (1,000,000 assets: 60 ms, issue #20).
            models.Index(fields=["ip_type", "status"], name="ip_asset_type_status"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_label(self) -> str:
        return self.owner.name if self.owner_id else self.owner_name


class IpStatusEvent(AuditedModel):
    """One step of an asset's status history; the latest one is the asset's status."""

    asset = models.ForeignKey(
        IpAsset, verbose_name=_("IP asset"), on_delete=models.PROTECT, related_name="status_events"
    )
    status = models.ForeignKey(IpStatus, verbose_name=_("status"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    document = models.CharField(_("document"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "asset__admin_unit"
    scope_organization_path = "asset__owner"

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.status} ({self.date:%d/%m/%Y})"


class IpRenewal(AuditedModel):
    asset = models.ForeignKey(
        IpAsset, verbose_name=_("IP asset"), on_delete=models.PROTECT, related_name="renewals"
    )
    renewed_on = models.DateField(_("renewed on"))
    new_expiry_date = models.DateField(_("new expiry date"))
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)

    scope_unit_path = "asset__admin_unit"
    scope_organization_path = "asset__owner"

    class Meta:
        verbose_name = _("renewal")
        verbose_name_plural = _("renewals")
        ordering = ["-renewed_on"]

    def __str__(self) -> str:
        return f"{self.asset} → {self.new_expiry_date:%d/%m/%Y}"


class IpAuthorizedUser(AuditedModel):
    """Who is authorised to use a collective or certification mark or a geographical indication."""

    asset = models.ForeignKey(
        IpAsset, verbose_name=_("IP asset"), on_delete=models.PROTECT, related_name="authorized_users"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name (household or person)"), max_length=200, blank=True)
    authorized_on = models.DateField(_("authorised on"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "asset__admin_unit"
    scope_organization_path = "asset__owner"

    class Meta:
        verbose_name = _("authorised user")
        verbose_name_plural = _("authorised users")
        ordering = ["asset", "name"]

    def __str__(self) -> str:
        return self.organization.name if self.organization_id else self.name
