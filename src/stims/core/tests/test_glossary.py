"""The Vietnamese catalogue follows the department's glossary (docs/glossary.md, "Terms the catalogue
follows"): department terms are translated the same way wherever they appear in a label, and every
word with several senses has, under its context, the sense the glossary gives it."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"
SHORT = 8  # words: labels, headings, menu items, short messages


def glossary_path() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "docs" / "glossary.md"
        if candidate.exists():
            return candidate
    raise AssertionError("docs/glossary.md not found above " + str(here))


def table_after(text: str, heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table after `heading`, without its header."""
    start = text.index(heading)
    rows = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return [row for row in rows[2:]]  # header and separator


@pytest.fixture(scope="module")
def glossary() -> str:
    return glossary_path().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def catalogue() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(PO_FILE)) if not e.obsolete and e.msgid]


def translations(entry: polib.POEntry) -> list[str]:
    return [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())


def test_the_glossary_tables_are_read(glossary):
    terms = table_after(glossary, "### Department terms")
    senses = table_after(glossary, "### One English word, several senses")
    assert len(terms) >= 30 and all(len(row) == 3 and row[0] and row[1] for row in terms)
    assert len(senses) >= 25 and all(len(row) == 4 and all(row[:3]) for row in senses)


def test_department_terms_are_translated_as_the_glossary_says(glossary, catalogue):
    strays = []
    for english, vietnamese, also in table_after(glossary, "### Department terms"):
        accepted = [vietnamese.lower(), *(a.strip().lower() for a in also.split(",") if a.strip())]
        pattern = re.compile(r"\b" + re.escape(english) + r"\b", re.IGNORECASE)
        for entry in catalogue:
            if len(entry.msgid.split()) > SHORT or not pattern.search(entry.msgid):
                continue
            for text in translations(entry):
                if text and not any(a in text.lower() for a in accepted):
                    strays.append(f"{english!r} → {vietnamese!r}: {entry.msgid!r} is translated {text!r}")
    assert not strays, "\n".join(strays)


def test_every_sense_with_a_context_has_the_glossarys_translation(glossary, catalogue):
    by_key = {(e.msgctxt, e.msgid): e for e in catalogue}
    wrong = []
    for msgid, context, vietnamese, _where in table_after(glossary, "### One English word, several senses"):
        entry = by_key.get((context, msgid))
        if entry is None:
            wrong.append(f"{msgid!r} ({context}) is not in the catalogue")
        elif entry.msgstr[:1].lower() + entry.msgstr[1:] != vietnamese[:1].lower() + vietnamese[1:]:
            wrong.append(f"{msgid!r} ({context}) is {entry.msgstr!r}, the glossary says {vietnamese!r}")
    assert not wrong, "\n".join(wrong)


# The wrong senses the review of issue 13 found on the pages, by message and context.
WRONG_SENSES = [
    ("Title", "session", "Chức vụ"),
    ("Chair", "session participant", "Chủ tịch"),
    ("Where", "session place", "Nơi ứng dụng"),
    ("From", "request from", "Từ ngày"),
    ("From", "state change", "Từ ngày"),
    ("To", "state change", "Đến ngày"),
    ("to", "year range", "đến ngày"),
    ("total", "total row", "tổng điểm"),
    ("receiving locality", "handover", "địa phương được bố trí"),
    ("Any", "yes/no filter", "Chưa xác định"),
    ("Clear", None, "Xóa bộ lọc"),  # the file box's "Clear" (Django's own message, no context)
]


@pytest.mark.parametrize(("msgid", "context", "wrong"), WRONG_SENSES)
def test_the_wrong_senses_found_on_the_pages_are_gone(catalogue, msgid, context, wrong):
    entry = next((e for e in catalogue if e.msgid == msgid and (e.msgctxt or None) == context), None)
    assert entry is not None and entry.msgstr and entry.msgstr.lower() != wrong.lower()
