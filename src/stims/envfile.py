"""`python3 -m stims.envfile FILE`: the settings file is read the same way by systemd and by bash.

systemd's `EnvironmentFile=` and bash's `set -a; . file` (the guide's `stims` shell function) quote
differently: a value with a space, `<`, `$` or `#` that one reads whole, the other cuts, expands or
takes as a redirection. The one rule both agree on, which this command checks line by line:

- `NAME=value` with no space around `=`; comments and blank lines as you like;
- a value of letters, digits and `_ - . , : / @ + = % *` is written bare;
- any other value is wrapped in single quotes and holds no `'` and no backslash.

It also checks that `DATABASE_URL` parses and that its password needs no URL escaping (a password
with `@ : / ? # %` must be percent-encoded, or better, chosen without them).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
BARE = re.compile(r"[A-Za-z0-9_\-.,:/@+=%*]*")
QUOTED = re.compile(r"'[^'\\]*'")


def problems(text: str) -> list[str]:
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = raw.partition("=")
        where = f"line {number}"
        if not equals:
            found.append(f"{where}: not NAME=value")
            continue
        if name != name.strip() or not NAME.fullmatch(name) or value[:1] == " ":
            found.append(f"{where}: write NAME=value with no space around '=' ({name.strip()})")
            continue
        if not (BARE.fullmatch(value) or QUOTED.fullmatch(value)):
            found.append(
                f"{where}: {name}'s value must be bare (letters, digits, _-.,:/@+=%*) or in single quotes "
                "without ' or \\ inside, so that systemd and bash read it alike"
            )
            continue
        if name == "DATABASE_URL":
            url = value.strip("'")
            parts = urlsplit(url)
            password = parts.password or ""
            if any(char in password for char in "@:/?#[] ") or (
                "%" in password and not re.fullmatch(r"(?:[^%]|%[0-9A-Fa-f]{2})*", password)
            ):
                found.append(
                    f"{where}: the database password must be URL-safe (percent-encode @ : / ? # or avoid them)"
                )
            elif not parts.scheme or not parts.hostname and parts.scheme != "sqlite":
                found.append(f"{where}: DATABASE_URL is not a database address")
    return found


def main(argv: list[str] | None = None) -> int:
    """Check each file named; print what is wrong, and exit 1 if anything is. Needs no Django settings,
    so it runs before the file is complete."""
    import sys

    paths = argv if argv is not None else sys.argv[1:]
    if not paths:
        print("usage: python3 -m stims.envfile FILE…", file=sys.stderr)
        return 2
    status = 0
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            print(f"{path}: {error.strerror}", file=sys.stderr)
            status = 1
            continue
        found = problems(text)
        if found:
            print("\n".join([f"{path}:", *found]), file=sys.stderr)
            status = 1
        else:
            print(f"{path}: every line reads the same with systemd and bash.")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
