"""Report templates (versioned DOCX files an administrator may replace) and generated reports (the file,
and what produced it: the template version, the parameters and a digest of the figures)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel

from .periods import KINDS


class ReportTemplate(AuditedModel):
    """A version of the Word template of the periodic report. The newest active version is used; the
    shipped file (`report_templates/bao-cao-dinh-ky.docx`) serves when none was uploaded."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    file = models.FileField(
        _("template file"),
        upload_to="reports/templates/",
        validators=[FileExtensionValidator(["docx"])],
        max_length=255,
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    scope_unit_path = None
    scope_organization_path = None

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["-version"]

    def __str__(self) -> str:
        return _("Template version %(version)s") % {"version": self.version}


class Format(models.TextChoices):
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"
    PDF = "pdf", "PDF"
    FORMS = "forms", _("Annual statistical forms (XLSX)")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Report(AuditedModel):
    kind = models.CharField(_("report type"), max_length=10, choices=[(k, v[0]) for k, v in KINDS.items()])
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("locality"), on_delete=models.PROTECT, related_name="reports"
    )
    format = models.CharField(_("format"), max_length=5, choices=Format.choices, default=Format.DOCX)
    number = models.CharField(_("number"), max_length=60, blank=True, help_text=_("E.g. 125/BC-SKHCN"))
    summary = models.TextField(_("summary of the period"), blank=True)
    template_version = models.PositiveIntegerField(_("template version"), default=0)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_digest = models.CharField(_("digest of the figures"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="reports/generated/", blank=True, max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_unit_path = "admin_unit"
    scope_organization_path = None

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y} — {self.admin_unit}"
