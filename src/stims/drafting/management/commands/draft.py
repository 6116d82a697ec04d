"""`stims draft FILE [--json]`: read a text about a working session and print what the engine proposes.

The same engine as the drafting page (`stims.drafting.rules.propose_sessions`); nothing is saved. `--json`
prints a list with one object per session the text reports (usually one); the schema is documented in
docs/drafting.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from stims.drafting import nlp
from stims.drafting.rules import propose_sessions


def read_text(path: Path) -> str:
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    if path.suffix.lower() not in ("", ".txt", ".text", ".md"):
        raise CommandError(f"{path}: only plain text (.txt) can be read.")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}).") from exc


def known_provinces() -> list[str]:
    """The provinces in the directory (to recognise "Sở KH&CN Quảng Trị"); none when there is no database."""
    from stims.drafting.draft import known_province_names

    try:
        return known_province_names()
    except DatabaseError:
        return []


class Command(BaseCommand):
    help = "Propose a working session (date, people, figures, requests, directives) from a text file."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="UTF-8 text of the minutes, conclusion notice or news report"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print a JSON list with one object per session the text reports",
        )

    def handle(self, *args, **options):
        if not nlp.available():
            raise CommandError('Drafting needs the "nlp" extra: pip install "stims[nlp]" (underthesea).')
        text = read_text(options["file"])
        # A list: one object per session (an article may report a morning and an afternoon session).
        sessions = [p.as_json() for p in propose_sessions(text, known_provinces=known_provinces())]
        if options["json"]:
            self.stdout.write(json.dumps(sessions, ensure_ascii=False, indent=2))
            return
        if len(sessions) == 1:
            self.stdout.write(format_proposal(sessions[0]))
            return
        self.stdout.write(
            f"{len(sessions)} sessions: "
            + "; ".join(s["locality"] or "—" for s in sessions)
            + "\n\n"
            + "\n\n".join(
                f"=== Session {number} of {len(sessions)} ===\n{format_proposal(data)}"
                for number, data in enumerate(sessions, start=1)
            )
        )


def format_proposal(data: dict) -> str:
    lines = [
        f"Title:     {data['title']}",
        f"Date:      {_dmy(data['date'])}",
        f"Place:     {data['place'] or '—'}",
        f"Host:      {data['host'] or '—'}",
        f"Locality:  {data['locality'] or '—'}",
        f"Chair:     {data['chair'] or '—'}",
        "",
        f"People ({len(data['people'])}):",
    ]
    lines += [f"  - {p['name']}, {p['position'] or '—'} [{p['side']}]" for p in data["people"]]
    lines += ["", f"Figures ({len(data['figures'])}):"]
    lines += [
        f"  - {f['label']}: {_number(f['value'])} {f['unit']}" + (f" ({f['year']})" if f["year"] else "")
        for f in data["figures"]
    ]
    lines += ["", f"Requests ({len(data['requests'])}):"]
    lines += [
        f"  - {r['text']}" + (f" → {r['addressee']}" if r["addressee"] else "") for r in data["requests"]
    ]
    lines += ["", f"Directives ({len(data['directives'])}):"]
    for d in data["directives"]:
        when = _dmy(d["deadline"]) if d["deadline"] else d["recurrence"]
        support = f" (with {', '.join(d['supporting'])})" if d["supporting"] else ""
        leads = ", ".join(d.get("leads") or [d["lead"]])
        lines.append(f"  - {leads}{support}: {d['content']} [{when}]")
    return "\n".join(lines)


def _dmy(iso: str | None) -> str:
    if not iso:
        return "—"
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def _number(value) -> str:
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value).replace(".", ",")
