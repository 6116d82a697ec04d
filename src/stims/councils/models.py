"""Advisory councils (hội đồng tư vấn) for S&T tasks: identification, selection, appraisal and
acceptance; their members, conflict-of-interest declarations, criteria, score sheets, the ranking
and the conclusion.

A council considers one or more dossiers (`CouncilDossier`): a selection council scores every
dossier submitted to a call ("09/13 đề tài" in the seed article); an acceptance council usually
considers one task. The criteria, their maximum scores, the rule for discarding outlying score
sheets and the acceptance rating scale are data, because they differ between circulars and years.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.files import document_upload_path, validate_document_file
from stims.core.models import AuditedModel


class CouncilKind(models.TextChoices):
    IDENTIFICATION = "identification", _("Task identification council")
    SELECTION = "selection", _("Selection / direct assignment council")
    APPRAISAL = "appraisal", _("Content and budget appraisal council")
    ACCEPTANCE = "acceptance", _("Acceptance council")


class CriteriaSet(AuditedModel):
    """The criteria a kind of council scores with, in force over a period."""

    name = models.CharField(_("name"), max_length=200)
    council_kind = models.CharField(_("council kind"), max_length=20, choices=CouncilKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Average total a dossier needs to pass (empty: no threshold)."),
    )
    outlier_tolerance = models.DecimalField(
        _("tolerance for outlying sheets"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "A sheet whose total is further than this from the average of all sheets is flagged and left out "
            "of the result (empty: none left out)."
        ),
    )

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["council_kind", "-valid_from", "name"]

    def __str__(self) -> str:
        return self.name


class Criterion(AuditedModel):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="councils_criterion_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name} ({self.max_score})"


class RatingLevel(AuditedModel):
    """A step of the acceptance rating scale (e.g. Xuất sắc / Đạt / Không đạt)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_pass = models.BooleanField(_("counts as passed"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("acceptance rating")
        verbose_name_plural = _("acceptance ratings")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class Council(AuditedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=CouncilKind.choices)
    name = models.CharField(_("name"), max_length=300)
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="councils",
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("signed by"), max_length=150, blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=255, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_on = models.DateField(
        _("concluded on"),
        null=True,
        blank=True,
        help_text=_("Set when the council has concluded; its results then count for the workflow."),
    )
    minutes = models.FileField(
        _("minutes"),
        upload_to=document_upload_path,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )

    # Councils are the department's business: only deployment-wide roles reach them.
    scope_unit_path = None
    scope_organization_path = None

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["-meeting_date", "-pk"]
        indexes = [
            # The list's own order, so a page's keys are read in index order instead of sorting every row
            # (issue #20: 34,729 councils at national scale).
            models.Index(fields=["-meeting_date", "-id"], name="councils_list_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.criteria_set_id and self.criteria_set.council_kind != self.kind:
            raise ValidationError({"criteria_set": _("These criteria are for another kind of council.")})


class CouncilRole(models.TextChoices):
    CHAIR = "chair", pgettext_lazy("council member", "Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    REVIEWER = "reviewer", _("Reviewer")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class CouncilMember(AuditedModel):
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "orgs.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="council_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=CouncilRole.choices, default=CouncilRole.MEMBER)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    has_conflict = models.BooleanField(_("declared a conflict of interest"), default=False)
    conflict_note = models.CharField(_("conflict of interest"), max_length=500, blank=True)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_memberships",
        help_text=_("Lets the member enter their own score sheets."),
    )

    scope_unit_path = None
    scope_organization_path = None

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["council", "person"], name="councils_member_once")]

    label_select_related = ("person",)

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.council.get_absolute_url()


class CouncilDossier(AuditedModel):
    """One task's dossier before a council, with the council's result for it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="dossiers"
    )
    task = models.ForeignKey(
        "sttasks.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="council_dossiers"
    )
    applicant = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("applicant organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_dossiers",
    )
    # The council's conclusion on this dossier: passed (identified, selected, appraised, accepted), or not.
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    rating = models.ForeignKey(
        RatingLevel,
        verbose_name=_("acceptance rating"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    remarks = models.TextField(_("remarks"), blank=True)

    scope_unit_path = "task__ordering_unit"
    scope_organization_path = "task__lead_organization"

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["council", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "task", "applicant"], name="councils_dossier_once")
        ]

    label_select_related = ("task",)

    def __str__(self) -> str:
        return str(self.task)

    def get_absolute_url(self) -> str:
        return self.council.get_absolute_url()


class ScoreSheet(AuditedModel):
    """One member's scores for one dossier (phiếu đánh giá)."""

    dossier = models.ForeignKey(
        CouncilDossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="sheets"
    )
    member = models.ForeignKey(
        CouncilMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="sheets"
    )
    comments = models.TextField(_("comments"), blank=True)
    # Kept denormalised so ranking a call with hundreds of sheets is one aggregate query.
    total = models.DecimalField(
        _("total"), max_digits=7, decimal_places=2, default=Decimal("0"), editable=False
    )

    scope_unit_path = None
    scope_organization_path = None

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["dossier", "member"]
        constraints = [models.UniqueConstraint(fields=["dossier", "member"], name="councils_sheet_once")]

    label_select_related = ("member__person", "dossier__task")

    def __str__(self) -> str:
        return f"{self.member.person} — {self.dossier}"

    def get_absolute_url(self) -> str:
        return self.dossier.council.get_absolute_url()


class Score(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.DecimalField(
        _("score"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="councils_score_once")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.score}"

    def clean(self):
        if self.score is not None and self.criterion_id and self.score > self.criterion.max_score:
            raise ValidationError(
                {"score": _("At most %(max)s for this criterion.") % {"max": self.criterion.max_score}}
            )
