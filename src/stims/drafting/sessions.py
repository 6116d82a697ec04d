"""Several sessions in one text: an article that reports a morning session with one locality and an
afternoon one with another ("Tại buổi làm việc với UBND huyện Bình Liêu vào sáng ngày 13/3/2023 …",
"Chiều cùng ngày, Sở KH&CN đã có buổi làm việc với UBND huyện Ba Chẽ …").

`split_sessions(text)` finds the paragraphs that open a session with a locality of its own — "Tại buổi
làm việc với …", "Buổi sáng/Sáng/Chiều (cùng ngày) …", "Tiếp đó", "Cùng ngày", "Sau đó", or a short heading
that names one locality — and cuts the text there when at least two such openers name different
localities. Each part keeps the headline (the title) and gets the paragraphs up to the next opener; what
comes before the first opener (the lead paragraph shared by all) is left to the whole-text reading, which
gives the date and host to a part that does not state its own. A formal document (thông báo, biên bản,
công văn …) is one session: it is never split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .places import localities
from .structure import read_structure

_OPENER = re.compile(
    r"^(?:(?:Tại|Trong)\s+buổi\s+làm\s+việc\s+với"
    r"|(?:Vào\s+)?(?:[Bb]uổi\s+)?(?:[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối)(?:\s+cùng\s+ngày|\s+ngày|\s+\d|\s*,)"
    r"|Tiếp\s+đó|Tiếp\s+theo|Cùng\s+ngày|Sau\s+đó|Ngay\s+sau\s+đó|Trước\s+đó)",
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
    return met[0] if met else None


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
