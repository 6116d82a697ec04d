#!/usr/bin/env python3
"""A git merge driver for gettext catalogues: a three-way merge entry by entry.

    git config merge.po.name "gettext catalogue, entry by entry"
    git config merge.po.driver ".venv/bin/python scripts/merge-po.py %O %A %B"
    (.gitattributes: *.po merge=po)

For every entry (msgctxt + msgid): added on one side → kept; changed on one side only → that side's;
changed on both sides differently → ours, reported on stderr; removed on one side and unchanged on the
other → removed. Entries keep our order, theirs' new ones appended. Writes the result over %A.
"""

import sys

import polib


def key(entry):
    return (entry.msgctxt, entry.msgid)


def main(base_path, ours_path, theirs_path):
    base, ours, theirs = (polib.pofile(p, wrapwidth=0) for p in (base_path, ours_path, theirs_path))
    base_map = {key(e): e for e in base}
    theirs_map = {key(e): e for e in theirs}
    ours_keys = set()
    result = polib.POFile(wrapwidth=0)
    result.metadata = ours.metadata
    result.header = ours.header
    conflicts = 0
    for entry in ours:
        k = key(entry)
        ours_keys.add(k)
        old, other = base_map.get(k), theirs_map.get(k)
        if other is None:
            if old is not None and str(old) == str(entry):
                continue  # they removed it, we left it alone
            result.append(entry)
            continue
        if str(entry) == str(other) or (old is not None and str(other) == str(old)):
            result.append(entry)
        elif old is not None and str(entry) == str(old):
            result.append(other)
        else:
            conflicts += 1
            print(f"merge-po: both sides changed {entry.msgid[:60]!r}; kept ours", file=sys.stderr)
            result.append(entry)
    for entry in theirs:
        k = key(entry)
        if k in ours_keys:
            continue
        old = base_map.get(k)
        if old is not None and str(old) == str(entry):
            continue  # we removed it, they left it alone
        result.append(entry)
    result.save(ours_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
