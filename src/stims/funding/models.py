"""Money for S&T: each task's budget by year and source, its tranches, disbursements and final
settlement; and the S&T budget the province allocates each year to localities and agencies, with
what they spent.

Amounts are VND as exact integers (BigIntegerField): no rounding, no floating point.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel
from stims.core.templatetags.stims import vnd

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
AMOUNT_VALIDATORS = [MinValueValidator(0)]


class FundingSource(models.TextChoices):
    STATE_LUMP_SUM = "state_lump_sum", _("State S&T budget — lump-sum part (khoán chi)")
    STATE_NON_LUMP_SUM = "state_non_lump_sum", _("State S&T budget — non-lump-sum part")
    COUNTERPART = "counterpart", _("Counterpart funds of the lead organization")
    OTHER = "other", _("Other sources")


STATE_SOURCES = (FundingSource.STATE_LUMP_SUM, FundingSource.STATE_NON_LUMP_SUM)


class BudgetLine(AuditedModel):
    """The part of a task's approved budget that comes from one source in one year."""

    task = models.ForeignKey(
        "sttasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    source = models.CharField(_("source"), max_length=30, choices=FundingSource.choices)
    amount = models.BigIntegerField(_("amount (VND)"), validators=AMOUNT_VALIDATORS)

    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["task", "year", "source"]
        constraints = [models.UniqueConstraint(fields=["task", "year", "source"], name="funding_line_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()}: {vnd(self.amount)}"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()


class Tranche(AuditedModel):
    """A planned instalment of the state budget paid to the lead organization (đợt cấp kinh phí)."""

    task = models.ForeignKey(
        "sttasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="tranches"
    )
    number = models.PositiveSmallIntegerField(_("tranche"), validators=[MinValueValidator(1)])
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount (VND)"), validators=AMOUNT_VALIDATORS)
    condition = models.CharField(
        _("condition"), max_length=300, blank=True, help_text=_("E.g. “after the mid-term review”.")
    )

    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["task", "number"]
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="funding_tranche_once")]

    def __str__(self) -> str:
        return _("Tranche %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()


class Disbursement(AuditedModel):
    task = models.ForeignKey(
        "sttasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="disbursements"
    )
    tranche = models.ForeignKey(
        Tranche,
        verbose_name=_("tranche"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.BigIntegerField(_("amount (VND)"), validators=[MinValueValidator(1)])
    voucher = models.CharField(_("voucher number"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["task", "paid_on", "pk"]
        indexes = [models.Index(fields=["paid_on"], name="funding_disbursement_paid_on")]

    def __str__(self) -> str:
        return f"{self.paid_on:%d/%m/%Y}: {vnd(self.amount)}"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()

    def clean(self):
        if self.tranche_id and self.task_id and self.tranche.task_id != self.task_id:
            raise ValidationError({"tranche": _("This tranche belongs to another task.")})


class Settlement(AuditedModel):
    """The settlement of a task's funds at closing (quyết toán)."""

    task = models.OneToOneField(
        "sttasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="settlement"
    )
    settled_on = models.DateField(_("settled on"))
    settled_amount = models.BigIntegerField(_("amount settled (VND)"), validators=AMOUNT_VALIDATORS)
    returned_amount = models.BigIntegerField(
        _("amount returned (VND)"), default=0, validators=AMOUNT_VALIDATORS
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self) -> str:
        return f"{self.task.code}: {vnd(self.settled_amount)}"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()


class Allocation(AuditedModel):
    """S&T budget the province gives a locality or an agency for a year ("bố trí 550 triệu cho phát
    triển KH&CN")."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    recipient_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("receiving locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="st_allocations",
    )
    recipient_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("receiving agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="st_allocations",
    )
    amount = models.BigIntegerField(_("amount (VND)"), validators=AMOUNT_VALIDATORS)
    purpose = models.CharField(_("purpose"), max_length=300)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    label_select_related = ("recipient_unit__parent", "recipient_unit__province", "recipient_organization")
    scope_unit_path = "recipient_unit"
    scope_organization_path = "recipient_organization"

    class Meta:
        verbose_name = _("S&T budget allocation")
        verbose_name_plural = _("S&T budget allocations")
        ordering = ["-year", "pk"]
        indexes = [models.Index(fields=["year"], name="funding_allocation_year")]

    def __str__(self) -> str:
        recipient = self.recipient_unit or self.recipient_organization
        return f"{self.year} — {recipient}: {vnd(self.amount)}"

    def clean(self):
        if not self.recipient_unit_id and not self.recipient_organization_id:
            raise ValidationError(_("Choose the locality or the agency that receives the budget."))


class AllocationSpending(AuditedModel):
    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.CASCADE, related_name="spendings"
    )
    spent_on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (VND)"), validators=[MinValueValidator(1)])
    purpose = models.CharField(_("spent on"), max_length=300)
    task = models.ForeignKey(
        "sttasks.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allocation_spendings",
    )

    scope_unit_path = "allocation__recipient_unit"
    scope_organization_path = "allocation__recipient_organization"

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spendings")
        ordering = ["allocation", "spent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.spent_on:%d/%m/%Y}: {vnd(self.amount)}"

    def get_absolute_url(self) -> str:
        return self.allocation.get_absolute_url()
