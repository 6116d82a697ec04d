"""Vietnamese text folding for search: the same on SQLite and PostgreSQL because it runs in Python."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (đ → d), turn punctuation into spaces, collapse whitespace.

    >>> fold("Huyện Định Hóa")
    'huyen dinh hoa'
    """
    if not text:
        return ""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = _PUNCT.sub(" ", stripped.lower())
    return _SPACES.sub(" ", stripped).strip()
