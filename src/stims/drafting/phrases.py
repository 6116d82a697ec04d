"""The reading stage's phrases: compiled patterns built from the lexicon and small pure helpers that cut a
sentence into its addressee, subject and action. No state; the stages in `session.py` and `reading.py`
use them."""

from __future__ import annotations

import datetime
import re

from stims.core.text import fold

from .lexicon import (
    ACTION_VERBS,
    CONNECTORS,
    DEPARTMENT_NAMES,
    DIRECTIVE_TRIGGERS,
    NOT_DIRECTIVE,
    REQUEST_TRIGGERS,
    UNIT_HEADS,
)

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
    r"^(?:(?:Kiến nghị|Đề nghị|Đề xuất)(?=\s+về\s)|(?:Đối với|Về)\s+(?:các\s+)?(?:đề nghị|kiến nghị|đề xuất)(?:\s+của\s+(?:UBND\s+|Ủy ban nhân dân\s+)?(?:huyện|xã|phường|thị trấn|đặc khu|địa phương|tỉnh|đơn vị|doanh nghiệp|HTX|hợp tác xã))?"
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
# "hướng dẫn xã", "hỗ trợ các hộ": a guiding verb and a short object; a "và" after it adds a second object
# ("hướng dẫn xã và Hợp tác xã X lập hồ sơ"), not a second unit with a task of its own.
_GUIDES_SHORT_OBJECT = re.compile(
    r"^(?:hướng dẫn|hỗ trợ|giúp|giúp đỡ|phối hợp với|tạo điều kiện cho|đôn đốc|chỉ đạo|tư vấn cho|tư vấn)"
    r"(?:\s+\S+){1,3}$",
    re.IGNORECASE,
)
# "Đối với 124 xã, phường chưa cử công chức …, đề nghị …": the units a request with no addressee is for.
_CONCERNED_UNITS = re.compile(
    r"^\s*Đối với\s+((?:các\s+|\d[\d.]*\s+)?(?:xã|phường|huyện|đơn vị|sở|cơ quan|doanh nghiệp|tổ chức|hợp tác xã)"
    r"\b[^:;]{0,140}?)\s*,\s*$"
)
# "Phòng X được giao chủ trì …", "Phòng Y có trách nhiệm bố trí …": a unit and the task it is given.
_ASSIGNED_UNIT = re.compile(
    r"^(?P<unit>(?:" + _alternation(h for h in UNIT_HEADS if h[:1].isupper()) + r")\s[^.;:]{2,100}?)\s+"
    r"(?:được giao(?:\s+nhiệm vụ)?|có trách nhiệm|chịu trách nhiệm)\s+(?P<task>\S.+)$"
)


def _assigned_unit(text: str) -> re.Match | None:
    """ "Phòng X được giao chủ trì …" with a unit's name before "được giao" (no verb of its own: not "UBND
    huyện đẩy nhanh giải ngân kinh phí được giao trước ngày …")."""
    found = _ASSIGNED_UNIT.match(text)
    return found if found and not _VERB_RE.search(found.group("unit")) else None


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
    if verb is None and colon < 0 and len(rest.split()) <= 8 and _is_addressee(rest.strip()):
        return rest.strip(" ,."), ""  # "UBND các xã, phường": a list of units with no task after it
    # With no verb, a colon closes the addressee ("đề nghị UBND các xã, phường:"), else the first comma.
    end = verb.start() if verb else (colon if colon >= 0 else comma)
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
    addressee = re.sub(r"\s+cùng(?:\s+nhau)?$", "", addressee)  # "xã A và Hợp tác xã B cùng xây dựng …"
    action = rest[end:].lstrip(" ,:")
    timing = re.search(
        r"\s+((?:hằng|hàng)\s+(?:năm|quý|tháng)|định kỳ(?:\s+\S+){0,3}?|thường xuyên)$", addressee
    )
    if timing:  # "đề nghị UBND phường hằng năm rà soát …": the time word belongs to the task
        addressee, action = addressee[: timing.start()], f"{timing.group(1)} {action}"
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
    if _opens_with_verb(text):
        return "", text  # "Báo cáo kết quả thực hiện …": the item's own verb, not a unit named "Báo cáo"
    grounded = re.match(r"^(.{3,90}?)\s+(căn cứ\s.+)$", text)
    if grounded and _UNIT_HEAD_RE.match(grounded.group(1)):
        # "Các sở, ban, ngành căn cứ nhu cầu thực tiễn, đề xuất …": the units, then the ground of the task
        # (a task follows a later comma).
        ground = grounded.group(2)
        if any(_opens_with_verb(after.strip()) for after in ground.split(",")[1:]):
            return grounded.group(1).strip(" ,"), ground
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
            and re.search(r"\s(?:là|đã|đang|được|có(?! tên)|còn|chưa|và các|với)\s", f" {subject} ")
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
