"""Drafting pages: paste the text → review every proposed item → confirm (saved in one transaction)."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import generic

from stims.core import permissions
from stims.meetings.models import WorkingSession

from . import forms, nlp
from .commit import commit_draft
from .draft import drafts_from_text

# The most sessions one review page carries (an article reporting a morning and an afternoon session gives
# two); a forged count beyond it is read as this many.
MAX_SESSIONS = 10


def _prefix(index: int, name: str) -> str:
    """The forms of the first session keep their plain prefixes ("session", "directives"); the others are
    "s1-session", "s1-directives" …, so one page carries every session of the text."""
    return name if index == 0 else f"s{index}-{name}"


class CreateSessionForm(django_forms.Form):
    """Whether to save this session of several (ticked by default: the reviewer unticks one to leave it)."""

    create = django_forms.BooleanField(required=False, initial=True)


class DraftPermissionMixin(LoginRequiredMixin):
    """Only users who may add working sessions draft them; others are refused (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, permissions.ADD, WorkingSession
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _review_forms(user, data=None, initial=None, index: int = 0):
    initial = initial or {}
    requests_prefix = _prefix(index, "requests")
    if data is not None:
        count = _int(data.get(f"{requests_prefix}-TOTAL_FORMS"))
        request_choices = [
            (i, data.get(f"{requests_prefix}-{i}-text", "")[:80]) for i in range(min(count, 200))
        ]
    else:
        request_choices = [(i, r["text"][:80]) for i, r in enumerate(initial.get("requests", []))]
    return {
        "index": index,
        "create_form": CreateSessionForm(data, prefix=_prefix(index, "create")),
        "session_form": forms.SessionForm(
            data, initial=initial.get("session"), user=user, prefix=_prefix(index, "session")
        ),
        "participants": forms.ParticipantFormSet(
            data,
            initial=initial.get("participants"),
            prefix=_prefix(index, "participants"),
            form_kwargs={"user": user},
        ),
        "figures": forms.FigureFormSet(
            data, initial=initial.get("figures"), prefix=_prefix(index, "figures"), form_kwargs={"user": user}
        ),
        "requests": forms.RequestFormSet(
            data, initial=initial.get("requests"), prefix=requests_prefix, form_kwargs={"user": user}
        ),
        "directives": forms.DirectiveFormSet(
            data,
            initial=initial.get("directives"),
            prefix=_prefix(index, "directives"),
            form_kwargs={"user": user, "request_choices": request_choices},
        ),
    }


def _review_context(sessions: list[dict]) -> dict:
    """The review page's context: every session's forms; the first session's also at the top level (the
    page of a one-session text reads as before)."""
    return {**sessions[0], "sessions": sessions, "session_count": len(sessions)}


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def session_url(session: WorkingSession, listing: bool = False) -> str:
    # The session page belongs to another part of the app; until it exists, the session list or the
    # drafting page itself is the best place to land. Several sessions saved at once: the list.
    candidates = [("meetings:workingsession_list", [])]
    if not listing:
        candidates.insert(0, ("meetings:workingsession_detail", [session.pk]))
    for name, args in candidates:
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
        drafts = drafts_from_text(
            data["text"],
            source_url=data.get("source_url", ""),
            host=data.get("host_organization"),
            held_on=data.get("held_on"),
        )[:MAX_SESSIONS]
        sessions = []
        for index, draft in enumerate(drafts):
            forms_of = _review_forms(request.user, initial=forms.initial_data(draft), index=index)
            forms_of["unmatched_host"] = draft.host_name if draft.host is None else ""
            forms_of["locality_name"] = draft.admin_unit.name if draft.admin_unit else draft.locality
            sessions.append(forms_of)
        return ReviewView.as_view()(request, review=_review_context(sessions))


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
        count = min(max(_int(request.POST.get("session_count")), 1), MAX_SESSIONS)
        sessions = [_review_forms(request.user, data=request.POST, index=i) for i in range(count)]
        chosen = []
        valid = True
        for forms_of in sessions:
            forms_of["create_form"].is_valid()
            # One session: always saved. Several: each one whose "save this session" box is ticked.
            if count > 1 and not forms_of["create_form"].cleaned_data.get("create"):
                continue
            chosen.append(forms_of)
            valid = forms_of["session_form"].is_valid() and valid
            for key in ("participants", "figures", "requests", "directives"):
                valid = forms.items_valid(forms_of[key]) and valid
        errors = [] if chosen else [_("Tick at least one session to save.")]
        if valid and chosen:
            try:
                saved = self._commit(chosen, request.user)
            except ValidationError as error:
                errors = _messages_of(error)
            else:
                if len(saved) == 1:
                    messages.success(
                        request,
                        _("Working session saved with %(count)d directives.")
                        % {"count": saved[0].directives.count()},
                    )
                    return HttpResponseRedirect(session_url(saved[0]))
                messages.success(request, _("%(count)d working sessions saved.") % {"count": len(saved)})
                return HttpResponseRedirect(session_url(saved[0], listing=True))
        context = _review_context(sessions)
        context["commit_errors"] = errors
        return ReviewView.as_view()(request, review=context)

    @staticmethod
    @transaction.atomic
    def _commit(chosen: list[dict], user) -> list[WorkingSession]:
        """Every chosen session, or none (a refusal of one undoes the others)."""
        saved = []
        for forms_of in chosen:
            draft = forms.confirmed_draft(
                forms_of["session_form"],
                forms_of["participants"],
                forms_of["figures"],
                forms_of["requests"],
                forms_of["directives"],
            )
            saved.append(commit_draft(draft, user))
        return saved


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [
            f"{field}: {message}" if field != "__all__" else message
            for field, items in error.message_dict.items()
            for message in items
        ]
    return list(error.messages)
