"""The index computation, vectorised with NumPy; no database, no Django (services.py feeds it).

    structure = Structure(...)            # indicators → groups → pillars → sub-indices, with weights
    result = compute(raw, structure)      # raw: units × indicators, NaN where a value is missing
    result.overall, result.rank, result.pillars, result.contributions …
    mc = monte_carlo(raw, structure, draws=1000, seed=1)   # median rank and 90 % interval per unit

The steps, in the order of the GII's method (docs/innovation-index.md):
1. bounds: a value outside an indicator's bounds counts as the bound (the bounds are then also the
   goalposts of the normalisation);
2. missing values: left out and the weights of the rest re-scaled (`reweight`), or the mean of the other
   units put in (`impute`);
3. outliers: an indicator whose |skewness| > 2.25 and kurtosis > 3.5 has its most extreme value pulled
   to the next one, up to 5 points; if it is still skewed, the original is log-transformed instead
   (a scaled log, ln(1 + 99·(x − min)/(max − min)), that keeps the order and ignores the unit);
4. min–max normalisation to 0–100, reversed for an indicator where lower is better;
5. weighted arithmetic means: indicators → groups → pillars → the input and output sub-indices;
6. overall = mean of the two sub-indices; efficiency = output / input; ranks with ties (equal scores
   share the best rank, "min" method).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

SKEW_LIMIT = 2.25
KURTOSIS_LIMIT = 3.5
MAX_WINSORISED = 5

AUTO, NONE, LOG, WINSORISE = "auto", "none", "log", "winsorise"
REWEIGHT, IMPUTE = "reweight", "impute"
MINMAX, ZSCORE = "minmax", "zscore"


@dataclass
class Structure:
    """The framework as arrays. Indices: indicators k, groups g, pillars p, sub-indices 0 (input) 1 (output)."""

    direction: np.ndarray  # (k,) +1 or -1
    weight: np.ndarray  # (k,)
    group_of: np.ndarray  # (k,) index of the indicator's group
    group_weight: np.ndarray  # (g,)
    pillar_of: np.ndarray  # (g,) index of the group's pillar
    pillar_weight: np.ndarray  # (p,)
    sub_index_of: np.ndarray  # (p,) 0 input, 1 output
    transformation: list[str] = field(default_factory=list)  # (k,) AUTO, NONE, LOG, WINSORISE
    lower: np.ndarray | None = None  # (k,) NaN where unbounded
    upper: np.ndarray | None = None

    def __post_init__(self):
        k = len(self.direction)
        self.direction = np.asarray(self.direction, dtype=float)
        self.weight = np.asarray(self.weight, dtype=float)
        self.group_of = np.asarray(self.group_of, dtype=int)
        self.group_weight = np.asarray(self.group_weight, dtype=float)
        self.pillar_of = np.asarray(self.pillar_of, dtype=int)
        self.pillar_weight = np.asarray(self.pillar_weight, dtype=float)
        self.sub_index_of = np.asarray(self.sub_index_of, dtype=int)
        if not self.transformation:
            self.transformation = [AUTO] * k
        self.lower = np.full(k, np.nan) if self.lower is None else np.asarray(self.lower, dtype=float)
        self.upper = np.full(k, np.nan) if self.upper is None else np.asarray(self.upper, dtype=float)

    @property
    def sizes(self) -> tuple[int, int, int]:
        return len(self.direction), len(self.group_weight), len(self.pillar_weight)


@dataclass
class Options:
    missing: str = REWEIGHT
    normalisation: str = MINMAX
    treat_outliers: bool = True


@dataclass
class Result:
    treated: np.ndarray  # (n, k) after bounds, imputation and outlier treatment
    normalised: np.ndarray  # (n, k) 0–100, NaN where missing
    groups: np.ndarray  # (n, g)
    pillars: np.ndarray  # (n, p)
    sub_indices: np.ndarray  # (n, 2) input, output
    overall: np.ndarray  # (n,)
    efficiency: np.ndarray  # (n,) output / input
    rank: np.ndarray  # (n,) 1 = best; 0 where no score
    contributions: np.ndarray  # (n, k) points of the overall score each indicator brings; rows sum to overall
    treatment: list[str]  # (k,) what was done to each indicator: "none", "winsorised:N", "log"


# --- statistics -------------------------------------------------------------------------------------------


def skew_kurtosis(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample skewness and excess kurtosis of each column (as a spreadsheet's SKEW and KURT), NaNs left out."""
    n = np.sum(~np.isnan(x), axis=0).astype(float)
    mean = np.nanmean(x, axis=0) if x.size else np.zeros(x.shape[1])
    d = x - mean
    with np.errstate(invalid="ignore", divide="ignore"):
        # Products, not powers: `**` on arrays holding NaN takes libm's slow path (300x slower here).
        d = np.where(np.isnan(d), 0.0, d)
        s = np.sqrt(np.sum(d * d, axis=0) / (n - 1))
        z = d / s
        z2 = z * z
        skew = n / ((n - 1) * (n - 2)) * np.sum(z2 * z, axis=0)
        kurt = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * np.sum(z2 * z2, axis=0) - 3 * (n - 1) ** 2 / (
            (n - 2) * (n - 3)
        )
    bad = (n < 4) | ~np.isfinite(s) | (s == 0)
    return np.where(bad, 0.0, skew), np.where(bad, 0.0, kurt)


def outlying(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    skew, kurt = skew_kurtosis(x)
    return (np.abs(skew) > SKEW_LIMIT) & (kurt > KURTOSIS_LIMIT), skew


def scaled_log(x: np.ndarray, skew: np.ndarray) -> np.ndarray:
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    up = np.log1p(99 * (x - lo) / span)  # right-skewed: compress the top
    down = -np.log1p(99 * (hi - x) / span)  # left-skewed: compress the bottom
    return np.where(skew >= 0, up, down)


def treat_outliers(x: np.ndarray, modes: list[str]) -> tuple[np.ndarray, list[str]]:
    """The GII rule, column by column but vectorised over the columns."""
    x = x.copy()
    original = x.copy()
    modes_arr = np.asarray(modes)
    auto = modes_arr == AUTO
    forced_log = modes_arr == LOG
    forced_win = modes_arr == WINSORISE
    flagged, skew = outlying(x)
    active = (auto | forced_win) & flagged
    points = np.zeros(x.shape[1], dtype=int)
    for _ in range(MAX_WINSORISED):
        if not active.any():
            break
        cols = np.flatnonzero(active)
        sub = x[:, cols]
        ordered = np.sort(sub, axis=0)  # NaNs last
        n_obs = np.sum(~np.isnan(sub), axis=0)
        ok = n_obs >= 2
        second_high = ordered[np.maximum(n_obs - 2, 0), np.arange(len(cols))]
        second_low = ordered[1, :] if len(sub) > 1 else ordered[0, :]
        right = skew[cols] >= 0
        capped = np.where(right, np.minimum(sub, second_high), np.maximum(sub, second_low))
        sub = np.where(ok & ~np.isnan(sub), capped, sub)
        x[:, cols] = sub
        points[cols] += 1
        still, new_skew = outlying(x)
        skew = np.where(active, new_skew, skew)
        active = active & still
    # Still outlying after five points (auto), or asked for: the log of the original instead.
    log_cols = (auto & active) | forced_log
    if log_cols.any():
        _, orig_skew = skew_kurtosis(original[:, log_cols])
        if forced_log.any():
            orig_skew = np.where(forced_log[log_cols], 1.0, orig_skew)
        x[:, log_cols] = scaled_log(original[:, log_cols], orig_skew)
    treatment = []
    for j in range(x.shape[1]):
        if log_cols[j]:
            treatment.append("log")
        elif points[j]:
            treatment.append(f"winsorised:{points[j]}")
        else:
            treatment.append("none")
    return x, treatment


# --- normalisation, aggregation, ranks --------------------------------------------------------------------


def normalise(
    x: np.ndarray, direction: np.ndarray, lower=None, upper=None, method: str = MINMAX
) -> np.ndarray:
    """0–100 per column, 100 the best; a column with a single value gives everyone 50."""
    with np.errstate(invalid="ignore", divide="ignore", all="ignore"):
        if method == ZSCORE:  # mean 50, one standard deviation 10 points (the Monte Carlo's alternative)
            mean, sd = np.nanmean(x, axis=0), np.nanstd(x, axis=0)
            z = np.where(sd > 0, (x - mean) / np.where(sd > 0, sd, 1), 0.0)
            out = 50 + 10 * z * direction
        else:
            lo = (
                np.nanmin(x, axis=0)
                if lower is None
                else np.where(np.isnan(lower), np.nanmin(x, axis=0), lower)
            )
            hi = (
                np.nanmax(x, axis=0)
                if upper is None
                else np.where(np.isnan(upper), np.nanmax(x, axis=0), upper)
            )
            span = hi - lo
            scaled = np.where(span > 0, (x - lo) / np.where(span > 0, span, 1) * 100, 50.0)
            out = np.where(direction < 0, 100 - scaled, scaled)
            out = np.where(span > 0, out, 50.0)
    return np.where(np.isnan(x), np.nan, out)


def sum_by(values: np.ndarray, of: np.ndarray, parents: int) -> np.ndarray:
    """Sums over the last axis by parent (`of[child]`), any leading axes. Summed in place of a matrix
    product: no BLAS threads, which a busy server's other processes would slow down."""
    order = np.argsort(of, kind="stable")
    counts = np.bincount(of, minlength=parents)
    starts = np.minimum(np.concatenate([[0], np.cumsum(counts)[:-1]]), len(of) - 1)
    flat = values.reshape(-1, values.shape[-1])[:, order]
    sums = np.add.reduceat(flat, starts, axis=1)
    sums[:, counts == 0] = 0.0
    return sums.reshape(*values.shape[:-1], parents)


def aggregate(scores: np.ndarray, weights: np.ndarray, of: np.ndarray, parents: int) -> np.ndarray:
    """Weighted mean over each parent of the children present (missing ones leave out, weights re-scaled).
    `weights` may carry leading axes (the Monte Carlo's draws)."""
    present = ~np.isnan(scores)
    num = sum_by(np.where(present, scores, 0.0) * weights, of, parents)
    den = sum_by(present * weights, of, parents)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def rank_desc(scores: np.ndarray) -> np.ndarray:
    """Rank 1 for the highest; equal scores share the best rank (min method); 0 where NaN. Works on the
    last axis, any number of leading axes (the Monte Carlo ranks all draws at once)."""
    missing = np.isnan(scores)
    s = np.round(np.where(missing, np.inf, -np.asarray(scores, dtype=float)), 9)  # equal up to float noise
    lead = s.shape[:-1]
    flat = s.reshape(-1, s.shape[-1])
    rows, n = flat.shape
    order = np.argsort(flat, axis=1, kind="stable")
    ordered = np.take_along_axis(flat, order, axis=1)
    new = np.ones_like(ordered, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.where(new, np.arange(n), 0)
    first = np.maximum.accumulate(first, axis=1) + 1  # the position where each run of ties begins
    ranks = np.empty_like(first)
    np.put_along_axis(ranks, order, first, axis=1)
    ranks = np.where(missing.reshape(rows, n), 0, ranks)
    return ranks.reshape(*lead, n).astype(int)


def percentile_rank(scores: np.ndarray) -> np.ndarray:
    """Per column, the share (0–100) of the other units with a lower score; NaN where missing."""
    present = ~np.isnan(scores)
    n = present.sum(axis=0)
    below = (rank_desc(-scores.T).T - 1).astype(float)  # the lowest score ranks 1: none below it
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(n > 1, below / np.maximum(n - 1, 1) * 100, 100.0)
    return np.where(present, pct, np.nan)


def prepare(raw: np.ndarray, structure: Structure, options: Options) -> tuple[np.ndarray, list[str]]:
    x = np.asarray(raw, dtype=float).copy()
    x = np.where(np.isnan(structure.lower) | np.isnan(x), x, np.maximum(x, structure.lower))
    x = np.where(np.isnan(structure.upper) | np.isnan(x), x, np.minimum(x, structure.upper))
    if options.missing == IMPUTE:
        with np.errstate(invalid="ignore"):
            means = np.nanmean(np.where(np.isnan(x), np.nan, x), axis=0) if x.size else np.zeros(x.shape[1])
        x = np.where(np.isnan(x), means, x)
    if options.treat_outliers:
        return treat_outliers(x, structure.transformation)
    return x, ["none"] * x.shape[1]


def compute(raw: np.ndarray, structure: Structure, options: Options | None = None) -> Result:
    options = options or Options()
    k, g, p = structure.sizes
    treated, treatment = prepare(raw, structure, options)
    bounded = [t == "none" for t in treatment]  # goalposts only apply to values left in their own unit
    lower = np.where(bounded, structure.lower, np.nan)
    upper = np.where(bounded, structure.upper, np.nan)
    normalised = normalise(treated, structure.direction, lower, upper, options.normalisation)
    groups = aggregate(normalised, structure.weight, structure.group_of, g)
    pillars = aggregate(groups, structure.group_weight, structure.pillar_of, p)
    subs = aggregate(pillars, structure.pillar_weight, structure.sub_index_of, 2)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a unit without any value: NaN, no rank
        overall = np.nanmean(subs, axis=1) if subs.size else np.zeros(len(subs))
        efficiency = np.where(subs[:, 0] > 0, subs[:, 1] / np.where(subs[:, 0] > 0, subs[:, 0], 1), np.nan)
    contributions = _contributions(normalised, groups, pillars, subs, structure)
    return Result(
        treated=treated,
        normalised=normalised,
        groups=groups,
        pillars=pillars,
        sub_indices=subs,
        overall=overall,
        efficiency=efficiency,
        rank=rank_desc(overall),
        contributions=contributions,
        treatment=treatment,
    )


def _share(children: np.ndarray, weights: np.ndarray, of: np.ndarray, parents: int) -> np.ndarray:
    """(n, children): each present child's weight over its parent's present weights."""
    w = ~np.isnan(children) * weights
    den = sum_by(w, of, parents)[:, of]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, w / np.where(den > 0, den, 1), 0.0)


def _contributions(normalised, groups, pillars, subs, structure) -> np.ndarray:
    k, g, p = structure.sizes
    s_i = _share(normalised, structure.weight, structure.group_of, g)
    s_g = _share(groups, structure.group_weight, structure.pillar_of, p)
    s_p = _share(pillars, structure.pillar_weight, structure.sub_index_of, 2)
    n_subs = (~np.isnan(subs)).sum(axis=1, keepdims=True)
    s_s = np.where(~np.isnan(subs), 1.0 / np.maximum(n_subs, 1), 0.0)  # the overall's equal halves
    chain = s_i * s_g[:, structure.group_of]
    chain = chain * s_p[:, structure.pillar_of[structure.group_of]]
    chain = chain * s_s[:, structure.sub_index_of[structure.pillar_of[structure.group_of]]]
    return np.where(np.isnan(normalised), 0.0, normalised) * chain


# --- Monte Carlo ------------------------------------------------------------------------------------------


@dataclass
class MonteCarlo:
    draws: int
    median_rank: np.ndarray  # (n,)
    low: np.ndarray  # (n,) 5th percentile of the rank
    high: np.ndarray  # (n,) 95th percentile
    ranks: np.ndarray  # (draws, n)


def monte_carlo(
    raw: np.ndarray,
    structure: Structure,
    options: Options | None = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    weight_spread: float = 0.5,
    chunk: int = 50,
) -> MonteCarlo:
    """Each draw: group and pillar weights each multiplied by U(1 − spread, 1 + spread), and the
    normalisation min–max or z-score with equal chance; the indicators' treatment is the reference
    one. Returns each unit's median rank and 90 % interval (5th–95th percentiles)."""
    options = options or Options()
    rng = np.random.default_rng(seed)
    k, g, p = structure.sizes
    treated, treatment = prepare(raw, structure, options)
    # Group scores under each normalisation, computed once: (2, n, g)
    group_scores = np.stack(
        [
            aggregate(
                normalise(treated, structure.direction, method=method),
                structure.weight,
                structure.group_of,
                g,
            )
            for method in (MINMAX, ZSCORE)
        ]
    )
    n = treated.shape[0]
    all_ranks = np.empty((draws, n), dtype=np.int32)
    for start in range(0, draws, chunk):
        d = min(chunk, draws - start)
        method = rng.integers(0, 2, size=d)
        wg = structure.group_weight * rng.uniform(1 - weight_spread, 1 + weight_spread, size=(d, g))
        wp = structure.pillar_weight * rng.uniform(1 - weight_spread, 1 + weight_spread, size=(d, p))
        ps = aggregate(group_scores[method], wg[:, None, :], structure.pillar_of, p)  # (d, n, p)
        subs = aggregate(ps, wp[:, None, :], structure.sub_index_of, 2)  # (d, n, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            overall = np.nanmean(subs, axis=2)
        all_ranks[start : start + d] = rank_desc(overall)
    # A unit without any value is unranked (0) in every draw; the others are ranked in every draw.
    median = np.median(all_ranks, axis=0)
    low, high = np.percentile(all_ranks, [5, 95], axis=0)
    unranked = (all_ranks == 0).all(axis=0)
    median, low, high = (np.where(unranked, np.nan, a) for a in (median, low, high))
    return MonteCarlo(draws=draws, median_rank=median, low=low, high=high, ranks=all_ranks)
