"""The engine against small cases computed by hand, and against properties any index must keep."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stims.innovation import engine
from stims.innovation.engine import Options, Structure, compute


def small_structure(**extra):
    # indicators 0,1 → group 0 → pillar 0 (input); indicator 2 (lower is better) → group 1 → pillar 1
    # (output)
    return Structure(
        direction=[1, 1, -1],
        weight=[1, 1, 1],
        group_of=[0, 0, 1],
        group_weight=[1, 1],
        pillar_of=[0, 1],
        pillar_weight=[1, 1],
        sub_index_of=[0, 1],
        transformation=["none"] * 3,
        **extra,
    )


RAW = np.array([[1.0, 10.0, 5.0], [2.0, 30.0, 3.0], [3.0, 20.0, 1.0]])


def test_min_max_direction_and_means_match_a_hand_computation():
    r = compute(RAW, small_structure())
    # indicator 0: 0, 50, 100; indicator 1: 0, 100, 50; indicator 2 (reversed): 0, 50, 100
    np.testing.assert_allclose(r.normalised, [[0, 0, 0], [50, 100, 50], [100, 50, 100]])
    np.testing.assert_allclose(r.sub_indices, [[0, 0], [75, 50], [75, 100]])
    np.testing.assert_allclose(r.overall, [0, 62.5, 87.5])
    np.testing.assert_allclose(r.efficiency[1:], [50 / 75, 100 / 75])
    assert list(r.rank) == [3, 2, 1]
    np.testing.assert_allclose(r.contributions.sum(axis=1), r.overall)


def test_weights_count_in_the_weighted_mean():
    weighted = Structure(**{**small_structure().__dict__, "weight": np.array([3.0, 1.0, 1.0])})
    r = compute(RAW, weighted)
    # unit 2 input: (3·50 + 1·100) / 4 = 62.5
    assert r.sub_indices[1, 0] == pytest.approx(62.5)


def test_a_missing_value_is_left_out_and_the_rest_reweighted_or_imputed():
    raw = RAW.copy()
    raw[1, 1] = np.nan
    left_out = compute(raw, small_structure())
    assert left_out.sub_indices[1, 0] == pytest.approx(50)  # only indicator 0 (50) remains
    imputed = compute(raw, small_structure(), Options(missing="impute"))
    # imputed value 15 = mean(10, 20): (15 − 10)/(20 − 10) = 50 → input (50 + 50) / 2
    assert imputed.normalised[1, 1] == pytest.approx(50)
    assert imputed.sub_indices[1, 0] == pytest.approx(50)


def test_ties_share_the_best_rank():
    assert list(engine.rank_desc(np.array([50.0, 70.0, 70.0, 10.0, np.nan]))) == [3, 1, 1, 4, 0]


def test_bounds_clip_and_are_the_goalposts():
    s = small_structure(lower=[0, np.nan, np.nan], upper=[2, np.nan, np.nan])
    r = compute(RAW, s)
    np.testing.assert_allclose(r.normalised[:, 0], [50, 100, 100])


def test_a_skewed_indicator_is_winsorised_by_the_gii_rule():
    x = np.array([1.0] * 20 + [2.0] * 5 + [3.0, 100.0])
    skew, kurt = engine.skew_kurtosis(x[:, None])
    assert skew[0] > 2.25 and kurt[0] > 3.5
    treated, how = engine.treat_outliers(x[:, None], ["auto"])
    assert how[0].startswith("winsorised:") and treated[:, 0].max() < 100


def test_an_indicator_still_skewed_after_five_points_is_logged():
    x = np.array([1.0] * 40 + [50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 1000.0])
    treated, how = engine.treat_outliers(x[:, None], ["auto"])
    assert how == ["log"]
    assert np.all(np.diff(treated[np.argsort(x), 0]) >= 0)  # order kept


def test_monte_carlo_gives_median_ranks_and_intervals():
    rng = np.random.default_rng(1)
    raw = rng.normal(50, 10, size=(30, 3))
    mc = engine.monte_carlo(raw, small_structure(), draws=200, seed=3)
    assert mc.ranks.shape == (200, 30)
    assert np.all(mc.low <= mc.median_rank) and np.all(mc.median_rank <= mc.high)
    assert mc.ranks.min() >= 1 and mc.ranks.max() <= 30


matrices = arrays(
    float,
    (6, 3),
    elements=st.floats(0.5, 1000, allow_nan=False).map(lambda v: round(v, 3)),
)


@settings(max_examples=40, deadline=None)
@given(raw=matrices, unit=st.integers(0, 5), column=st.integers(0, 2), step=st.floats(0.1, 500))
def test_improving_an_indicator_in_its_direction_never_lowers_the_unit_score(raw, unit, column, step):
    s = small_structure()
    before = compute(raw, s).overall[unit]
    better = raw.copy()
    better[unit, column] += step * s.direction[column]
    assert compute(better, s).overall[unit] >= before - 1e-9


@settings(max_examples=40, deadline=None)
@given(raw=matrices, scale=st.floats(0.001, 1000))
def test_scores_do_not_depend_on_the_unit_of_measure(raw, scale):
    s = Structure(**{**small_structure().__dict__, "transformation": ["auto"] * 3})
    np.testing.assert_allclose(compute(raw * scale, s).overall, compute(raw, s).overall, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(raw=matrices)
def test_identity_transforms_keep_the_ranks(raw):
    none = compute(raw, small_structure())
    again = compute(raw.copy(), small_structure(), Options(treat_outliers=False))
    assert list(none.rank) == list(again.rank)


def test_percentile_ranks_count_the_units_scoring_lower():
    scores = np.array([[10.0, 1.0], [20.0, np.nan], [20.0, 3.0], [40.0, 2.0]])
    pct = engine.percentile_rank(scores)
    np.testing.assert_allclose(pct[:, 0], [0, 100 / 3, 100 / 3, 100])
    np.testing.assert_allclose(pct[[0, 2, 3], 1], [0, 100, 50])
    assert np.isnan(pct[1, 1])
