"""Places and units: the province, the locality met (a district before the 2025 reform, a commune or ward
after it), the host, the place, and the unit names directives are addressed to."""

from __future__ import annotations

import re

from stims.core.text import fold

_NAME = r"((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){1,3}(?:\d{1,2}(?!\d))?)"
# "huyện Định Hóa", "xã Ba Chẽ", "phường Hồng Gai", "thị trấn Bình Liêu", "TP. Hạ Long".
LOCALITY_RE = re.compile(
    r"(?<![\wÀ-ỹ])(huyện|Huyện|HUYỆN|xã|Xã|XÃ|phường|Phường|PHƯỜNG|thị trấn|Thị trấn|thị xã|Thị xã|thành phố|"
    r"Thành phố|TP\.?|đặc khu|Đặc khu)\s+" + _NAME
)
PROVINCE_RE = re.compile(r"(?:[Tt]ỉnh|TỈNH)\s+" + _NAME)
_NOT_A_NAME = {
    "Sở",
    "UBND",
    "Ủy",
    "Uỷ",
    "Phòng",
    "Ban",
    "Trung",
    "Chi",
    "Văn",
    "Đảng",
    "Hội",
    "HĐND",
    "Huyện",
}


def clean_place_name(name: str) -> str:
    kept = []
    for word in name.split():
        if word.isdigit() and kept and len(word) <= 2:
            kept.append(word)  # "phường Hà Giang 1"
            break
        if not word[:1].isupper() or word in _NOT_A_NAME:
            break
        kept.append(word)
    return " ".join(kept).strip()


def _looks_like_person(name: str) -> bool:
    from .lexicon import SURNAMES

    syllables = name.split()
    return (
        len(syllables) >= 3
        and syllables[0] in SURNAMES
        and syllables[1]
        in (
            "Văn",
            "Thị",
            "Đức",
            "Minh",
            "Mạnh",
            "Quốc",
            "Thanh",
            "Hữu",
            "Công",
            "Xuân",
            "Hồng",
            "Ngọc",
            "Thu",
            "Kim",
            "A",
            "Mí",
            "Seo",
        )
    )


def localities(text: str) -> list[tuple[str, str]]:
    """(kind, name) of every district, commune or ward named: ("huyện", "Định Hóa"), ("xã", "Ba Chẽ")."""
    found = []
    for match in LOCALITY_RE.finditer(text):
        kind = match.group(1).lower().rstrip(".")
        if kind in ("tp", "thành phố"):
            kind = "thành phố"
        name = clean_place_name(match.group(2))
        if name:
            found.append((kind, name))
    return found


def districts(text: str) -> list[str]:
    return [name for kind, name in localities(text) if kind == "huyện"]


def find_province(text: str, known_provinces: list[str] | None = None) -> str:
    """The province the session belongs to: the most named one ("tỉnh Thái Nguyên", or a known province
    name anywhere, e.g. "sở Khoa học và Công nghệ Quảng Trị")."""
    counts: dict[str, int] = {}
    for match in PROVINCE_RE.finditer(text):
        raw = match.group(1).title() if match.group(1).isupper() else match.group(1)
        name = clean_place_name(raw)
        if name and not _looks_like_person(name):  # "Phó Chủ tịch UBND tỉnh Nguyễn Mạnh Tiến"
            counts[name] = counts.get(name, 0) + 2
    folded_text = fold(text)
    for name in known_provinces or ():
        hits = len(re.findall(rf"\b{re.escape(fold(name))}\b", folded_text))
        if hits:
            counts[name] = counts.get(name, 0) + hits
    if not counts:
        return ""
    return max(counts.items(), key=lambda item: item[1])[0]
