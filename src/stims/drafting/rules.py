"""Rules of our own for the administrative phrasing of a working session's report.

Pure text in, a `Proposal` out: no database. Matching the names to the directory is `matching.py`.

What the rules read:
  * people: "đồng chí Phạm Quốc Chính, Bí thư Đảng ủy, Giám đốc Sở KH&CN" (name, then position) and
    "Phó Chủ tịch UBND tỉnh Lê Đức Tiến" (position, then name); a name is a word underthesea keeps
    whole whose first syllable is a Vietnamese surname;
  * the chair: who "chủ trì", leads the delegation ("trưởng đoàn") or concludes ("kết luận");
  * who is speaking in each sentence (the chair's side or the locality's), because "đề nghị" by the
    locality is a request and "đề nghị" by the chair is a directive;
  * directives: "giao (cho) X <việc>", "yêu cầu X …", "đề nghị X …" on the chair's side, "X cần …"
    in the chair's words, "Sở … sẽ …" (the department's own commitment), and the list that follows
    (items after ";" and sentences that start with a verb such as "Tham mưu", "Khẩn trương");
  * requests: "huyện … đề nghị (với) Sở …", "mong muốn", "kiến nghị" on the locality's side;
  * figures: "13 sản phẩm OCOP", "550 triệu cho phát triển KH&CN", "81% là dân tộc thiểu số";
  * deadlines: "thường xuyên" (regularly), "năm 2023 và hàng năm" (annually), "trong năm 2023",
    "trước ngày 30/6/2023"; "khẩn trương" marks a one-off directive whose date the reviewer sets.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from stims.core.text import fold

from . import nlp

# --- Vocabulary ------------------------------------------------------------------------------------

SURNAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đào Trịnh Mai Tạ Tô Lương"
    " Hà Lâm Quách Cao Chu Triệu Thái Lã Lò Vương Kiều Mạc Nông Hứa Đàm Lục Khổng Doãn Thân Tăng Tống Âu"
    " Giáp Ninh Quan Văn Lại Châu Diệp Từ Phùng Nghiêm Thạch La Hầu Đoàn Lưu Trương Hoàng Vi Ma Sầm".split()
)

# Where a position starts. Longer forms first, so "Phó Chủ tịch" wins over "Chủ tịch".
TITLE_HEADS = (
    "Phó Tổng Giám đốc",
    "Tổng Giám đốc",
    "Phó Bí thư",
    "Bí thư",
    "Phó Chủ tịch",
    "Chủ tịch",
    "Phó Giám đốc",
    "Giám đốc",
    "Tỉnh ủy viên",
    "Tỉnh uỷ viên",
    "Huyện ủy viên",
    "Huyện uỷ viên",
    "TUV",
    "Ủy viên",
    "Uỷ viên",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Phó Trưởng ban",
    "Trưởng ban",
    "Phó Chánh Văn phòng",
    "Chánh Văn phòng",
    "Phó Chánh Thanh tra",
    "Chánh Thanh tra",
    "Phó Chi cục trưởng",
    "Chi cục trưởng",
    "Phó Viện trưởng",
    "Viện trưởng",
    "Phó Hiệu trưởng",
    "Hiệu trưởng",
    "Bộ trưởng",
    "Thứ trưởng",
    "Trưởng đoàn",
    "Phó Trưởng đoàn",
)
_TITLE_RE = re.compile("|".join(re.escape(head) for head in TITLE_HEADS), re.IGNORECASE)

# Words that end a position written after a name ("…, Giám đốc Sở KH&CN làm trưởng đoàn").
_POSITION_STOPS = re.compile(
    r"\s(?:làm|và|phát biểu|cho biết|đã|đánh giá|đề nghị|chủ trì|tới dự|báo cáo|nhấn mạnh|có|cùng|dự|cũng"
    r"|yêu cầu|biểu dương|ghi nhận|thống nhất|đồng tình|giao|kết luận|chỉ đạo|khẳng định|trao|tham dự|tặng)\b"
    r"|[;:()\u201c\u201d\"]|\.(?:\s|$)",
)

# Verbs an assignment starts with. Matched in lower case only, so that "Trung tâm Hỗ trợ khởi
# nghiệp" (a name) is not read as the verb "hỗ trợ".
ACTION_VERBS = (
    "cần",
    "tiếp tục",
    "tăng cường",
    "hỗ trợ",
    "phối hợp",
    "rà soát",
    "thực hiện",
    "tham mưu",
    "tập trung",
    "tiếp thu",
    "thường xuyên",
    "tổ chức",
    "triển khai",
    "nghiên cứu",
    "quan tâm",
    "xây dựng",
    "kiện toàn",
    "khẩn trương",
    "đẩy mạnh",
    "chủ động",
    "bố trí",
    "làm tốt",
    "nhất trí",
    "phát huy",
    "đầu tư",
    "chủ trì",
    "hoàn thiện",
    "đề xuất",
    "báo cáo",
    "kiểm tra",
    "khuyến khích",
    "ban hành",
    "sớm",
    "nâng cao",
    "duy trì",
    "ứng dụng",
    "chỉ đạo",
    "hướng dẫn",
    "kết nối",
    "theo dõi",
    "đôn đốc",
    "phấn đấu",
    "hình thành",
    "nuôi",
    "chịu trách nhiệm",
    "bảo đảm",
    "đảm bảo",
    "cung cấp",
    "xác định",
    "kiểm soát",
    "vận động",
    "thúc đẩy",
    "ưu tiên",
    "giúp",
    "có",
    "cho phép",
    "cho chủ trương",
    "bố trí",
    "chuẩn bị",
    "trình",
    "ký",
)
_VERB_RE = re.compile(
    r"(?<![\w])(?:"
    + "|".join(re.escape(v) for v in sorted(set(ACTION_VERBS), key=len, reverse=True))
    + r")(?![\w])"
)
_LEADING_VERB_RE = re.compile(
    r"^(?:" + "|".join(re.escape(v) for v in sorted(set(ACTION_VERBS), key=len, reverse=True)) + r")(?![\w])",
    re.IGNORECASE,
)
# One-off work (a paper to draft, a proposal to make) as opposed to ongoing work.
ONE_OFF_VERBS = (
    "tham mưu",
    "đề xuất",
    "ban hành",
    "trình",
    "báo cáo",
    "kiện toàn",
    "xây dựng thí điểm",
    "khẩn trương",
)

# What may open the name of the unit a directive is addressed to.
_ADDRESSEE_START = re.compile(
    r"^(?:các|Các|Sở|sở|Phòng|phòng|UBND|Ủy ban|Uỷ ban|huyện|Huyện|lãnh đạo|Lãnh đạo|Ban|Trung tâm|Chi cục|"
    r"ngành|Ngành|tỉnh|Tỉnh|Thanh tra|Văn phòng|địa phương|Địa phương|thành phố|Thành phố|Viện|Trường|"
    r"Công ty|HTX)"
)
_DIRECTIVE_TRIGGER = re.compile(
    r"(?<![\w])(?:giao cho|(?<!bàn )(?<!chuyển )(?<!được )giao(?= (?:các|Sở|sở|Phòng|UBND|Ban|Trung tâm|Văn phòng|"
    r"Thanh tra|Chi cục|ngành))|yêu cầu|đề nghị|chỉ đạo)(?![\w])",
    re.IGNORECASE,
)
_REQUEST_TRIGGER = re.compile(r"(?<![\w])(?:đề nghị|kiến nghị|mong muốn|đề xuất)(?![\w])", re.IGNORECASE)
_CONNECTORS = re.compile(
    r"^(?:(?:Đồng thời|Đông thời|Bên cạnh đó|Ngoài ra|Mặt khác|Theo đó|Do đó|Vì vậy|Trong đó|Cụ thể)\s*,?\s*"
    r"|(?:Đối với|Về)\s[^,]{0,120},\s*)+",
    re.IGNORECASE,
)
_ADVERBIALS = re.compile(r"\s*(?:trong thời gian tới|thời gian tới|trong năm tới|cũng)\s*", re.IGNORECASE)
_TRAILING = re.compile(r"[\s.…/;,:]+$")

_FULL_DATE = re.compile(r"(?<![\d/])(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?![\d/])")
_SESSION_DATE = re.compile(
    r"(?:(?:[Nn]gày|[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa)\s+(?:ngày\s+)?)(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}))?(?![\d/])"
)

# Figures: a count of things, money, a share.
_COUNT_NOUNS = (
    "sản phẩm",
    "nhiệm vụ",
    "doanh nghiệp",
    "cơ sở",
    "đề tài",
    "dự án",
    "văn bản",
    "kết quả",
    "mô hình",
    "HTX",
    "hợp tác xã",
    "sáng kiến",
    "nhãn hiệu",
    "hộ",
    "xã",
    "lớp",
    "chuyên gia",
    "tổ chức",
    "cá nhân",
    "giống",
)
_COUNT_RE = re.compile(
    r"(?<![\w/.,-])(\d{1,3}(?:\.\d{3})+|\d+)\s+("
    + "|".join(re.escape(n) for n in _COUNT_NOUNS)
    + r")(?![\w])([^,;.:()]*)"
)
_MONEY_RE = re.compile(r"(?<![\w/.,-])(\d+(?:[.,]\d+)?)\s*(triệu|tỷ)(?:\s+đồng)?(?![\w])([^,;.:()]*)")
_PERCENT_RE = re.compile(r"(?<![\w/.,-])(\d+(?:[.,]\d+)?)\s*%\s*([^,;.:()]*)")
_YEAR_RE = re.compile(r"(?:[Nn]ăm|giai đoạn)\s+(20\d\d)(?![\d-])")

_ABBREVIATIONS = (
    (re.compile(r"\bkh\s+(?:va\s+)?cn\b|\bkhcn\b"), "khoa hoc va cong nghe"),
    (re.compile(r"\bdmst\b"), "doi moi sang tao"),
    (re.compile(r"\bshtt\b"), "so huu tri tue"),
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\bnckh\b"), "nghien cuu khoa hoc"),
    (re.compile(r"\btuv\b"), "tinh uy vien"),
    (re.compile(r"\bhdnd\b"), "hoi dong nhan dan"),
)


def normalize(text: str) -> str:
    """Folded text with the usual abbreviations spelled out, for comparing names and phrases."""
    folded = fold(text)
    for pattern, replacement in _ABBREVIATIONS:
        folded = pattern.sub(replacement, folded)
    return folded


# --- The proposal ----------------------------------------------------------------------------------


@dataclass
class ProposedPerson:
    name: str
    position: str = ""
    role: str = "guest"  # a meetings.ParticipantRole value
    side: str = "host"  # "host" (the chair's side), "locality", "met" (the body the chair met)


@dataclass
class ProposedFigure:
    label: str
    value: Decimal
    unit: str = ""
    year: int | None = None
    sentence: str = ""


@dataclass
class ProposedRequest:
    text: str
    addressed_to: str = ""
    sentence: str = ""


@dataclass
class ProposedDirective:
    text: str
    lead: str = ""
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
    locality: str = ""  # "huyện Định Hóa", "tỉnh Quảng Trị"
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


# --- People ----------------------------------------------------------------------------------------


def _is_name(word: str) -> bool:
    syllables = word.split()
    return (
        2 <= len(syllables) <= 4
        and syllables[0] in SURNAMES
        and all(s[:1].isupper() and s[1:].islower() for s in syllables)
    )


def names_in(sentence: str) -> list[tuple[str, int, int]]:
    """Full names in a sentence with their spans: the words underthesea keeps whole that read as names."""
    found, cursor = [], 0
    for word in nlp.words(sentence):
        start = sentence.find(word, cursor)
        if start < 0:
            continue
        cursor = start + len(word)
        if _is_name(word):
            found.append((word, start, cursor))
    return found


def _position_after(rest: str) -> str:
    match = re.match(r"\s*(?:,|-|–|—)\s*", rest)
    if not match:
        return ""
    rest = rest[match.end() :]
    stop = _POSITION_STOPS.search(rest)
    span = rest[: stop.start()] if stop else rest
    parts = []
    for part in span.split(","):
        part = part.strip()
        if not part or not _TITLE_RE.match(part):
            break
        parts.append(part)
    return ", ".join(parts)


def _position_before(before: str) -> str:
    segment = re.split(r"[,;:.()\-–—]", before)[-1]
    # "Chủ tịch UBND tỉnh và Phó Chủ tịch UBND tỉnh Lê Đức Tiến": the position nearest the name, where
    # it opens the segment or follows "và" (but "sở Khoa học và Công nghệ" is one name).
    starts = [
        m
        for m in _TITLE_RE.finditer(segment)
        if re.search(r"(?:^|\svà|đồng chí)\s*$", segment[: m.start()], re.IGNORECASE)
    ]
    if not starts:
        return ""
    position = segment[starts[-1].start() :].strip()
    return position if len(position.split()) <= 12 else ""


def find_people(sentence: str) -> list[ProposedPerson]:
    people = []
    for name, start, end in names_in(sentence):
        position = _position_after(sentence[end:]) or _position_before(sentence[:start])
        addressed = re.search(r"đồng chí\s*$", sentence[:start], re.IGNORECASE)
        if position or addressed:
            people.append(ProposedPerson(name=name, position=position))
    return people


def _merge_person(people: list[ProposedPerson], person: ProposedPerson) -> int:
    key = fold(person.name)
    for index, known in enumerate(people):
        if fold(known.name) == key:
            if len(person.position) > len(known.position):
                known.position = person.position
            return index
    people.append(person)
    return len(people) - 1


# --- Dates, places, units ----------------------------------------------------------------------------


def _date(day: str, month: str, year: str | int) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_session_date(text: str) -> datetime.date | None:
    """The day the session was held: "Ngày 27/4/2023", "Sáng ngày 29/11/2023", "Chiều 24-7" (the year
    then from the article's own date); else the first full date in the text."""
    full_dates = [_date(*m.groups()) for m in _FULL_DATE.finditer(text)]
    full_dates = [d for d in full_dates if d]
    for match in _SESSION_DATE.finditer(text):
        day, month, year = match.groups()
        if year is None:
            if not full_dates:
                continue
            year = full_dates[0].year
        found = _date(day, month, year)
        if found:
            return found
    return full_dates[0] if full_dates else None


_DISTRICT_RE = re.compile(r"(?:[Hh]uyện|[Tt]hị xã|[Tt]hành phố|TP\.?)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){1,3})")
_PROVINCE_RE = re.compile(r"(?:[Tt]ỉnh|TỈNH)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){1,3})")


def _clean_place_name(name: str) -> str:
    return " ".join(word for word in name.split() if word[:1].isupper()).strip()


def _districts(text: str) -> list[str]:
    return [_clean_place_name(m.group(1)) for m in _DISTRICT_RE.finditer(text) if m.group(0)[:1] in "Hh"]


def find_province(text: str, known_provinces: list[str] | None = None) -> str:
    """The province the session belongs to: the most named one ("tỉnh Thái Nguyên", or a known province
    name anywhere, e.g. "sở Khoa học và Công nghệ Quảng Trị")."""
    counts: dict[str, int] = {}
    for match in _PROVINCE_RE.finditer(text):
        name = _clean_place_name(match.group(1).title() if match.group(1).isupper() else match.group(1))
        if name:
            counts[name] = counts.get(name, 0) + 2
    folded_text = fold(text)
    for name in known_provinces or ():
        hits = len(re.findall(rf"\b{re.escape(fold(name))}\b", folded_text))
        if hits:
            counts[name] = counts.get(name, 0) + hits
    if not counts:
        return ""
    return max(counts.items(), key=lambda item: item[1])[0]


# --- Speakers, addressees, items ----------------------------------------------------------------------


def _strip_connectors(text: str) -> str:
    return _CONNECTORS.sub("", text.strip()).strip()


def _clean_item(text: str) -> str:
    text = _TRAILING.sub("", text.strip().strip("…").strip())
    text = text.replace("..", ".").strip()
    return text[:1].upper() + text[1:] if text else text


def _is_addressee(text: str) -> bool:
    """Whether a phrase can name a unit: it opens with a unit word or a capitalised name."""
    return bool(_ADDRESSEE_START.match(text)) or text[:1].isupper()


def _split_addressee(rest: str) -> tuple[str, str]:
    """("Phòng Khoa học", "hỗ trợ huyện …") from "cho Phòng Khoa học hỗ trợ huyện …"."""
    rest = re.sub(r"^\s*(?:cho|với)\s+", "", rest.lstrip(" :,"))
    verb = _VERB_RE.search(rest)
    comma = rest.find(",")
    if verb is None and comma < 0:
        return "", rest
    end = verb.start() if verb else comma
    if 0 <= comma < end:
        # "đề nghị Sở KH&CN, tiếp tục rà soát": the comma closes the addressee; "UBND các huyện, thành phố
        # phát huy": it does not (what follows the comma is still a name, not a verb).
        after_comma = rest[comma + 1 :].strip()
        if _LEADING_VERB_RE.match(after_comma):
            end = comma
    addressee = _ADVERBIALS.sub(" ", rest[:end]).strip(" ,:")
    action = rest[end:].lstrip(" ,:")
    if addressee and (len(addressee.split()) > 10 or not _is_addressee(addressee)):
        return "", rest
    if verb and rest[verb.start() : verb.end()] == "cần":
        action = rest[verb.end() :].strip()
    return addressee, action


def _subject_and_action(text: str) -> tuple[str, str]:
    """A sentence that opens with its own subject: "UBND các huyện, thành phố phát huy …"."""
    verb = _VERB_RE.search(text)
    if not verb or verb.start() == 0:
        return "", text
    subject = text[: verb.start()].strip(" ,")
    if not subject or len(subject.split()) > 8 or not _is_addressee(subject):
        return "", text
    if any(ch in subject for ch in ";:"):
        return "", text
    action = text[verb.end() :].strip() if text[verb.start() : verb.end()] == "cần" else text[verb.start() :]
    return subject, action


def _as_written(item: str, phrase: str) -> str:
    """The words of `item` that the folded `phrase` was read from, as the user wrote them (with their
    diacritics and slashes: "trước ngày 30/6/2026", not "truoc ngay 30 6 2026")."""
    wanted = phrase.split()
    if not wanted:
        return phrase
    words = list(re.finditer(r"\w+", item))
    folded = [fold(word.group(0)) for word in words]
    for start in range(len(words) - len(wanted) + 1):
        if folded[start : start + len(wanted)] == wanted:
            return item[words[start].start() : words[start + len(wanted) - 1].end()]
    return phrase


def _deadline(item: str, year: int | None) -> tuple[str, datetime.date | None, str]:
    """(recurrence, deadline, the phrase it came from, as written)."""
    recurrence, deadline, phrase = _deadline_folded(item, year)
    return recurrence, deadline, _as_written(item, phrase)


def _deadline_folded(item: str, year: int | None) -> tuple[str, datetime.date | None, str]:
    folded = fold(item)
    match = re.search(
        r"truoc ngay (\d{1,2}) (\d{1,2}) (\d{4})|cham nhat (?:ngay )?(\d{1,2}) (\d{1,2}) (\d{4})", folded
    )
    if match:
        day, month, yr = [g for g in match.groups() if g][:3]
        return "once", _date(day, month, yr), match.group(0)
    annual = re.search(r"nam (20\d\d) va (?:hang|hang) nam", folded)
    if annual:
        return "annually", datetime.date(int(annual.group(1)), 12, 31), annual.group(0)
    if re.search(r"\b(?:hang|hang) nam\b", folded) and year:
        return "annually", datetime.date(year, 12, 31), "hang nam"
    within = re.search(r"trong nam (20\d\d)", folded)
    if within:
        return "once", datetime.date(int(within.group(1)), 12, 31), within.group(0)
    if "thuong xuyen" in folded:
        return "regularly", None, "thuong xuyen"
    lowered = item.lower()
    if any(lowered.startswith(verb) for verb in ONE_OFF_VERBS):
        return "once", None, ""
    return "regularly", None, ""


# --- The reader ------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, text: str, known_provinces: list[str] | None):
        self.text = text
        self.known_provinces = known_provinces or []
        self.proposal = Proposal()
        self.last_district = ""

    def run(self) -> Proposal:
        proposal = self.proposal
        blocks = nlp.paragraphs(self.text)
        proposal.title = blocks[0] if blocks else ""
        proposal.held_on = find_session_date(self.text)
        proposal.province = find_province(self.text, self.known_provinces)
        self._host_and_locality(blocks)
        # People first (the whole text), so that speakers are known when the directives are read.
        chair_hints: list[tuple[int, int]] = []
        for block in blocks:
            for sentence in nlp.sentences(block):
                priority = (
                    3
                    if "chủ trì" in sentence
                    else 2
                    if "trưởng đoàn" in sentence
                    else (1 if re.search(r"kết luận", sentence, re.IGNORECASE) else 0)
                )
                for person in find_people(sentence):
                    index = _merge_person(proposal.people, person)
                    chair_hints.append((priority, -index))
        if proposal.people:
            best = max(chair_hints)
            proposal.chair = -best[1]
        self._sides()
        for block in blocks:
            self._read_paragraph(block)
        return proposal

    # Session fields.
    def _host_and_locality(self, blocks: list[str]) -> None:
        proposal = self.proposal
        title = proposal.title
        match = re.search(r"^(.*?)\s+làm việc với\s+(.*)$", title, re.IGNORECASE)
        body = " ".join(blocks[1:4])
        if match:
            proposal.host = re.sub(r"^Đồng chí .*? - [^-]*$", "", match.group(1)).strip()
            met = match.group(2)
        else:
            first = re.search(
                r"((?:Sở|UBND|Ủy ban nhân dân)[^,.;(]*?)\s*(?:\([^)]*\))?\s+(?:tổ chức|đã có buổi|làm việc)",
                body,
            )
            proposal.host = first.group(1).strip() if first else ""
            met = body
        if re.match(r"Đồng chí", proposal.host):
            proposal.host = ""
        if not proposal.host:
            # "Đồng chí X - Phó Chủ tịch UBND tỉnh làm việc với Sở …": the host is the committee.
            position = re.search(r"(UBND tỉnh|UBND huyện)", title)
            proposal.host = position.group(1) if position else ""
        districts = _districts(met) or _districts(body)
        if districts:
            proposal.locality = f"huyện {districts[0]}"
            self.last_district = districts[0]
        elif proposal.province:
            proposal.locality = f"tỉnh {proposal.province}"
        place = re.search(r"(?:buổi làm việc|hội nghị|làm việc)\s+tại\s+([^,.;]+)", self.text)
        if place and not re.match(r"buổi|hội nghị", place.group(1)):
            proposal.place = place.group(1).strip()
        proposal.host = self._qualify(proposal.host)

    def _qualify(self, name: str) -> str:
        """ "Sở KH&CN" → "Sở KH&CN tỉnh Thái Nguyên": the bare names in an article are its province's."""
        if not name or not self.proposal.province:
            return name
        if fold(self.proposal.province) in fold(name):
            return name
        if re.match(r"(?:Sở|sở|UBND tỉnh|Ủy ban nhân dân tỉnh)", name):
            name = re.sub(r"\s+tỉnh$", "", name)
            return f"{name} tỉnh {self.proposal.province}"
        return name

    def _sides(self) -> None:
        host = fold(self.proposal.host)
        host_is_committee = host.startswith("ubnd")
        for index, person in enumerate(self.proposal.people):
            position = normalize(person.position)
            if index == self.proposal.chair:
                person.side, person.role = "host", "chair"
            elif re.search(r"\bhuyen\b", position):
                person.side, person.role = "locality", "locality"
            elif host_is_committee and re.search(r"\bso\b", position):
                person.side, person.role = "met", "reporter"
            else:
                person.side, person.role = "host", "host"

    def _speaker(self, sentence: str) -> str | None:
        for person in self.proposal.people:
            if person.name in sentence:
                return "chair" if person.side == "host" else "locality"
        if re.search(r"kết luận", sentence, re.IGNORECASE):
            return "chair"
        comrade = re.search(r"đồng chí((?:\s+\S+){0,4})", sentence, re.IGNORECASE)
        if comrade:
            return "locality" if "huyện" in comrade.group(1).lower() else "chair"
        if re.search(r"lãnh đạo (?:huyện|xã)", sentence, re.IGNORECASE):
            return "locality"
        return None

    # Addressees to unit names.
    def _lead_name(self, addressee: str) -> str:
        addressee = re.sub(r"^(?:lãnh đạo|Lãnh đạo)\s+(?:chủ chốt\s+)?", "", addressee).strip()
        folded = fold(addressee)
        districts = _districts(addressee)
        if districts:
            self.last_district = districts[0]
            return f"UBND huyện {districts[0]}"
        if folded in ("huyen", "dia phuong", "ubnd huyen") and self.last_district:
            return f"UBND huyện {self.last_district}"
        if self.last_district and folded == fold(self.last_district):
            return f"UBND huyện {self.last_district}"
        if re.fullmatch(r"so(?: khoa hoc va cong nghe| kh cn| kh va cn| khcn)?", folded) or folded == "nganh":
            return self._qualify("Sở Khoa học và Công nghệ")
        if re.match(r"(?:Sở|sở|UBND tỉnh)\s", addressee + " "):
            return self._qualify(addressee[:1].upper() + addressee[1:])
        return addressee

    # Directives and requests.
    def _directive(self, item: str, lead: str, sentence: str) -> None:
        item = _clean_item(item)
        if len(item.split()) < 3:
            return
        supporting = []
        partnership = re.search(r"hợp tác giữa\s+(.+?)\s+với\s+(.+?)(?:\s+(?:trên|để|nhằm|về)\b|,|$)", item)
        if partnership:
            lead, supporting = partnership.group(1).strip(), [partnership.group(2).strip()]
        together = re.search(r"(?:^|\s)[Pp]hối hợp với\s+((?:Sở|UBND|các|Ban|Trung tâm|huyện)[^;]*)", item)
        if together and not partnership:
            partner = together.group(1)
            end = _VERB_RE.search(partner)
            partner = re.split(r"\s(?:để|nhằm)\s", partner[: end.start()] if end else partner)[0].strip(" ,")
            if 0 < len(partner.split()) <= 8:
                supporting = [self._lead_name(partner)]
        year = self.proposal.held_on.year if self.proposal.held_on else None
        recurrence, deadline, phrase = _deadline(item, year)
        self.proposal.directives.append(
            ProposedDirective(
                text=item,
                lead=lead,
                supporting=supporting,
                recurrence=recurrence,
                deadline=deadline,
                deadline_phrase=phrase,
                sentence=sentence,
            )
        )

    def _request(self, item: str, addressed_to: str, sentence: str) -> None:
        item = _clean_item(item)
        if len(item.split()) >= 3:
            self.proposal.requests.append(
                ProposedRequest(text=item, addressed_to=addressed_to, sentence=sentence)
            )

    def _read_paragraph(self, block: str) -> None:
        speaker: str | None = None
        lead: str | None = None  # set once the chair has started assigning in this paragraph
        for sentence in nlp.sentences(block):
            speaker = self._speaker(sentence) or speaker
            self._figures(sentence, in_directives=lead is not None)
            # After a colon comes what was said ("đã nhấn mạnh: Bình Liêu cần …").
            head, _, said = (
                sentence.partition(":")
                if re.search(r"(?:nhấn mạnh|đề nghị|cho biết|yêu cầu|kết luận):", sentence)
                else (sentence, "", "")
            )
            content = said or head
            host_commitment = re.search(
                r"(?:^|[\s,.])(Sở(?: KH&CN| Khoa học và Công nghệ| KH và CN)?)\s+sẽ\s+(.+)$", content
            )
            trigger = _DIRECTIVE_TRIGGER.search(sentence)
            request = _REQUEST_TRIGGER.search(sentence)
            if trigger and speaker == "chair" and not self._request_subject(sentence, trigger.start()):
                addressee, action = _split_addressee(sentence[trigger.end() :])
                lead = (
                    self._lead_name(addressee)
                    if addressee
                    else (lead or self._lead_name(self.proposal.locality))
                )
                self._items(action, lead, sentence)
                continue
            if (
                request
                and speaker != "chair"
                and self._request_subject(sentence, request.start()) is not None
            ):
                addressee, action = _split_addressee(sentence[request.end() :])
                if addressee:
                    for item in action.split(";"):
                        self._request(item, self._lead_name(addressee), sentence)
                    continue
            if host_commitment and fold(self.proposal.host).startswith("so"):
                lead_here = self._lead_name(host_commitment.group(1))
                self._items(host_commitment.group(2), lead_here, sentence, commitment=True)
                continue
            if speaker == "chair":
                subject, action = _subject_and_action(_strip_connectors(content))
                if subject and said and re.match(r"\S+(?:\s\S+){0,3}\s+cần\s", _strip_connectors(content)):
                    lead = self._lead_name(subject)
                    self._items(action, lead, sentence)
                    continue
                if lead is not None:
                    stripped = _strip_connectors(content)
                    if _LEADING_VERB_RE.match(stripped):
                        self._items(stripped, lead, sentence)
                        continue
                    subject, action = _subject_and_action(stripped)
                    if subject:
                        lead = self._lead_name(subject)
                        self._items(action, lead, sentence)
                        continue
                    if re.match(r"\S+(?:\s\S+){0,3}\s+cần\s", stripped):
                        subject, action = stripped.split(" cần ", 1)
                        lead = self._lead_name(subject)
                        self._items(action, lead, sentence)

    def _request_subject(self, sentence: str, trigger_start: int) -> str | None:
        """Who asks, when it is the locality ("huyện Định Hoá cũng đề nghị …"); None otherwise."""
        before = _strip_connectors(sentence[:trigger_start]).strip(" ,")
        before = _ADVERBIALS.sub(" ", before).strip(" ,")
        if not before:
            return None
        for person in self.proposal.people:
            if person.name in before:
                return person.name if person.side != "host" else None
        if re.search(r"đồng chí|kết luận|Chủ tịch|Giám đốc", before) and not re.search(
            r"lãnh đạo (?:huyện|sở)", before, re.IGNORECASE
        ):
            return None
        return before

    def _items(self, action: str, lead: str, sentence: str, commitment: bool = False) -> None:
        parts = [part for part in action.split(";") if part.strip()]
        current = lead
        for part in parts:
            stripped = _strip_connectors(part)
            subject, rest = _subject_and_action(stripped)
            if subject and not _LEADING_VERB_RE.match(stripped) and not commitment:
                current = self._lead_name(subject)
                stripped = rest
            self._directive(stripped, current, sentence)

    def _figures(self, sentence: str, in_directives: bool) -> None:
        if in_directives:
            return
        years = [(m.start(), int(m.group(1))) for m in _YEAR_RE.finditer(sentence)]

        def year_before(position: int) -> int | None:
            earlier = [value for start, value in years if start < position]
            return earlier[-1] if earlier else None

        for match in _MONEY_RE.finditer(sentence):
            number = Decimal(match.group(1).replace(",", "."))
            multiplier = Decimal(1_000_000) if match.group(2) == "triệu" else Decimal(1_000_000_000)
            label = _short_label(match.group(3)) or "kinh phí"
            self.proposal.figures.append(
                ProposedFigure(
                    label=f"kinh phí {label}".strip() if not label.startswith("kinh phí") else label,
                    value=number * multiplier,
                    unit="VND",
                    year=year_before(match.start()),
                    sentence=sentence,
                )
            )
        for match in _PERCENT_RE.finditer(sentence):
            self.proposal.figures.append(
                ProposedFigure(
                    label=_short_label(match.group(2)) or "tỷ lệ",
                    value=Decimal(match.group(1).replace(",", ".")),
                    unit="%",
                    year=year_before(match.start()),
                    sentence=sentence,
                )
            )
        for match in _COUNT_RE.finditer(sentence):
            label = f"{match.group(2)}{_short_label(match.group(3), prefix=' ')}"
            self.proposal.figures.append(
                ProposedFigure(
                    label=label,
                    value=Decimal(match.group(1).replace(".", "")),
                    unit=match.group(2),
                    year=year_before(match.start()),
                    sentence=sentence,
                )
            )


def _short_label(text: str, prefix: str = "") -> str:
    text = re.split(r"\s(?:trong đó|và|để|nhằm|đã|được|với)\s", f" {text} ")[0]
    words_ = text.split()[:8]
    return f"{prefix}{' '.join(words_)}" if words_ else ""


def link_requests(proposal: Proposal) -> None:
    """Point each directive that answers a request ("Đối với đề xuất, kiến nghị của huyện, … giao cho …")
    at the request it answers: the one sharing most words with it (underthesea's word segmentation)."""
    if not proposal.requests:
        return
    request_words = [_content_words(request.text) for request in proposal.requests]
    for directive in proposal.directives:
        if not re.search(r"(?:đề xuất|kiến nghị|đề nghị) của", directive.sentence):
            continue
        own = _content_words(directive.text)
        scored = [(len(own & words_), index) for index, words_ in enumerate(request_words)]
        best, index = max(scored)
        if best >= 2:
            directive.request_index = index


_STOPWORDS = frozenset(
    fold(w)
    for w in "các và của cho với để về trong theo là được những có thực hiện hỗ trợ huyện tỉnh sở".split()
)


def _content_words(text: str) -> set[str]:
    return {
        fold(word)
        for word in nlp.words(text)
        if len(word) > 1 and fold(word) not in _STOPWORDS and fold(word)
    }


def propose(text: str, *, known_provinces: list[str] | None = None) -> Proposal:
    """Read a report of a working session and propose what it records (nothing is saved)."""
    proposal = _Reader(text, known_provinces).run()
    link_requests(proposal)
    chair = proposal.chair_person
    if chair is not None:
        proposal.conclusion = " ".join(dict.fromkeys(d.sentence for d in proposal.directives if d.sentence))
    return proposal
