from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import generic

from stims.core import permissions


class ProfileView(LoginRequiredMixin, generic.TemplateView):
    """The signed-in user's own page: their roles and where each applies."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = (
            self.request.user.role_assignments.select_related("admin_unit", "organization").order_by("role")
        )
        context["active_ids"] = {a.pk for a in permissions.active_assignments(self.request.user)}
        return context


class NotificationListView(LoginRequiredMixin, generic.ListView):
    """The user's own notifications, newest first; nobody sees another user's."""

    template_name = "accounts/notifications.html"
    paginate_by = 50

    def get_queryset(self):
        return self.request.user.notifications.all()


class MarkNotificationsReadView(LoginRequiredMixin, generic.View):
    def post(self, request):
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("accounts:notifications")
        return HttpResponseRedirect(target)
