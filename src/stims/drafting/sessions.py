"""Several sessions in one text: an article that reports a morning session with one locality and an
afternoon one with another ("Tại buổi làm việc với UBND huyện Bình Liêu vào sáng ngày 13/3/2023 …",
"Chiều cùng ngày, Sở KH&CN đã có buổi làm việc với UBND huyện Ba Chẽ …").

`split_sessions(text)` finds the paragraphs that open a session with one locality of its own — "Ngày
13/3, … làm việc với UBND xã …", "Tại buổi làm việc với …", "Buổi sáng/Sáng/Chiều (cùng ngày) …", "Tiếp
đó", "Cùng ngày", "Sau đó", "Trước đó", or a short heading that names one locality ("Tại xã Bắc Sơn") —
and cuts the text there when such openers name at least two different localities. A paragraph that names
several localities (the lead "… làm việc với UBND huyện Bình Liêu và UBND huyện Ba Chẽ") opens none. Each
part keeps the headline (the title) and gets its paragraphs up to the next opener (an opener that returns
to a locality adds to that locality's part); a part that does not state its date or host takes the whole
text's (rules.propose_sessions). A formal document (thông báo, biên bản, công văn …) is one session: it is
never split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .places import localities
from .structure import read_structure

_OPENER = re.compile(
    r"^(?:(?:Tại|Trong)\s+buổi\s+làm\s+việc\s+với"
    r"|(?:Vào\s+)?(?:[Bb]uổi\s+)?(?:[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối)(?:\s+cùng\s+ngày|\s+ngày|\s+\d|\s*,)"
    r"|Tiếp\s+đó|Tiếp\s+theo|Cùng\s+ngày|Sau\s+đó|Ngay\s+sau\s+đó|Trước\s+đó|(?:Vào\s+)?[Nn]gày\s+\d)",
)
_MEETS = re.compile(
    r"làm\s+việc|buổi\s+làm\s+việc|kiểm\s+tra|khảo\s+sát|thăm|đến\s+làm\s+việc", re.IGNORECASE
)
_KINDS = ("huyện", "xã", "phường", "đặc khu", "thị trấn", "thị xã", "thành phố")


@dataclass
class Part:
    locality: tuple[str, str]  # ("huyện", "Ba Chẽ")
    text: str  # the headline and the part's own paragraphs


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def _opened_locality(paragraph: str) -> tuple[str, str] | None:
    """The locality a paragraph opens a session with, if it does."""
    first = re.split(r"(?<=[.!?])\s", paragraph, maxsplit=1)[0]
    heading = len(first.split()) <= 12 and not first.rstrip().endswith((".", ":", ";", ","))
    if not (_OPENER.match(first) and _MEETS.search(first)) and not heading:
        return None
    met = [place for place in localities(first) if place[0] in _KINDS]
    if heading and not _OPENER.match(first):
        # A heading of its own ("Tại huyện Ba Chẽ", "UBND xã Đồng Tâm"): it names one locality and nothing else.
        if len(met) != 1 or not re.match(
            r"^(?:Tại\s+|Làm việc với\s+)?(?:UBND\s+)?(?:huyện|xã|phường|đặc khu|thị trấn)\s",
            first,
            re.IGNORECASE,
        ):
            return None
    # "… làm việc với UBND huyện Bình Liêu và UBND huyện Ba Chẽ": a summary of several sessions opens none.
    return met[0] if len(set(met)) == 1 else None


def split_sessions(text: str) -> list[Part]:
    """The sessions a news text reports, one part each; [] when it reports one (or is a formal document)."""
    if read_structure(text).kind:
        return []
    paragraphs = _paragraphs(text)
    if len(paragraphs) < 3:
        return []
    headline = paragraphs[0]
    openers = [(i, place) for i, p in enumerate(paragraphs[1:], start=1) if (place := _opened_locality(p))]
    if len({place for _, place in openers}) < 2:
        return []
    # Paragraphs that open the same locality again belong to that locality's session.
    bodies: dict[tuple[str, str], list[str]] = {}
    for number, (index, place) in enumerate(openers):
        end = openers[number + 1][0] if number + 1 < len(openers) else len(paragraphs)
        bodies.setdefault(place, []).extend(paragraphs[index:end])
    return [Part(locality=place, text="\n\n".join([headline, *body])) for place, body in bodies.items()]
