"""People: names (underthesea keeps a full name as one word; its first syllable is a known surname) and the
positions written after ("đồng chí Phạm Quốc Chính, Giám đốc Sở KH&CN") or before ("Phó Chủ tịch UBND
tỉnh Lê Đức Tiến") them; the side each sits on (the department's, the locality's, the body met)."""

from __future__ import annotations

import re

from stims.core.text import fold

from . import nlp
from .lexicon import AND_STARTS_NEW, LOCALITY_MARKERS, POSITION_STOP_WORDS, SURNAMES, TITLE_HEADS
from .proposal import ProposedPerson

TITLE_RE = re.compile(
    "|".join(re.escape(head) for head in sorted(TITLE_HEADS, key=len, reverse=True)), re.IGNORECASE
)
_POSITION_STOPS = re.compile(
    r"\s(?:" + "|".join(re.escape(w) for w in sorted(POSITION_STOP_WORDS, key=len, reverse=True)) + r")\b"
    r"|\svà\s+(?=(?:" + "|".join(re.escape(w) for w in AND_STARTS_NEW) + r")\b)"
    r"|\svà\s+(?=(?:" + "|".join(re.escape(w) for w in sorted(TITLE_HEADS, key=len, reverse=True)) + r")\s)"
    r"|[;:()\u201c\u201d\"]|\.(?:\s|$)",
)
_UNIT_WORDS = {"Sở", "UBND", "Phó", "Trưởng", "Chủ", "Giám", "Bí", "Phòng", "Ban", "HĐND", "Huyện", "Tỉnh"}
_PLACE_BEFORE = re.compile(r"(?:xã|phường|huyện|tỉnh|thôn|bản|thị trấn|thành phố|TP\.?|đặc khu|Sở|sở)\s*$")
_HONORIFIC = re.compile(r"(?:đồng chí|ông|bà|đ/c|anh|chị)\s*$", re.IGNORECASE)


def is_name(word: str) -> bool:
    syllables = word.split()
    return (
        2 <= len(syllables) <= 4
        and syllables[0] in SURNAMES
        and all(s[:1].isupper() and (s[1:].islower() or not s[1:]) for s in syllables)
    )


def names_in(sentence: str) -> list[tuple[str, int, int]]:
    """Full names in a sentence with their spans: the words underthesea keeps whole that read as names,
    and a surname followed by capitalised syllables that underthesea split ("Chìu A Sáng")."""
    found, cursor = [], 0
    for word in nlp.words(sentence):
        start = sentence.find(word, cursor)
        if start < 0:
            continue
        cursor = start + len(word)
        # "xã Đồng Văn" is a place; "Phó Chủ tịch UBND tỉnh Lê Đức Tiến" a person (three syllables).
        if is_name(word) and not (_PLACE_BEFORE.search(sentence[:start]) and len(word.split()) == 2):
            found.append((word, start, cursor))
    # underthesea splits names it does not know ("Chìu A Sáng", "Sùng Mí Chá"): after an honorific, one to
    # four capitalised syllables are a name, whatever the surname, when a position or a list follows.
    for match in re.finditer(r"(?<!\w)(?:[Đđ]ồng chí|[Ôô]ng|[Bb]à)\s+((?:\S+)(?:\s+\S+){0,4})", sentence):
        syllables = match.group(1).split()
        kept: list[str] = []
        for syllable in syllables:
            bare = syllable.rstrip(",;:.–-")
            if not bare or not bare[:1].isupper() or not bare[1:].islower() and len(bare) > 1:
                break
            if TITLE_RE.match(bare) or bare in _UNIT_WORDS:
                break
            kept.append(bare)
            if bare != syllable or len(kept) == 4:
                break
        if not 2 <= len(kept) <= 4:
            continue
        name = " ".join(kept)
        start = match.start(1)
        end = start + len(name)
        rest = sentence[end:]
        known = kept[0] in SURNAMES
        if not known and not re.match(r"\s*[,–—-]\s*\S", rest):
            continue
        found = [item for item in found if not (start <= item[1] < end)]
        found.append((name, start, end))
    return sorted(found, key=lambda item: item[1])


def _position_after(rest: str) -> str:
    match = re.match(r"\s*(?:,|-|–|—|\()\s*", rest)
    if not match:
        return ""
    rest = rest[match.end() :]
    stop = _POSITION_STOPS.search(rest)
    span = rest[: stop.start()] if stop else rest
    parts = []
    for part in span.split(","):
        part = part.strip()
        if not part or not TITLE_RE.match(part):
            break
        parts.append(part)
    return ", ".join(parts)


def _position_before(before: str) -> str:
    segment = re.split(r"[,;:.()\-–—]", before)[-1]
    # "Chủ tịch UBND tỉnh và Phó Chủ tịch UBND tỉnh Lê Đức Tiến": the position nearest the name, where
    # it opens the segment or follows "và" (but "sở Khoa học và Công nghệ" is one name).
    starts = [
        m
        for m in TITLE_RE.finditer(segment)
        if re.search(r"(?:^|\svà|đồng chí|ông|bà)\s*$", segment[: m.start()], re.IGNORECASE)
    ]
    if not starts:
        return ""
    position = segment[starts[-1].start() :].strip()
    position = re.sub(r"\s+(?:đồng chí|ông|bà)$", "", position, flags=re.IGNORECASE)
    return position if len(position.split()) <= 12 else ""


def find_people(sentence: str, *, listing: bool = False) -> list[ProposedPerson]:
    """The people the sentence names with a position (or as "đồng chí"/"Ông"/"Bà", or any name at all in
    a participants' list when `listing`)."""
    people = []
    for name, start, end in names_in(sentence):
        addressed = _HONORIFIC.search(sentence[:start])
        after = _position_after(sentence[end:])
        # A two-syllable "name" with only a position before it is usually a place ("… Hợp tác xã Chè
        # Đồng Tâm"); a person is then written with an honorific or a position after the name.
        before = _position_before(sentence[:start]) if len(name.split()) > 2 or addressed else ""
        position = after or before
        # In a participants' list a bare name opens its line ("Lê Văn A – Trưởng phòng …").
        if position or addressed or (listing and start <= 3):
            people.append(ProposedPerson(name=name, position=position))
    return people


def merge_person(people: list[ProposedPerson], person: ProposedPerson) -> int:
    key = fold(person.name)
    for index, known in enumerate(people):
        if fold(known.name) == key:
            if len(person.position) > len(known.position):
                known.position = person.position
            return index
    people.append(person)
    return len(people) - 1


_LOCALITY_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w.lower()) for w in LOCALITY_MARKERS) + r")(?!\w)(?! hội)"
)


def side_of(position: str, host_folded: str) -> str:
    """ "locality" for a commune, ward, district or village official, "met" for a department met by the
    province's committee, else "host" (the department's delegation)."""
    folded = fold(position)
    if re.search(
        r"hợp tác xã|\bhtx\b|công ty|doanh nghiệp|vườn quốc gia|\bviện\b|trường đại học", position.lower()
    ):
        return "other"  # a cooperative, an enterprise, a park, an institute: a third party
    if _LOCALITY_RE.search(position.lower()):
        return "locality"
    if host_folded.startswith("ubnd") and re.search(r"\bso\b", folded):
        return "met"
    return "host"
