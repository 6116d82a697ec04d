"""Dates: the session's day (in figures or in words) and a directive's deadline and recurrence.

Deadlines are read by a table of small rules (`DEADLINE_RULES`), tried in order on the folded item;
each turns a phrase into (recurrence, deadline). To teach a new phrasing, add a row and a test.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable

from stims.core.text import fold

from .lexicon import ONE_OFF_VERBS

_FULL_DATE = re.compile(r"(?<![\d/])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/])")
_WORDS_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_SESSION_DATE = re.compile(
    r"(?:(?:[Nn]gày|[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Hh]ôm nay)\s*,?\s+(?:ngày\s+)?)"
    r"(\d{1,2})(?:[/-](\d{1,2})(?:[/-](\d{4}))?|\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?)(?![\d/])"
)
# "Quảng Ninh, ngày 12 tháng 4 năm 2026": the document's own date (a letterhead line), not the session's.
PLACE_DATE_LINE = re.compile(
    r"^[^\d,]{2,40},\s*ngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|[/-]\d{1,2}[/-]\d{4})\s*$"
)


# A date that is not the session's: a document's ("số 312/QĐ-KHCN ngày …") or a deadline ("trước ngày …").
_REFERENCE_OR_DEADLINE = re.compile(
    r"(?:\S+/\S+[ \t]+|(?:trước|đến|từ|hạn|chậm nhất|hết|sau|cho đến)[ \t]+)ngày[ \t]*\S{0,3}$",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    r"^\s*(?:Cập nhật|Ngày đăng|Đăng ngày|Đăng lúc|Thứ\s|Chủ nhật)|\b\d{1,2}:\d{2}\b", re.IGNORECASE
)
_APPOINTED = re.compile(
    r"Thời gian\s*:[^\n]*?(\d{1,2})(?:[/-](\d{1,2})[/-]|\s+tháng\s+(\d{1,2})\s+năm\s+)(\d{4})", re.IGNORECASE
)


def appointed_date(text: str) -> datetime.date | None:
    """The day a giấy mời announces ("3. Thời gian: 08 giờ 00 phút, thứ Ba, ngày 09/6/2026")."""
    match = _APPOINTED.search(text)
    if not match:
        return None
    day, month, word_month, year = match.groups()
    return make_date(day, month or word_month, year)


def make_date(day, month, year) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def full_dates(text: str) -> list[datetime.date]:
    """Every full date in the text, in figures ("9/4/2026") or words ("09 tháng 4 năm 2026"), in order."""
    found = [(m.start(), make_date(*m.groups())) for m in _FULL_DATE.finditer(text)]
    found += [(m.start(), make_date(*m.groups())) for m in _WORDS_DATE.finditer(text)]
    return [d for _, d in sorted(found, key=lambda pair: pair[0]) if d]


def find_session_date(text: str, document_date: datetime.date | None = None) -> datetime.date | None:
    """The day the session was held: "Ngày 27/4/2023", "Sáng ngày 29/11/2023", "Chiều 24-7" (the year
    then from the article's own date), "Ngày 09 tháng 4 năm 2026"; else the first full date in the text;
    else the document's date."""
    dates = full_dates(text)
    fallback_year = dates[0].year if dates else (document_date.year if document_date else None)
    for match in _SESSION_DATE.finditer(text):
        if _REFERENCE_OR_DEADLINE.search(text[max(0, match.start() - 40) : match.start() + 5]):
            continue  # "Quyết định số 312/QĐ-KHCN ngày 02/10/2023", "trước ngày 15/11/2025"
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if _PUBLISHED.search(line):
            continue  # "Cập nhật 09:12 ngày 22/08/2025": when the article was published
        day, month, year, word_month, word_year = match.groups()
        month = month or word_month
        year = year or word_year or fallback_year
        if year is None:
            continue
        found = make_date(day, month, year)
        if found:
            return found
    if dates:
        return dates[0]
    return document_date


# --- Deadlines ---------------------------------------------------------------------------------------

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _year(match_year: str | None, session_year: int | None) -> int | None:
    return int(match_year) if match_year else session_year


Rule = Callable[[re.Match, int | None], tuple[str, datetime.date | None] | None]


# Days and months in words, folded ("mười lăm" → "muoi lam"): "trước ngày mười lăm tháng Bảy năm 2026".
_UNITS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "lam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
}
_MONTH_WORDS = {
    "gieng": 1,
    "chap": 12,
    "muoi mot": 11,
    "muoi hai": 12,
    "muoi": 10,
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
}


def _spelled(number: str) -> int | None:
    """ "15", "muoi lam", "hai muoi", "ba muoi mot" → the number; None when it is not one."""
    if number.isdigit():
        return int(number)
    if number in _MONTH_WORDS and " " not in number and number not in ("gieng", "chap"):
        return _MONTH_WORDS[number]
    words = number.split()
    if words[0] == "muoi":  # mười, mười một … mười chín
        return 10 + (_UNITS.get(words[1], -99) if len(words) > 1 else 0)
    if len(words) >= 2 and words[1] == "muoi":  # hai mươi, hai mươi lăm, ba mươi mốt
        tens = _UNITS.get(words[0])
        last = _UNITS.get(words[2]) if len(words) > 2 else 0
        return tens * 10 + last if tens and last is not None else None
    return None


def _month_number(month: str) -> int | None:
    return int(month) if month.isdigit() else _MONTH_WORDS.get(month)


def _before_date(m, year):
    day = _spelled(m.group("d") or m.group("d2"))
    month = _month_number(m.group("m") or m.group("m2"))
    if day is None or month is None:
        return None
    return "once", make_date(day, month, _year(m.group("y"), year))


def _quarter(m, year):
    y = _year(m.group("y"), year)
    return ("once", _month_end(y, ROMAN[m.group("q")] * 3)) if y else ("once", None)


def _month(m, year):
    y = _year(m.group("y"), year)
    month = _month_number(m.group("m")) or 0
    return ("once", _month_end(y, month)) if y and 1 <= month <= 12 else ("once", None)


def _year_end(m, year):
    y = _year(m.groupdict().get("y"), year)
    return "once", (datetime.date(y, 12, 31) if y else None)


def _annually(m, year):
    # "hằng năm" alone has no date (the reviewer sets the day each year); "năm 2023 và hằng năm" starts in 2023.
    y = m.groupdict().get("y")
    return "annually", (datetime.date(int(y), 12, 31) if y else None)


def _half(m, year):
    y = _year(m.group("y"), year)
    return "once", (datetime.date(y, 6, 30) if y else None)


def _regularly(m, year):
    return "regularly", None


# A month in words: "tháng Bảy", "tháng Mười Hai", "tháng Giêng"; "năm" and "sáu" only before a year
# ("tháng sau" is next month).
_MONTH_WORD = (
    r"(?:gieng|chap|muoi mot|muoi hai|muoi|mot|hai|ba|bon|tu|bay|tam|chin|(?:nam|sau)(?= nam 20\d\d))"
)
_DAY_WORD = r"(?:(?:hai|ba) muoi(?: (?:mot|hai|ba|bon|tu|lam|sau|bay|tam|chin))?|muoi(?: (?:mot|hai|ba|bon|lam|sau|bay|tam|chin))?|mot|hai|ba|bon|nam|sau|bay|tam|chin)"
_DAY_MONTH_YEAR = (
    rf"(?:(?P<d>\d{{1,2}})(?: thang |/| )(?P<m>\d{{1,2}}|(?<=thang ){_MONTH_WORD})"
    rf"|(?P<d2>{_DAY_WORD}) thang (?P<m2>\d{{1,2}}|{_MONTH_WORD}))(?:(?: nam |/| )(?P<y>20\d\d))?"
)
# (pattern on the folded item, rule): the first that matches wins.
DEADLINE_RULES: tuple[tuple[re.Pattern, Rule], ...] = (
    (
        re.compile(
            rf"\b(?:truoc|cham nhat|han chot|xong truoc|hoan thanh truoc) (?:ngay )?{_DAY_MONTH_YEAR}\b"
        ),
        _before_date,
    ),
    (re.compile(rf"\b(?:den(?: het)?|trong|vao) ngay {_DAY_MONTH_YEAR}\b"), _before_date),
    (re.compile(r"\bnam (?P<y>20\d\d) va (?:cac nam tiep theo|hang nam|hang nam)\b"), _annually),
    (re.compile(r"\b(?:hang|hang) nam\b|\bdinh ky (?:hang )?nam\b|\bmoi nam\b"), _annually),
    (re.compile(r"\bquy (?P<q>iv|iii|ii|i|[1-4])\b(?: (?:nam )?(?P<y>20\d\d))?"), _quarter),
    (re.compile(r"\b(?:6|sau) thang dau nam(?: (?P<y>20\d\d))?\b"), _half),
    (
        re.compile(
            rf"\b(?:trong|truoc|cuoi|het|den) thang (?P<m>\d{{1,2}}|{_MONTH_WORD})(?: (?:nam )?(?P<y>20\d\d))?\b"
        ),
        _month,
    ),
    (re.compile(r"\b(?:trong|truoc|cuoi|het|den|ngay trong) nam (?P<y>20\d\d)\b"), _year_end),
    (re.compile(r"\b(?:trong nam nay|cuoi nam nay|cuoi nam)\b"), _year_end),
    (re.compile(r"\bphan dau (?:den )?(?:het )?nam (?P<y>20\d\d)\b"), _year_end),
    (re.compile(r"\bthuong xuyen\b|\bdinh ky\b|\bhang thang\b|\bhang quy\b|\blien tuc\b"), _regularly),
)


_ANNUAL = re.compile(r"\b(?:hang|hang) nam\b|\bmoi nam\b")
_REGULAR = re.compile(r"\bthuong xuyen\b|\bdinh ky\b|\bhang thang\b|\bhang quy\b")


def as_written(text: str, folded_phrase: str) -> str:
    """The words of `text` that fold to `folded_phrase`, as the text wrote them (diacritics, slashes):
    "trước ngày 30/6/2026", never "truoc ngay 30 6 2026". The folded phrase when none is found."""
    starts = [i for i in range(len(text)) if text[i].isalnum() and (i == 0 or not text[i - 1].isalnum())]
    for start in starts:
        for end in range(start + 1, len(text) + 1):
            if end < len(text) and text[end].isalnum():
                continue
            folded = fold(text[start:end])
            if folded == folded_phrase:
                return text[start:end]
            if len(folded) > len(folded_phrase):
                break
    return folded_phrase


def read_deadline(item: str, session: datetime.date | int | None) -> tuple[str, datetime.date | None, str]:
    """(recurrence, deadline, the phrase it came from) for one directive's text. A day and month without a
    year fall in the session's year, or the next when that day is already past ("hằng năm …, gửi Sở trước
    ngày 30 tháng 4" read in August)."""
    day = session if isinstance(session, datetime.date) else None
    session_year = session.year if isinstance(session, datetime.date) else session
    folded = fold(item)
    for pattern, rule in DEADLINE_RULES:
        match = pattern.search(folded)
        if not match:
            continue
        result = rule(match, session_year)
        if result is None:
            continue
        recurrence, deadline = result
        if rule is _before_date and deadline is not None:
            if day and not match.group("y") and deadline < day:
                deadline = make_date(deadline.day, deadline.month, deadline.year + 1)
            if _ANNUAL.search(folded):
                recurrence = "annually"
            elif _REGULAR.search(folded):
                recurrence = "regularly"
        return recurrence, deadline, as_written(item, match.group(0))
    lowered = item.lower()
    if any(lowered.startswith(verb) for verb in ONE_OFF_VERBS):
        return "once", None, ""
    return "regularly", None, ""


def is_place_date_line(line: str) -> bool:
    return bool(PLACE_DATE_LINE.match(line.strip()))
