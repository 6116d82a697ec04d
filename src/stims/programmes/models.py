"""The department's own agenda: strategies, plans, programmes and schemes with their targets and progress;
the policy and legal documents it drafts, advises on or implements; cooperation agreements with their
commitments; outreach and training activities; local S&T bodies' meetings and officers.

Progress of a target is computed from STIMS's own records where the indicator is measurable there
(`measures.py`), and entered with evidence (`ProgressEntry`) where it is not. Tasks and directives link
to the plan they serve (`PlanLink`) and to the document that created them (`DocumentLink`), so that
neither `sttasks` nor `meetings` needs to know this app.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from stims.core.files import document_upload_path, validate_document_file
from stims.core.models import AuditedModel, SearchableModel

from . import measures

YEAR = [MinValueValidator(1990), MaxValueValidator(2100)]


class PlanKind(models.TextChoices):
    STRATEGY = "strategy", _("Strategy")
    MASTER_PLAN = "master_plan", _("Master plan")
    PROGRAMME = "programme", _("Programme")
    SCHEME = "scheme", _("Scheme")
    PLAN = "plan", _("Plan")
    COORDINATION = "coordination", _("Coordination programme")


class Plan(SearchableModel, AuditedModel):
    """A strategy, master plan, programme, scheme or plan, issued by a decision, over a period."""

    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    name = models.CharField(_("name"), max_length=500)
    decision_number = models.CharField(_("issuing decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("issuing decision date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("from year"), validators=YEAR)
    end_year = models.PositiveSmallIntegerField(_("to year"), validators=YEAR)
    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("The organization in charge of carrying it out."),
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("The province or locality it covers."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    task_programme = models.ForeignKey(
        "sttasks.Programme",
        verbose_name=_("programme tagging S&T tasks"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("Tasks tagged with this programme count as done under the plan."),
    )
    summary = models.TextField(_("summary"), blank=True)

    search_fields = ("name", "decision_number", "issuer")
    scope_unit_path = "admin_unit"
    scope_organization_path = "owner"

    class Meta:
        verbose_name = _("plan or programme")
        verbose_name_plural = _("plans and programmes")
        ordering = ["-start_year", "search_name"]
        indexes = [
            # The list's own order, so a page's keys are read in index order instead of sorting every row
            # (issue #20: 2,000 plans joined to their owner and unit, 16 ms a page without it).
            models.Index(fields=["-start_year", "search_name", "id"], name="programmes_plan_list_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The period cannot end before it starts.")})
        parent, seen = self.parent, set()
        while parent is not None and self.pk:
            if parent.pk == self.pk or parent.pk in seen:
                raise ValidationError({"parent": _("A plan cannot be its own parent, directly or not.")})
            seen.add(parent.pk)
            parent = parent.parent


class Target(AuditedModel):
    """An indicator of a plan with its target value for one year (or for the end of the period)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit of measure"), max_length=50, help_text=_("E.g. “%”, “doanh nghiệp”."))
    measure = models.CharField(
        _("computed from"),
        max_length=30,
        blank=True,
        choices=measures.choices,
        help_text=_("Leave empty to enter progress with evidence."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR, help_text=_("Empty: by the end of the period.")
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_targets",
        help_text=_("Where the target applies, when it is set by locality."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The value of the latest progress entry, kept by ProgressEntry.save()/delete() (`refresh_latest`), so
    # that which targets are behind is one plain query over the targets.
    latest_value = models.DecimalField(
        _("achieved"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )

    scope_unit_path = "plan__admin_unit"
    scope_organization_path = "plan__owner"

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "year", "pk"]
        indexes = [models.Index(fields=["plan", "year"], name="programmes_target_plan_year")]

    def __str__(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.indicator}{year}"

    def clean(self):
        super().clean()
        if self.year and self.plan_id and not self.plan.start_year <= self.year <= self.plan.end_year:
            raise ValidationError({"year": _("The year must lie within the plan's period.")})


class ProgressEntry(AuditedModel):
    """What was achieved on a target as of a date, with the paper that shows it."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="entries"
    )
    reported_on = models.DateField(_("as of"))
    value = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2)
    evidence = models.FileField(
        _("evidence"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )
    note = models.CharField(_("source or note"), max_length=300, blank=True)

    scope_unit_path = "target__plan__admin_unit"
    scope_organization_path = "target__plan__owner"

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["target", "-reported_on", "-pk"]
        # The latest entry of each target (services.latest_entries) is read by an index scan.
        indexes = [models.Index(fields=["target", "-reported_on", "-id"], name="programmes_entry_latest")]

    def __str__(self) -> str:
        return f"{self.target} — {self.value} ({self.reported_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        previous = (
            ProgressEntry.objects.filter(pk=self.pk).values_list("target_id", flat=True).first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        refresh_latest(self.target_id, previous)


@receiver(post_delete, sender=ProgressEntry)
def _entry_deleted(sender, instance, **kwargs):
    # A signal rather than delete(): a queryset's delete() and a target's cascade send it too.
    refresh_latest(instance.target_id)


def refresh_latest(*target_ids) -> None:
    """Copy the latest progress entry's value (or None) onto each of the targets."""
    for target_id in {pk for pk in target_ids if pk}:
        latest = (
            ProgressEntry.objects.filter(target_id=target_id)
            .order_by("-reported_on", "-pk")
            .values_list("value", flat=True)
            .first()
        )
        Target.objects.filter(pk=target_id).update(latest_value=latest)


def _one_of(prefix: str, *fields: str) -> models.CheckConstraint:
    a, b = fields
    return models.CheckConstraint(
        condition=(models.Q(**{f"{a}__isnull": False}) & models.Q(**{f"{b}__isnull": True}))
        | (models.Q(**{f"{a}__isnull": True}) & models.Q(**{f"{b}__isnull": False})),
        name=f"{prefix}_task_or_directive",
    )


class PlanLink(AuditedModel):
    """A task or a directive done under a plan."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="links")
    task = models.ForeignKey(
        "sttasks.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plan_links",
    )
    directive = models.ForeignKey(
        "meetings.Directive",
        verbose_name=_("directive"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plan_links",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_unit_path = "plan__admin_unit"
    scope_organization_path = "plan__owner"

    class Meta:
        verbose_name = _("link to a plan")
        verbose_name_plural = _("links to plans")
        ordering = ["plan", "pk"]
        constraints = [
            _one_of("programmes_planlink", "task", "directive"),
            models.UniqueConstraint(fields=["plan", "task"], name="programmes_planlink_one_task"),
            models.UniqueConstraint(fields=["plan", "directive"], name="programmes_planlink_one_directive"),
        ]

    def __str__(self) -> str:
        return str(self.task or self.directive)

    def clean(self):
        super().clean()
        if bool(self.task_id) == bool(self.directive_id):
            raise ValidationError(_("Choose either a task or a directive."))


class DocumentType(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution (Nghị quyết)")
    DECISION = "decision", _("Decision (Quyết định)")
    DIRECTIVE = "directive", _("Standing order (Chỉ thị)")
    PLAN = "plan", _("Plan (Kế hoạch)")
    REGULATION = "regulation", _("Regulation (Quy định, Quy chế)")
    INSTRUCTION = "instruction", _("Guidance (Hướng dẫn)")
    OFFICIAL_LETTER = "official_letter", _("Official letter (Công văn)")
    OTHER = "other", _("Other")


class DocumentRole(models.TextChoices):
    DRAFTED = "drafted", _("Drafted by the department")
    ADVISED = "advised", _("Advised on")
    IMPLEMENTED = "implemented", _("To implement")


class DocumentStatus(models.TextChoices):
    DRAFTING = "drafting", _("Being drafted")
    CONSULTATION = "consultation", _("Under consultation")
    ISSUED = "issued", _("Issued")
    IN_FORCE = "in_force", _("In force")
    UNDER_REVIEW = "under_review", _("Under review")
    REPLACED = "replaced", _("Replaced")


class LegalDocument(SearchableModel, AuditedModel):
    """A policy or legal document the department drafts, advises on or must implement."""

    doc_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(
        _("number and symbol"), max_length=60, blank=True, help_text=_("E.g. 54/2023/NQ-HĐND")
    )
    title = models.CharField(_("summary"), max_length=500)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    role = models.CharField(_("the department's role"), max_length=20, choices=DocumentRole.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.DRAFTING,
        editable=False,
    )
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        editable=False,
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan or programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization in charge"),
        on_delete=models.PROTECT,
        related_name="legal_documents",
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="legal_documents",
    )
    file = models.FileField(
        _("file"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )

    search_fields = ("number", "title", "issuer")
    search_name_field = "title"
    scope_unit_path = "admin_unit"
    scope_organization_path = "organization"

    class Meta:
        verbose_name = _("policy or legal document")
        verbose_name_plural = _("policy and legal documents")
        ordering = ["-issued_on", "search_name"]
        indexes = [
            # The list's own order, so a page's keys are read in index order instead of sorting every row
            # (issue #20: 40,000 documents, 20 ms a page without it).
            models.Index(fields=["-issued_on", "search_name", "id"], name="programmes_document_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if self.number else self.title


class DocumentLink(AuditedModel):
    """A task or a directive a document creates."""

    document = models.ForeignKey(
        LegalDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="links"
    )
    task = models.ForeignKey(
        "sttasks.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    directive = models.ForeignKey(
        "meetings.Directive",
        verbose_name=_("directive"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_unit_path = "document__admin_unit"
    scope_organization_path = "document__organization"

    class Meta:
        verbose_name = _("task or directive of a document")
        verbose_name_plural = _("tasks and directives of documents")
        ordering = ["document", "pk"]
        constraints = [_one_of("programmes_documentlink", "task", "directive")]

    def __str__(self) -> str:
        return str(self.task or self.directive)

    def clean(self):
        super().clean()
        if bool(self.task_id) == bool(self.directive_id):
            raise ValidationError(_("Choose either a task or a directive."))


class ReviewProposal(models.TextChoices):
    KEEP = "keep", _("Keep as it is")
    AMEND = "amend", _("Propose amendments")
    REPLACE = "replace", _("Propose replacing it")
    REPEAL = "repeal", _("Propose repealing it")


class DocumentReview(AuditedModel):
    """A review of a document in force ("rà soát, đề xuất sửa đổi") and its findings."""

    document = models.ForeignKey(
        LegalDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    findings = models.TextField(_("findings"))
    proposal = models.CharField(_("proposal"), max_length=10, choices=ReviewProposal.choices)

    scope_unit_path = "document__admin_unit"
    scope_organization_path = "document__organization"

    class Meta:
        verbose_name = _("document review")
        verbose_name_plural = _("document reviews")
        ordering = ["document", "-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.document} — {self.reviewed_on:%d/%m/%Y}"


class Agreement(SearchableModel, AuditedModel):
    """A cooperation agreement or coordination programme between the department and its partners."""

    name = models.CharField(_("name"), max_length=500)
    number = models.CharField(_("number"), max_length=60, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization in charge"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    partners = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("partners"), blank=True, related_name="partner_agreements"
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    scope = models.TextField(_("scope of cooperation"), blank=True)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan or programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )

    search_fields = ("name", "number")
    scope_unit_path = "admin_unit"
    scope_organization_path = "owner"

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on", "search_name"]
        indexes = [
            # The list's own order, so a page's keys are read in index order instead of sorting every row
            # (issue #20: 18 ms a page without it at national scale).
            models.Index(fields=["-signed_on", "search_name", "id"], name="programmes_agreement_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The period cannot end before it starts.")})


class Commitment(AuditedModel):
    """What a party undertook under an agreement, by when; it may become a directive."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.TextField(_("commitment"))
    party = models.CharField(_("party responsible"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    directive = models.ForeignKey(
        "meetings.Directive",
        verbose_name=_("directive"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The directive that tracks it, if any."),
    )

    scope_unit_path = "agreement__admin_unit"
    scope_organization_path = "agreement__owner"

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "deadline", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class AgreementReview(AuditedModel):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    findings = models.TextField(_("findings"))

    scope_unit_path = "agreement__admin_unit"
    scope_organization_path = "agreement__owner"

    class Meta:
        verbose_name = _("agreement review")
        verbose_name_plural = _("agreement reviews")
        ordering = ["agreement", "-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreement} — {self.reviewed_on:%d/%m/%Y}"


class ActivityKind(models.TextChoices):
    OUTREACH = "outreach", _("Outreach (tuyên truyền, phổ biến)")
    TRAINING = "training", _("Training (tập huấn, bồi dưỡng)")
    CONFERENCE = "conference", _("Conference or seminar")
    MEDIA = "media", _("Press or broadcast")


class Activity(SearchableModel, AuditedModel):
    """An outreach, training or publicity activity: whom it reached, how many, with what materials."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=500)
    held_on = models.DateField(_("date"))
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    attendees = models.PositiveIntegerField(_("attendees"), default=0)
    organizer = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organizing unit"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("where"), on_delete=models.PROTECT, related_name="outreach_activities"
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan or programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    materials = models.FileField(
        _("materials"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )
    note = models.TextField(_("note"), blank=True)

    search_fields = ("title", "audience")
    search_name_field = "title"
    scope_unit_path = "admin_unit"
    scope_organization_path = "organizer"

    class Meta:
        verbose_name = _("outreach or training activity")
        verbose_name_plural = _("outreach and training activities")
        ordering = ["-held_on", "pk"]
        indexes = [
            # The list's own order, so a page's keys are read in index order instead of sorting every row
            # (issue #20: 80,000 activities, 22 ms a page without it).
            models.Index(fields=["-held_on", "id"], name="programmes_activity_order"),
        ]

    def __str__(self) -> str:
        return self.title


class BodyMeeting(AuditedModel):
    """A meeting of a local S&T body (steering committee, advisory council…)."""

    body = models.ForeignKey(
        "orgs.LocalBody", verbose_name=_("local S&T body"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"))
    conclusions = models.TextField(_("conclusions"), blank=True)
    attendees = models.PositiveIntegerField(_("attendees"), default=0)

    scope_unit_path = "body__admin_unit"

    class Meta:
        verbose_name = _("local body meeting")
        verbose_name_plural = _("local body meetings")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.body} — {self.held_on:%d/%m/%Y}"


class OfficerStatus(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class LocalOfficer(AuditedModel):
    """An officer in charge of S&T in a locality, full-time or part-time."""

    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="st_officers",
    )
    person = models.ForeignKey(
        "orgs.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="st_officer_posts"
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OfficerStatus.choices)
    since = models.DateField(_("since"), null=True, blank=True)

    scope_unit_path = "admin_unit"

    class Meta:
        verbose_name = _("local S&T officer")
        verbose_name_plural = _("local S&T officers")
        ordering = ["admin_unit__name", "pk"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"
