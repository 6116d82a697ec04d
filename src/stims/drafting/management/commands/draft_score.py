"""`stims draft_score DIR [--details] [--json]`: score the drafting engine on a corpus (see drafting/scoring.py)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stims.drafting import nlp
from stims.drafting.scoring import corpus_pairs, format_report, score_corpus

from .draft import known_provinces


class Command(BaseCommand):
    help = "Score the drafting engine on a directory of NAME.txt texts with their expected NAME.json."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--details", action="store_true", help="list every miss and extra")
        parser.add_argument("--json", action="store_true", help="print the totals as one JSON object")

    def handle(self, *args, **options):
        if not nlp.available():
            raise CommandError('Drafting needs the "nlp" extra: pip install "stims[nlp]" (underthesea).')
        directory = options["directory"]
        if not corpus_pairs(directory):
            raise CommandError(f"{directory}: no NAME.txt with its NAME.json.")
        report = score_corpus(directory, known_provinces())
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_report(report, title=str(directory), details=options["details"]))
