"""The Vietnamese NLP the drafting rules use: underthesea's sentence and word segmentation.

Both run offline: their CRF models ship inside the underthesea wheel, installed by the optional `nlp`
extra (`pip install "stims[nlp]"`, pinned in pyproject.toml). Without it this module still imports:
`available()` says so, and the drafting page tells the user instead of proposing anything.
underthesea's named-entity tagger is not used: its bundled CRF model tags "đồng chí Phạm Quốc Chính"
as a place, and its better model (`deep=True`) downloads weights at run time. People are found by
our own rules instead, on the words underthesea segments (it keeps a full name as one word).
"""

from __future__ import annotations

import functools
import importlib.util
import re

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
# underthesea keeps "… phát triển KH&CN. Huyện có …" together (it takes "KH&CN." for an abbreviation);
# we split again after a full stop that ends a word and opens a capitalised word, unless the word is one
# of the abbreviations written with a full stop in these reports.
_MISSED_BREAK = re.compile(r"(?<=[^\W\d_])\.\s+(?=[^\W\d_])")
_DOTTED_ABBREVIATIONS = ("TP", "Tp", "ThS", "TS", "PGS", "GS", "KS", "BS", "Q", "P")


class NlpMissing(ImportError):
    """The `nlp` extra (underthesea) is not installed."""


def available() -> bool:
    """Whether the `nlp` extra (underthesea) is installed."""
    return importlib.util.find_spec("underthesea") is not None


@functools.cache
def _underthesea():
    # Imported on first use: loading the CRF models takes half a second, which pages that never
    # draft should not pay at start-up.
    try:
        import underthesea
    except ImportError as exc:
        raise NlpMissing(
            'Drafting from text needs the "nlp" extra: pip install "stims[nlp]" (underthesea).'
        ) from exc
    return underthesea


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (a news report pasted from a web page has one per line)."""
    return [part.strip() for part in _PARAGRAPH_BREAK.split(text or "") if part.strip()]


def sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences; underthesea knows Vietnamese abbreviations such as "TP."."""
    found = []
    for sentence in _underthesea().sent_tokenize(paragraph):
        start = 0
        for match in _MISSED_BREAK.finditer(sentence):
            word = re.findall(r"[^\s(]+$", sentence[: match.start()])
            if (
                not match.group(0)
                or not sentence[match.end()].isupper()
                or (word and word[0] in _DOTTED_ABBREVIATIONS)
            ):
                continue
            found.append(sentence[start : match.start() + 1])
            start = match.end()
        found.append(sentence[start:])
    return [sentence.strip() for sentence in found if sentence.strip()]


def words(sentence: str) -> list[str]:
    """Word segmentation: "Phó Chủ tịch UBND tỉnh Lê Đức Tiến" → [..., "tỉnh", "Lê Đức Tiến"]."""
    return _underthesea().word_tokenize(sentence)


def version() -> str:
    return _underthesea().__version__
