"""Standards, metrology and quality: the establishments the department inspects, the year's inspection
plans, the decisions that open inspections, each inspection of an establishment with its violations,
sanctions and follow-ups; measuring instruments subject to verification; radiation sources and X-ray
devices with their licences.

Sectors and the catalogue of violation types (with their legal basis) are data seeded by a migration
(regulations change them), not code. An inspection moves through its states only by `services.move`
(planned → in progress → concluded → follow-up → closed, or cancelled), each move recorded as an
`InspectionEvent`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel, SearchableModel


class Sector(AuditedModel):
    """A field the department inspects (fuel retail, LPG, pre-packaged goods, labelling, measuring
    instruments, radiation facilities)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("inspection sector")
        verbose_name_plural = _("inspection sectors")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ViolationType(AuditedModel):
    """One entry of the catalogue of violations, with the legal provision that sanctions it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violation_types",
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    fine_min = models.BigIntegerField(_("minimum fine (VND)"), null=True, blank=True)
    fine_max = models.BigIntegerField(_("maximum fine (VND)"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"

    def clean(self):
        if self.fine_min is not None and self.fine_max is not None and self.fine_min > self.fine_max:
            raise ValidationError({"fine_max": _("The maximum fine cannot be below the minimum.")})


class Establishment(SearchableModel, AuditedModel):
    """A business's premises the department inspects: a fuel station, an LPG shop, a producer of
    pre-packaged goods, a clinic with an X-ray device…"""

    name = models.CharField(_("name"), max_length=255)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="establishments"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="establishments",
        help_text=_("The business or unit that runs the establishment, when it is in the directory."),
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    owner_name = models.CharField(_("owner or manager"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)

    search_fields = ("name", "address", "owner_name", "organization.name", "admin_unit.name")
    scope_unit_path = "admin_unit"
    scope_organization_path = "organization"

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["search_name", "pk"]

    def __str__(self) -> str:
        return self.name


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection (thanh tra)")
    CHECK = "check", _("Check (kiểm tra)")


class InspectionPlan(AuditedModel):
    """The year's plan of inspections of one sector in one province."""

    year = models.PositiveSmallIntegerField(_("year"))
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="plans"
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="inspection_plans"
    )
    title = models.CharField(_("title"), max_length=255)
    planned_count = models.PositiveIntegerField(_("establishments planned"), default=0)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_unit_path = "admin_unit"

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "sector__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sector", "admin_unit"], name="inspections_one_plan_per_year_sector_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class InspectionDecision(AuditedModel):
    """The decision (quyết định thanh tra/kiểm tra) that opens the inspections of a plan."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("inspection plan"), on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=InspectionKind.choices, default=InspectionKind.CHECK
    )
    number = models.CharField(_("decision number"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signed by"), max_length=150)
    subject = models.TextField(_("subject"), blank=True)

    scope_unit_path = "plan__admin_unit"

    class Meta:
        verbose_name = _("inspection decision")
        verbose_name_plural = _("inspection decisions")
        ordering = ["-signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    def clean(self):
        if self.plan_id and self.signed_on and self.signed_on.year < self.plan.year - 1:
            raise ValidationError(
                {"signed_on": _("The decision cannot be signed long before the plan's year.")}
            )


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    CONCLUDED = "concluded", _("Concluded")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class InspectionResult(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    VIOLATIONS = "violations", _("Violations found")


class Inspection(AuditedModel):
    """One inspection (or check) of one establishment under a decision."""

    decision = models.ForeignKey(
        InspectionDecision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="inspections"
    )
    establishment = models.ForeignKey(
        Establishment, verbose_name=_("establishment"), on_delete=models.PROTECT, related_name="inspections"
    )
    planned_on = models.DateField(_("planned for"))
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    lead_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head of the team"),
        on_delete=models.PROTECT,
        related_name="inspections_led",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team members"),
        blank=True,
        related_name="inspections_joined",
    )
    samples_taken = models.TextField(_("samples taken"), blank=True)
    instruments_checked = models.PositiveIntegerField(_("instruments checked"), default=0)
    findings = models.TextField(_("findings"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=InspectionState.choices,
        default=InspectionState.PLANNED,
        editable=False,
    )
    result = models.CharField(
        _("result"), max_length=20, choices=InspectionResult.choices, blank=True, editable=False
    )

    scope_unit_path = "establishment__admin_unit"
    scope_organization_path = "establishment__organization"

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_on", "-pk"]
        indexes = [
            models.Index(fields=["state", "planned_on"], name="inspections_state_planned"),
            # The list's own order (newest first) and the dashboard's year: bench/quality.py measured the
            # first page of 50,000 inspections at 204 ms of SQL without it, 0.4 ms with it (PostgreSQL).
            models.Index(fields=["-planned_on", "-id"], name="inspections_planned_desc"),
            # A plan's page reads its decisions' inspections in date order: without it the planner walks
            # the index above through every inspection of the country to find the plan's (1.8 s for a
            # plan of 14,162 at national scale; issue #20).
            models.Index(fields=["decision", "planned_on", "id"], name="inspections_decision_planned"),
        ]

    label_select_related = ("establishment",)

    def __str__(self) -> str:
        return f"{self.establishment} — {self.planned_on:%d/%m/%Y}"

    def clean(self):
        if self.planned_on and self.inspected_on and self.inspected_on < self.planned_on.replace(day=1):
            raise ValidationError(
                {"inspected_on": _("The inspection cannot be before the month it was planned for.")}
            )
        if self.decision_id and self.planned_on and self.planned_on < self.decision.signed_on:
            raise ValidationError(
                {"planned_on": _("The inspection cannot be planned before its decision was signed.")}
            )

    @property
    def fines_total(self) -> int:
        return sum(s.fine_vnd for s in self.sanctions.all())


class InspectionEvent(models.Model):
    """One move of an inspection: who, when, from which state to which, and why."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from state"), max_length=20, choices=InspectionState.choices)
    to_state = models.CharField(_("to state"), max_length=20, choices=InspectionState.choices)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_unit_path = "inspection__establishment__admin_unit"
    scope_organization_path = "inspection__establishment__organization"

    class Meta:
        verbose_name = _("inspection move")
        verbose_name_plural = _("inspection moves")
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class Violation(AuditedModel):
    """A violation found by an inspection, of a type in the catalogue."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="violations"
    )
    violation_type = models.ForeignKey(
        ViolationType, verbose_name=_("violation type"), on_delete=models.PROTECT, related_name="violations"
    )
    description = models.TextField(_("description"), blank=True)

    scope_unit_path = "inspection__establishment__admin_unit"
    scope_organization_path = "inspection__establishment__organization"

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.violation_type.name)


class Sanction(AuditedModel):
    """A sanction of an inspection's violations: the fine (VND) and the remedies demanded."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="sanctions"
    )
    decision_number = models.CharField(_("sanction decision number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    fine_vnd = models.BigIntegerField(_("fine (VND)"), default=0)
    remedies = models.TextField(_("remedies demanded"), blank=True)
    paid_on = models.DateField(_("fine paid on"), null=True, blank=True)

    scope_unit_path = "inspection__establishment__admin_unit"
    scope_organization_path = "inspection__establishment__organization"

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return self.decision_number or f"{self.issued_on:%d/%m/%Y}"

    def clean(self):
        if self.fine_vnd is not None and self.fine_vnd < 0:
            raise ValidationError({"fine_vnd": _("A fine cannot be negative.")})
        refusal = fine_outside_band(self)
        if refusal:
            raise ValidationError({"fine_vnd": refusal}, code=FINE_WITHIN_BAND)
        if self.paid_on and self.issued_on and self.paid_on < self.issued_on:
            raise ValidationError({"paid_on": _("A fine cannot be paid before the sanction was issued.")})


FINE_WITHIN_BAND = "inspections.fine_within_band"


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def fine_band(inspection_id) -> tuple[int, int] | None:
    """The band (lowest, highest total in VND) the catalogue allows for an inspection's violations: the
    sums of their types' bands. None when nothing bounds it: no violation recorded, or a violation whose
    type's band the catalogue does not give (docs/inspections.md: bands are filled only where confirmed)."""
    bands = list(
        ViolationType.objects.filter(violations__inspection_id=inspection_id).values_list(
            "fine_min", "fine_max"
        )
    )
    if not bands or any(low is None or high is None for low, high in bands):
        return None
    return sum(low for low, _high in bands), sum(high for _low, high in bands)


def fine_outside_band(sanction: "Sanction") -> str:
    """The named rule `inspections.fine_within_band`: the fines of an inspection's sanctions, together,
    lie within the catalogue's bands of its violations (a fine of 0 — a warning, remedies only — always
    may). Returns the refusal, or "" when the fine is allowed."""
    if not sanction.inspection_id or not sanction.fine_vnd or sanction.fine_vnd < 0:
        return ""
    band = fine_band(sanction.inspection_id)
    if band is None:
        return ""
    others = Sanction.objects.filter(inspection_id=sanction.inspection_id).exclude(pk=sanction.pk)
    total = sanction.fine_vnd + sum(others.values_list("fine_vnd", flat=True))
    low, high = band
    if low <= total <= high:
        return ""
    return str(
        _(
            "The fines of this inspection would total %(total)s VND, outside the band the violation "
            "catalogue gives for its violations (%(low)s–%(high)s VND)."
        )
        % {"total": vnd(total), "low": vnd(low), "high": vnd(high)}
    )


class FollowUp(AuditedModel):
    """A check that the remedies demanded were carried out."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    scope_unit_path = "inspection__establishment__admin_unit"
    scope_organization_path = "inspection__establishment__organization"

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.due_on:%d/%m/%Y}"

    def clean(self):
        if self.done_on and not (self.outcome or "").strip():
            raise ValidationError({"outcome": _("Say what the follow-up found.")})


class MeasuringInstrument(AuditedModel):
    """A measuring instrument (phương tiện đo) of an establishment subject to verification."""

    establishment = models.ForeignKey(
        Establishment, verbose_name=_("establishment"), on_delete=models.CASCADE, related_name="instruments"
    )
    kind = models.CharField(_("kind of instrument"), max_length=150)
    serial_number = models.CharField(_("serial number"), max_length=80, blank=True)
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    verification_due = models.DateField(_("verification due"))
    certificate_number = models.CharField(_("verification certificate"), max_length=80, blank=True)

    scope_unit_path = "establishment__admin_unit"
    scope_organization_path = "establishment__organization"

    class Meta:
        verbose_name = _("measuring instrument")
        verbose_name_plural = _("measuring instruments")
        ordering = ["verification_due", "pk"]
        indexes = [models.Index(fields=["verification_due"], name="inspections_instrument_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.serial_number}".strip()

    def clean(self):
        if self.last_verified_on and self.verification_due and self.verification_due < self.last_verified_on:
            raise ValidationError(
                {"verification_due": _("The next verification cannot be due before the last one.")}
            )


class SourceKind(models.TextChoices):
    XRAY = "xray", _("X-ray device")
    SEALED = "sealed", _("Sealed radioactive source")
    OTHER = "other", _("Other radiation equipment")


class RadiationSource(AuditedModel):
    """A radiation source or X-ray device of a radiation facility (an establishment)."""

    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("establishment"),
        on_delete=models.CASCADE,
        related_name="radiation_sources",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    model_name = models.CharField(_("model"), max_length=150)
    serial_number = models.CharField(_("serial number"), max_length=80, blank=True)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)

    scope_unit_path = "establishment__admin_unit"
    scope_organization_path = "establishment__organization"

    class Meta:
        verbose_name = _("radiation source or device")
        verbose_name_plural = _("radiation sources and devices")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.model_name} {self.serial_number}".strip()


class RadiationLicence(AuditedModel):
    """A licence to conduct radiation work (giấy phép tiến hành công việc bức xạ) and its expiry."""

    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("establishment"),
        on_delete=models.CASCADE,
        related_name="radiation_licences",
    )
    number = models.CharField(_("licence number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    work_scope = models.TextField(_("licensed work"), blank=True)

    scope_unit_path = "establishment__admin_unit"
    scope_organization_path = "establishment__organization"

    class Meta:
        verbose_name = _("radiation licence")
        verbose_name_plural = _("radiation licences")
        ordering = ["expires_on", "pk"]
        indexes = [models.Index(fields=["expires_on"], name="inspections_licence_expiry")]

    def __str__(self) -> str:
        return self.number

    def clean(self):
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError({"expires_on": _("A licence expires after it was issued.")})
