"""Drafting pages: paste the text → review every proposed item → confirm (saved in one transaction)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import generic

from stims.core import permissions
from stims.meetings.models import WorkingSession

from . import forms, nlp
from .commit import commit_draft
from .draft import draft_from_text


class DraftPermissionMixin(LoginRequiredMixin):
    """Only users who may add working sessions draft them; others are refused (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, permissions.ADD, WorkingSession
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _review_forms(user, data=None, initial=None):
    initial = initial or {}
    if data is not None:
        count = _int(data.get("requests-TOTAL_FORMS"))
        request_choices = [(i, data.get(f"requests-{i}-text", "")[:80]) for i in range(min(count, 200))]
    else:
        request_choices = [(i, r["text"][:80]) for i, r in enumerate(initial.get("requests", []))]
    return {
        "session_form": forms.SessionForm(data, initial=initial.get("session"), user=user, prefix="session"),
        "participants": forms.ParticipantFormSet(
            data, initial=initial.get("participants"), prefix="participants", form_kwargs={"user": user}
        ),
        "figures": forms.FigureFormSet(
            data, initial=initial.get("figures"), prefix="figures", form_kwargs={"user": user}
        ),
        "requests": forms.RequestFormSet(
            data, initial=initial.get("requests"), prefix="requests", form_kwargs={"user": user}
        ),
        "directives": forms.DirectiveFormSet(
            data,
            initial=initial.get("directives"),
            prefix="directives",
            form_kwargs={"user": user, "request_choices": request_choices},
        ),
    }


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def session_url(session: WorkingSession) -> str:
    # The session page belongs to another part of the app; until it exists, the session list or the
    # drafting page itself is the best place to land.
    for name, args in (
        ("meetings:workingsession_detail", [session.pk]),
        ("meetings:workingsession_list", []),
    ):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return reverse("meetings:draft")


class DraftView(DraftPermissionMixin, generic.TemplateView):
    """Paste the text; posting it shows the proposal for review (nothing is saved)."""

    template_name = "drafting/draft_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", forms.PasteForm(user=self.request.user))
        context["nlp_missing"] = not nlp.available()
        return context

    def post(self, request, *args, **kwargs):
        form = forms.PasteForm(request.POST, user=request.user)
        if not form.is_valid() or not nlp.available():  # without the text analysis, nothing to propose
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        draft = draft_from_text(
            data["text"],
            source_url=data.get("source_url", ""),
            host=data.get("host_organization"),
            held_on=data.get("held_on"),
        )
        context = _review_forms(request.user, initial=forms.initial_data(draft))
        context["unmatched_host"] = draft.host_name if draft.host is None else ""
        return ReviewView.as_view()(request, review=context)


class ReviewView(DraftPermissionMixin, generic.TemplateView):
    template_name = "drafting/draft_review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.kwargs.get("review", {}))
        return context

    def post(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())


class ConfirmDraftView(DraftPermissionMixin, generic.View):
    """Save the confirmed draft, or show the review again with what was typed and the errors."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        context = _review_forms(request.user, data=request.POST)
        valid = context["session_form"].is_valid()
        for key in ("participants", "figures", "requests", "directives"):
            valid = forms.items_valid(context[key]) and valid
        errors = []
        if valid:
            draft = forms.confirmed_draft(
                context["session_form"],
                context["participants"],
                context["figures"],
                context["requests"],
                context["directives"],
            )
            try:
                session = commit_draft(draft, request.user)
            except ValidationError as error:
                errors = _messages_of(error)
            else:
                messages.success(
                    request,
                    _("Working session saved with %(count)d directives.")
                    % {"count": session.directives.count()},
                )
                return HttpResponseRedirect(session_url(session))
        context["commit_errors"] = errors
        return ReviewView.as_view()(request, review=context)


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [
            f"{field}: {message}" if field != "__all__" else message
            for field, items in error.message_dict.items()
            for message in items
        ]
    return list(error.messages)
