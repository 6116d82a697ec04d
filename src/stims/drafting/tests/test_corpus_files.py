"""The drafting evaluation corpus is well formed: every text has an expected answer that follows the schema
`stims draft --json` prints, the answers quote the text they were written for, and both halves are big and
varied enough to score on (at least 15 texts and 6 styles each, every style in both halves). The held-out
`test/` half may be empty (only its README) until the coordinator adds a fresh one; its checks then skip."""

import datetime
import json
import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
HALVES = ("dev", "test")
STYLES = {"news", "thongbao", "bienban", "congvan", "portal", "chidao", "giaymoi", "kehoach"}
KEYS = {"style", "date", "title", "place", "host", "locality", "people", "figures", "requests", "directives"}
SIDES = {"department", "locality", "other"}
RECURRENCES = {None, "annually", "regularly"}
NAME = re.compile(r"^\d{2}-[a-z0-9-]+$")


def _texts(half):
    return sorted((CORPUS / half).glob("*.txt"))


def _cases():
    paths = [path for half in HALVES for path in _texts(half)]
    return [pytest.param(path, id=f"{path.parent.name}/{path.stem}") for path in paths]


def _iso_or_none(value):
    if value is None:
        return True
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    datetime.date.fromisoformat(value)
    return True


def _squash(text):
    return re.sub(r"\s+", " ", text)


def _optional_str(value):
    return value is None or (isinstance(value, str) and value.strip() != "")


@pytest.mark.parametrize("half", HALVES)
def test_every_file_has_its_pair_and_a_proper_name(half):
    if half == "test" and not _texts(half):
        assert [p.name for p in (CORPUS / half).iterdir()] == ["README.md"]
        return
    texts = {p.stem for p in (CORPUS / half).glob("*.txt")}
    answers = {p.stem for p in (CORPUS / half).glob("*.json")}
    assert texts == answers, f"unpaired in {half}: {sorted(texts ^ answers)}"
    others = [
        p.name
        for p in (CORPUS / half).iterdir()
        if p.suffix not in {".txt", ".json"} and p.name != "README.md"
    ]
    assert others == []
    assert all(NAME.match(stem) for stem in texts), sorted(texts)


@pytest.mark.parametrize("path", _cases())
def test_expected_answer_follows_the_schema_and_quotes_its_text(path):
    text = path.read_text(encoding="utf-8")
    flat = _squash(text)
    answer = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))

    assert set(answer) == KEYS
    assert answer["style"] in STYLES
    assert _iso_or_none(answer["date"]) and answer["date"] is not None
    for key in ("title", "place", "host", "locality"):
        assert _optional_str(answer[key]), key
    assert answer["title"] is not None and _squash(answer["title"]) in flat
    for key in ("place", "locality"):
        if answer[key] is not None:
            assert _squash(answer[key]) in flat, (key, answer[key])

    names = [person["name"] for person in answer["people"]]
    assert len(names) == len(set(names)), "a person listed twice"
    for person in answer["people"]:
        assert set(person) == {"name", "position", "side"}
        assert person["side"] in SIDES
        assert person["name"] in text, person["name"]
        assert isinstance(person["position"], str) and person["position"].strip()

    for figure in answer["figures"]:
        assert set(figure) == {"text", "value", "unit"}
        assert _squash(figure["text"]) in flat, figure["text"]
        assert figure["value"] is None or isinstance(figure["value"], (int, float))
        assert isinstance(figure["unit"], str) and figure["unit"].strip()

    for request in answer["requests"]:
        assert set(request) == {"text", "addressee"}
        assert isinstance(request["text"], str) and request["text"].strip()
        assert _optional_str(request["addressee"])

    for directive in answer["directives"]:
        assert set(directive) == {"lead", "supporting", "content", "deadline", "recurrence"}
        assert isinstance(directive["lead"], str) and directive["lead"].strip()
        assert isinstance(directive["supporting"], list)
        assert all(isinstance(unit, str) and unit.strip() for unit in directive["supporting"])
        assert isinstance(directive["content"], str) and len(directive["content"]) >= 10
        assert _iso_or_none(directive["deadline"]), directive["deadline"]
        assert directive["recurrence"] in RECURRENCES
        if directive["deadline"] is not None:
            # No deadline lies years away from the session it was set at.
            session = datetime.date.fromisoformat(answer["date"])
            gap = datetime.date.fromisoformat(directive["deadline"]) - session
            assert -31 <= gap.days <= 550, (directive["content"], directive["deadline"])


def test_both_halves_are_big_varied_and_disjoint():
    if not _texts("test"):
        pytest.skip("the held-out half is empty until the coordinator adds a fresh one")
    styles = {}
    titles = {}
    for half in HALVES:
        answers = [json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in _texts(half)]
        assert len(answers) >= 15, f"{half} has {len(answers)} texts"
        assert len({a["title"] for a in answers}) == len(answers), f"{half} repeats a title"
        styles[half] = {a["style"] for a in answers}
        titles[half] = {a["title"] for a in answers}
        assert len(styles[half]) >= 6, f"{half} has styles {sorted(styles[half])}"
        assert sum(len(a["directives"]) for a in answers) >= 60
        assert sum(len(a["people"]) for a in answers) >= 60
    assert styles["dev"] == styles["test"], "every style must be in both halves"
    assert not titles["dev"] & titles["test"]
    dev_texts = {p.read_text(encoding="utf-8") for p in _texts("dev")}
    assert not dev_texts & {p.read_text(encoding="utf-8") for p in _texts("test")}
