"""The Vietnamese interface shows no raw code and no English, over the demo data.

The department leader opens every page the menus lead to and the first records of every list, as a
person would. The text a person sees (text nodes, placeholders, tooltips, labels for screen readers)
must hold none of:
  * a role code (`leader`, `local_officer`…), a workflow state or phase code, a directive state code;
  * an ISO week (`2026-W49`), a Python value (`True`, `False`, `None`);
  * an English message of the catalogue shown untranslated (a text node that is exactly a msgid
    whose Vietnamese differs);
  * a count of five digits or more without its thousands separator next to "bản ghi" (records).
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import polib
import pytest
from django.conf import settings

ROLE_CODES = ("leader", "specialist", "inspector", "local_officer", "council_member", "viewer")
ISO_WEEK = re.compile(r"\b\d{4}-W\d{2}\b")
PYTHON_VALUES = re.compile(r"\b(True|False|None)\b")
UNGROUPED_COUNT = re.compile(r"\b\d{5,} bản ghi")
DETAIL = re.compile(r"^/[\w-]+(/[\w-]+)*/\d+/$")
SKIP = re.compile(r"^/(admin|api|static|media|accounts/logout|i18n)/|[?&]_export=|\.(ics|xlsx|csv|pdf)$")
DETAILS_PER_LIST = 2
MAX_PAGES = 260


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes (not scripts or styles), and the placeholder,
    title and aria-label attributes; plus the page's links. Text marked `lang="en"` is English on
    purpose (e.g. the English headings an import also reads) and is left out."""

    HIDDEN = {"script", "style", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    SPOKEN = ("placeholder", "title", "aria-label")

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, text inside is skipped)

    def _skipped(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        skipped = self._skipped() or tag in self.HIDDEN or (values.get("lang") or "").startswith("en")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if not skipped:
            self.texts.extend(values[name].strip() for name in self.SPOKEN if values.get(name))
        if tag not in self.VOID:
            self._stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                break

    def handle_data(self, data):
        if not self._skipped() and data.strip():
            self.texts.append(" ".join(data.split()))


def english_messages() -> set[str]:
    """Messages of the catalogue whose Vietnamese differs, long enough not to be a name or a code."""
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"))
    return {
        e.msgid
        for e in po
        if e.msgstr
        and e.msgstr != e.msgid
        and "%(" not in e.msgid
        and len(e.msgid) >= 4
        and re.search(r"[a-z]{3}", e.msgid)
    }


def state_codes() -> set[str]:
    from stims.meetings.models import DirectiveState
    from stims.sttasks.models import Phase, WorkflowState

    codes = set(WorkflowState.objects.values_list("code", flat=True))
    codes |= {value for value, _label in DirectiveState.choices} | {value for value, _label in Phase.choices}
    return {code for code in codes if "_" in code or len(code) > 4}


# A language's name in its own language (the language switcher).
OWN_NAMES = {"English"}


def problems_of(texts: list[str], english: set[str], codes: re.Pattern) -> list[str]:
    found = []
    for text in texts:
        if text in english and text not in OWN_NAMES:
            found.append(f"English: {text!r}")
        for pattern, what in (
            (codes, "code"),
            (ISO_WEEK, "ISO week"),
            (PYTHON_VALUES, "Python value"),
            (UNGROUPED_COUNT, "count without separator"),
        ):
            match = pattern.search(text)
            if match:
                found.append(f"{what} {match.group(0)!r} in {text[:80]!r}")
    return found


def test_the_checks_find_what_the_issue_found():
    english = {"Overdue", "Title"}
    codes = re.compile(r"\b(leader|specialist|proposed)\b")
    parser = VisibleText()
    parser.feed(
        "<p>Hoàn thành (proposed · Chuẩn bị)</p><td>leader,specialist</td><h1>Lịch công tác, tuần 2026-W49"
        '</h1><div>14149 bản ghi</div><th>Overdue</th><input placeholder="Title"><script>var a = "Title"'
        '</script><td lang="en">Title</td><p>14.149 bản ghi, tuần 49/2026, Tổng cộng</p><p>None</p>'
    )
    found = problems_of(parser.texts, english, codes)
    assert found == [
        "code 'proposed' in 'Hoàn thành (proposed · Chuẩn bị)'",
        "code 'leader' in 'leader,specialist'",
        "ISO week '2026-W49' in 'Lịch công tác, tuần 2026-W49'",
        "count without separator '14149 bản ghi' in '14149 bản ghi'",
        "English: 'Overdue'",
        "English: 'Title'",  # the placeholder; the script and the lang="en" cell are left out
        "Python value 'None' in 'None'",
    ]


@pytest.mark.django_db
@pytest.mark.slow
def test_the_leaders_pages_over_the_demo_data_show_no_raw_code_and_no_english(demo_data, client):
    from stims.accounts.models import User

    client.force_login(User.objects.get(username="lanhdao"))
    english = english_messages()
    codes = re.compile(r"\b(" + "|".join(sorted(map(re.escape, {*ROLE_CODES, *state_codes()}))) + r")\b")

    queue, seen, report, visited = ["/"], {"/"}, {}, 0
    details_taken: dict[str, int] = {}
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        response = client.get(path)
        visited += 1
        assert response.status_code < 500, f"{path}: {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        found = problems_of(parser.texts, english, codes)
        if found:
            report[path] = sorted(set(found))
        for href in parser.links:
            target = urlsplit(urljoin(path, href))
            if target.netloc or SKIP.search(target.path + ("?" + target.query if target.query else "")):
                continue
            link = target.path
            if link in seen:
                continue
            if DETAIL.match(link):
                # A few records of each list, not every one.
                parent = link.rstrip("/").rsplit("/", 1)[0]
                if details_taken.get(parent, 0) >= DETAILS_PER_LIST:
                    continue
                details_taken[parent] = details_taken.get(parent, 0) + 1
            elif link.count("/") > 4:
                continue
            seen.add(link)
            queue.append(link)
    assert visited > 60, f"only {visited} pages reached"
    assert not report, "\n".join(f"{path}: {'; '.join(found)}" for path, found in sorted(report.items()))
