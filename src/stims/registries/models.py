"""Targets the province sets for its registries, per year and locality, and progress against them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel


class Indicator(models.TextChoices):
    KEY_PRODUCTS_WITH_IP = "key_products_with_ip_pct", _("Key and OCOP products with IP protection (%)")
    NEW_ST_ENTERPRISES = "new_st_enterprises", _("New S&T enterprises in the year")
    OCOP_3_STARS_OR_MORE = "ocop_3_stars_or_more", _("OCOP products rated 3 stars or more")
    PRODUCTS_WITH_TRACEABILITY = "products_with_traceability_pct", _("OCOP products with traceability (%)")


class Target(AuditedModel):
    year = models.PositiveSmallIntegerField(_("year"))
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="registry_targets",
        help_text=_("The locality the target is set for (a province for a province-wide target)."),
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    value = models.DecimalField(_("target value"), max_digits=10, decimal_places=2)
    legal_basis = models.CharField(
        _("set by"), max_length=200, blank=True, help_text=_("Plan, decision or working-session conclusion.")
    )

    scope_unit_path = "admin_unit"

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-year", "admin_unit__name", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "admin_unit", "indicator"], name="registries_one_target_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} — {self.admin_unit} — {self.year}"
