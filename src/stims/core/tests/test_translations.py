"""The Vietnamese catalogue is complete, well-formed and compiled.

Pure Python on purpose: CI does not need GNU gettext. The .po file is read with `polib` (the `dev`
extra); the committed .mo file is read with the standard library's `gettext` module and compared
entry by entry with the .po file, so a forgotten `compilemessages` fails here.
"""

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{\{\s*\w+\s*\}\}")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    def __str__(self) -> str:
        return f"{PO_FILE.name}:{self.line}: {self.msgid!r}"


def _entry(po_entry: polib.POEntry) -> Entry:
    if po_entry.msgid_plural:
        msgstr = {int(index): text for index, text in po_entry.msgstr_plural.items()}
    else:
        msgstr = {0: po_entry.msgstr}
    return Entry(
        line=po_entry.linenum or 0,
        flags=set(po_entry.flags),
        msgctxt=po_entry.msgctxt,
        msgid=po_entry.msgid,
        msgid_plural=po_entry.msgid_plural or None,
        msgstr=msgstr,
        obsolete=bool(po_entry.obsolete),
    )


def parse_po(path: Path) -> list[Entry]:
    """The header (as an entry with an empty msgid) and every entry that is not obsolete."""
    try:
        po = polib.pofile(str(path), encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise AssertionError(f"{path.name}: cannot parse: {exc}") from exc
    header = _entry(po.metadata_as_entry()) if po.metadata else None
    entries = [_entry(e) for e in po if not e.obsolete]
    return [e for e in [header, *entries] if e is not None and (e.msgid or any(e.msgstr.values()))]


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO_FILE.exists(), f"{PO_FILE} is missing: run `stims makemessages -l vi`"
    return parse_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(catalogue) -> list[Entry]:
    return [e for e in catalogue if e.msgid != ""]


def test_the_catalogue_declares_vietnamese_with_a_single_plural_form(catalogue):
    headers = [e for e in catalogue if e.msgid == ""]
    assert len(headers) == 1, "the .po file needs exactly one header entry"
    header = headers[0]
    assert "fuzzy" not in header.flags, "the header is still marked fuzzy"
    text = header.msgstr[0]
    assert "Language: vi\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text


def test_the_catalogue_is_not_empty(messages):
    assert len(messages) > 100


def test_every_message_has_a_vietnamese_translation(messages):
    untranslated = [str(e) for e in messages if not e.msgstr or not all(s.strip() for s in e.msgstr.values())]
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_no_message_is_fuzzy(messages):
    fuzzy = [str(e) for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries (check the translation, then remove the flag):\n" + "\n".join(fuzzy)


def test_plural_messages_fill_exactly_the_one_vietnamese_form(messages):
    wrong = [str(e) for e in messages if e.msgid_plural is not None and set(e.msgstr) != {0}]
    assert not wrong, "plural entries must have msgstr[0] only (nplurals=1):\n" + "\n".join(wrong)


def test_translations_keep_every_placeholder(messages):
    wrong = []
    for e in messages:
        expected = sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
        for index, text in e.msgstr.items():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{e} msgstr[{index}]={text!r}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_the_compiled_catalogue_matches_the_po_file(messages):
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run `stims compilemessages`"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for e in messages:
        if e.msgid_plural is None:
            if compiled.get(e.key) != e.msgstr.get(0):
                stale.append(str(e))
        elif compiled.get((e.key, 0)) != e.msgstr.get(0):
            stale.append(str(e))
    assert not stale, "django.mo is out of date (run `stims compilemessages`):\n" + "\n".join(stale)


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("Log out", "Đăng xuất"),
        ("Log in", "Đăng nhập"),
        ("Change history", "Lịch sử thay đổi"),
        ("Deleted records", "Bản ghi đã xóa"),
        ("Restore", "Khôi phục"),
        ("Search", "Tìm kiếm"),
        ("Administrative units", "Đơn vị hành chính"),
        ("Organizations", "Cơ quan, tổ chức"),
        ("People", "Cá nhân"),
        ("Local S&T bodies", "Bộ máy KH&CN địa phương"),
        ("Department leader", "Lãnh đạo Sở"),
        ("Read-only viewer", "Người xem (chỉ đọc)"),
        ("Generation", "Giai đoạn"),
        ("before 2025", "trước 2025"),
    ],
)
def test_django_serves_the_vietnamese_translation(english, vietnamese):
    with translation.override("vi"):
        assert translation.gettext(english) == vietnamese
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_plural_and_placeholder_messages_render_in_vietnamese():
    with translation.override("vi"):
        for count in (1, 25):
            text = translation.ngettext("%(counter)s record", "%(counter)s records", count)
            assert text % {"counter": count} == f"{count} bản ghi"
        assert translation.gettext("Restored “%(object)s”.") % {"object": "X"} == "Đã khôi phục “X”."
