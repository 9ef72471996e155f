"""Independent check of the per-regional-chain index (issue 16): numpy recomputes the
units, outlier clipping, min-max normalisation, Table 2-1 weighted sums, dimension scores,
grades, ranks and the equal-weight roll-ups per region and per chain.

Inputs:
* examples/zhejiang/data/indicators.csv — region-wide values (no `chain` column): they
  apply to every chain of their region;
* chain_panel.csv (written here, fixed seed) — chain-specific D111, D112 and D311 for
  Hangzhou (nev, optical, computing), Ningbo (nev, optical) and Jiaxing (nev); a chain's
  own value wins over its region's.

Rules (chainlens-resilience's panel and evaluate modules, written again here): a region
with chain-specific values is one unit per chain named, every other region one unit;
units sorted by region id, then chain; per indicator over all units and years, values
outside [Q1 − 3·IQR, Q3 + 3·IQR] (numpy's linear quantiles) are clipped; min-max with
direction (D321, D322 are costs); index = Σ w_j r_j with Table 2-1's weights; dimension
score = Σ_{j∈d} w_j r_j / Σ_{j∈d} w_j; grade by 0.2/0.4/0.6/0.8; rank within the year =
1 + number of larger indices; roll-up = mean of the units' indices.

Run: python3 crates/chainlens-resilience/tests/reference/chain_generate.py
(numpy; writes chain_panel.csv and chain_expected.json beside this file).
"""

import csv
import json
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLE = HERE.parents[3] / "examples" / "zhejiang" / "data" / "indicators.csv"

CODES = ["D111", "D112", "D121", "D122", "D211", "D212", "D221", "D222", "D311", "D312", "D321", "D322"]
WEIGHTS = np.array([0.086, 0.092, 0.078, 0.084, 0.095, 0.088, 0.082, 0.079, 0.093, 0.087, 0.071, 0.065])
DIMENSIONS = {"B1": [0, 1, 2, 3], "B2": [4, 5, 6, 7], "B3": [8, 9, 10, 11]}
COST = {"D321", "D322"}
GRADES = [(0.8, "high"), (0.6, "strong"), (0.4, "medium"), (0.2, "weaker")]


def overlay():
    rng = np.random.default_rng(16)
    chains = {"hangzhou": ["nev", "optical", "computing"], "ningbo": ["nev", "optical"], "jiaxing": ["nev"]}
    rows = []
    for region, names in chains.items():
        for chain in names:
            for year in range(2018, 2024):
                for code, lo, hi in [("D111", 0.3, 0.9), ("D112", 0.4, 1.0), ("D311", 0.01, 0.08)]:
                    rows.append((region, chain, year, code, f"{rng.uniform(lo, hi):.4f}"))
    with open(HERE / "chain_panel.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["region", "chain", "year", "indicator", "value"])
        w.writerows(rows)
    return [(r, c, y, i, float(v)) for r, c, y, i, v in rows]


def grade(e):
    for bound, name in GRADES:
        if e >= bound:
            return name
    return "low"


def main():
    given = {}
    with open(EXAMPLE) as f:
        for row in csv.DictReader(f):
            if row["indicator"] in CODES:
                given[(row["region"], int(row["year"]), row["indicator"])] = float(row["value"])
    specific = overlay()
    regions = sorted({r for r, _, _ in given})
    years = sorted({y for _, y, _ in given})
    chains_of = {r: sorted({c for (rr, c, _, _, _) in specific if rr == r}) for r in regions}
    units = [(r, c) for r in regions for c in (chains_of[r] or [None])]
    own = {(r, c, y, i): v for r, c, y, i, v in specific}
    x = np.empty((len(units), len(years), len(CODES)))
    for u, (r, c) in enumerate(units):
        for t, y in enumerate(years):
            for j, code in enumerate(CODES):
                x[u, t, j] = own.get((r, c, y, code), given[(r, y, code)])
    flat = x.reshape(-1, len(CODES)).copy()
    clipped = 0
    for j in range(len(CODES)):
        q1, q3 = np.quantile(flat[:, j], [0.25, 0.75])
        lo, hi = q1 - 3 * (q3 - q1), q3 + 3 * (q3 - q1)
        clipped += int(((flat[:, j] < lo) | (flat[:, j] > hi)).sum())
        flat[:, j] = np.clip(flat[:, j], lo, hi)
    mn, mx = flat.min(axis=0), flat.max(axis=0)
    r = (flat - mn) / (mx - mn)
    for j, code in enumerate(CODES):
        if code in COST:
            r[:, j] = (mx[j] - flat[:, j]) / (mx[j] - mn[j])
    index = r @ WEIGHTS
    dims = {d: r[:, js] @ WEIGHTS[js] / WEIGHTS[js].sum() for d, js in DIMENSIONS.items()}
    ny = len(years)
    scores = []
    for u, (reg, chain) in enumerate(units):
        for t, y in enumerate(years):
            k = u * ny + t
            year_index = index[[v * ny + t for v in range(len(units))]]
            scores.append({
                "region": reg,
                "chain": chain,
                "year": y,
                "index": float(index[k]),
                "dimensions": {d: float(s[k]) for d, s in dims.items()},
                "grade": grade(index[k]),
                "rank": int(1 + (year_index > index[k]).sum()),
            })

    def roll(key):
        groups = {}
        for s in scores:
            if key(s) is not None:
                groups.setdefault((key(s), s["year"]), []).append(s["index"])
        return [{"id": k, "year": y, "index": float(np.mean(v)), "grade": grade(np.mean(v)), "units": len(v)}
                for (k, y), v in sorted(groups.items())]

    out = {
        "note": "generated by chain_generate.py (numpy " + np.__version__ + "); do not edit",
        "clipped": clipped,
        "units": [f"{r}/{c}" if c else r for r, c in units],
        "scores": scores,
        "regions": roll(lambda s: s["region"]),
        "chains": roll(lambda s: s["chain"]),
    }
    with open(HERE / "chain_expected.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
