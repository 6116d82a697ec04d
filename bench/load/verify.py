"""Load test, last step (main venv): is every write the server acknowledged in the database?

Reads the acknowledged-writes files of the locust processes (one JSON line per 2xx: kind, id, a
field and the value sent; edits are also noted just before they are sent) and checks, for each record, that it exists and that each field holds the
last value acknowledged for it (each virtual user edits only its own records, one request at a
time, so the last acknowledgement is what must be saved). Prints the totals; exit 1 if any is missing.

    DATABASE_URL=… .venv/bin/python bench/load/verify.py OUT_DIR
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings")

import django  # noqa: E402

django.setup()

from stims.meetings.models import Directive  # noqa: E402
from stims.orgs.models import Organization  # noqa: E402
from stims.products.models import Product  # noqa: E402
from stims.sttasks.models import Task  # noqa: E402

MODELS = {"organization": Organization, "product": Product, "task": Task, "directive": Directive}


def main(out: Path) -> int:
    acknowledged, expected, unanswered = 0, {}, {}
    for path in sorted(out.glob("writes-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            write = json.loads(line)
            key = (write["kind"], write["id"], write["field"])
            if write.get("sent_only"):
                unanswered[key] = write["value"]
                continue
            acknowledged += 1
            expected[key] = write["value"]
            unanswered.pop(key, None)
    missing = []
    for key, value in expected.items():
        kind, pk, field = key
        # An edit still unanswered when the run stopped may have been saved: either value is right.
        allowed = [value, *([unanswered[key]] if key in unanswered else [])]
        if not MODELS[kind]._default_manager.filter(pk=pk, **{f"{field}__in": allowed}).exists():
            missing.append(f"{kind} {pk}: {field} = {value!r}")
    records = len({(kind, pk) for kind, pk, _ in expected})
    print(
        f"acknowledged writes: {acknowledged} ({records} records created, {len(expected)} final field values "
        f"checked), missing: {len(missing)}"
    )
    for line in missing[:20]:
        print("  missing:", line)
    return 1 if missing or not acknowledged else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
