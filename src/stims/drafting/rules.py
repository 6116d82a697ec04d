"""The drafting engine: a pipeline of small stages over a text about a working session.

    structure   letterhead, title, place-date line, sections, items, signature, "Nơi nhận" (structure.py)
    session     date (dates.py), province, host, locality met, place (places.py)
    people      names with positions, the chair, each one's side (people.py)
    reading     per block and sentence: who speaks; the chair's directives, the locality's requests, the
                figures (figures.py); deadlines (dates.DEADLINE_RULES)

Pure text in, a `Proposal` out: no database (matching the names to the directory is `draft.py`). The words
the stages look for are data in `lexicon.py`.

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

import datetime
import re
from dataclasses import replace

from stims.core.text import fold

from . import nlp
from .dates import appointed_date, find_session_date, read_deadline
from .figures import find_figures
from .lexicon import (
    ACTION_VERBS,
    CONNECTORS,
    DEPARTMENT_NAMES,
    DIRECTIVE_TRIGGERS,
    NOT_DIRECTIVE,
    REQUEST_TRIGGERS,
    TITLE_HEADS,
    UNIT_HEADS,
)
from .people import find_people, merge_person, side_of
from .places import districts, find_province, localities
from .proposal import Proposal, ProposedDirective, ProposedPerson, ProposedRequest
from .structure import Block, Document, is_conclusion_opener, read_structure

__all__ = [
    "TITLE_HEADS",
    "Proposal",
    "ProposedDirective",
    "ProposedPerson",
    "find_people",
    "find_session_date",
    "normalize",
    "propose",
]


# The 2025 reform (communes and wards under the province, no districts) took effect on 1 July 2025.
REFORM_DAY = datetime.date(2025, 7, 1)


def issuer_name(line: str) -> str:
    """A letterhead's issuing body in capitals, as the body writes its name: "SỞ KHOA HỌC VÀ CÔNG NGHỆ
    TUYÊN QUANG" → "Sở Khoa học và Công nghệ Tuyên Quang", "UBND TỈNH THÁI NGUYÊN" → "UBND tỉnh Thái Nguyên"."""
    text = " ".join(line.split()).lower()
    text = re.sub(r"^(?:ủy|uỷ) ban nhân dân|^ubnd", "UBND", text)
    for name in DEPARTMENT_NAMES:
        if text.startswith(name.lower()):
            rest = text[len(name) :].strip()
            return f"{name} {rest.title()}".strip()
    match = re.match(r"^(UBND|sở)\s+(tỉnh|huyện|xã|phường|thành phố|thị xã)?\s*(.*)$", text)
    if match:
        head = "UBND" if match.group(1) == "UBND" else "Sở"
        kind = f" {match.group(2)}" if match.group(2) else ""
        return f"{head}{kind} {match.group(3).title()}".strip()
    return text[:1].upper() + text[1:]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_VERB_RE = re.compile(r"(?<![\w])(?:" + _alternation(ACTION_VERBS) + r")(?![\w])")
_LEADING_VERB_RE = re.compile(r"^(?:" + _alternation(ACTION_VERBS) + r")(?![\w])", re.IGNORECASE)
_UNIT_HEAD_RE = re.compile(r"^(?:" + _alternation(UNIT_HEADS) + r")(?![\w])")
_DIRECTIVE_TRIGGER = re.compile(
    r"(?<![\w])(?:"
    + _alternation(t for t in DIRECTIVE_TRIGGERS if t != "giao")
    + r"|giao(?= (?:nhiệm vụ cho |nhiệm vụ |)(?:"
    + _alternation(UNIT_HEADS)
    + r")\b))(?![\w])",
    re.IGNORECASE,
)
_NOT_DIRECTIVE_RE = re.compile(r"(?<![\w])(?:" + _alternation(NOT_DIRECTIVE) + r")(?![\w])", re.IGNORECASE)
_REQUEST_TRIGGER = re.compile(r"(?<![\w])(?:" + _alternation(REQUEST_TRIGGERS) + r")(?![\w])", re.IGNORECASE)
_CONNECTORS = re.compile(
    r"^(?:(?:" + _alternation(CONNECTORS) + r")\s*,?\s*|(?:Đối với|Về)\s[^,:]{0,160}[,:]\s*)+",
    re.IGNORECASE,
)
_ANSWERED_REQUEST = re.compile(
    r"^(?:(?:Đối với|Về)\s+(?:các\s+)?(?:đề nghị|kiến nghị|đề xuất)(?:\s+của\s+(?:UBND\s+|Ủy ban nhân dân\s+)?(?:huyện|xã|phường|thị trấn|đặc khu|địa phương|tỉnh|đơn vị|doanh nghiệp|HTX|hợp tác xã))?"
    r"|[^:,]{1,40}?\s(?:đề nghị|kiến nghị|đề xuất)(?:\s+(?:với\s+)?(?:Sở|UBND|Ủy ban)[^:,]{0,50}?(?=\s(?:hỗ trợ|cho|xem xét|bố trí|quan tâm|sớm|cấp|đầu tư|tập huấn|trang bị|phê duyệt)))?)"
    r"\s*(?:về\s+|việc\s+)?([^:]{6,300}?)\s*:",
    re.IGNORECASE,
)
# A line that hands over to the items below it: "… yêu cầu:", "… đề nghị như sau:", "… kết luận:".
_ASKS_FOR_ITEMS = re.compile(
    r"(?:yêu cầu|đề nghị|kiến nghị|đề xuất|giao|chỉ đạo|kết luận|lưu ý)(?:\s+[^:]{0,60})?\s*:\s*$",
    re.IGNORECASE,
)
# "Ý kiến của UBND xã Đồng Tâm:", "Kiến nghị của địa phương:": what follows is the locality's.
_LOCALITY_VOICE = re.compile(
    r"^(?:\d+\.\s*)?(?:ý kiến|kiến nghị|đề xuất|đề nghị)(?:,\s*(?:kiến nghị|đề xuất))?\s+(?:của\s+)?(?:UBND\s+|lãnh đạo\s+)?"
    r"(?:xã|phường|huyện|thị trấn|đặc khu|địa phương)\b",
    re.IGNORECASE,
)
# Third parties (a cooperative, an enterprise, a park): their suggestions are not the locality's requests.
_THIRD_PARTY = re.compile(
    r"hợp tác xã|\bHTX\b|doanh nghiệp|công ty|vườn quốc gia|\bviện\b|trường đại học", re.IGNORECASE
)
_CONTINUES_CHAIR = re.compile(
    r"^(?:(?:Đồng chí|Ông|Bà)\s+(?:cũng\s+|đồng thời\s+)?(?:giao|đề nghị|yêu cầu|chỉ đạo|lưu ý)\b|Giao\s|Đề nghị\s|Yêu cầu\s)"
)
# Time words that may open an item before its verb ("Hằng năm bố trí …", "Định kỳ hằng quý báo cáo …").
_TIME_OPENER = re.compile(
    r"^(?:(?:hằng|hàng)\s+(?:năm|quý|tháng)|định kỳ(?:\s+(?:hằng|hàng)\s+(?:năm|quý|tháng)|\s+\d+\s+tháng(?:\s+một lần)?)?"
    r"|trong\s+(?:quý|tháng|năm)\s+[\w/]+|trước ngày\s+[\d/]+)\s*,?\s*",
    re.IGNORECASE,
)
_ADVERBIALS = re.compile(r"\s*(?:trong thời gian tới|thời gian tới|trong năm tới|cũng)\s*", re.IGNORECASE)
_TRAILING = re.compile(r"[\s.…/;,:]+$")
_EVALUATIVE = re.compile(
    r"^(?:ghi nhận|đánh giá cao|biểu dương|cơ bản thống nhất|nhất trí với (?:báo cáo|nội dung)|hoan nghênh"
    r"|đánh giá chung|tình hình|kết quả)",
    re.IGNORECASE,
)
_CLOSING = re.compile(r"thông báo để|biết,? (?:và )?thực hiện|\./\.|trân trọng", re.IGNORECASE)

_ABBREVIATIONS = (
    (re.compile(r"\bkh\s+(?:va\s+)?cn\b|\bkhcn\b"), "khoa hoc va cong nghe"),
    (re.compile(r"\bdmst\b"), "doi moi sang tao"),
    (re.compile(r"\bshtt\b"), "so huu tri tue"),
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\bnckh\b"), "nghien cuu khoa hoc"),
    (re.compile(r"\btuv\b"), "tinh uy vien"),
    (re.compile(r"\bhdnd\b"), "hoi dong nhan dan"),
    (re.compile(r"\btdc\b"), "tieu chuan do luong chat luong"),
)


def normalize(text: str) -> str:
    """Folded text with the usual abbreviations spelled out, for comparing names and phrases."""
    folded = fold(text)
    for pattern, replacement in _ABBREVIATIONS:
        folded = pattern.sub(replacement, folded)
    return folded


# --- Small helpers ------------------------------------------------------------------------------------


def _strip_connectors(text: str) -> str:
    return _CONNECTORS.sub("", text.strip()).strip()


def _clean_item(text: str) -> str:
    text = _TRAILING.sub("", text.strip().strip("…").strip())
    text = text.replace("..", ".").strip()
    return text[:1].upper() + text[1:] if text else text


def _is_addressee(text: str) -> bool:
    """Whether a phrase can name a unit: it opens with a unit word or a capitalised name."""
    return bool(_UNIT_HEAD_RE.match(text)) or text[:1].isupper()


def _masked(sentence: str) -> str:
    """The sentence with the phrases that only look like assignments ("Phát biểu chỉ đạo") blanked."""
    return _NOT_DIRECTIVE_RE.sub(lambda m: "_" * len(m.group(0)), sentence)


# "đơn vị chủ trì", "chủ trì, phối hợp": a unit that leads a task, not the person who chairs the session.
_UNIT_CHAIRS = re.compile(
    r"(?:đơn vị|cơ quan|sở|phòng|trung tâm)\s+chủ trì|chủ trì,? phối hợp|chủ trì thực hiện|chủ trì xây dựng"
)


def _group_side(heading: str) -> str:
    """The side of a participants' group by its heading: "UBND huyện …" the locality, "Sở …"/"Đoàn …"
    the department, anything else ("Đơn vị chủ trì dự án") a third party."""
    text = re.sub(r"^\W*(?:[IVX]+|\d+|[a-zA-Z])[.)]\s*", "", heading).lower()
    if re.search(r"\b(?:huyện|xã|phường|thị trấn|đặc khu|địa phương)\b", text) and not re.search(
        r"khách mời|đơn vị chủ trì", text
    ):
        return "locality"
    if re.match(r"(?:về phía\s+)?(?:sở|đoàn|thành phần đoàn|lãnh đạo sở|ubnd tỉnh|văn phòng)", text):
        return "host"
    return "other"


_TOPIC = re.compile(
    r"^(?:Đối với|Về)\s+(?:các\s+)?(?:đề nghị|kiến nghị|đề xuất)?(?:\s*,?\s*(?:đề nghị|kiến nghị|đề xuất))?(?:\s+của\s+(?:[^,]{1,30}?)\s+về)?\s*([^,:]{4,160})[,:]"
)


# "… thực hiện một số nội dung sau": the line that introduces the items, not a task.
_INTRODUCES = re.compile(
    r"(?:nội dung|nhiệm vụ|việc|công việc)(?: cụ thể)? (?:sau|như sau)\s*:?$|như sau\s*:?$"
)


# "…; gửi về Sở trước ngày …", "…; báo cáo kết quả về Sở …": where or when to send the result, not a task.
_SENDS_RESULT = re.compile(
    r"^(?:gửi|nộp|báo cáo)(?:\s+(?:kết quả|tiến độ))?\s+(?:về|cho|lên)\s(?!(?:\S+\s+){14})", re.IGNORECASE
)


def _request_items(action: str) -> list[str]:
    """The requests in one sentence: parts separated by ";", by "và đề nghị …", or by "và <verb>" after a
    request long enough to stand alone ("hỗ trợ kinh phí xây dựng mô hình … và hỗ trợ in tem …")."""
    items = []
    for part in re.split(r";|\s+(?:và|đồng thời)\s+(?=(?:đề nghị|kiến nghị|đề xuất|mong muốn)\s)", action):
        pieces = re.split(
            r"\s+và\s+(?=(?:hỗ trợ|cấp|bố trí|đầu tư|xem xét|tập huấn|trang bị|cho phép|sớm)\s)", part
        )
        if len(pieces) > 1 and all(len(p.split()) >= 4 for p in pieces):
            items.extend(pieces)
        else:
            items.append(part)
    return items


def _topic_of(sentence: str) -> str:
    """ "Đối với kiến nghị của xã về quy trình trồng sâm, …" → "quy trình trồng sâm"."""
    match = _TOPIC.match(sentence.strip())
    if not match:
        return ""
    topic = match.group(1).strip()
    if re.match(r"(?:của|các)\b", topic) or len(topic.split()) < 2:
        return ""
    return topic


def _opens_with_verb(text: str) -> bool:
    return bool(_LEADING_VERB_RE.match(_TIME_OPENER.sub("", text.strip())))


def _split_addressee(rest: str) -> tuple[str, str]:
    """("Phòng Khoa học", "hỗ trợ huyện …") from "cho Phòng Khoa học hỗ trợ huyện …"."""
    rest = re.sub(r"^\s*(?:cho|với|nhiệm vụ cho|nhiệm vụ)\s+", "", rest.lstrip(" :,"))
    verb = _VERB_RE.search(rest)
    # "các xã, phường có mô hình được hỗ trợ … gửi kèm …": "có" and a verb after "được" describe the
    # units; the task's verb comes later.
    while (
        verb is not None
        and re.match(r"[Cc]ác\s", rest)
        and (
            rest[verb.start() : verb.end()] == "có"
            or re.search(r"(?:được|đã|đang)\s+$", rest[: verb.start()])
        )
    ):
        verb = _VERB_RE.search(rest, verb.end())
    comma = rest.find(",")
    colon = rest.find(":")
    if verb is None and comma < 0 and colon < 0:
        return "", rest
    end = verb.start() if verb else (comma if comma >= 0 else colon)
    if 0 <= colon < end:
        end = colon
    if 0 <= comma < end:
        # "đề nghị Sở KH&CN, tiếp tục rà soát": the comma closes the addressee; "UBND các huyện, thành phố
        # phát huy": it does not (what follows the comma is still a name, not a verb).
        after_comma = rest[comma + 1 :].strip()
        if _opens_with_verb(after_comma):
            end = comma
    addressee = _ADVERBIALS.sub(" ", rest[:end]).strip(" ,:")
    addressee = re.sub(r"\s+(?:theo|căn cứ)\s+chức năng,?\s*nhiệm vụ(?:\s+được giao)?$", "", addressee)
    action = rest[end:].lstrip(" ,:")
    # "… tập trung một số nội dung: Thứ nhất, …": the tasks come after the colon.
    action = re.sub(
        r"^[^:]{0,60}(?:một số|các|những)\s+(?:nội dung|nhiệm vụ|việc)(?:\s+(?:sau|trọng tâm|chủ yếu))?\s*:\s*",
        "",
        action,
    )
    if addressee and (len(addressee.split()) > 14 or not _is_addressee(addressee)):
        return "", rest
    if verb and rest[verb.start() : verb.end()] == "cần":
        action = rest[verb.end() :].strip()
    return addressee, action


def _subject_and_action(text: str, *, strict: bool = False) -> tuple[str, str]:
    """A sentence that opens with its own subject: "UBND các huyện, thành phố phát huy …".
    `strict`: the subject must open with a unit word, and "có" alone is not an action."""
    for verb in _VERB_RE.finditer(text):
        if verb.start() == 0:
            return "", text
        word = text[verb.start() : verb.end()]
        if strict and word == "có":
            continue
        if _TIME_OPENER.match(text) and verb.start() <= _TIME_OPENER.match(text).end():
            return "", text
        subject = re.sub(r"\s*\([^)]*\)", "", text[: verb.start()]).strip(" ,")
        if not subject or len(subject.split()) > 12 or not _is_addressee(subject):
            return "", text
        if strict and not _UNIT_HEAD_RE.match(re.sub(r"^(?:[Đđ]ồng chí|[Ll]ãnh đạo)\s+", "", subject)):
            return "", text
        if (
            strict
            and not re.match(r"[Cc]ác\s", subject)
            and re.search(r"\s(?:là|đã|đang|được|có|còn|chưa|và các|với)\s", f" {subject} ")
        ):
            return "", text
        if any(ch in subject for ch in ";:"):
            return "", text
        if word in ("cần", "có trách nhiệm", "chịu trách nhiệm"):
            action = text[verb.end() :].strip()
        else:
            action = text[verb.start() :]
        return subject, action
    return "", text


# --- The reader ------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, text: str, known_provinces: list[str] | None):
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
        self._people()
        for block in self._paragraphs():
            self._read_block(block)
        self._answered_requests()
        return proposal

    def _paragraphs(self) -> list[Block]:
        return [block for block in self.doc.blocks if not block.heading]

    # Session fields.
    def _host_and_locality(self) -> None:
        proposal, doc = self.proposal, self.doc
        title = proposal.title
        blocks = [b.text for b in doc.blocks]
        body = " ".join(blocks[0 if doc.kind else 1 : 4])
        match = re.search(r"^(.*?)\s+(?:làm việc|buổi làm việc)\s+với\s+(.*)$", title, re.IGNORECASE)
        if match and not doc.kind:
            proposal.host = re.sub(r"^Đồng chí .*? - [^-]*$", "", match.group(1)).strip()
            met = match.group(2)
        else:
            first = re.search(
                r"((?:Sở|UBND|Ủy ban nhân dân)[^,.;(]*?)\s*(?:\([^)]*\))?\s+(?:tổ chức|đã có buổi|có buổi|làm việc|chủ trì)",
                body,
            )
            proposal.host = first.group(1).strip() if first else ""
            met = match.group(2) if match else body
        if doc.kind and doc.letterhead:
            # The issuing body is the letterhead's last line in capitals ("SỞ KHOA HỌC VÀ CÔNG NGHỆ").
            issuers = [line for line in doc.letterhead if re.match(r"^(?:SỞ|ỦY BAN|UỶ BAN|UBND)\b", line)]
            if issuers:
                proposal.host = issuer_name(issuers[-1])
        proposal.host = re.sub(r"^(?:[Ll]ãnh đạo|[Đđ]oàn công tác(?: của)?)\s+", "", proposal.host)
        if re.match(r"Đồng chí", proposal.host):
            proposal.host = ""
        if not proposal.host:
            position = re.search(r"(UBND tỉnh|UBND huyện)", title)
            proposal.host = position.group(1) if position else ""
        if not proposal.host:
            # "Sở Khoa học và Công nghệ kiểm tra tiến độ dự án …": the headline's subject.
            acting = re.match(
                r"^((?:Sở|UBND|Ủy ban nhân dân)\s[^,]*?)\s+(?:kiểm tra|khảo sát|thăm|tổ chức|họp|đối thoại|giám sát|làm việc)\b",
                title,
            )
            proposal.host = acting.group(1) if acting else ""
        # Before the 2025 reform the locality met is a district; after it, a commune, ward or special zone.
        reformed = proposal.held_on is not None and proposal.held_on >= REFORM_DAY
        kinds = ("xã", "phường", "đặc khu", "thị trấn", "huyện") if reformed else ("huyện",)

        def met_in(text: str) -> list[tuple[str, str]]:
            return [place for place in localities(text) if place[0] in kinds]

        met_places = met_in(met) or met_in(body) or (met_in(" ".join(blocks[:8])) if reformed else [])
        if met_places:
            kind, name = met_places[0]
            proposal.locality = f"{kind} {name}"
            self.last_locality = (kind, name)
        elif proposal.province:
            proposal.locality = f"tỉnh {proposal.province}"
        joined = "\n".join(blocks)
        place = re.search(
            r"(?:buổi làm việc|hội nghị|làm việc|[Đđ]ịa điểm)\s*(?:tại|:)\s*([^,.;\n]+)", joined
        ) or re.search(
            r"(?:^|[,.]\s*)[Tt]ại\s+((?:trụ sở|hội trường|phòng họp|nhà văn hóa|UBND|Sở)[^,.;\n]*)",
            joined,
            re.MULTILINE | re.IGNORECASE,
        )
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

    # People.
    def _people(self) -> None:
        proposal = self.proposal
        chair_hints: list[tuple[int, int]] = []
        group_sides: dict[
            str, str
        ] = {}  # a participants' list's groups ("2. UBND huyện Trạm Tấu") give sides
        group = ""
        for block in self.doc.blocks:
            if block.heading:
                group = ""
            elif (
                block.section == "participants"
                and block.marker != "dash"
                and not find_people(block.text, listing=True)
            ):
                group = _group_side(block.text)
            elif block.section != "participants":
                group = ""
            for sentence in nlp.sentences(block.text):
                lowered = sentence.lower()
                priority = (
                    4
                    if re.search(r"chủ trì|chủ tọa|chủ toạ", _UNIT_CHAIRS.sub("", lowered))
                    else 3
                    if "trưởng đoàn" in lowered
                    else (2 if "kết luận" in lowered else 0)
                )
                for person in find_people(sentence, listing=block.section == "participants"):
                    person.sentence = sentence
                    index = merge_person(proposal.people, person)
                    chair_hints.append((priority, -index))
                    if group and block.section == "participants":
                        group_sides.setdefault(fold(person.name), group)
        for name, position in self.doc.signers:  # who signs the document ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")
            merge_person(proposal.people, ProposedPerson(name=name, position=position))
        if chair_hints:
            best = max(chair_hints)
            proposal.chair = -best[1] if best[0] > 0 or not self.doc.kind else None
        if proposal.chair is None:
            # A report that names no chair: the head of the host who went ("Giám đốc Sở", "Chủ tịch UBND tỉnh").
            heads = [
                i
                for i, p in enumerate(proposal.people)
                if re.match(r"(?:Giám đốc|Chủ tịch|Phó Chủ tịch UBND tỉnh|Phó Giám đốc)\b", p.position)
                and not re.search(r"\b(?:xã|phường|huyện|đặc khu|Hợp tác xã)\b", p.position)
            ]
            proposal.chair = heads[0] if heads else None
        # "Giám đốc Sở giao …" names the chair by his title.
        chair = proposal.chair_person
        title = (
            re.match(r"((?:Giám đốc|Chủ tịch|Phó Chủ tịch|Bộ trưởng|Thứ trưởng)\s+\S+)", chair.position)
            if chair
            else None
        )
        self._chair_title = re.escape(fold(title.group(1))) if title else ""
        host = fold(proposal.host)
        for index, person in enumerate(proposal.people):
            if index == proposal.chair:
                person.side, person.role = "host", "chair"
                continue
            person.side = group_sides.get(fold(person.name)) or side_of(person.position, host)
            person.role = {"locality": "locality", "met": "reporter", "other": "guest"}.get(
                person.side, "host"
            )

    def _speaker(self, sentence: str) -> str | None:
        """ "chair", "host" (another of the department's delegation), "locality" or None (unknown)."""
        lowered = sentence.lower()
        for index, person in enumerate(self.proposal.people):
            if person.name in sentence:
                if index == self.proposal.chair:
                    return "chair"
                return {"host": "host", "other": "other"}.get(person.side, "locality")
        if re.search(r"kết luận", lowered):
            return "chair"
        if self._chair_title and re.search(rf"(?<!pho )\b{self._chair_title}\b", fold(sentence)):
            return "chair"
        for comrade in re.finditer(r"(?<!\w)(?:[Đđ]ồng chí|Ông|ông|Bà|bà)((?:\s+\S+){1,4})", sentence):
            if comrade.group(1).split()[0][:1].isupper():
                return (
                    "locality"
                    if re.search(r"huyện|xã|phường|thị trấn", comrade.group(1).lower())
                    else "chair"
                )
        if re.search(
            r"lãnh đạo (?:huyện|xã|phường)|(?:ubnd|uỷ ban|ủy ban) (?:huyện|xã|phường)[^,.]{0,30} (?:đề nghị|kiến nghị|mong muốn|đề xuất)",
            lowered,
        ):
            return "locality"
        if fold(self.proposal.host).startswith("so") and re.search(
            r"^(?:[^,]{0,40},\s*)?(?:lãnh đạo sở|(?<!phó )giám đốc sở)\s+(?:giao|đề nghị|yêu cầu|chỉ đạo|kết luận)",
            lowered,
        ):
            return "chair"  # "Lãnh đạo Sở giao Phòng …" when the department hosts
        return None

    # Addressees to unit names.
    def _lead_name(self, addressee: str) -> str:
        addressee = re.sub(r"^(?:lãnh đạo|Lãnh đạo|[Đđ]ồng chí)\s+(?:chủ chốt\s+)?", "", addressee).strip()
        for head in sorted(TITLE_HEADS, key=len, reverse=True):
            if addressee.lower().startswith(head.lower() + " "):
                addressee = addressee[len(head) :].strip()
                break
        folded = fold(addressee)
        named = localities(addressee)
        if named and re.match(
            r"^(?:UBND|Ủy ban|Uỷ ban|huyện|Huyện|xã|Xã|phường|Phường|thị trấn|Thị trấn)", addressee
        ):
            kind, name = named[0]
            self.last_locality = (kind, name)
            if kind in ("huyện", "xã", "phường", "thị trấn", "thị xã", "thành phố", "đặc khu"):
                return f"UBND {kind} {name}"
        if self.last_locality:
            kind, name = self.last_locality
            if folded in (
                fold(kind),
                "dia phuong",
                f"ubnd {fold(kind)}",
                fold(name),
                "chinh quyen dia phuong",
            ):
                return f"UBND {kind} {name}"
        if folded == "doan":
            named = re.search(r"Đoàn (?:kiểm tra|công tác|giám sát|khảo sát)", self.text)
            return named.group(0) if named else "Đoàn công tác"
        if re.fullmatch(r"so(?: khoa hoc va cong nghe| kh cn| kh va cn| khcn)?", folded) or folded == "nganh":
            return self._qualify("Sở Khoa học và Công nghệ")
        if re.match(r"(?:Sở|sở|UBND tỉnh)\s", addressee + " "):
            return self._qualify(addressee[:1].upper() + addressee[1:])
        return addressee[:1].upper() + addressee[1:] if addressee[:1] in "cp" and not named else addressee

    # Directives and requests.
    def _directive(self, item: str, lead: str, sentence: str) -> None:
        item = _clean_item(item)
        if not lead:
            return
        answered = getattr(self, "_topic", "")
        topic = answered or _topic_of(sentence)
        if topic and len(item.split()) < (12 if answered else 8) and fold(topic) not in fold(item):
            item = f"{item} {topic[:1].lower()}{topic[1:]}"  # "xem xét, hỗ trợ" + "quy trình trồng sâm"
        if len(item.split()) < 3 or _INTRODUCES.search(item):
            return
        supporting = []
        partnership = re.search(r"hợp tác giữa\s+(.+?)\s+với\s+(.+?)(?:\s+(?:trên|để|nhằm|về)\b|,|$)", item)
        if partnership:
            lead, supporting = partnership.group(1).strip(), [partnership.group(2).strip()]
        together = re.search(
            r"^(?:[Cc]hủ trì\s*,?\s*)?[Pp]hối hợp(?: chặt chẽ)? với\s+((?:Sở|UBND|các|Ban|Trung tâm|Chi cục|Phòng|huyện|xã|phường|Văn phòng|Hội|Cục)[^;]*?)(?=\s(?:"
            + _alternation(a for a in ACTION_VERBS if a not in ("có", "cần"))
            + r")(?:\s|,))",
            item,
        ) or re.search(
            r"(?:^|\s)[Pp]hối hợp(?: chặt chẽ)? với\s+((?:Sở|UBND|các|Ban|Trung tâm|Chi cục|Phòng|huyện|xã|phường)[^;]*)",
            item,
        )
        if together and not partnership:
            partner = together.group(1)
            end = _VERB_RE.search(partner)
            partner = re.split(r"\s(?:để|nhằm)\s", partner[: end.start()] if end else partner)[0].strip(" ,")
            if 0 < len(partner.split()) <= 10:
                supporting = [
                    self._lead_name(p.strip())
                    for p in re.split(r",\s*| và (?=Sở|UBND|Trung tâm|Phòng|Chi cục)", partner)
                    if p.strip()
                ]
        recurrence, deadline, phrase = read_deadline(item, self.proposal.held_on)
        if supporting and together:
            # "chủ trì, phối hợp với Văn phòng Sở hỗ trợ xã …": the task is what follows the partners.
            rest = item[together.end(1) :].strip(" ,")
            if len(rest.split()) >= 3 and _opens_with_verb(rest):
                item = _clean_item(rest)
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

    def _intro_lead(self, intro: str) -> str:
        """The unit an introduction assigns its items to: "Giao Sở Nông nghiệp và Môi trường:",
        "Đối với UBND xã Ba Chẽ:", "Trung tâm Ứng dụng tiến bộ KH&CN:"."""
        intro = intro.rstrip(" :")
        if not intro or is_conclusion_opener(intro + ":"):
            return ""
        masked = _masked(intro)
        trigger = _DIRECTIVE_TRIGGER.search(masked)
        if trigger:
            addressee, action = _split_addressee(intro[trigger.end() :])
            if addressee and len(action.split()) <= 6:
                return self._lead_name(addressee)
            if not addressee and len(action.split()) <= 12 and _is_addressee(action):
                return self._lead_name(re.split(r"\s(?:thực hiện|triển khai|như sau)", action)[0])
            return ""
        target = re.sub(r"^(?:Đối với|Về phía|Về|Riêng)\s+", "", intro)
        if len(target.split()) <= 12 and _UNIT_HEAD_RE.match(target) and not _VERB_RE.search(target):
            return self._lead_name(target)
        return ""

    def _read_block(self, block: Block) -> None:
        formal = self.doc.formal
        if not block.credited and block.marker and _LOCALITY_VOICE.match(block.intro):
            # "2. Ý kiến của UBND xã Đồng Tâm:" then "- Đề nghị Sở hỗ trợ …": the locality's requests.
            self._requester = block.intro
            self._last_speaker = "locality"
            for sentence in nlp.sentences(block.text):
                self._sentence(block, sentence, "locality", None, "", formal)
            return
        if not block.credited and block.marker and block.intro:
            # "… đồng chí Hoàng Thị Lan yêu cầu:" then dashed items: the chair's items; "Xã đề nghị:" then
            # items: the locality's requests.
            asks = _ASKS_FOR_ITEMS.search(block.intro)
            if asks:
                if self._speaker(block.intro) == "chair" or re.search(
                    r"kết luận", block.intro, re.IGNORECASE
                ):
                    block = replace(block, credited=True)
                elif (subject := self._request_subject(block.intro, asks.start())) is not None and subject:
                    addressee, _ = _split_addressee(block.intro[asks.end() :].rstrip(" :"))
                    to = self._lead_name(addressee) if addressee else self.proposal.host
                    for item in block.text.split(";"):
                        self._request(item, to, block.text)
                    return
        intro_lead = self._intro_lead(block.intro) if block.intro else ""
        speaker: str | None = "chair" if block.credited else None
        lead: str | None = intro_lead or None
        self._requester = None
        if formal and _CLOSING.search(block.text):
            return  # "… thông báo để các đơn vị biết, thực hiện./.": the closing formula
        for sentence in nlp.sentences(block.text):
            if _CLOSING.search(sentence):
                continue
            named = self._speaker(sentence) if not block.credited else None
            if (
                named is None
                and speaker is None
                and self._last_speaker == "chair"
                and _CONTINUES_CHAIR.match(sentence)
            ):
                named = "chair"  # "Đồng chí giao …", "Giao Chi cục …": the chair goes on in a new paragraph
            speaker = named or speaker
            self._last_speaker = speaker
            self._sentence(block, sentence, speaker, lead, intro_lead, formal)
            lead = self._lead_after

    def _sentence(self, block, sentence, speaker, lead, intro_lead, formal) -> None:
        """Read one sentence; `self._lead_after` is the lead unit the next sentence of the block inherits."""
        self._lead_after = lead
        before = len(self.proposal.directives)
        figures_allowed = lead is None or block.credited
        self._assignments(block, sentence, speaker, lead, intro_lead, formal)
        if figures_allowed and len(self.proposal.directives) == before:
            self.proposal.figures.extend(find_figures(sentence))

    def _assignments(self, block, sentence, speaker, lead, intro_lead, formal) -> None:
        # After a colon comes what was said ("đã nhấn mạnh: Bình Liêu cần …").
        head, _, said = (
            sentence.partition(":")
            if re.search(r"(?:nhấn mạnh|đề nghị|cho biết|yêu cầu|kết luận|chỉ đạo|lưu ý)\s*:", sentence)
            else (sentence, "", "")
        )
        quoted = re.match(r"^[“\"](.{10,}?)[”\"]\s*,", sentence)
        if quoted and speaker == "chair" and not said:
            head, said = "", quoted.group(1)  # "“Xã cần chủ động hơn …”, đồng chí … nhấn mạnh."
        spoken = re.search(r"\s(?:nhấn mạnh|lưu ý|khẳng định|chỉ đạo)\s*,\s+", sentence)
        if not said and spoken and speaker == "chair":
            head, said = sentence[: spoken.start()], sentence[spoken.end() :]  # "… nhấn mạnh, UBND xã cần …"
        content = said or head
        masked = _masked(sentence)
        directs = speaker == "chair" or (speaker == "host" and not formal)
        trigger = _DIRECTIVE_TRIGGER.search(masked)
        request = _REQUEST_TRIGGER.search(masked)
        host_commitment = re.search(
            r"(?:^|[\s,.])(Sở(?: KH&CN| Khoa học và Công nghệ| KH và CN)?)\s+sẽ\s+(.+)$", content
        )
        self._topic = ""
        answered = _ANSWERED_REQUEST.match(sentence) if block.credited else None
        if answered:
            # "Đối với đề nghị hỗ trợ …: giao Phòng …": read what comes after the colon; the request's
            # words complete a short answer ("… tổng hợp, báo cáo UBND tỉnh xem xét").
            self._topic = _clean_item(answered.group(1))
            content = sentence.split(":", 1)[1].strip()
            masked = _masked(content)
            trigger = _DIRECTIVE_TRIGGER.search(masked)
            sentence_for_trigger = content
        else:
            sentence_for_trigger = sentence
        if block.credited and trigger:
            opening = _masked(sentence_for_trigger)[: trigger.start()]
            if _opens_with_verb(_strip_connectors(opening)):
                trigger = None  # "Kiện toàn …, phân công công chức …": the item's own verb came first
        if block.credited and trigger:
            stripped = _strip_connectors(sentence_for_trigger)
            subject, action = _subject_and_action(stripped, strict=True)
            evaluated = re.match(r"^(?:ghi nhận|đồng ý|nhất trí|thống nhất)\s*,?\s*", action, re.IGNORECASE)
            if evaluated and _DIRECTIVE_TRIGGER.match(_masked(action[evaluated.end() :])):
                subject = ""  # "Sở ghi nhận, giao Phòng …": the unit is the one "giao" names
            if subject and stripped.find(subject) + len(subject) <= _masked(stripped).find(trigger.group(0)):
                lead = self._lead_after = self._lead_name(subject)
                self._items(action, lead, sentence, marked=bool(block.marker))
                return
        if (
            trigger
            and (directs or (formal and self._issuer_asks(sentence_for_trigger, trigger.start())))
            and (block.credited or not self._request_subject(sentence_for_trigger, trigger.start()))
        ):
            addressee, action = _split_addressee(sentence_for_trigger[trigger.end() :])
            lead = self._lead_after = (
                self._lead_name(addressee)
                if addressee
                else (intro_lead or self._lead_name(self.proposal.locality))
            )
            if action.strip():
                self._items(action, lead, sentence, marked=bool(block.marker))
            return
        if request and speaker not in ("chair", "host", "other"):
            subject = self._request_subject(sentence, request.start())
            opening = _strip_connectors(sentence[: request.start()]).strip(" ,")
            if subject is None and self._requester and not opening:
                subject = self._requester  # "Đồng thời kiến nghị UBND tỉnh …": the same speaker asks again
            if subject is not None:
                self._requester = subject
                addressee, action = _split_addressee(sentence[request.end() :])
                if addressee or block.section in ("discussion", "participants") or formal:
                    for item in _request_items(action):
                        own = item.strip()
                        again = _REQUEST_TRIGGER.match(own)
                        to = addressee
                        if again:  # "…; đề nghị Sở tham mưu …": the item names its own addressee
                            to, own = _split_addressee(own[again.end() :])
                            to = to or addressee
                        self._request(own, self._lead_name(to) if to else self.proposal.host, sentence)
                    return
        passive = re.match(
            r"^(.{6,160}?)\s+sẽ được\s+(Sở(?:\s+[^,]{0,40}?)?)\s+((?:"
            + _alternation(ACTION_VERBS)
            + r")\b.*)$",
            _strip_connectors(content),
        )
        if passive and directs:
            # "Đề xuất đầu tư hệ thống quan trắc sẽ được Sở nghiên cứu, báo cáo UBND tỉnh."
            verb, _, rest = passive.group(3).partition(",")
            task = f"{verb} {passive.group(1)[:1].lower()}{passive.group(1)[1:]}" + (
                f",{rest}" if rest else ""
            )
            self._directive(task, self._lead_name(passive.group(2)), sentence)
            return
        if host_commitment and fold(self.proposal.host).startswith("so") and (directs or not formal):
            lead_here = self._lead_name(host_commitment.group(1))
            self._items(host_commitment.group(2), lead_here, sentence, commitment=True)
            return
        if not directs:
            return
        stripped = _strip_connectors(content)
        if block.credited:
            inline = re.match(r"^([^:]{3,80}):\s*(\S.+)$", stripped)
            if inline and _UNIT_HEAD_RE.match(inline.group(1)) and not _VERB_RE.search(inline.group(1)):
                lead = self._lead_after = self._lead_name(inline.group(1))  # "3. Sở Tài chính: cân đối …"
                self._items(inline.group(2), lead, sentence, marked=bool(block.marker))
                return
            if _EVALUATIVE.match(stripped) or len(stripped.split()) < 4:
                return
            subject, action = _subject_and_action(stripped, strict=True)
            if subject:
                lead = self._lead_after = self._lead_name(subject)
                self._items(action, lead, sentence, marked=bool(block.marker))
                return
            if _opens_with_verb(stripped):
                self._items(stripped, lead or self._default_lead(), sentence, marked=bool(block.marker))
            return
        subject, action = _subject_and_action(stripped)
        if subject and said and re.match(r"\S+(?:\s\S+){0,3}\s+cần\s", stripped):
            lead = self._lead_after = self._lead_name(subject)
            self._items(action, lead, sentence)
            return
        if lead is not None:
            if _opens_with_verb(stripped):
                self._items(stripped, lead, sentence)
                return
            if subject:
                lead = self._lead_after = self._lead_name(subject)
                self._items(action, lead, sentence)
                return
            if re.match(r"\S+(?:\s\S+){0,3}\s+cần\s", stripped):
                subject, action = stripped.split(" cần ", 1)
                lead = self._lead_after = self._lead_name(subject)
                self._items(action, lead, sentence)

    def _default_lead(self) -> str:
        """Whom a conclusion's item with no unit of its own is for: the locality met."""
        locality = self.proposal.locality
        if locality and not locality.startswith("tỉnh"):
            return self._lead_name(locality)
        return ""

    def _issuer_asks(self, sentence: str, trigger_start: int) -> bool:
        """A công văn's own request to units: "Sở Khoa học và Công nghệ đề nghị UBND các xã …"."""
        before = sentence[:trigger_start].strip(" ,")
        if not before:
            return False
        host = normalize(self.proposal.host)
        wanted = normalize(before)
        return (
            bool(host) and (wanted in host or host.startswith(wanted)) and wanted.startswith(("so", "ubnd"))
        )

    def _request_subject(self, sentence: str, trigger_start: int) -> str | None:
        """Who asks, when it is the locality ("huyện Định Hoá cũng đề nghị …"); None otherwise."""
        before = _strip_connectors(sentence[:trigger_start]).strip(" ,")
        before = _ADVERBIALS.sub(" ", before).strip(" ,")
        if not before:
            return None
        if _THIRD_PARTY.search(([c for c in re.split(r"[,;:…]", before) if c.strip()] or [""])[-1]):
            return None  # "Ý kiến của Hợp tác xã: đề nghị …"
        for index, person in enumerate(self.proposal.people):
            if person.name in before:
                return person.name if person.side not in ("host",) and index != self.proposal.chair else None
        if re.search(
            r"đồng chí|kết luận|chủ tịch|giám đốc|chủ trì|trưởng đoàn|lãnh đạo sở|đoàn công tác|đoàn kiểm tra",
            before,
            re.IGNORECASE,
        ) and not re.search(
            r"lãnh đạo (?:huyện|xã|phường)"
            + ("" if fold(self.proposal.host).startswith("so") else "|lãnh đạo sở"),
            before,
            re.IGNORECASE,
        ):
            return None
        if self._issuer_asks(sentence, trigger_start):
            return None
        return before

    def _items(
        self, action: str, lead: str, sentence: str, commitment: bool = False, marked: bool = False
    ) -> None:
        """One directive per task in `action`. Parts separated by ";" are tasks of their own when they open
        with a verb or name their own unit ("…; mỗi đơn vị đề xuất …" continues the part before); in a
        numbered or dashed item they are one task unless each carries its own deadline. Tasks joined by
        "và" are split when each carries its own deadline."""

        def dated(text: str) -> bool:
            recurrence, _, phrase = read_deadline(text, self.proposal.held_on)
            return phrase != "" and recurrence == "once"

        # "(1) rà soát …; (2) báo cáo …": an enumeration inside the sentence separates tasks too.
        action = re.sub(r"(?:^|[;,]?\s+)\(\d{1,2}\)\s*", "; ", action).strip("; ")
        raw = [p for p in (_strip_connectors(part) for part in action.split(";")) if p]
        if marked and len(raw) > 1 and not all(dated(p) for p in raw):
            raw = ["; ".join(raw)]
        parts: list[list[str]] = []  # [lead, text]
        current = lead
        for stripped in raw:
            subject, rest = _subject_and_action(stripped)
            if subject and not _opens_with_verb(stripped) and not commitment:
                current = self._lead_name(subject)
                parts.append([current, rest])
            elif parts and (not _opens_with_verb(stripped) or _SENDS_RESULT.match(stripped)):
                parts[-1][1] += "; " + stripped
            else:
                parts.append([current, stripped])
        for unit, text in parts:
            for one_unit, one_text in self._split_and(unit, text, dated):
                for one in self._leads(one_unit):
                    self._directive(one_text, one, sentence)

    def _split_and(self, unit: str, text: str, dated) -> list[tuple[str, str]]:
        """Tasks joined by "và": "… trong tháng 10 và Trung tâm X hỗ trợ … trước ngày 15/9" (a unit of its
        own), or two tasks each with its deadline."""
        found = re.search(
            r"\s+và\s+(?=(?:" + _alternation(h for h in UNIT_HEADS if h[:1].isupper()) + r")\s)", text
        )
        if found:
            left, right = text[: found.start()], text[found.end() :]
            partners_open = re.search(
                r"phối hợp(?: chặt chẽ)? với\s+(?!.*(?:" + _alternation(ACTION_VERBS) + r"))", left
            )
            subject, action = _subject_and_action(right, strict=True)
            if subject and not partners_open and len(left.split()) >= 3:
                return [(unit, left), (self._lead_name(subject), action)]
        pieces = re.split(r"\s+và\s+(?=" + _LEADING_VERB_RE.pattern.lstrip("^") + ")", text)
        if len(pieces) == 2 and all(dated(p) for p in pieces):
            return [(unit, pieces[0]), (unit, pieces[1])]
        return [(unit, text)]

    def _leads(self, lead: str) -> list[str]:
        """ "Sở Kế hoạch và Đầu tư, Sở Giáo dục và Đào tạo" → two leads (one directive each)."""
        pieces = [
            p.strip()
            for p in re.split(
                r",\s*|\s+và\s+(?=(?:Sở|UBND|Trung tâm|Phòng|Chi cục|Cục|Văn phòng|Ban)\s)", lead
            )
        ]
        if len(pieces) > 1 and all(
            re.match(r"(?:Sở|UBND|Trung tâm|Phòng|Chi cục|Cục|Văn phòng|Ban)\s", p) for p in pieces
        ):
            return [self._lead_name(p) for p in pieces]
        return [lead]

    def _answered_requests(self) -> None:
        """A conclusion's answer names the request it answers ("Đối với đề nghị hỗ trợ …: …"): the request
        is recorded too, unless the locality's own words already gave it."""
        for block in self.doc.blocks:
            if not block.credited:
                continue
            match = _ANSWERED_REQUEST.match(block.text)
            if not match:
                continue
            text = _clean_item(match.group(1))
            if any(_overlap(text, r.text) >= 0.5 for r in self.proposal.requests):
                continue
            self._request(text, self.proposal.host, block.text)


def _overlap(a: str, b: str) -> float:
    left, right = set(fold(a).split()), set(fold(b).split())
    return len(left & right) / max(1, min(len(left), len(right)))


def link_requests(proposal: Proposal) -> None:
    """Point each directive that answers a request ("Đối với đề xuất, kiến nghị của huyện, … giao cho …")
    at the request it answers: the one sharing most words with it (underthesea's word segmentation)."""
    if not proposal.requests:
        return
    request_words = [_content_words(request.text) for request in proposal.requests]
    for directive in proposal.directives:
        if not re.search(r"(?:đề xuất|kiến nghị|đề nghị) (?:của|hỗ trợ|về)", directive.sentence):
            continue
        own = _content_words(directive.text) | _content_words(directive.sentence)
        scored = [(len(own & words_), index) for index, words_ in enumerate(request_words)]
        best, index = max(scored)
        if best >= 2:
            directive.request_index = index


_STOPWORDS = frozenset(
    fold(w)
    for w in "các và của cho với để về trong theo là được những có thực hiện hỗ trợ huyện tỉnh sở xã".split()
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
    if proposal.chair_person is not None or proposal.directives:
        proposal.conclusion = " ".join(dict.fromkeys(d.sentence for d in proposal.directives if d.sentence))
    return proposal


# Kept for callers of the first version.
_districts = districts
ProposedRequest = ProposedRequest
