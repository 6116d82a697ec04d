"""The document-structure stage: what a text is made of before any sentence is read.

An administrative document (thông báo kết luận, biên bản, công văn) opens with a letterhead (the issuing
bodies in capitals, "Số: …", the national motto, "Quảng Ninh, ngày 12 tháng 4 năm 2026") and closes with
"Nơi nhận:" and a signature block; they are set aside here, so that the letterhead is not read as the title
and the signer is not read as a participant. The body is split into blocks (one per line), each knowing:

  * its section (the "Thành phần" list, the discussion, the chair's conclusion),
  * whether it is credited to the chair (after "… kết luận như sau:" or under a "Kết luận" heading),
  * its list marker ("1.", "a)", "-") and the nearest line above it that introduces it ("Giao Sở …:"),
    so that an item inherits its lead unit from its introduction, never from the item before it.

A news report has none of this: every line is a body block, the first line is the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stims.core.text import fold

from .dates import full_dates, is_place_date_line
from .lexicon import (
    CONCLUSION_OPENERS,
    DOCUMENT_TYPES,
    LETTERHEAD_LINES,
    RECIPIENTS_HEADING,
    SECTION_HEADINGS,
    SIGNATURE_LINES,
    SURNAMES,
)

_MARKER = re.compile(
    r"^\s*(?:(?P<num>(?:\d{1,2}\.)*\d{1,2})[.)]|(?P<roman>[IVX]{1,4})[.)]|(?P<letter>[a-zđ])[).]|(?P<upper>[A-HĐ])[.)](?=\s)|(?P<dash>[-–—•+*]))\s*"
)
_BODY_OPENERS = re.compile(
    r"^(?:Căn cứ|Thực hiện|Ngày|Sáng|Chiều|Hôm nay|Vào hồi|Vào lúc|Tại|Kính gửi|Trong|Theo)\b"
)


@dataclass
class Block:
    text: str
    section: str = ""  # "", "participants", "discussion", "conclusion"
    credited: bool = False  # the chair's words (his conclusion)
    marker: str = ""  # "num", "roman", "letter", "dash" or ""
    intro: str = ""  # the nearest line above that introduces this item (ends with ":")
    heading: bool = False


@dataclass
class Document:
    title: str = ""
    kind: str = ""  # "THÔNG BÁO", "BIÊN BẢN" … or "" for a news report
    letterhead: list[str] = field(default_factory=list)
    place_date: str = ""
    signature: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    signers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def formal(self) -> bool:
        return bool(self.kind) or any(b.credited for b in self.blocks)

    @property
    def document_date(self):
        dates = full_dates(self.place_date)
        return dates[0] if dates else None

    def body(self) -> str:
        return "\n".join(block.text for block in self.blocks)


def _letters(line: str) -> str:
    return "".join(ch for ch in line if ch.isalpha())


def _is_upper(line: str) -> bool:
    letters = _letters(line)
    return len(letters) >= 2 and letters == letters.upper()


def _is_letterhead(line: str) -> bool:
    folded = fold(line)
    return (
        _is_upper(line)
        or is_place_date_line(line)
        or any(line.lower().startswith(p) or folded.startswith(p) for p in LETTERHEAD_LINES)
        or bool(re.fullmatch(r"[-_=*.\s]+", line))
    )


def _is_bare_name(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 4
        and words[0].strip("(").title() in SURNAMES
        and all(w[:1].isupper() for w in words)
        and not line.endswith(".")
    )


def _is_signature(line: str) -> bool:
    folded = fold(line)
    short = len(line.split()) <= 10
    return short and (
        _is_upper(line)
        or _is_bare_name(line)
        or any(line.lower().startswith(p) or folded.startswith(fold(p)) for p in SIGNATURE_LINES)
        or bool(re.fullmatch(r"[-_=*.\s/]+", line))
    )


def _doc_kind(line: str) -> str:
    stripped = line.strip().rstrip(":").strip()
    for kind in DOCUMENT_TYPES:
        if stripped == kind or stripped.startswith(kind + " "):
            return kind
    return ""


def _section_of(line: str) -> str | None:
    text = _MARKER.sub("", line, count=1).strip().rstrip(":").strip()
    if len(text.split()) > 9 or text.endswith("."):
        return None
    folded = fold(text)
    # "Ý kiến kết luận" is a conclusion although it opens like a discussion: the longest heading wins.
    best, length = None, 0
    for section, headings in SECTION_HEADINGS.items():
        for heading in headings:
            wanted = fold(heading)
            if (folded == wanted or folded.startswith(wanted + " ")) and len(wanted) > length:
                best, length = section, len(wanted)
    return best


def is_conclusion_opener(line: str) -> bool:
    lowered = line.lower().rstrip()
    return any(opener in lowered for opener in CONCLUSION_OPENERS if opener != "kết luận:") or bool(
        re.search(r"kết luận\s*:\s*$", lowered)
    )


def read_structure(text: str) -> Document:
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line and not re.fullmatch(r"[\s\u00a0]+", line)]
    doc = Document()
    # The end: "Nơi nhận:" and what follows; a signature block of short lines in capitals or names.
    for index, line in enumerate(lines):
        if fold(line).rstrip(" :") in {fold(h) for h in RECIPIENTS_HEADING} or re.match(
            r"^Nơi nhận\s*:", line, re.IGNORECASE
        ):
            tail = lines[index:]
            lines = lines[:index]
            doc.recipients = [t for t in tail[1:] if re.match(r"^[-–•+]", t)]
            doc.signature = [t for t in tail[1:] if not re.match(r"^[-–•+]", t)]
            break
    formal_top = bool(lines) and (_is_letterhead(lines[0]) and (_doc_kind(lines[0]) or _is_upper(lines[0])))
    if any(_doc_kind(line) for line in lines[:12]) or formal_top:
        while lines and _is_signature(lines[-1]) and not lines[-1].endswith((".", ";", "./.")):
            doc.signature.insert(0, lines.pop())
    # The top: a letterhead, then the kind of document and its subject.
    start = 0
    if formal_top or any(_doc_kind(line) for line in lines[:12]):
        while start < len(lines) and start < 14:
            line = lines[start]
            kind = _doc_kind(line)
            if kind:
                doc.kind = kind
                rest = line.strip()[len(kind) :].strip()
                # "BIÊN BẢN LÀM VIỆC": the rest in capitals is part of the kind; the subject is below.
                subject = [rest] if rest and not _is_upper(rest) else []
                start += 1
                while (
                    start < len(lines)
                    and len(subject) < 3
                    and not lines[start].endswith((".", ";"))
                    and len(lines[start].split()) <= 40
                    and not _BODY_OPENERS.match(lines[start])
                    and not _MARKER.match(lines[start])
                    and not _is_letterhead(lines[start])
                ):
                    subject.append(lines[start])
                    start += 1
                while start < len(lines) and is_place_date_line(lines[start]):
                    doc.place_date = doc.place_date or lines[start]
                    start += 1
                subject_text = " ".join(s for s in subject if s).strip()
                doc.title = subject_text or kind.capitalize()
                break
            if not _is_letterhead(line):
                break
            if is_place_date_line(line):
                doc.place_date = line
            if re.match(r"^V/v\b", line, re.IGNORECASE) and not doc.title:
                doc.title = line  # a công văn's subject ("V/v …") is its title
            doc.letterhead.append(line)
            start += 1
        if not doc.kind and doc.title.lower().startswith("v/v"):
            doc.kind = "CÔNG VĂN"
    body = lines[start:]
    if not doc.title and body:
        doc.title = body[0]
    doc.blocks = _blocks(body, issuer_speaks=doc.kind == "CÔNG VĂN")
    doc.signers = _signers(doc.signature)
    return doc


def _signers(lines: list[str]) -> list[tuple[str, str]]:
    """(name, position) of who signs: the name line under its block ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")."""
    found = []
    titles: list[str] = []
    for line in lines:
        if _is_bare_name(line) and not _is_upper(line):
            position = next(
                (
                    t
                    for t in reversed(titles)
                    if not re.match(r"^(?:KT|TM|TL|TUQ|Q)\.", t) and "ĐẠI DIỆN" not in t
                ),
                "",
            )
            position = re.sub(r"\s+(?:ĐOÀN KIỂM TRA|ĐOÀN)$", "", position)
            found.append((line.strip(), position[:1] + position[1:].lower() if position else ""))
            titles = []
        elif _is_upper(line):
            titles.append(line.strip())
    return found


def _blocks(lines: list[str], issuer_speaks: bool = False) -> list[Block]:
    """The body's blocks. `issuer_speaks`: a công văn, whose every line is the issuing unit's."""
    blocks: list[Block] = []
    section = ""
    credited = issuer_speaks
    # The open introductions: (marker kind, text) of items or lines ending with ":".
    kinds_seen: list[str] = []  # marker kinds in order of first appearance = nesting depth
    intros: dict[int, str] = {}  # depth -> introducing line
    plain_intro = ""  # a non-item line ending with ":" that introduces the items below it
    for line in lines:
        marker_match = _MARKER.match(line)
        kind = ""
        if marker_match:
            kind = next(k for k, v in marker_match.groupdict().items() if v)
            # "1.5 tỷ" or "2025." are not markers: a marker is followed by text.
            if kind in ("num", "roman") and not re.match(r"\S", line[marker_match.end() :] or ""):
                kind = ""
        text = line[marker_match.end() :].strip() if kind else line
        found_section = _section_of(line)
        heading = found_section is not None
        if heading:
            section = found_section or section
            credited = section == "conclusion" or (issuer_speaks and section != "participants")
            intros.clear()
            plain_intro = ""
        block = Block(text=text, section=section, credited=credited, marker=kind, heading=heading)
        if kind:
            if kind not in kinds_seen:
                kinds_seen.append(kind)
            depth = kinds_seen.index(kind)
            for deeper in [d for d in intros if d >= depth]:
                del intros[deeper]
            parents = [intros[d] for d in sorted(intros) if d < depth]
            block.intro = parents[-1] if parents else plain_intro
            if text.rstrip().endswith(":"):
                intros[depth] = text
        else:
            kinds_seen.clear()
            intros.clear()
            block.intro = ""
            plain_intro = text if text.rstrip().endswith(":") else ""
        if is_conclusion_opener(line) and not heading:
            credited = True
            section = "conclusion"
            # The opener's own words before the colon are the chair's introduction, not an intro of items.
            if kind == "":
                plain_intro = ""
        blocks.append(block)
    return blocks
