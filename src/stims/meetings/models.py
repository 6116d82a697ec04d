"""Working sessions (buổi làm việc) and what comes out of them: who met, what was reported, what the
locality asked for, what was concluded and assigned to whom by when (directives, nhiệm vụ được giao),
and whether it was done.

A directive is done only when its lead unit's report is accepted by whoever assigned it. Its states
and the moves between them are in `services.py` (one place); every move is a `DirectiveEvent`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.files import document_upload_path, validate_document_file
from stims.core.models import AuditedModel, LinkedModel, SearchableModel


class SessionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("session status", "Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class WorkingSession(SearchableModel, AuditedModel):
    title = models.CharField(pgettext_lazy("session", "title"), max_length=500)
    held_on = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    chair = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("chaired by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_sessions",
    )
    chair_position = models.CharField(_("chair's position"), max_length=200, blank=True)
    host_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
        help_text=_("The department or agency that holds the session."),
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("locality met"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_sessions",
    )
    agenda_summary = models.TextField(_("purpose"), blank=True)
    report_summary = models.TextField(_("what was reported"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    source_text = models.TextField(
        _("source text"),
        blank=True,
        help_text=_("The minutes or news report the session was drafted from, kept as it was pasted."),
    )
    source_url = models.URLField(_("source address"), blank=True, max_length=500)

    # The pasted minutes or news report a session was drafted from is longer than a note (core.textlimits).
    text_limits = {"source_text": 200_000}
    search_fields = ("title", "place", "admin_unit.name", "host_organization.name", "chair.full_name")
    search_name_field = "title"
    scope_unit_path = "admin_unit"
    scope_organization_path = "host_organization"

    class Meta:
        verbose_name = _("working session")
        verbose_name_plural = _("working sessions")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on", "status"], name="meetings_session_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} — {self.title}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The session cannot end before it starts.")})


class ParticipantRole(models.TextChoices):
    CHAIR = "chair", pgettext_lazy("session participant", "Chair")
    CO_CHAIR = "co_chair", pgettext_lazy("session participant", "Co-chair")
    HOST = "host", _("Host delegation")
    LOCALITY = "locality", _("Locality's delegation")
    REPORTER = "reporter", _("Presented a report")
    GUEST = "guest", _("Attended")


class Participant(AuditedModel):
    """A person or an organization taking part, with their role in the session and position that day."""

    session = models.ForeignKey(
        WorkingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="session_participations",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="session_participations",
    )
    name = models.CharField(_("name (not in the directory)"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    role = models.CharField(
        _("role in the session"),
        max_length=20,
        choices=ParticipantRole.choices,
        default=ParticipantRole.GUEST,
    )

    scope_unit_path = "session__admin_unit"
    scope_organization_path = "session__host_organization"

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["session", "role", "pk"]

    def __str__(self) -> str:
        who = self.person or self.name or self.organization
        return f"{who}, {self.position}" if self.position else str(who)

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()

    def clean(self):
        if not (self.person_id or self.organization_id or self.name):
            raise ValidationError(_("Choose a person or an organization, or type a name."))


class AgendaItem(AuditedModel):
    session = models.ForeignKey(
        WorkingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("item"), max_length=500)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_unit_path = "session__admin_unit"
    scope_organization_path = "session__host_organization"

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()


class SessionDocumentKind(models.TextChoices):
    REPORT = "report", _("Report presented")
    MINUTES = "minutes", _("Minutes")
    CONCLUSION = "conclusion", _("Conclusion notice (thông báo kết luận)")
    INVITATION = "invitation", _("Invitation")
    OTHER = "other", _("Other")


class SessionDocument(AuditedModel):
    session = models.ForeignKey(
        WorkingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SessionDocumentKind.choices, default=SessionDocumentKind.REPORT
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("summary"), max_length=500)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )

    scope_unit_path = "session__admin_unit"
    scope_organization_path = "session__host_organization"

    class Meta:
        verbose_name = _("session document")
        verbose_name_plural = _("session documents")
        ordering = ["session", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.number or self.get_kind_display()} — {self.title}"

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()


class SessionFigure(AuditedModel):
    """A figure the locality reported (e.g. 13 OCOP products, 550 million VND for S&T in 2022)."""

    session = models.ForeignKey(
        WorkingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="figures"
    )
    label = models.CharField(_("what"), max_length=300)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit of measure"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sentence = models.TextField(_("as reported"), blank=True)

    scope_unit_path = "session__admin_unit"
    scope_organization_path = "session__host_organization"

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}".strip()

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted, being acted on")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class LocalityRequest(AuditedModel):
    """A difficulty raised or a request made by the locality (kiến nghị, đề xuất), and the answer it got."""

    session = models.ForeignKey(
        WorkingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="requests"
    )
    from_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("from locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests_made",
    )
    from_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("from organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests_made",
    )
    text = models.TextField(_("request"))
    addressed_to = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests_received",
    )
    addressed_to_name = models.CharField(
        _("addressed to (as written)"),
        max_length=255,
        blank=True,
        help_text=_("The unit asked, as the text names it, when it is not in the directory."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    response = models.TextField(_("answer"), blank=True)
    responded_on = models.DateField(_("answered on"), null=True, blank=True)

    scope_unit_path = "session__admin_unit"
    scope_organization_path = "session__host_organization"

    class Meta:
        verbose_name = _("locality's request")
        verbose_name_plural = _("locality's requests")
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.text[:120]

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url()

    def clean(self):
        if self.status in (RequestStatus.ANSWERED, RequestStatus.DECLINED) and not self.response:
            raise ValidationError({"response": _("Write the answer the locality was given.")})


class Recurrence(models.TextChoices):
    ONCE = "once", _("By a date")
    REGULARLY = "regularly", _("Regularly (no fixed date)")
    ANNUALLY = "annually", _("Annually (by the date each year)")


class DirectiveState(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED = "reported", _("Reported, awaiting acceptance")
    ACCEPTED = "accepted", _("Done (report accepted)")
    RETURNED = "returned", _("Returned for more work")
    CANCELLED = "cancelled", _("Cancelled")


# The states in which a directive is still the lead unit's to do (past its deadline: overdue).
OPEN_STATES = (DirectiveState.ASSIGNED, DirectiveState.IN_PROGRESS, DirectiveState.RETURNED)


class DirectiveGroup(AuditedModel):
    """One conclusion sentence assigned to several units ("UBND các huyện, thành phố", "các sở, ngành
    liên quan"): entered once, each unit's part a `Directive` of its own (its report, acceptance and
    lateness), tied together by this record (`services.assign_to_units`)."""

    session = models.ForeignKey(
        WorkingSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directive_groups",
    )
    text = models.TextField(_("assignment"))

    # Seen through its parts: a user sees the group when they may see one of its parts.
    scope_unit_path = "parts__lead_organization__admin_unit"
    scope_organization_path = "parts__lead_organization"

    class Meta:
        verbose_name = _("directive assigned to several units")
        verbose_name_plural = _("directives assigned to several units")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:120]


class Directive(SearchableModel, AuditedModel):
    """One assignment from a session's conclusion: who leads, who supports, by when, about what."""

    session = models.ForeignKey(
        WorkingSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directives",
    )
    request = models.ForeignKey(
        LocalityRequest,
        verbose_name=_("answers the request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directives",
    )
    text = models.TextField(_("assignment"))
    group = models.ForeignKey(
        DirectiveGroup,
        verbose_name=_("assigned together with"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text=_("The one conclusion sentence this unit's part was assigned from, with the other units'."),
    )
    lead_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="led_directives",
    )
    supporting_organizations = models.ManyToManyField(
        "orgs.Organization",
        verbose_name=_("supporting units"),
        blank=True,
        related_name="supported_directives",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_directives",
        help_text=_("The user who accepts or returns the lead unit's reports."),
    )
    assigned_by_person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("concluded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concluded_directives",
    )
    assigned_on = models.DateField(_("assigned on"))
    recurrence = models.CharField(
        _("deadline kind"), max_length=20, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_is_illustrative = models.BooleanField(
        _("deadline is illustrative"),
        default=False,
        help_text=_(
            "The source (minutes, conclusion notice, news report) gives no date: the deadline was set as an"
            " example and is shown marked “illustrative”."
        ),
    )
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=DirectiveState.choices,
        default=DirectiveState.ASSIGNED,
        editable=False,
    )
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    # What the directive concerns.
    task = models.ForeignKey(
        "sttasks.Task",
        verbose_name=_("S&T task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directives",
    )
    product = models.ForeignKey(
        "products.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directives",
    )
    ip_asset = models.ForeignKey(
        "ip.IpAsset",
        verbose_name=_("IP asset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directives",
    )
    enterprise = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerning_directives",
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("locality concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directives",
    )

    search_fields = ("text", "lead_organization.name", "session.title")
    search_name_field = "text"
    scope_unit_path = "lead_organization__admin_unit"
    scope_organization_path = "lead_organization"

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="meetings_directive_due"),
            models.Index(fields=["lead_organization", "state"], name="meetings_directive_lead"),
            # The directive list's two parts (views.directives_overdue_first): the open ones by
            # deadline, of which those past it come first, then every directive by deadline.
            models.Index(
                fields=["deadline", "id"],
                name="meetings_directive_overdue",
                condition=models.Q(state__in=OPEN_STATES),
            ),
            models.Index(fields=["deadline", "id"], name="meetings_directive_order"),
        ]

    def __str__(self) -> str:
        return self.text[:120]

    def clean(self):
        if self.recurrence != Recurrence.REGULARLY and self.deadline is None:
            raise ValidationError({"deadline": _("Give the deadline, or choose “regularly”.")})
        if self.recurrence == Recurrence.REGULARLY and self.deadline is not None:
            raise ValidationError({"deadline": _("A directive carried out regularly has no deadline.")})
        if self.deadline and self.assigned_on and self.deadline < self.assigned_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the day it was assigned.")})
        if self.assigned_on and self.session_id and self.assigned_on < self.session.held_on:
            raise ValidationError(
                {
                    "assigned_on": _(
                        "A directive of this session cannot be assigned before the session (%(date)s)."
                    )
                    % {"date": f"{self.session.held_on:%d/%m/%Y}"}
                }
            )

    def save(self, *args, **kwargs):
        if self.original_deadline is None and self.deadline is not None:
            self.original_deadline = self.deadline
        super().save(*args, **kwargs)


class DirectiveReport(AuditedModel):
    """The lead unit's report on a directive, with its evidence, and the assigner's verdict."""

    class Verdict(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("what was done"))
    evidence = models.FileField(
        _("evidence"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=Verdict.choices, default=Verdict.PENDING, editable=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True, editable=False)
    review_note = models.TextField(_("review note"), blank=True, editable=False)

    scope_unit_path = "directive__lead_organization__admin_unit"
    scope_organization_path = "directive__lead_organization"

    class Meta:
        verbose_name = _("directive report")
        verbose_name_plural = _("directive reports")
        ordering = ["directive", "reported_on", "pk"]

    def __str__(self) -> str:
        return f"{self.reported_on:%d/%m/%Y}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return self.directive.get_absolute_url()


class DirectiveEvent(LinkedModel):
    """One move of a directive, as it happened: never edited."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(
        pgettext_lazy("state change", "from"), max_length=20, choices=DirectiveState.choices
    )
    to_state = models.CharField(
        pgettext_lazy("state change", "to"), max_length=20, choices=DirectiveState.choices
    )
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("reason or note"), blank=True)
    previous_deadline = models.DateField(_("previous deadline"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    report = models.ForeignKey(
        DirectiveReport,
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_unit_path = "directive__lead_organization__admin_unit"
    scope_organization_path = "directive__lead_organization"

    class Meta:
        verbose_name = _("directive event")
        verbose_name_plural = _("directive events")
        ordering = ["directive", "happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.happened_on:%d/%m/%Y} {self.action}"

    def get_absolute_url(self) -> str:
        return self.directive.get_absolute_url()
