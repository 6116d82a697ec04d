"""The drafting engine: a pipeline of small stages over a text about a working session.

    structure   letterhead, title, place-date line, sections, items, signature, "Nơi nhận" (structure.py)
    session     date (dates.py), province, host, locality met, place (places.py, session.py)
    people      names with positions (people.py), the chair, each one's side (session.py)
    reading     per block and sentence: who speaks; the chair's directives, the locality's requests, the
                figures (figures.py); deadlines (dates.DEADLINE_RULES) — reading.py, with the patterns and
                sentence-cutting helpers of phrases.py

Pure text in, a `Proposal` out: no database (matching the names to the directory is `draft.py`). The words
the stages look for are data in `lexicon.py`: adding a phrasing is usually adding a word there, or a row to
`dates.DEADLINE_RULES`, with its test in `tests/test_engine_rules.py`.

What the reading stage understands:
  * directives: "giao (cho) X <việc>", "yêu cầu X …", "đề nghị X …" in the chair's words, "X cần …",
    "X chủ trì/có trách nhiệm …", "Sở … sẽ …" (the department's own commitment); the items of a list
    ("1.", "a)", "-", or ";"-separated) each with its own lead, or the lead its introduction names
    ("Giao Sở …:"); in a formal document only the chair's conclusion (after "… kết luận như sau:" or under
    a "Kết luận" heading, or a công văn's own "đề nghị") gives directives, not the members' comments;
  * requests: "xã … đề nghị (với) Sở …", "mong muốn", "kiến nghị" on the locality's side, and the
    request a conclusion answers ("Đối với đề nghị hỗ trợ …: giao …");
  * figures and deadlines: see `figures.py` and `dates.py`.
"""

from __future__ import annotations

from .dates import appointed_date, find_session_date
from .lexicon import TITLE_HEADS
from .people import find_people
from .phrases import normalize
from .places import find_province
from .proposal import Proposal, ProposedDirective, ProposedPerson
from .reading import ReadingStage, link_requests
from .session import SessionStage
from .sessions import split_sessions
from .structure import Block, Document, read_structure

__all__ = [
    "TITLE_HEADS",
    "Proposal",
    "ProposedDirective",
    "ProposedPerson",
    "find_people",
    "find_session_date",
    "normalize",
    "propose",
    "propose_sessions",
]


class _Reader(SessionStage, ReadingStage):
    """The pipeline: structure, session and people (SessionStage), reading (ReadingStage)."""

    def __init__(self, text: str, known_provinces: list[str] | None, locality: tuple[str, str] | None = None):
        self.forced_locality = locality
        self.text = text
        self.doc: Document = read_structure(text)
        self.known_provinces = known_provinces or []
        self.proposal = Proposal()
        self.last_locality: tuple[str, str] | None = None  # ("huyện", "Định Hóa")
        self._chair_title = ""
        self._requester: str | None = None
        self._last_speaker: str | None = None
        self._lead_after: str | None = None

    def run(self) -> Proposal:
        proposal, doc = self.proposal, self.doc
        body = doc.body()
        proposal.title = doc.title
        if doc.kind in ("CÔNG VĂN", "KẾ HOẠCH") and doc.document_date:
            proposal.held_on = doc.document_date  # no session: the document's own date
        elif doc.kind == "GIẤY MỜI":
            proposal.held_on = appointed_date(body) or find_session_date(body, doc.document_date)
        else:
            proposal.held_on = find_session_date(body, doc.document_date)
        proposal.province = find_province("\n".join([*doc.letterhead, doc.title, body]), self.known_provinces)
        self._host_and_locality()
        if self.forced_locality:  # one session of several: its own locality, not the headline's first
            kind, name = self.last_locality = self.forced_locality
            proposal.locality = f"{kind} {name}"
        self._people()
        for block in self._paragraphs():
            self._read_block(block)
        self._answered_requests()
        return proposal

    def _paragraphs(self) -> list[Block]:
        return [block for block in self.doc.blocks if not block.heading]


def propose(
    text: str, *, known_provinces: list[str] | None = None, locality: tuple[str, str] | None = None
) -> Proposal:
    """Read a report of a working session and propose what it records (nothing is saved). `locality`:
    the locality met, when the caller knows it (one session of several in a text)."""
    proposal = _Reader(text, known_provinces, locality).run()
    link_requests(proposal)
    if proposal.chair_person is not None or proposal.directives:
        proposal.conclusion = " ".join(dict.fromkeys(d.sentence for d in proposal.directives if d.sentence))
    return proposal


def propose_sessions(text: str, *, known_provinces: list[str] | None = None) -> list[Proposal]:
    """One proposal per session the text reports: usually one; an article about a morning session with one
    locality and an afternoon one with another gives two (sessions.py), each with its own locality, people,
    figures, requests and directives. A part that does not state its date or host takes the whole text's."""
    parts = split_sessions(text)
    if not parts:
        return [propose(text, known_provinces=known_provinces)]
    whole = _Reader(text, known_provinces).run()  # the date and host the lead paragraph gives
    proposals = []
    for part in parts:
        proposal = propose(part.text, known_provinces=known_provinces, locality=part.locality)
        proposal.held_on = proposal.held_on or whole.held_on
        proposal.host = proposal.host or whole.host
        proposal.province = proposal.province or whole.province
        proposals.append(proposal)
    return proposals
