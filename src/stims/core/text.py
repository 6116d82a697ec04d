"""Vietnamese text folding for search: the same on SQLite and PostgreSQL because it runs in Python."""

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (đ → d), turn punctuation into spaces, collapse whitespace.

    >>> fold("Huyện Định Hóa")
    'huyen dinh hoa'
    """
    if not text:
        return ""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    # The combining marks (category Mn) dropped: those of Vietnamese and other Latin text (U+0300–U+036F)
    # by one regular expression, any other only if some non-ASCII character is left. A search text of
    # every imported record is folded: the per-character loop was most of an import's writing time.
    stripped = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text))
    if not stripped.isascii():
        stripped = "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")
    stripped = _PUNCT.sub(" ", stripped.lower())
    return " ".join(stripped.split())  # str.split's whitespace is the regular expressions' \s


_LATIN_MARKS = re.compile("[\u0300-\u036f]")
