import logging
from typing import Any

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.cache import never_cache

from stims.core import permissions
from stims.core import rules as core_rules
from stims.core.history import history_entries
from stims.core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    register_model_view,
)

from . import passwords
from .forms import (
    ApiTokenForm,
    RoleAssignmentForm,
    UserCreateForm,
    UserFilterSet,
    UserForm,
    user_version,
)
from .models import RoleAssignment, User
from .rules import MANAGE_USERS
from .tables import UserTable

logger = logging.getLogger(__name__)


class ProfileView(LoginRequiredMixin, generic.TemplateView):
    """The signed-in user's own page: their roles and where each applies."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = self.request.user.role_assignments.select_related(
            "admin_unit", "organization"
        ).order_by("role")
        context["active_ids"] = {a.pk for a in permissions.active_assignments(self.request.user)}
        context["may_manage_users"] = core_rules.has(MANAGE_USERS, self.request.user)
        return context


# never_cache: the page that shows a new key must not be kept by the browser or any proxy.
@method_decorator(never_cache, name="dispatch")
class ApiTokenListView(LoginRequiredMixin, generic.TemplateView):
    """The signed-in user's own API tokens, and a form to create one.

    A new key is shown in the response to the form that created it, and nowhere else: it is neither
    stored nor put in a redirect or in the session, so reloading the page cannot show it again.
    """

    template_name = "accounts/api_tokens.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ApiTokenForm(user=self.request.user))
        context["tokens"] = self.request.user.api_tokens.all()
        return context

    def post(self, request):
        form = ApiTokenForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        token, key = form.save()
        logger.info("API token %s… (%s) created by %s for themselves", token.prefix, token.name, request.user)
        return self.render_to_response(
            self.get_context_data(form=ApiTokenForm(user=request.user), new_token=token, new_key=key)
        )


class ApiTokenRevokeView(LoginRequiredMixin, generic.DetailView):
    """Confirm, then revoke one of the user's own tokens; another user's token is not found (404)."""

    template_name = "accounts/api_token_revoke.html"
    context_object_name = "token"

    def get_queryset(self):
        return self.request.user.api_tokens.all()

    def post(self, request, pk):
        token = self.get_object()
        if token.revoke(by=request.user):
            logger.info(
                "API token %s… (%s) of %s revoked by %s", token.prefix, token.name, token.user, request.user
            )
            messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        else:
            messages.info(request, _("The token “%(name)s” was already revoked.") % {"name": token.name})
        return redirect("accounts:api_tokens")


# --- Password reset by e-mail ("Quên mật khẩu?") ---------------------------------------------------------


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link. The answer is the same whether or not the address has an account; past the
    hourly limit of the client address or of the address typed, nothing is sent and the page says so."""

    template_name = "registration/password_reset_form.html"
    subject_template_name = passwords.SUBJECT_TEMPLATE
    email_template_name = passwords.EMAIL_TEMPLATE

    def form_valid(self, form):
        self.extra_email_context = passwords.email_context()
        address = get_client_ip_address(self.request) or "unknown"
        if passwords.over_limit(address, form.cleaned_data["email"]):
            form.add_error(
                None,
                _("Too many reset requests: try again in an hour, or ask the department's administrator."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordResetLinkView(auth_views.PasswordResetConfirmView):
    """The link from the mail: set a new password. A login lockout (django-axes) of the account is
    lifted, so that the new password works at once."""

    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=self.user.username)
        logger.info("Password of %s set from a reset link", self.user.username)
        return response


# --- User management: the department's administrator --------------------------------------------------


class UserAdministrationMixin:
    """Pages of the department's administrator (rule accounts.manage_users): anyone else signed in gets
    403, whatever else they may read; a visitor is sent to log in."""

    request: Any

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            core_rules.require(MANAGE_USERS, request.user)
        return super().dispatch(request, *args, **kwargs)


class UserRowsMixin:
    model = User

    def base_queryset(self):
        return User.objects.prefetch_related(
            Prefetch(
                "role_assignments",
                # A unit is named with its province or parent (AdminUnit.__str__): joined, not a query per role.
                queryset=RoleAssignment.objects.active().select_related(
                    "admin_unit__province", "admin_unit__parent", "organization"
                ),
            )
        )


@register_model_view(User, "list")
class UserListView(UserAdministrationMixin, UserRowsMixin, ObjectListView):
    filterset_class = UserFilterSet
    table_class = UserTable
    template_name = "accounts/user_list.html"


@register_model_view(User, "detail")
class UserDetailView(UserAdministrationMixin, UserRowsMixin, ObjectDetailView):
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.object
        context["assignments"] = user.role_assignments.select_related("admin_unit", "organization").order_by(
            "role", "pk"
        )
        context["active_ids"] = set(
            RoleAssignment.objects.active().filter(user=user).values_list("pk", flat=True)
        )
        context["role_history"] = history_entries(
            RoleAssignment.history.filter(user_id=user.pk).select_related("history_user")[:50]
        )
        return context


@register_model_view(User, "add")
class UserCreateView(UserAdministrationMixin, UserRowsMixin, ObjectCreateView):
    form_class = UserCreateForm
    template_name = "accounts/user_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.object is not None and self.object.pk and form.cleaned_data.get("send_mail"):
            passwords.send_reset_mail(self.object, sent_by=self.request.user)
            messages.info(
                self.request,
                _("A link to set the password was sent to %(email)s.") % {"email": self.object.email},
            )
        return response


# Not the standard "edit" page: those are versioned by the record's `updated_at` (core.concurrency), which
# User lacks (a field needs an accounts migration). This one refuses a stale save by a digest of what it
# edits (forms.user_version); once User has `updated_at`, register it as "edit" and drop the digest.
@register_model_view(User, "change", path="<int:pk>/edit/")
class UserUpdateView(UserAdministrationMixin, UserRowsMixin, ObjectUpdateView):
    form_class = UserForm
    template_name = "accounts/user_form.html"

    def form_valid(self, form):
        with transaction.atomic():
            current = User.objects.select_for_update().get(pk=self.object.pk)
            shown = form.cleaned_data.get(UserForm.VERSION_FIELD, "")
            if shown != user_version(current):
                form.add_error(
                    None,
                    _(
                        "Someone else changed this user since you opened the form. Check the values "
                        "below (the user's page shows what changed), then save again to overwrite."
                    ),
                )
                data = form.data.copy()
                data[UserForm.VERSION_FIELD] = user_version(current)
                form.data = data
                return self.form_invalid(form)
            return super().form_valid(form)


@register_model_view(User, "active", path="<int:pk>/active/")
class UserActiveView(UserAdministrationMixin, LoginRequiredMixin, generic.View):
    """Deactivate (they can no longer log in nor use their API tokens) or reactivate a user, recorded
    in the user's history. The administrator cannot deactivate themselves."""

    model = User

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        active = request.POST.get("active") == "1"
        if user.pk == request.user.pk and not active:
            messages.error(request, _("You cannot deactivate your own account."))
            return redirect("accounts:user_detail", pk=user.pk)
        if user.is_active != active:
            user.is_active = active
            user._change_reason = _("Activated") if active else _("Deactivated")
            user.save(update_fields=["is_active"])
            logger.info(
                "User %s %s by %s", user.username, "activated" if active else "deactivated", request.user
            )
        if active:
            messages.success(request, _("“%(user)s” is active: they can log in.") % {"user": user})
        else:
            messages.success(
                request, _("“%(user)s” is deactivated: they can no longer log in.") % {"user": user}
            )
        return redirect("accounts:user_detail", pk=user.pk)


@register_model_view(User, "password_reset", path="<int:pk>/password-reset/")
class UserPasswordResetView(UserAdministrationMixin, LoginRequiredMixin, generic.View):
    """E-mail the user a link to set a new password (the administrator never sees or types it)."""

    model = User

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        if not user.email:
            messages.error(request, _("“%(user)s” has no e-mail address: add one first.") % {"user": user})
        elif not user.is_active:
            messages.error(request, _("“%(user)s” is deactivated: activate them first.") % {"user": user})
        else:
            passwords.send_reset_mail(user, sent_by=request.user)
            messages.success(
                request, _("A link to set the password was sent to %(email)s.") % {"email": user.email}
            )
        return redirect("accounts:user_detail", pk=user.pk)


class RoleAssignmentRowsMixin:
    model = RoleAssignment
    object: Any

    def base_queryset(self):
        return RoleAssignment.objects.select_related("user", "admin_unit", "organization")

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.object.user_id])


@register_model_view(RoleAssignment, "add")
class RoleAssignmentCreateView(UserAdministrationMixin, RoleAssignmentRowsMixin, ObjectCreateView):
    """A role for the user named by ?user=<id> (the "Add a role" button of the user's page)."""

    form_class = RoleAssignmentForm
    template_name = "accounts/roleassignment_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = str(context["form"]["user"].value() or "")
        context["person"] = get_object_or_404(User, pk=int(chosen) if chosen.isdigit() else 0)
        return context


@register_model_view(RoleAssignment, "edit")
class RoleAssignmentUpdateView(UserAdministrationMixin, RoleAssignmentRowsMixin, ObjectUpdateView):
    form_class = RoleAssignmentForm
    template_name = "accounts/roleassignment_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.object.user
        return context


@register_model_view(RoleAssignment, "delete")
class RoleAssignmentDeleteView(UserAdministrationMixin, RoleAssignmentRowsMixin, ObjectDeleteView):
    template_name = "accounts/roleassignment_confirm_delete.html"
    form_class = django_forms.Form  # DeleteView's confirmation, not the role form

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.object.user_id])


class FailedEmailListView(UserAdministrationMixin, LoginRequiredMixin, generic.ListView):
    """The e-mails the mail server refused on every retry (stims.accounts.mail), newest first, with the
    last reason; "Send again" gives the chosen ones (or all) their tries back once the server is fixed."""

    template_name = "accounts/failed_emails.html"
    paginate_by = 50

    def get_queryset(self):
        from .mail import failed

        return failed().select_related("user").order_by("-created_at")

    def post(self, request, *args, **kwargs):
        from .mail import failed, retry

        chosen = failed()
        ids = [value for value in request.POST.getlist("notification") if value.isdigit()]
        if ids:
            chosen = chosen.filter(pk__in=ids)
        count = retry(chosen)
        messages.success(request, _("%(count)s e-mails will be sent again.") % {"count": count})
        return redirect("accounts:failed_emails")
