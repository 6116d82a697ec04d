"""Scoring the drafting engine against a corpus of texts with expected proposals written by hand.

A corpus directory holds `NAME.txt` (the text) and `NAME.json` (what should be proposed, in the
`stims draft --json` schema). Matching rules, one-to-one and best first:

  * directive: the lead units match (folded, abbreviations spelled out, "UBND"/"tỉnh X" qualifiers
    ignored, one containing the other) and the contents overlap with token F1 ≥ 0.5;
  * person: the folded names are equal;
  * request: the texts overlap with token F1 ≥ 0.5;
  * deadline: right when the matched directive's deadline equals the expected one (both null counts).

`stims draft_score DIR` prints the table; `score_corpus()` returns it for tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .rules import normalize, propose

F1_THRESHOLD = 0.5
_STOPWORDS = frozenset("cac va cua cho voi de ve trong theo la duoc nhung co the nay da mot can tai".split())
_LEAD_NOISE = re.compile(r"\b(?:ubnd|uy ban nhan dan|cac|lanh dao|dong chi)\b")


def tokens(text: str) -> list[str]:
    return [word for word in normalize(text).split() if word not in _STOPWORDS]


def token_f1(expected: str, proposed: str) -> float:
    left, right = tokens(expected), tokens(proposed)
    if not left or not right:
        return 0.0
    remaining = list(right)
    shared = 0
    for word in left:
        if word in remaining:
            remaining.remove(word)
            shared += 1
    if not shared:
        return 0.0
    precision, recall = shared / len(right), shared / len(left)
    return 2 * precision * recall / (precision + recall)


def lead_key(name: str, province: str = "") -> str:
    folded = normalize(name or "")
    folded = re.sub(r"\btinh [a-z ]+$", "", folded) if folded.startswith("so ") else folded
    folded = _LEAD_NOISE.sub(" ", folded)
    return " ".join(folded.split())


def leads_match(expected: str, proposed: str) -> bool:
    left, right = lead_key(expected), lead_key(proposed)
    return bool(left) and bool(right) and (left in right or right in left)


def directive_score(expected: dict, proposed: dict) -> float:
    if not leads_match(expected.get("lead", ""), proposed.get("lead", "")):
        return 0.0
    f1 = token_f1(expected.get("content", ""), proposed.get("content", ""))
    return f1 if f1 >= F1_THRESHOLD else 0.0


def person_score(expected: dict, proposed: dict) -> float:
    return float(normalize(expected.get("name", "")) == normalize(proposed.get("name", "")))


def request_score(expected: dict, proposed: dict) -> float:
    f1 = token_f1(expected.get("text", ""), proposed.get("text", ""))
    return f1 if f1 >= F1_THRESHOLD else 0.0


def one_to_one(
    expected: list[dict], proposed: list[dict], score: Callable[[dict, dict], float]
) -> list[tuple[int, int]]:
    """(expected index, proposed index) pairs, best score first, each item used once."""
    pairs = sorted(
        ((score(e, p), i, j) for i, e in enumerate(expected) for j, p in enumerate(proposed)),
        key=lambda triple: (-triple[0], triple[1], triple[2]),
    )
    used_e: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for value, i, j in pairs:
        if value <= 0:
            break
        if i in used_e or j in used_p:
            continue
        used_e.add(i)
        used_p.add(j)
        matched.append((i, j))
    return matched


@dataclass
class Count:
    matched: int = 0
    proposed: int = 0
    expected: int = 0

    def add(self, matched: int, proposed: int, expected: int) -> None:
        self.matched += matched
        self.proposed += proposed
        self.expected += expected

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


@dataclass
class TextScore:
    name: str
    directives: Count
    people: Count
    requests: Count
    deadlines_right: int
    date_right: bool
    timing_right: int = 0  # deadline and recurrence both right
    misses: list[str] = field(default_factory=list)


@dataclass
class Report:
    texts: list[TextScore] = field(default_factory=list)
    directives: Count = field(default_factory=Count)
    people: Count = field(default_factory=Count)
    requests: Count = field(default_factory=Count)
    deadlines_right: int = 0
    timing_right: int = 0
    dates_right: int = 0

    @property
    def deadline_accuracy(self) -> float:
        return self.deadlines_right / self.directives.matched if self.directives.matched else 1.0

    def as_dict(self) -> dict:
        def pr(count: Count) -> dict:
            return {
                "precision": round(count.precision, 3),
                "recall": round(count.recall, 3),
                "matched": count.matched,
                "proposed": count.proposed,
                "expected": count.expected,
            }

        return {
            "texts": len(self.texts),
            "directives": pr(self.directives),
            "people": pr(self.people),
            "requests": pr(self.requests),
            "deadline_accuracy": round(self.deadline_accuracy, 3),
            "deadline_and_recurrence_accuracy": round(
                self.timing_right / self.directives.matched if self.directives.matched else 1.0, 3
            ),
            "dates_right": self.dates_right,
        }


def corpus_pairs(directory: Path) -> list[tuple[Path, Path]]:
    """(text, expected JSON) pairs of a corpus directory, by name."""
    pairs = []
    for text in sorted(Path(directory).glob("*.txt")):
        for candidate in (text.with_suffix(".json"), text.with_name(text.stem + ".expected.json")):
            if candidate.is_file():
                pairs.append((text, candidate))
                break
    return pairs


def score_text(name: str, text: str, expected: dict, known_provinces: Iterable[str] = ()) -> TextScore:
    proposal = propose(text, known_provinces=list(known_provinces)).as_json()
    # One task given to several units is one proposed directive with several leads; the corpus writes one
    # directive per lead, so it is scored as one per lead.
    proposal["directives"] = [
        {**d, "lead": lead} for d in proposal["directives"] for lead in (d.get("leads") or [d["lead"]])
    ]
    exp_directives = expected.get("directives") or []
    exp_people = expected.get("people") or []
    exp_requests = expected.get("requests") or []
    directive_pairs = one_to_one(exp_directives, proposal["directives"], directive_score)
    people_pairs = one_to_one(exp_people, proposal["people"], person_score)
    request_pairs = one_to_one(exp_requests, proposal["requests"], request_score)
    deadlines_right = sum(
        1
        for i, j in directive_pairs
        if (exp_directives[i].get("deadline") or None) == (proposal["directives"][j].get("deadline") or None)
    )
    timing_right = sum(
        1
        for i, j in directive_pairs
        if (exp_directives[i].get("deadline") or None) == (proposal["directives"][j].get("deadline") or None)
        and (exp_directives[i].get("recurrence") or None)
        == (proposal["directives"][j].get("recurrence") or None)
    )
    matched_e = {i for i, _ in directive_pairs}
    matched_p = {j for _, j in directive_pairs}
    misses = [
        f"missed directive: {d.get('lead')}: {d.get('content')}"
        for i, d in enumerate(exp_directives)
        if i not in matched_e
    ]
    misses += [
        f"extra directive: {d['lead']}: {d['content']}"
        for j, d in enumerate(proposal["directives"])
        if j not in matched_p
    ]
    misses += [
        f"wrong deadline: {exp_directives[i].get('deadline')} expected, {proposal['directives'][j]['deadline']} proposed:"
        f" {exp_directives[i].get('content')}"
        for i, j in directive_pairs
        if (exp_directives[i].get("deadline") or None) != (proposal["directives"][j].get("deadline") or None)
    ]
    matched_people = {i for i, _ in people_pairs}
    misses += [f"missed person: {p.get('name')}" for i, p in enumerate(exp_people) if i not in matched_people]
    proposed_people = {j for _, j in people_pairs}
    misses += [
        f"extra person: {p['name']}" for j, p in enumerate(proposal["people"]) if j not in proposed_people
    ]
    return TextScore(
        name=name,
        directives=Count(len(directive_pairs), len(proposal["directives"]), len(exp_directives)),
        people=Count(len(people_pairs), len(proposal["people"]), len(exp_people)),
        requests=Count(len(request_pairs), len(proposal["requests"]), len(exp_requests)),
        deadlines_right=deadlines_right,
        timing_right=timing_right,
        date_right=(expected.get("date") or None) == proposal["date"],
        misses=misses,
    )


def score_corpus(directory: Path, known_provinces: Iterable[str] = ()) -> Report:
    report = Report()
    provinces = list(known_provinces)
    for text_path, json_path in corpus_pairs(directory):
        expected = json.loads(json_path.read_text(encoding="utf-8"))
        scored = score_text(text_path.stem, text_path.read_text(encoding="utf-8-sig"), expected, provinces)
        report.texts.append(scored)
        for kind in ("directives", "people", "requests"):
            count: Count = getattr(scored, kind)
            getattr(report, kind).add(count.matched, count.proposed, count.expected)
        report.deadlines_right += scored.deadlines_right
        report.timing_right += scored.timing_right
        report.dates_right += scored.date_right
    return report


def format_report(report: Report, title: str = "", details: bool = False) -> str:
    lines = [title] if title else []
    lines.append(
        f"{'text':<28} {'directives P/R (m/p/e)':<26} {'people P/R (m/p/e)':<24} {'requests P/R':<14} date"
    )
    for text in report.texts:
        d, p, r = text.directives, text.people, text.requests
        lines.append(
            f"{text.name[:28]:<28} {d.precision:.2f}/{d.recall:.2f} ({d.matched}/{d.proposed}/{d.expected}){'':<6}"
            f" {p.precision:.2f}/{p.recall:.2f} ({p.matched}/{p.proposed}/{p.expected}){'':<4}"
            f" {r.precision:.2f}/{r.recall:.2f}{'':<5} {'ok' if text.date_right else 'WRONG'}"
        )
        if details:
            lines += [f"    {miss}" for miss in text.misses]
    d, p, r = report.directives, report.people, report.requests
    lines += [
        "",
        f"{len(report.texts)} texts",
        f"directives: precision {d.precision:.2f}, recall {d.recall:.2f} ({d.matched} matched, {d.proposed} proposed, {d.expected} expected)",
        f"people:     precision {p.precision:.2f}, recall {p.recall:.2f} ({p.matched} matched, {p.proposed} proposed, {p.expected} expected)",
        f"requests:   precision {r.precision:.2f}, recall {r.recall:.2f} ({r.matched} matched, {r.proposed} proposed, {r.expected} expected)",
        f"deadlines right on {report.deadlines_right} of {d.matched} matched directives ({report.deadline_accuracy:.0%});"
        f" deadline and recurrence both right on {report.timing_right}",
        f"session date right on {report.dates_right} of {len(report.texts)} texts",
    ]
    return "\n".join(lines)
