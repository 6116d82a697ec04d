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
# The issue's bar: directives and people at 0.85 precision and recall, deadlines right on 90 % of the
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


def half(reports, name):
    if name not in reports:
        pytest.skip(f"corpus/{name} is not in this checkout")
    return reports[name]


@pytest.mark.parametrize("name", ["dev", "test"])
def test_people_and_deadlines_reach_the_bar(reports, name):
    report = half(reports, name)
    assert report.people.precision >= BAR and report.people.recall >= BAR
    assert report.deadline_accuracy >= DEADLINE_BAR


def test_directives_reach_the_bar_on_the_development_half(reports):
    report = half(reports, "dev")
    assert report.directives.precision >= BAR and report.directives.recall >= BAR


# Measured once on the test half when the engine was final (docs/meetings.md): directives precision 0.86,
# recall 0.73. The precision meets the issue's bar; the recall does not. The floor below guards what was
# reached; the strict xfail records the shortfall and fails (so that this file gets updated) once it is met.
TEST_HALF_RECALL_FLOOR = 0.70


def test_directives_on_the_test_half_keep_what_was_measured(reports):
    report = half(reports, "test")
    assert report.directives.precision >= BAR
    assert report.directives.recall >= TEST_HALF_RECALL_FLOOR


@pytest.mark.xfail(strict=True, reason="directive recall on the test half was 0.73 (60 of 82), below 0.85")
def test_directive_recall_on_the_test_half_reaches_the_issues_bar(reports):
    assert half(reports, "test").directives.recall >= BAR
