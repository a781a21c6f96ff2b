"""Benchmark: latent profiles (Gaussian mixtures chosen by BIC) on 100,000 couples' parameter vectors.

Simulates 100,000 couples' 8-parameter vectors (the coupled oscillator's number of parameters) from
three profiles, then times ``LatentProfiles(table).fit()`` with the defaults — 1 to 9 profiles × the
eight covariance models = 72 mixtures, 20 starts each (on a 2,000-couple subsample, the best 2
continued on all couples) — and reports the wall time, the peak resident memory of the process, the
chosen model and the adjusted Rand index against the true profiles. Prints one Markdown table: wall
time and CPU time (user + system: what the fit itself used, less distorted than wall time when the
machine is shared), the load average at the end, and the peak resident memory.

Run: ``.venv/bin/python benchmarks/bench_profiles.py [n_couples]`` (or ``make bench``).
"""

from __future__ import annotations

import os
import resource
import sys
import time

import numpy as np

from counterpoint.science.profiles import LatentProfiles, adjusted_rand_index, simulate_profiles


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = np.random.default_rng(18)
    means = rng.normal(scale=2.0, size=(3, 8))
    sds = rng.uniform(0.6, 1.4, size=(3, 8))
    frame, truth = simulate_profiles(
        n, seed=18, means=means, sds=sds, correlations=(0.0, 0.3, -0.1), proportions=(0.5, 0.3, 0.2)
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    res = LatentProfiles(frame).fit()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ari = adjusted_rand_index(truth, res.classification)
    print(
        "| couples × parameters | mixtures fitted | wall (s) | CPU (s) | peak RSS (MiB) "
        "| before fit (MiB) | chosen | ARI | cores, load |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {n:,} × 8 | {res.bic.size} | {seconds:.1f} | {cpu:.1f} | {peak:.0f} | "
        f"{rss_before:.0f} | {res.model_name}, G = {res.n_profiles} | {ari:.3f} | "
        f"{os.cpu_count()}, {os.getloadavg()[0]:.1f} |"
    )


if __name__ == "__main__":
    main()
