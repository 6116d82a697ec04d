"""Figures the locality reports: counts of things ("13 sản phẩm OCOP"), money ("550 triệu đồng"), shares
("81%"). A range ("1 - 2 sản phẩm") is not a figure; an amount is labelled by the noun written before it
("doanh thu đạt 2 tỷ đồng" → "doanh thu"), else "kinh phí"."""

from __future__ import annotations

import re
from decimal import Decimal

from .lexicon import AMOUNT_NOUNS, COUNT_NOUNS
from .proposal import ProposedFigure

_NOT_AFTER_RANGE = r"(?<![\w/.,-])(?<!năm )(?<!Năm )(?<!quý )(?<!\d\s-\s)(?<!\d\s–\s)(?<!\d-)(?<!\d–)"
# What follows a figure, up to the next figure ("12 sản phẩm OCOP và 3 sản phẩm 4 sao" is two).
_REST = r"((?:(?!\s(?:và|với|cùng|trong đó|gồm)\s+\d)[^,;.:()])*)"
_COUNT_RE = re.compile(
    _NOT_AFTER_RANGE
    + r"(\d{1,3}(?:\.\d{3})+|\d+)(?!\s*[-–]\s*\d)\s+("
    + "|".join(re.escape(n) for n in sorted(COUNT_NOUNS, key=len, reverse=True))
    + r")(?![\w])"
    + _REST
)
_MONEY_RE = re.compile(
    _NOT_AFTER_RANGE + r"(\d+(?:[.,]\d+)?)(?!\s*[-–]\s*\d)\s*(triệu|tỷ)(?:\s+đồng)?(?![\w])" + _REST
)
_PERCENT_RE = re.compile(_NOT_AFTER_RANGE + r"(\d+(?:[.,]\d+)?)\s*%\s*([^,;.:()]*)")
_YEAR_RE = re.compile(r"(?:[Nn]ăm|giai đoạn)\s+(20\d\d)(?![\d-])")
_AMOUNT_NOUN_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(n) for n in sorted(AMOUNT_NOUNS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)


def short_label(text: str, prefix: str = "") -> str:
    # "08 sản phẩm được xếp 3 sao", "03 sản phẩm đã được xây dựng nhãn hiệu": the rating or the mark is
    # what tells these products apart, so "được" before it stays in the label.
    text = re.split(
        r"\s(?:trong đó|và|để|nhằm|với)\s"
        r"|\s(?:đã|được)\s+(?!(?:được\s+)?(?:xếp|xây dựng|cấp|công nhận|chứng nhận|bảo hộ|đăng ký)\b)",
        f" {' '.join(text.split())} ",
    )[0]
    words_ = text.split()[:8]
    return f"{prefix}{' '.join(words_)}" if words_ else ""


def _amount_noun(before: str) -> str:
    # The nearest amount noun in the same clause ("doanh thu đạt", "tổng kinh phí hỗ trợ là").
    clause = re.split(r"[,;:]", before)[-1]
    nouns = list(_AMOUNT_NOUN_RE.finditer(clause))
    return nouns[-1].group(1).lower() if nouns else "kinh phí"


def find_figures(sentence: str) -> list[ProposedFigure]:
    found: list[ProposedFigure] = []
    years = [(m.start(), int(m.group(1))) for m in _YEAR_RE.finditer(sentence)]

    def year_before(position: int) -> int | None:
        earlier = [value for start, value in years if start < position]
        return earlier[-1] if earlier else None

    for match in _MONEY_RE.finditer(sentence):
        number = Decimal(match.group(1).replace(",", "."))
        multiplier = Decimal(1_000_000) if match.group(2) == "triệu" else Decimal(1_000_000_000)
        noun = _amount_noun(sentence[: match.start()])
        rest = short_label(match.group(3))
        label = rest if rest.lower().startswith(noun) else f"{noun} {rest}".strip()
        found.append(
            ProposedFigure(
                label=label,
                value=number * multiplier,
                unit="VND",
                year=year_before(match.start()),
                sentence=sentence,
            )
        )
    for match in _PERCENT_RE.finditer(sentence):
        found.append(
            ProposedFigure(
                label=short_label(match.group(2)) or "tỷ lệ",
                value=Decimal(match.group(1).replace(",", ".")),
                unit="%",
                year=year_before(match.start()),
                sentence=sentence,
                text=match.group(0).strip(),
            )
        )
    for match in _COUNT_RE.finditer(sentence):
        found.append(
            ProposedFigure(
                label=f"{match.group(2)}{short_label(match.group(3), prefix=' ')}",
                value=Decimal(match.group(1).replace(".", "")),
                unit=match.group(2),
                year=year_before(match.start()),
                sentence=sentence,
                text=match.group(0).strip(),
            )
        )
    return found
