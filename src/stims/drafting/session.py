"""The session stage: host, locality met, place, the people with their sides and the chair, who speaks in a sentence, and the names of the units addressed."""

from __future__ import annotations

import re

from stims.core.text import fold

from . import nlp
from .lexicon import (
    TITLE_HEADS,
)
from .people import find_people, merge_person, side_of
from .phrases import (
    _UNIT_CHAIRS,
    REFORM_DAY,
    _group_side,
    issuer_name,
)
from .places import localities
from .proposal import Proposal, ProposedPerson
from .structure import Document

# "UBND các phường Hạ Long, Cẩm Phả", "các xã Quảng Tân và Quảng Đức": several localities of one kind, by name.
_SEVERAL_NAMED = re.compile(
    r"^(?:UBND|Ủy ban nhân dân)?\s*các\s+(xã|phường|huyện|thị trấn|đặc khu)\s+"
    r"((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][^\s,]*\s?){1,3}(?:(?:,\s*|\s+và\s+)"
    r"(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][^\s,]*\s?){1,3})+)$"
)
# "xã Quảng Đức và Hợp tác xã Quế Hồi": a locality and another unit, both leads.
_UNITS_JOINED = re.compile(
    r"^((?:UBND\s+)?(?:xã|phường|huyện|đặc khu|thị trấn|Sở|Phòng|Trung tâm|Chi cục)\s+[^,;:]{2,60}?)\s+và\s+"
    r"((?:UBND|Hợp tác xã|HTX|Công ty|Trường|Viện|Hội|Sở|Phòng|Trung tâm|Chi cục|Ban quản lý)\s+[^,;:]{2,60})$"
)


class SessionStage:
    """Session fields, people and unit names (mixed into the reader)."""

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
        several = _SEVERAL_NAMED.match(addressee)
        if several:
            # "UBND các phường Hạ Long, Cẩm Phả" → each ward's UBND (joined by "và": reading._leads cuts there)
            kind = several.group(1).lower()
            names = [n.strip() for n in re.split(r",\s*|\s+và\s+", several.group(2)) if n.strip()]
            return " và ".join(f"UBND {kind} {name}" for name in names)
        joined = _UNITS_JOINED.match(addressee)
        if joined and not re.search(r"\bvà\s+(?:Đầu tư|Đào tạo|Môi trường|Công nghệ|Ứng dụng)", addressee):
            # "xã Quảng Đức và Hợp tác xã Quế Hồi": two units, each named as a lead is.
            return f"{self._lead_name(joined.group(1))} và {self._lead_name(joined.group(2))}"
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
