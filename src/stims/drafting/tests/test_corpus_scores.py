"""Precision and recall of the drafting engine on the evaluation corpus (src/stims/drafting/corpus/, written
by hand with its expected answers before any engine run; see its README). The table is printed for each
half; the engine was tuned on `dev/` only, so `test/` is the figure to quote.

The halves come from the corpus branch; a checkout without them skips these tests."""

from pathlib import Path

import pytest

from stims.drafting import nlp
from stims.drafting.draft import known_province_names
from stims.drafting.scoring import corpus_pairs, format_report, score_corpus

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not nlp.available(), reason="the nlp extra (underthesea) is not installed"),
]

CORPUS = Path(__file__).parents[1] / "corpus"
# The bar: directives and people at 0.85 precision and recall, deadlines right on 90 % of the
# matched directives.
BAR = 0.85
DEADLINE_BAR = 0.90


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker, pytestconfig):
    found = {}
    with django_db_blocker.unblock():
        provinces = known_province_names()
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    for half in ("dev", "test"):
        if not corpus_pairs(CORPUS / half):
            continue
        report = score_corpus(CORPUS / half, provinces)
        found[half] = report
        with capture.global_and_fixture_disabled():  # shown even without -s: the figures are the point
            print("\n" + format_report(report, title=f"Drafting engine on corpus/{half}", details=True))
    return found


@pytest.mark.parametrize("half", ["dev", "test"])
def test_directives_and_people_reach_the_bar(reports, half):
    if half not in reports:
        pytest.skip(f"corpus/{half} is not in this checkout")
    report = reports[half]
    assert report.directives.precision >= BAR and report.directives.recall >= BAR
    assert report.people.precision >= BAR and report.people.recall >= BAR
    assert report.deadline_accuracy >= DEADLINE_BAR
