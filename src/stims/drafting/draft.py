"""A session draft: what the review page shows and the commit service saves.

`from_proposal()` turns the rules' text proposal into a draft whose names are matched to the
directory (orgs.Person, orgs.Organization, geo.AdminUnit) where they exist; what is not matched is
proposed as new. The same dataclasses carry what the person confirmed back to `commit.py`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from stims.core.text import fold
from stims.geo.models import REFORM_DATE, AdminUnit, Generation, Level
from stims.orgs.models import Organization, OrganizationKind, Person

from .lexicon import TITLE_HEADS
from .proposal import Proposal
from .rules import normalize, propose, propose_sessions


@dataclass
class ParticipantDraft:
    name: str
    position: str = ""
    role: str = "guest"
    person: Person | None = None
    organization: Organization | None = None
    create_person: bool = False
    include: bool = True
    side: str = "host"
    sentence: str = ""


@dataclass
class FigureDraft:
    label: str
    value: Decimal
    unit: str = ""
    year: int | None = None
    sentence: str = ""
    include: bool = True


@dataclass
class RequestDraft:
    text: str
    addressed_to: Organization | None = None
    addressed_to_name: str = ""
    include: bool = True
    sentence: str = ""


@dataclass
class DirectiveDraft:
    text: str
    lead: Organization | None = None
    lead_name: str = ""
    create_lead: bool = False
    supporting: list[Organization] = field(default_factory=list)
    recurrence: str = "regularly"
    deadline: datetime.date | None = None
    deadline_phrase: str = ""
    request_index: int | None = None
    include: bool = True
    sentence: str = ""


@dataclass
class SessionDraft:
    title: str
    held_on: datetime.date | None
    host: Organization | None = None
    host_name: str = ""
    admin_unit: AdminUnit | None = None
    locality: str = ""  # the locality met as the text names it ("huyện Ba Chẽ")
    place: str = ""
    conclusion: str = ""
    source_text: str = ""
    source_url: str = ""
    participants: list[ParticipantDraft] = field(default_factory=list)
    figures: list[FigureDraft] = field(default_factory=list)
    requests: list[RequestDraft] = field(default_factory=list)
    directives: list[DirectiveDraft] = field(default_factory=list)

    @property
    def chair(self) -> ParticipantDraft | None:
        return next((p for p in self.participants if p.include and p.role == "chair"), None)


# --- Matching ------------------------------------------------------------------------------------


def known_province_names() -> list[str]:
    names = AdminUnit.objects.filter(level=Level.PROVINCE).values_list("short_name", flat=True).distinct()
    return sorted({name for name in names if name})


def _province_units(province: str) -> list[int]:
    if not province:
        return []
    wanted = fold(province)
    return [
        unit.pk
        for unit in AdminUnit.objects.filter(level=Level.PROVINCE).only("pk", "short_name")
        if fold(unit.short_name) == wanted
    ]


class Directory:
    """Looks names up in the directory, within the session's province first."""

    def __init__(self, province: str, held_on: datetime.date | None):
        self.province = province
        self.held_on = held_on
        province_ids = _province_units(province)
        rows = (
            Organization.objects.select_related("admin_unit").filter(
                Q(admin_unit_id__in=province_ids) | Q(admin_unit__province_id__in=province_ids)
            )
            if province_ids
            else Organization.objects.none()
        )
        self.local = list(rows)
        self.local_ids = {org.pk for org in self.local}

    def organization(self, name: str) -> Organization | None:
        if not name:
            return None
        wanted = re.sub(r"^(?:cac|lanh dao) ", "", normalize(name))
        suffix = f" tinh {fold(self.province)}" if self.province else ""
        for org in self.local:
            names = {normalize(org.name), normalize(org.short_name)} - {""}
            if wanted in names or (
                suffix and wanted.removesuffix(suffix) in {n.removesuffix(suffix) for n in names}
            ):
                return org
        if re.fullmatch(r"so khoa hoc va cong nghe|so|nganh", wanted.removesuffix(suffix)):
            return self.department()
        # A unit written shorter or longer than the directory's name ("Phòng Quản lý khoa học" for
        # "Phòng Quản lý khoa học - Sở KH&CN"): one match only, within the province.
        close = [
            org
            for org in self.local
            if len(wanted.split()) >= 3
            and any(
                wanted in n or (len(n.split()) >= 3 and n in wanted) for n in {normalize(org.name)} - {""}
            )
        ]
        if len(close) == 1:
            return close[0]
        # Outside the province, only an exact full name (a ministry, an institute) is trusted.
        for org in Organization.objects.filter(search_name=fold(name)).exclude(pk__in=self.local_ids)[:2]:
            return org
        if re.search(r"\bcua so\b|^phong chuyen mon", wanted):
            return self.department()
        return None

    def department(self) -> Organization | None:
        return next(
            (org for org in self.local if org.kind == OrganizationKind.DEPARTMENT and org.parent_id is None),
            None,
        )

    def person(self, name: str) -> Person | None:
        matches = list(
            Person.objects.filter(search_name=fold(name)).prefetch_related("positions__organization")[:5]
        )
        if len(matches) <= 1:
            return matches[0] if matches else None
        local = [
            p for p in matches if any(pos.organization_id in self.local_ids for pos in p.positions.all())
        ]
        return local[0] if local else None

    def organization_of(self, person: Person | None, position: str, locality: str) -> Organization | None:
        if person is not None:
            day = self.held_on or datetime.date.today()
            held = [pos for pos in person.positions.all() if pos.is_held_on(day)] or list(
                person.positions.all()
            )
            if held:
                return held[0].organization
        last = position.split(",")[-1].strip()
        for head in sorted(TITLE_HEADS, key=len, reverse=True):
            if last.lower().startswith(head.lower()):
                last = last[len(head) :].strip()
                break
        if not last:
            return None
        for kind in ("huyen", "xa", "phuong", "thi tran", "dac khu"):
            if fold(last) == f"ubnd {kind}" and fold(locality).startswith(kind):
                last = f"UBND {locality}"
        if fold(last) in ("so", "so kh cn", "so khoa hoc va cong nghe"):
            return self.department()
        return self.organization(last)

    def unit(self, locality: str) -> AdminUnit | None:
        if not locality:
            return None
        generation = Generation.LEGACY if self.held_on and self.held_on < REFORM_DATE else Generation.CURRENT
        folded = fold(locality)
        level = (
            Level.DISTRICT
            if folded.startswith(("huyen", "thi xa", "thanh pho"))
            else Level.PROVINCE
            if folded.startswith("tinh")
            else Level.COMMUNE
        )
        wanted = fold(locality)
        units = AdminUnit.objects.filter(generation=generation, level=level).select_related("province")
        province_ids = set(_province_units(self.province))
        fallback = None
        for unit in units.filter(search_name__endswith=fold(locality.split(" ", 1)[-1])):
            if fold(unit.name) != wanted and fold(f"tinh {unit.short_name}") != wanted:
                continue
            if level == Level.PROVINCE or unit.province_id in province_ids:
                return unit
            fallback = fallback or unit
        return fallback


def from_proposal(proposal: Proposal, *, source_text: str = "", source_url: str = "") -> SessionDraft:
    directory = Directory(proposal.province, proposal.held_on)
    host = directory.organization(proposal.host)
    draft = SessionDraft(
        title=proposal.title[:500],
        held_on=proposal.held_on,
        host=host,
        host_name=proposal.host,
        admin_unit=directory.unit(proposal.locality),
        locality=proposal.locality,
        place=proposal.place[:300],
        conclusion=proposal.conclusion,
        source_text=source_text,
        source_url=source_url,
    )
    for person in proposal.people:
        matched = directory.person(person.name)
        draft.participants.append(
            ParticipantDraft(
                name=person.name,
                position=person.position[:300],
                role=person.role,
                person=matched,
                organization=directory.organization_of(matched, person.position, proposal.locality),
                # Never ticked by default: the reviewer chooses the directory record or asks for a new one.
                create_person=False,
                side=person.side,
                sentence=person.sentence,
            )
        )
    draft.figures = [
        FigureDraft(label=f.label[:300], value=f.value, unit=f.unit[:50], year=f.year, sentence=f.sentence)
        for f in proposal.figures
    ]
    draft.requests = [
        RequestDraft(
            text=r.text,
            addressed_to=directory.organization(r.addressed_to),
            addressed_to_name=r.addressed_to,
            sentence=r.sentence,
        )
        for r in proposal.requests
    ]
    for d, lead_name in ((one, name) for one in proposal.directives for name in (one.leads or [one.lead])):
        # A task given to several units: one row per lead unit, saved as the parts of one group (commit.py).
        lead = directory.organization(lead_name)
        supporting = [
            org for org in (directory.organization(name) for name in d.supporting) if org and org != lead
        ]
        draft.directives.append(
            DirectiveDraft(
                text=d.text,
                lead=lead,
                lead_name=lead_name,
                create_lead=False,  # the reviewer chooses the unit, or asks for a new one
                supporting=supporting,
                recurrence=d.recurrence,
                deadline=d.deadline,
                deadline_phrase=d.deadline_phrase,
                request_index=d.request_index,
                sentence=d.sentence,
            )
        )
    return draft


def draft_from_text(
    text: str, *, source_url: str = "", host: Organization | None = None, held_on: datetime.date | None = None
) -> SessionDraft:
    """Read the text and propose a draft; `host` and `held_on` override what the text suggests."""
    proposal = propose(text, known_provinces=known_province_names())
    if held_on is not None:
        proposal.held_on = held_on
    draft = from_proposal(proposal, source_text=text, source_url=source_url)
    if host is not None:
        draft.host, draft.host_name = host, host.name
    return draft


def drafts_from_text(
    text: str, *, source_url: str = "", host: Organization | None = None, held_on: datetime.date | None = None
) -> list[SessionDraft]:
    """One draft per session the text reports (usually one; rules.propose_sessions). `host` and `held_on`
    override what the text suggests, for every session."""
    drafts = []
    for proposal in propose_sessions(text, known_provinces=known_province_names()):
        if held_on is not None:
            proposal.held_on = held_on
        draft = from_proposal(proposal, source_text=text, source_url=source_url)
        if host is not None:
            draft.host, draft.host_name = host, host.name
        drafts.append(draft)
    return drafts
