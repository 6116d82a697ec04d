"""Moved to `stims.testing` (it builds users and units, which live above core).

Kept only while `src/conftest.py` still imports from here; removed, with its `ignore_imports` line in
`.importlinter`, once it imports `stims.testing`.
"""

from stims.testing import make_user, province, reseed_reference_data, unit, xlsx_upload  # noqa: F401
