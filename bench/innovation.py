"""Benchmark: the innovation index engine at commune scale.

3,321 units (the communes since 1 July 2025) × 52 indicators in the PII structure (7 pillars, 18 groups),
synthetic right-skewed values with 5 % missing: one full computation (bounds, missing values, the GII
outlier rule, min–max, four levels of weighted means, ranks, contributions) and the Monte Carlo of
1,000 draws of weights and normalisation. No database: the engine alone, as the pages call it.

    .venv/bin/python bench/innovation.py [UNITS] [DRAWS]     # default 3321 1000

Not a test: it prints figures, it asserts nothing.
"""

import os
import statistics
import sys
import time

import numpy as np

from stims.innovation import engine, pii


def pii_structure() -> engine.Structure:
    group_of, pillar_of, sub_index_of, direction = [], [], [], []
    g = 0
    for p, spec in enumerate(pii.PILLARS):
        sub_index_of.append(0 if spec.sub_index == "input" else 1)
        for group in spec.groups:
            pillar_of.append(p)
            for _name, _unit, sign, _source in group.indicators:
                group_of.append(g)
                direction.append(sign)
            g += 1
    return engine.Structure(
        direction=direction,
        weight=np.ones(len(direction)),
        group_of=group_of,
        group_weight=np.ones(g),
        pillar_of=pillar_of,
        pillar_weight=np.ones(len(pii.PILLARS)),
        sub_index_of=sub_index_of,
    )


def main() -> None:
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 3321
    draws = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = np.random.default_rng(1)
    structure = pii_structure()
    k = len(structure.direction)
    raw = np.exp(rng.normal(0, 1.2, (units, k))) * rng.uniform(1, 100, k)
    raw[rng.random((units, k)) < 0.05] = np.nan
    engine.compute(raw, structure)  # warm-up
    times, cpu = [], []
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = engine.compute(raw, structure)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    treated = sum(1 for t in result.treatment if t != "none")
    print(
        f"units × indicators: {units} × {k} ({len(structure.group_weight)} groups, {len(structure.pillar_weight)} pillars)"
    )
    print(
        f"single computation: median {statistics.median(times) * 1000:.1f} ms, best {min(times) * 1000:.1f} ms (5 runs), CPU {statistics.median(cpu) * 1000:.1f} ms"
    )
    print(f"  indicators treated as outliers: {treated}; ranked units: {int(np.sum(result.rank > 0))}")
    start, start_cpu = time.perf_counter(), time.process_time()
    mc = engine.monte_carlo(raw, structure, draws=draws, seed=2)
    mc_time, mc_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    width = np.nanmedian(mc.high - mc.low)
    print(
        f"Monte Carlo, {draws} draws: {mc_time:.2f} s (CPU {mc_cpu:.2f} s); median width of the 90 % rank interval: {width:.0f} places"
    )


if __name__ == "__main__":
    main()
