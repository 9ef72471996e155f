"""Side-by-side timing: ChainLens (criterion bench `linkage`) against pymrio/numpy.

For each table -- WIOD 2000 (598), China 2018 (153), synthetic n = 2000 and 4000 -- numpy
does what a pymrio user would: A from Z and x, L = inv(I - A) (pymrio.calc_L), then output
multipliers, BL, FL (Ghosh, from G = diag(x)^-1 L diag(x)) and key-sector classes. ChainLens
times its default report (`report`: one LU, one plain and one transposed multi-column
solve; for the synthetic sizes the one-region table's, `report_one_region`, which computes
what numpy does, and the 10-region table's, which adds the intra/feedback/spillover split
and region matrices, printed beside) and its LU of (I − A)ᵀ alone (`factorisation`; GFLOP/s = 2n³/3 over
its time, set against numpy's dgemm on the same machine). numpy's time is the best of
three, ChainLens' the criterion median. Extraction of all
sectors: ChainLens' low-rank formulas against n brute-force re-solves in numpy (timed on a
sample of sectors and extrapolated).

Usage (from the workspace root):
    CARGO_TARGET_DIR=/tmp/target-linkage python3 crates/chainlens-linkage/benches/compare_numpy.py [--no-bench]
--no-bench reuses the criterion results already in $CARGO_TARGET_DIR/criterion.
LINKAGE_BENCH_SIZES (e.g. "2000,4000") selects the synthetic sizes, as for the bench.
Synthetic tables in numpy come from numpy's generator with the same structure as the Rust
generator (dense, column sums 0.3-0.7); dense LU time does not depend on the values.
"""

import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../.."))
IO = os.path.abspath(os.path.join(ROOT, "../shared/data/io"))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def best(f, repeat=3):
    t = []
    for _ in range(repeat):
        s = time.perf_counter()
        f()
        t.append(time.perf_counter() - s)
    return min(t)


def report_numpy(Z, y, x):
    n = len(x)
    A = Z / x[None, :]
    L = np.linalg.inv(np.eye(n) - A)  # what pymrio.calc_L does
    cs = L.sum(0)
    bl = n * cs / cs.sum()
    g = (L @ x) / x  # row sums of G = diag(x)^-1 L diag(x)
    fl = n * g / g.sum()
    return np.where(bl > 1, np.where(fl > 1, 0, 1), np.where(fl > 1, 2, 3))


def extraction_numpy_per_sector(Z, y, x):
    n = len(x)
    A = Z / x[None, :]
    I = np.eye(n)
    base = np.linalg.solve(I - A, y).sum()

    def one(j):
        At = A.copy()
        At[j, :] = 0
        At[:, j] = 0
        return base - np.linalg.solve(I - At, y).sum()

    k = 3
    return best(lambda: [one(j) for j in range(k)], 1) / k


def wiod():
    df = pd.read_csv(os.path.join(IO, "wiod_longrun_2000/WIODlr_WIOT_2000.csv"))
    rows = df[df["Country"] != "xTOT"]
    n = len(rows)
    cols = list(df.columns)
    Z = rows[cols[4:4 + n]].values.astype(float)
    fd = [c for c in cols[4 + n:] if not c.startswith("xTOT_")]
    return Z, rows[fd].values.astype(float).sum(1), rows["xTOT_xGO"].values.astype(float)


def china():
    df = pd.read_csv(os.path.join(IO, "china_nbs_national_io/china_2018_153.csv"), dtype={"Code": str})
    prod = df[~df["Code"].isin(["TII", "VA001", "VA002", "VA003", "VA004", "TVA", "TI"])]
    codes = list(prod["Code"])
    Z = prod[codes].astype(float).values
    y = prod[["FU101", "FU102", "FU103", "FU201", "FU202", "EX"]].astype(float).values.sum(1) - prod["IM"].astype(float).values
    return Z, y, prod["GO"].astype(float).values


def synthetic(n, seed=42):
    rng = np.random.default_rng(seed)
    U = rng.random((n, n)) ** 3
    A = U / U.sum(0) * (0.3 + 0.4 * rng.random(n))
    x = 1 + 100 * rng.random(n)
    for _ in range(100):
        ax = A @ x
        low = x - ax < 0.05 * x
        if not low.any():
            break
        x[low] = 1.2 * ax[low]
    Z = A * x[None, :]
    return Z, x - Z.sum(1), x


def criterion(group, fn, n):
    path = os.path.join(TARGET, "criterion", f"linkage_{group}", fn, str(n), "new", "estimates.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"] / 1e9


def main():
    sizes = [int(s) for s in os.environ.get("LINKAGE_BENCH_SIZES", "500,2000,4000").split(",")]
    if "--no-bench" not in sys.argv:
        subprocess.run(["cargo", "bench", "-p", "chainlens-linkage", "--bench", "linkage"], cwd=ROOT, check=True)
    tables = []
    if os.path.isdir(IO):
        tables += [("wiod598", wiod()), ("china153", china())]
    tables += [(f"synthetic{n}", synthetic(n)) for n in sizes if n >= 2000]
    print(f"numpy {np.__version__}; threads as configured (OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'default')})")
    print(f"{'table':<14}{'n':>6}{'numpy report s':>16}{'chainlens report s':>20}{'speed-up':>10}"
          f"{'chainlens LU s':>16}{'LU GFLOP/s':>12}{'dgemm GFLOP/s':>15}{'LU/dgemm':>10}")
    print("(synthetic tables: ChainLens' report of the one-region table, the indicators numpy computes;"
          " 'with regions' below is the 10-region table's full report)")
    for name, (Z, y, x) in tables:
        n = len(x)
        t_np = best(lambda: report_numpy(Z, y, x))
        t_regions = criterion(name, "report", n)
        t_cl = criterion(name, "report_one_region", n) or t_regions
        t_lu = criterion(name, "factorisation", n) or criterion(name, "lu", n)
        M = np.random.default_rng(1).random((n, n))
        t_mm = best(lambda: M @ M)
        gemm = 2 * n ** 3 / t_mm / 1e9
        lu_gflops = (2 / 3) * n ** 3 / t_lu / 1e9 if t_lu else float("nan")
        ratio = t_np / t_cl if t_cl else float("nan")
        print(f"{name:<14}{n:>6}{t_np:>16.4f}{(t_cl or float('nan')):>20.4f}{ratio:>10.2f}"
              f"{(t_lu or float('nan')):>16.4f}{lu_gflops:>12.1f}{gemm:>15.1f}{lu_gflops / gemm:>10.0%}")
        if t_cl != t_regions and t_regions:
            print(f"{'':<14}with regions (intra/feedback/spillover, region matrices): chainlens {t_regions:.4f} s, "
                  f"{t_np / t_regions:.2f}x numpy's report without them")
        t_ext = criterion(name, "extraction", n)
        if t_ext:
            per = extraction_numpy_per_sector(Z, y, x)
            print(f"{'':<14}extraction of all {n} sectors: chainlens {t_ext:.3f} s; numpy brute force "
                  f"~{per * n:.1f} s (measured {per:.3f} s per sector); ratio {per * n / t_ext:.0f}x")


if __name__ == "__main__":
    main()
