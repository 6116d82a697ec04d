"""Saving a confirmed draft: the session and everything in it, in one transaction, or nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stims.core.text import fold
from stims.meetings import services
from stims.meetings.models import (
    Directive,
    LocalityRequest,
    Participant,
    RequestStatus,
    SessionFigure,
    SessionStatus,
    WorkingSession,
)
from stims.meetings.rules import is_department_staff
from stims.orgs.models import Organization, OrganizationKind, Person, Position

from .draft import SessionDraft


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def _unit_of_side(draft: SessionDraft, side: str):
    """Where a new person with no organization is filed: the locality met for its officials, else the
    host's own unit (the department's delegation is not the commune's)."""
    if side == "locality" and draft.admin_unit is not None:
        return draft.admin_unit
    if draft.host is not None and draft.host.admin_unit_id:
        return draft.host.admin_unit
    return _unit_for_new_records(draft)


def _existing_unit(name: str, draft: SessionDraft) -> Organization | None:
    """An organization of that name already in the directory (near the session first): asked to "create"
    "Sở Khoa học và Công nghệ", the commit uses the one that exists rather than a second one."""
    matches = list(Organization.objects.filter(search_name=fold(name)).select_related("admin_unit")[:20])
    if not matches:
        return None
    near = {u.pk for u in (draft.admin_unit, draft.host.admin_unit if draft.host else None) if u is not None}
    near |= {u.province_id for u in (draft.admin_unit,) if u is not None and u.province_id}
    for org in matches:
        if org.admin_unit_id in near or (org.admin_unit and org.admin_unit.province_id in near):
            return org
    return matches[0] if len(matches) == 1 else None


def _unit_for_new_records(draft: SessionDraft):
    unit = draft.admin_unit or (draft.host.admin_unit if draft.host else None)
    if unit is None:
        raise ValidationError(_("Choose the locality met or the host before creating new people or units."))
    return unit


@transaction.atomic
def commit_draft(draft: SessionDraft, user) -> WorkingSession:
    """Create the working session, its participants (new people where asked), figures, requests and
    directives (state "assigned", assigned by `user` on the session's date). Raises ValidationError and
    saves nothing when any record is invalid."""
    if draft.host is None:
        raise ValidationError({"host": _("Choose the host organization.")})
    chair = draft.chair
    people: dict[int, Person] = {}
    for index, participant in enumerate(draft.participants):
        if not participant.include:
            continue
        person = participant.person
        if person is None and participant.create_person and participant.name:
            unit = (
                participant.organization.admin_unit
                if participant.organization
                else _unit_of_side(draft, participant.side)
            )
            person = _saved(Person(full_name=participant.name, admin_unit=unit))
            if participant.organization and participant.position:
                _saved(
                    Position(
                        person=person,
                        organization=participant.organization,
                        title=participant.position[:200],
                        start_date=draft.held_on,
                    )
                )
        if person is not None:
            people[index] = person

    session = _saved(
        WorkingSession(
            title=draft.title,
            held_on=draft.held_on,
            place=draft.place,
            status=SessionStatus.HELD
            if draft.held_on and draft.held_on <= timezone.localdate()
            else SessionStatus.PLANNED,
            chair=people.get(draft.participants.index(chair)) if chair else None,
            chair_position=(chair.position[:200] if chair else ""),
            host_organization=draft.host,
            admin_unit=draft.admin_unit,
            conclusion=draft.conclusion,
            source_text=draft.source_text,
            source_url=draft.source_url,
        )
    )
    for index, participant in enumerate(draft.participants):
        if not participant.include:
            continue
        person = people.get(index)
        _saved(
            Participant(
                session=session,
                person=person,
                organization=participant.organization,
                name="" if person else participant.name,
                position=participant.position,
                role=participant.role,
            )
        )
    for figure in draft.figures:
        if figure.include:
            _saved(
                SessionFigure(
                    session=session,
                    label=figure.label,
                    value=figure.value,
                    unit=figure.unit,
                    year=figure.year,
                    sentence=figure.sentence,
                )
            )
    saved_requests: dict[int, LocalityRequest] = {}
    answered: set[int] = {
        d.request_index for d in draft.directives if d.include and d.request_index is not None
    }
    for index, request in enumerate(draft.requests):
        if request.include:
            saved_requests[index] = _saved(
                LocalityRequest(
                    session=session,
                    from_unit=draft.admin_unit,
                    text=request.text,
                    addressed_to=request.addressed_to,
                    addressed_to_name="" if request.addressed_to else request.addressed_to_name[:255],
                    status=RequestStatus.ACCEPTED if index in answered else RequestStatus.OPEN,
                )
            )
    created_units: dict[str, Organization] = {}  # one new unit however many directives it leads
    # Rows of one sentence given to several units (`draft.from_proposal` copies it to one row per unit)
    # are saved as the parts of one group (`meetings.services.assign_to_units`).
    sentences: dict[tuple, list] = {}
    for directive in draft.directives:
        if not directive.include:
            continue
        lead = directive.lead
        if lead is None:
            if not (directive.create_lead and directive.lead_name):
                raise ValidationError(
                    _("Choose the lead unit of “%(text)s”.") % {"text": directive.text[:80]}
                )
            lead = created_units.get(directive.lead_name) or _existing_unit(directive.lead_name, draft)
            if lead is None:
                lead = created_units[directive.lead_name] = _saved(
                    Organization(
                        name=directive.lead_name[:255],
                        kind=OrganizationKind.OTHER,
                        admin_unit=_unit_for_new_records(draft),
                    )
                )
        key = (directive.text, directive.recurrence, directive.deadline, directive.request_index)
        sentences.setdefault(key, []).append((directive, lead))
    # The one who confirms the draft assigns, if on the department staff (meetings.rules).
    assigner = user if getattr(user, "pk", None) and is_department_staff(user) else None
    for (text, recurrence, deadline, request_index), rows in sentences.items():
        leads = [lead for _directive, lead in rows]
        if len(rows) > 1 and len({lead.pk for lead in leads}) == len(leads):
            services.assign_to_units(
                session,
                text,
                lead_organizations=leads,
                user=user,
                deadline=deadline,
                supporting=list(dict.fromkeys(org for d, _lead in rows for org in d.supporting)),
                check_scope=False,  # as the draft's single directives: the confirming page checks
                request=saved_requests.get(request_index),
                assigned_by=assigner,
                assigned_by_person=session.chair,
                assigned_on=draft.held_on,
                recurrence=recurrence,
                admin_unit=draft.admin_unit,
            )
            continue
        for directive, lead in rows:
            saved = _saved(
                Directive(
                    session=session,
                    request=saved_requests.get(directive.request_index),
                    text=directive.text,
                    lead_organization=lead,
                    assigned_by=assigner,
                    assigned_by_person=session.chair,
                    assigned_on=draft.held_on,
                    recurrence=directive.recurrence,
                    deadline=directive.deadline,
                    admin_unit=draft.admin_unit,
                )
            )
            supporting = [org for org in directive.supporting if org.pk != lead.pk]
            if supporting:
                saved.supporting_organizations.set(supporting)
    return session
