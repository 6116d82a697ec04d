"""S&T tasks (nhiệm vụ KH&CN): proposals and orders, the workflow they move through, their people,
documents, events and progress reports.

The workflow's states and transitions are data (`WorkflowState`, `WorkflowTransition`) because the
steps and their names differ between provinces and change with the regulations (Law 93/2025/QH15,
Decree 267/2025/NĐ-CP replacing the 2014–2017 circulars). The engine that moves a task, and the
guards a transition may name, are in `workflow.py`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.files import document_upload_path, validate_document_file
from stims.core.models import AuditedModel, LinkedModel, SearchableModel


class TaskType(AuditedModel):
    """Đề tài, dự án sản xuất thử nghiệm, dự án KH&CN, đề án…"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("task type")
        verbose_name_plural = _("task types")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Programme(AuditedModel):
    """A programme tasks belong to, e.g. the rural and mountainous areas programme (NTMN)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScienceField(AuditedModel):
    """A field of science and technology (natural, engineering, medical, agricultural, social, humanities)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("S&T field")
        verbose_name_plural = _("S&T fields")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    EXECUTION = "execution", _("Execution")
    CLOSING = "closing", _("Acceptance and closing")
    AFTER = "after", _("Handover and application")
    ENDED = "ended", _("Ended")


class WorkflowState(AuditedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_initial = models.BooleanField(_("initial state"), default=False, help_text=_("New tasks start here."))
    is_final = models.BooleanField(_("final state"), default=False, help_text=_("No step leads out of it."))
    # Whether the task is running: progress reports and its end date are watched for deadlines.
    is_running = models.BooleanField(_("task is running"), default=False)

    class Meta:
        verbose_name = _("workflow state")
        verbose_name_plural = _("workflow states")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class DocumentKind(AuditedModel):
    """Decision, contract, progress report, minutes, handover record…"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class TransitionKind(models.TextChoices):
    STEP = "step", _("Step to another state")
    ADJUSTMENT = "adjustment", _("Adjustment")
    EXTENSION = "extension", _("Extension")
    SUSPENSION = "suspension", _("Suspension")
    RESUMPTION = "resumption", _("Resumption")
    TERMINATION = "termination", _("Termination")


class WorkflowTransition(AuditedModel):
    """One permitted move: from any of `sources` to `target` (or staying put for adjustments and
    extensions), by the roles listed, once what `guards` and `requires_document_kind` name exists."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=20, choices=TransitionKind.choices, default=TransitionKind.STEP
    )
    sources = models.ManyToManyField(
        WorkflowState, verbose_name=_("from states"), related_name="transitions_out"
    )
    target = models.ForeignKey(
        WorkflowState,
        verbose_name=_("to state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transitions_in",
        help_text=_("Empty: the task stays in its state (adjustment, extension)."),
    )
    requires_document_kind = models.ForeignKey(
        DocumentKind,
        verbose_name=_("requires a document of kind"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_(
            "The step must cite a document of this kind attached to the task (e.g. the approval decision)."
        ),
    )
    requires_reason = models.BooleanField(_("requires a reason"), default=False)
    guards = models.CharField(
        _("conditions"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated names of conditions checked before the step (see the workflow page)."),
    )
    allowed_roles = models.CharField(
        _("roles allowed"),
        max_length=255,
        default="leader,specialist",
        help_text=_("Comma-separated role codes (leader, specialist, local_officer…)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("workflow transition")
        verbose_name_plural = _("workflow transitions")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def guard_names(self) -> list[str]:
        return [name.strip() for name in self.guards.split(",") if name.strip()]

    @property
    def role_codes(self) -> set[str]:
        return {role.strip() for role in self.allowed_roles.split(",") if role.strip()}

    @property
    def role_labels(self) -> str:
        """The allowed roles by their names ("Lãnh đạo Sở, Chuyên viên phòng"), never their codes."""
        from stims.accounts.models import Role

        names = dict(Role.choices)
        codes = [role.strip() for role in self.allowed_roles.split(",") if role.strip()]
        return ", ".join(str(names.get(code, code)) for code in codes)

    def clean(self):
        from .workflow import GUARDS

        unknown = [name for name in self.guard_names if name not in GUARDS]
        if unknown:
            raise ValidationError(
                {"guards": _("Unknown conditions: %(names)s.") % {"names": ", ".join(unknown)}}
            )


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    GRASSROOTS = "grassroots", _("Grassroots (cơ sở)")


class Call(SearchableModel, AuditedModel):
    """A call for task proposals (thông báo đặt hàng, kêu gọi đề xuất nhiệm vụ KH&CN): the department's
    notice that proposals of a level, type or programme are taken between two dates. Department-wide
    reference data (no unit, no organization): every signed-in user reads it, the department's staff
    write it; a published call open today or later is listed on the portal."""

    title = models.CharField(_("title of the call"), max_length=500)
    number = models.CharField(_("notice number"), max_length=60, blank=True, help_text=_("E.g. 15/TB-SKHCN"))
    issued_on = models.DateField(_("issued on"))
    open_from = models.DateField(_("proposals taken from"))
    open_until = models.DateField(_("proposals taken until"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    task_type = models.ForeignKey(
        TaskType,
        verbose_name=_("type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    topics = models.TextField(_("fields and topics"), blank=True)
    description = models.TextField(_("description"), blank=True)
    contact = models.TextField(_("contact"), blank=True)
    attachment = models.FileField(
        _("attached notice"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )
    publish_on_portal = models.BooleanField(_("published on the portal"), default=False)

    search_fields = ("number", "title", "topics")
    search_name_field = "title"

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-open_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if self.number else self.title

    def clean(self):
        if self.open_from and self.open_until and self.open_until < self.open_from:
            raise ValidationError({"open_until": _("A call cannot close before it opens.")})

    def is_open_on(self, day) -> bool:
        return self.open_from <= day <= self.open_until


class Task(SearchableModel, AuditedModel):
    # The department's code: a locality's proposal has none until the department assigns it (required
    # from the "identify" step on; see proposals.py). Several proposals may lack one (NULL is not unique).
    code = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Assigned by the department when it takes the task on."),
    )
    title = models.CharField(_("name of the task"), max_length=500)
    task_type = models.ForeignKey(
        TaskType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="tasks"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.PROVINCIAL)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    field = models.ForeignKey(
        ScienceField,
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    ordering_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("ordering locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ordered_tasks",
        help_text=_("The commune, district (before 2025) or province that proposed or ordered the task."),
    )
    ordering_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("ordering agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ordered_tasks",
    )
    lead_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("lead organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    principal_investigator = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("principal investigator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_tasks",
        help_text=_("The department's specialist who follows the task and gets its reminders."),
    )
    objectives = models.TextField(_("objectives"), blank=True)
    expected_products = models.TextField(_("expected products"), blank=True)
    proposal_year = models.PositiveSmallIntegerField(
        _("plan year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the task was proposed or ordered for."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Moved by extensions."))
    original_end_date = models.DateField(_("original end date"), null=True, blank=True, editable=False)
    is_carried_over = models.BooleanField(_("carried over"), default=False)
    carried_over_year = models.PositiveSmallIntegerField(
        _("carried over into year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    progress_report_months = models.PositiveSmallIntegerField(
        _("progress report every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    state = models.ForeignKey(
        WorkflowState, verbose_name=_("state"), on_delete=models.PROTECT, related_name="tasks", editable=False
    )
    state_since = models.DateField(_("in this state since"), null=True, blank=True, editable=False)
    is_published = models.BooleanField(_("published on the portal"), default=False)
    call = models.ForeignKey(
        Call,
        verbose_name=_("call for proposals"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        help_text=_("The call the proposal answers, if any: it must be open when the proposal is sent."),
    )
    # A locality's proposal sent to the department ("Gửi Sở"): from then on only the department changes
    # it, until it returns the proposal (which clears these two).
    submitted_at = models.DateTimeField(_("sent to the department at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent to the department by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    search_fields = (
        "code",
        "title",
        "lead_organization.name",
        "principal_investigator.full_name",
        "ordering_unit.name",
    )
    search_name_field = "title"
    scope_unit_path = "ordering_unit"
    scope_organization_path = "lead_organization"

    class Meta:
        verbose_name = _("S&T task")
        verbose_name_plural = _("S&T tasks")
        ordering = ["-proposal_year", "code"]
        indexes = [
            models.Index(fields=["state", "level"], name="sttasks_state_level"),
            models.Index(fields=["proposal_year", "state"], name="sttasks_year_state"),
            # Deadlines, and with the state and key the overdue running tasks counted without reading
            # the wide rows (an index-only scan: 48 -> 6 ms at 100,000 tasks, issue #20).
            models.Index(fields=["end_date", "state", "id"], name="sttasks_end_date_state_key"),
            # The tasks in some states, by key alone: the results' figures join the accepted tasks'
            # results.
            models.Index(fields=["state", "id"], name="sttasks_state_key"),
            # The list's own order (newest year first, then code, then key): a page's keys read in
            # index order instead of sorting the year's thousands of tasks (15 ms idle, ~45 ms under
            # load at 100,000 tasks, issue #20).
            models.Index(fields=["-proposal_year", "code", "id"], name="sttasks_list_order"),
            # The same order within a state (the list filtered by state): without it the planner reads
            # the index above and skips the other states' rows (26 ms against 7 ms before it existed).
            models.Index(fields=["state", "-proposal_year", "code", "id"], name="sttasks_state_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}" if self.code else self.title

    def clean(self):
        if self.code is not None and not self.code.strip():
            self.code = None
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.is_carried_over and not self.carried_over_year:
            raise ValidationError({"carried_over_year": _("Give the year the task was carried over into.")})
        if not self.ordering_unit_id and not self.ordering_organization_id:
            raise ValidationError(_("Give the locality or the agency that proposed or ordered the task."))

    def save(self, *args, **kwargs):
        if self.state_id is None:
            from .workflow import initial_state

            self.state = initial_state()
        if self.original_end_date is None and self.end_date is not None:
            self.original_end_date = self.end_date
        super().save(*args, **kwargs)


class MemberRole(models.TextChoices):
    PRINCIPAL = "principal", _("Principal investigator")
    SECRETARY = "secretary", _("Scientific secretary")
    KEY_MEMBER = "key_member", _("Key member")
    MEMBER = "member", _("Member")


class TaskMember(AuditedModel):
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "orgs.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="task_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_memberships",
    )

    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("task member")
        verbose_name_plural = _("task members")
        ordering = ["task", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "person"], name="sttasks_member_once")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Document(AuditedModel):
    """A decision, contract, report, minutes… attached to a task; the file is kept on disk."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="documents")
    kind = models.ForeignKey(
        DocumentKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="documents"
    )
    number = models.CharField(_("number"), max_length=60, blank=True, help_text=_("E.g. 1234/QĐ-UBND"))
    issued_on = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    signer = models.CharField(_("signed by"), max_length=150, blank=True)
    title = models.CharField(_("summary"), max_length=500)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )

    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["task", "-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number or self.kind} — {self.title}"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()


class TaskEvent(LinkedModel):
    """One step of a task's life, as it happened: never edited, never deleted with the workflow."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="events")
    transition = models.ForeignKey(
        WorkflowTransition, verbose_name=_("step"), null=True, on_delete=models.PROTECT, related_name="events"
    )
    from_state = models.ForeignKey(
        WorkflowState,
        verbose_name=pgettext_lazy("state change", "from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_state = models.ForeignKey(
        WorkflowState,
        verbose_name=pgettext_lazy("state change", "to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    happened_on = models.DateField(_("date"))
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    reason = models.TextField(_("reason or note"), blank=True)
    previous_end_date = models.DateField(_("previous end date"), null=True, blank=True)
    new_end_date = models.DateField(_("new end date"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        ordering = ["task", "happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.happened_on:%d/%m/%Y} {self.transition or ''}"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()


class ProgressReport(AuditedModel):
    """A periodic progress report (báo cáo định kỳ) due from the lead organization."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    period = models.CharField(_("period"), max_length=60, help_text=_("E.g. “6 tháng đầu năm 2026”."))
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    percent_complete = models.PositiveSmallIntegerField(
        _("work done (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    summary = models.TextField(_("summary"), blank=True)
    assessment = models.TextField(_("department's assessment"), blank=True)
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "due_on"]
        constraints = [models.UniqueConstraint(fields=["task", "due_on"], name="sttasks_report_due_once")]

    def __str__(self) -> str:
        return f"{self.period} ({self.due_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()
