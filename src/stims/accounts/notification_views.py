"""The user's notifications: the list, marking read, the bell's unread count, and the settings page
("which kinds, in the app and/or by e-mail"). Every page shows only the signed-in user's own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from django.views.decorators.cache import never_cache

from .models import NotificationSetting
from .notify import KINDS


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return target


def _safe_link(request, link: str) -> str:
    """A notification's own link, when it stays on this site (links are written by the app)."""
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return reverse("accounts:notifications")


class NotificationListView(LoginRequiredMixin, generic.ListView):
    """The user's own notifications, newest first (`?unread=1`: only the unread ones)."""

    template_name = "accounts/notifications.html"
    paginate_by = 50

    def get_queryset(self):
        notes = self.request.user.notifications.filter(shown=True)
        if self.request.GET.get("unread"):
            notes = notes.filter(read_at__isnull=True)
        return notes

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_only"] = bool(self.request.GET.get("unread"))
        context["unread_count"] = self.request.user.notifications.filter(
            shown=True, read_at__isnull=True
        ).count()
        return context


class MarkNotificationsReadView(LoginRequiredMixin, generic.View):
    """Mark all the user's notifications read."""

    def post(self, request):
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return HttpResponseRedirect(_safe_next(request, reverse("accounts:notifications")))


class MarkNotificationReadView(LoginRequiredMixin, generic.View):
    """Mark one of the user's notifications read (another user's answers 404)."""

    def post(self, request, pk):
        note = get_object_or_404(request.user.notifications, pk=pk)
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
        return HttpResponseRedirect(_safe_next(request, reverse("accounts:notifications")))


class OpenNotificationView(LoginRequiredMixin, generic.View):
    """Follow a notification's link, marking it read on the way."""

    def get(self, request, pk):
        note = get_object_or_404(request.user.notifications, pk=pk)
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
        return HttpResponseRedirect(_safe_link(request, note.link))


@method_decorator(never_cache, name="dispatch")
class NotificationBadgeView(LoginRequiredMixin, generic.TemplateView):
    """The bell's unread count, fetched by the page after it loads (htmx), so that no page pays a
    query for it."""

    template_name = "accounts/_notification_badge.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_count"] = self.request.user.notifications.filter(
            shown=True, read_at__isnull=True
        ).count()
        return context


class NotificationSettingsForm(forms.Form):
    """Two boxes per kind of notification: in the app, by e-mail."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        saved = {s.kind: s for s in user.notification_settings.all()}
        self.rows = []
        for kind, label in KINDS.items():
            setting = saved.get(kind)
            for channel, channel_label in (
                ("in_app", gettext_lazy("in the app")),
                ("by_email", gettext_lazy("by e-mail")),
            ):
                name = f"{kind}__{channel}"
                self.fields[name] = forms.BooleanField(
                    label=f"{label} — {channel_label}",
                    required=False,
                    initial=getattr(setting, channel) if setting else True,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )
            self.rows.append((label, self[f"{kind}__in_app"], self[f"{kind}__by_email"]))

    def save(self) -> None:
        for kind in KINDS:
            in_app = self.cleaned_data[f"{kind}__in_app"]
            by_email = self.cleaned_data[f"{kind}__by_email"]
            if in_app and by_email:  # the default: no row needed
                NotificationSetting.objects.filter(user=self.user, kind=kind).delete()
            else:
                NotificationSetting.objects.update_or_create(
                    user=self.user, kind=kind, defaults={"in_app": in_app, "by_email": by_email}
                )


class NotificationSettingsView(LoginRequiredMixin, generic.FormView):
    """ "Notification settings" under My account: which kinds, in the app and/or by e-mail."""

    template_name = "accounts/notification_settings.html"
    form_class = NotificationSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_email"] = bool(self.request.user.email)
        return context

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your notification settings are saved."))
        return HttpResponseRedirect(reverse("accounts:notification_settings"))
