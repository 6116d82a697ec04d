"""Users, their roles and the units or organizations each role is limited to."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stims.core.models import AuditedModel


class Role(models.TextChoices):
    LEADER = "leader", _("Department leader")
    SPECIALIST = "specialist", _("Division specialist")
    INSPECTOR = "inspector", _("Inspector")
    LOCAL_OFFICER = "local_officer", _("Local (commune/district) officer")
    COUNCIL_MEMBER = "council_member", _("Council member")
    VIEWER = "viewer", _("Read-only viewer")


# Roles that only make sense inside one locality.
UNIT_BOUND_ROLES = {Role.LOCAL_OFFICER}


class User(AbstractUser):
    person = models.ForeignKey(
        "orgs.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class RoleAssignment(AuditedModel):
    """A role given to a user, limited to an administrative unit and/or an organization (or neither:
    the whole deployment)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("limited to unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("limited to organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]

    def __str__(self) -> str:
        scope = self.admin_unit or self.organization
        return f"{self.get_role_display()} — {scope}" if scope else self.get_role_display()

    def clean(self):
        if self.role in UNIT_BOUND_ROLES and not self.admin_unit_id:
            raise ValidationError({"admin_unit": _("A local officer must be limited to an administrative unit.")})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})


class Notification(models.Model):
    """An in-app message to one user (a deadline coming or passed, a step waiting for them).

    `key` makes a reminder idempotent: the reminder job may run many times a day, a user hears about
    one deadline once.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(_("key"), max_length=200)
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("sent by email"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="accounts_notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="accounts_notification_unread")]

    def __str__(self) -> str:
        return self.message
