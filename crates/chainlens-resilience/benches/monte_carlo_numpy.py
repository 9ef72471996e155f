#!/usr/bin/env python3
"""The rank Monte Carlo of benches/monte_carlo.rs in numpy: the same synthetic panel
(31 regions x 6 years x 12 indicators, xoshiro256** seed 2024), the same 10,000 runs
(Saltelli design N = 2,000 x 5: weights x U(0.5, 1.5), min-max or z-score, weighted sum /
geometric mean / TOPSIS, competition ranks per year, rank histograms, mean rank shift,
first-order and total indices) vectorised per run, as a user would write it.

Prints the numpy time per 10,000 runs and, if criterion has run
(`CARGO_TARGET_DIR=/tmp/target-resilience cargo bench -p chainlens-resilience`),
the ratio numpy / Rust:

    python3 benches/monte_carlo_numpy.py [--criterion-dir /tmp/target-resilience/criterion]
"""
import argparse
import json
import os
import time

import numpy as np

M64 = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class Rng:
    def __init__(self, seed):
        s, self.s = seed, []
        for _ in range(4):
            s, z = splitmix64(s)
            self.s.append(z)

    def next_u64(self):
        s = self.s
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def below(self, n):
        return (self.next_u64() * n) >> 64  # Lemire multiply-high, as chainlens_model::rng


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--criterion-dir", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "/tmp/target-resilience"), "criterion"))
    ap.add_argument("--replications", type=int, default=10_000)
    args = ap.parse_args()
    n, t, k = 31, 6, 12
    rng = Rng(2024)
    x = np.array([1.0 + 9.0 * rng.uniform() for _ in range(n * t * k)]).reshape(n, t, k)
    cost = np.zeros(k, bool)
    cost[10:] = True
    base = np.array([0.086, 0.092, 0.078, 0.084, 0.095, 0.088, 0.082, 0.079, 0.093, 0.087, 0.071, 0.065])

    # Random draws (outside the timing, as Rust's are negligible): Saltelli A, B.
    per = 5
    big_n = args.replications // per
    seeder, seed = splitmix64(42)
    draw_rng = Rng(seed)
    def draw():
        return (draw_rng.next_u64(), draw_rng.below(2), draw_rng.below(3))
    a = [draw() for _ in range(big_n)]
    b = [draw() for _ in range(big_n)]
    weight_cache = {}
    def weights(seed):
        if seed not in weight_cache:
            r = Rng(seed)
            w = base * np.array([0.5 + r.uniform() for _ in range(k)])
            weight_cache[seed] = w / w.sum()
        return weight_cache[seed]
    for d in a + b:
        weights(d[0])

    start = time.perf_counter()
    pooled = x.reshape(n * t, k)
    lo, hi = pooled.min(0), pooled.max(0)
    mm = (pooled - lo) / (hi - lo)
    mm = np.where(cost, 1 - mm, mm)
    z = (pooled - pooled.mean(0)) / pooled.std(0)
    z = np.where(cost, -z, z)
    norms = [mm.reshape(n, t, k).transpose(1, 0, 2), z.reshape(n, t, k).transpose(1, 0, 2)]  # [year][region][k]
    log_mm = np.log(0.01 + 0.99 * norms[0])
    col_hi = [m.max(axis=(0, 1)) for m in norms]
    col_lo = [m.min(axis=(0, 1)) for m in norms]

    def scores(w, norm, agg):
        r = norms[norm]
        if agg == 0:
            return r @ w
        if agg == 1:
            return log_mm @ w
        w2 = w * w
        dp = np.sqrt(((r - col_hi[norm]) ** 2) @ w2)
        dm = np.sqrt(((r - col_lo[norm]) ** 2) @ w2)
        return dm / (dp + dm)

    def ranks(s):
        return 1 + (s[:, None, :] > s[:, :, None]).sum(-1)

    reference = ranks(scores(base, 0, 0))
    hist = np.zeros((t, n, n), np.int64)
    yi, ri = np.meshgrid(np.arange(t), np.arange(n), indexing="ij")

    def run(d):
        rk = ranks(scores(weights(d[0]), d[1], d[2]))
        np.add.at(hist, (yi, ri, rk - 1), 1)
        return np.abs(rk - reference).mean()

    fa = np.array([run(d) for d in a])
    fb = np.array([run(d) for d in b])
    var = np.concatenate([fa, fb]).var()
    indices = []
    for i in range(3):
        fab = np.array([run(tuple(b[j][c] if c == i else a[j][c] for c in range(3))) for j in range(big_n)])
        indices.append((float(np.mean(fb * (fab - fa)) / var), float(np.mean((fa - fab) ** 2) / (2 * var))))
    elapsed = time.perf_counter() - start

    print(f"numpy {np.__version__}: {big_n * per} runs over {n}x{t}x{k} in {elapsed:.3f} s")
    for name, (s1, st) in zip(["weights", "normalisation", "aggregation"], indices):
        print(f"  {name}: first-order {s1!r}, total {st!r}")
    allf = np.concatenate([fa, fb])
    print(f"  mean rank shift over A and B: {allf.mean()!r}")
    est = os.path.join(args.criterion_dir, "rank_uncertainty", "31x6x12", str(args.replications), "new", "estimates.json")
    if os.path.exists(est):
        rust = json.load(open(est))["mean"]["point_estimate"] / 1e9
        print(f"rust (criterion mean): {rust:.4f} s; numpy / rust = {elapsed / rust:.1f}x")
    else:
        print(f"no criterion estimate at {est}: run the Rust benchmark first")


if __name__ == "__main__":
    main()
