"""The reading stage: per block and sentence, the chair's directives, the locality's requests and the figures; then the requests each directive answers."""

from __future__ import annotations

import re
from dataclasses import replace

from stims.core.text import fold

from . import nlp
from .dates import read_deadline
from .figures import find_figures
from .lexicon import (
    ACTION_VERBS,
    UNIT_HEADS,
)
from .phrases import (
    _ADVERBIALS,
    _ANSWERED_REQUEST,
    _ASKS_FOR_ITEMS,
    _CLOSING,
    _CONCERNED_UNITS,
    _CONTINUES_CHAIR,
    _DIRECTIVE_TRIGGER,
    _EVALUATIVE,
    _GUIDES_SHORT_OBJECT,
    _INTRODUCES,
    _LEADING_VERB_RE,
    _LOCALITY_VOICE,
    _REQUEST_TRIGGER,
    _SENDS_RESULT,
    _THIRD_PARTY,
    _UNIT_HEAD_RE,
    _VERB_RE,
    _alternation,
    _assigned_unit,
    _clean_item,
    _is_addressee,
    _masked,
    _opens_with_verb,
    _request_items,
    _split_addressee,
    _strip_connectors,
    _subject_and_action,
    _topic_of,
    normalize,
)
from .proposal import Proposal, ProposedDirective, ProposedRequest
from .structure import Block, Document, is_conclusion_opener


class ReadingStage:
    """Directives and requests, sentence by sentence (mixed into the reader)."""

    # Set by the reader (rules._Reader) that mixes the stages together.
    text: str
    doc: Document
    proposal: Proposal
    known_provinces: list[str]
    last_locality: tuple[str, str] | None
    _chair_title: str
    _requester: str | None
    _last_speaker: str | None
    _lead_after: str | None
    _topic: str

    def _directive(self, item: str, lead: str, sentence: str, also: list[str] | None = None) -> None:
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
                leads=[lead, *(also or [])] if not partnership else [lead],
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
                and (_CONTINUES_CHAIR.match(sentence) or _assigned_unit(sentence))
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
            evaluated = re.match(
                r"^(?:ghi nhận|đồng ý|nhất trí|thống nhất)\s*(?:,\s*|\s+và\s+)?", action, re.IGNORECASE
            )
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
            concerned = _CONCERNED_UNITS.match(sentence_for_trigger[: trigger.start()])
            lead = self._lead_after = (
                self._lead_name(addressee)
                if addressee
                # "Đối với 124 xã, phường chưa cử đầu mối, đề nghị khẩn trương cử …": the units concerned.
                else re.sub(r"^\d[\d.]*\s+", "Các ", concerned.group(1))
                if concerned
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
        assigned = _assigned_unit(stripped)
        if assigned:
            lead = self._lead_after = self._lead_name(assigned.group("unit"))
            self._items(assigned.group("task"), lead, sentence, marked=bool(block.marker))
            return
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
        parts: list[list[str]] = []  # [lead, text]
        current = lead
        for stripped in raw:
            again = _DIRECTIVE_TRIGGER.match(_masked(stripped)) if parts else None
            if again:  # "…; giao Văn phòng Sở bố trí …": the part names its own unit
                addressee, rest = _split_addressee(stripped[again.end() :])
                if addressee and rest.strip():
                    current = self._lead_name(addressee)
                    parts.append([current, rest])
                    continue
            subject, rest = _subject_and_action(stripped)
            if subject and not _opens_with_verb(stripped) and not commitment:
                current = self._lead_name(subject)
                parts.append([current, rest])
            elif parts and (
                not _opens_with_verb(stripped)
                or _SENDS_RESULT.match(stripped)
                or _only_reports_back(stripped)
            ):
                parts[-1][1] += "; " + stripped
            else:
                parts.append([current, stripped])
        for unit, text in parts:
            for one_unit, one_text in self._split_and(unit, text, dated):
                leads = self._leads(one_unit)  # "Sở A, Sở B cung cấp …": one task, several lead units
                self._directive(one_text, leads[0], sentence, also=leads[1:])

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
            co_object = _GUIDES_SHORT_OBJECT.match(left)  # "hướng dẫn xã và Hợp tác xã X lập hồ sơ"
            if subject and not partners_open and not co_object and len(left.split()) >= 3:
                return [(unit, left), (self._lead_name(subject), action)]
        pieces = re.split(r"\s+và\s+(?=" + _LEADING_VERB_RE.pattern.lstrip("^") + ")", text)
        if len(pieces) == 2 and all(dated(p) for p in pieces):
            return [(unit, pieces[0]), (unit, pieces[1])]
        return [(unit, text)]

    def _leads(self, lead: str) -> list[str]:
        """ "Sở Kế hoạch và Đầu tư, Sở Giáo dục và Đào tạo" → two leads (one directive each); "Các sở, ban,
        ngành và UBND các huyện, thành phố" → two leads, each a group the text names with commas."""
        groups = [
            p.strip()
            for p in re.split(
                r"\s+và\s+(?=(?:UBND|Ủy ban|Uỷ ban|[Cc]ác|Sở|Trung tâm|Phòng|Chi cục|Hợp tác xã|HTX|Công ty"
                r"|Trường|Viện|Hội|Ban quản lý)\s)",
                lead,
            )
        ]
        if len(groups) > 1 and all(
            re.match(r"(?:[Cc]ác|UBND|Ủy ban|Uỷ ban|Hợp tác xã|HTX|Công ty|Trường|Viện|Hội|Ban quản lý)\s", g)
            for g in groups
        ):
            return [self._lead_name(g[:1].upper() + g[1:]) for g in groups]
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


def _only_reports_back(text: str) -> bool:
    """ "báo cáo kết quả trước ngày 15/01/2025", "trước ngày 15/12/2023": when to report, not a task."""
    _, _, phrase = read_deadline(text, None)
    rest = text.replace(phrase, " ") if phrase else text
    rest = re.sub(r"[\s.,;]+", " ", rest).strip()
    return bool(phrase) and (
        not rest
        or bool(re.fullmatch(r"(?:gửi|nộp|báo cáo)(?:\s+(?:kết quả|tiến độ|báo cáo))?", rest, re.IGNORECASE))
    )


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
