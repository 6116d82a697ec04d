"""What the engine proposes: plain dataclasses, no database (matching to the directory is `draft.py`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class ProposedPerson:
    name: str
    position: str = ""
    role: str = "guest"  # a meetings.ParticipantRole value
    side: str = "host"  # "host" (the chair's side), "locality", "met" (the body the chair met)
    sentence: str = ""


@dataclass
class ProposedFigure:
    label: str
    value: Decimal
    unit: str = ""
    year: int | None = None
    sentence: str = ""
    text: str = ""  # the span of the sentence the figure was read from


@dataclass
class ProposedRequest:
    text: str
    addressed_to: str = ""
    sentence: str = ""


@dataclass
class ProposedDirective:
    text: str
    lead: str = ""  # the first lead unit (kept for the single-lead readers)
    leads: list[str] = field(default_factory=list)  # every lead unit, in the text's order
    supporting: list[str] = field(default_factory=list)
    recurrence: str = "regularly"  # a meetings.Recurrence value
    deadline: datetime.date | None = None
    deadline_phrase: str = ""
    request_index: int | None = None
    sentence: str = ""


@dataclass
class Proposal:
    title: str = ""
    held_on: datetime.date | None = None
    place: str = ""
    host: str = ""
    locality: str = ""  # "huyện Định Hóa", "xã Ba Chẽ", "tỉnh Quảng Trị"
    province: str = ""  # "Thái Nguyên"
    chair: int | None = None  # index into people
    people: list[ProposedPerson] = field(default_factory=list)
    figures: list[ProposedFigure] = field(default_factory=list)
    requests: list[ProposedRequest] = field(default_factory=list)
    directives: list[ProposedDirective] = field(default_factory=list)
    conclusion: str = ""

    @property
    def chair_person(self) -> ProposedPerson | None:
        return self.people[self.chair] if self.chair is not None else None

    def as_json(self) -> dict:
        """The proposal as the `stims draft --json` schema (one object of the list it prints; docs/drafting.md)."""
        return {
            "date": self.held_on.isoformat() if self.held_on else None,
            "title": self.title,
            "place": self.place,
            "host": self.host,
            "locality": self.locality,
            "chair": self.chair_person.name if self.chair_person else None,
            "people": [
                {"name": p.name, "position": p.position, "side": SIDES.get(p.side, p.side), "role": p.role}
                for p in self.people
            ],
            "figures": [
                {"text": f.text, "label": f.label, "value": _number(f.value), "unit": f.unit, "year": f.year}
                for f in self.figures
            ],
            "requests": [{"text": r.text, "addressee": r.addressed_to} for r in self.requests],
            "directives": [
                {
                    "lead": d.lead,
                    "leads": list(d.leads) or [d.lead],
                    "supporting": list(d.supporting),
                    "content": d.text,
                    "deadline": d.deadline.isoformat() if d.deadline else None,
                    # Only what the text says: "annually"/"regularly", or null for a one-off task.
                    "recurrence": d.recurrence if d.recurrence != "once" and d.deadline_phrase else None,
                }
                for d in self.directives
            ],
        }


# The sides as the JSON names them: the hosting department's delegation, the locality met, a third party.
SIDES = {"host": "department", "locality": "locality", "met": "other", "other": "other"}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
