"""Expected values for chainlens-linkage's reference tests (run once; outputs are committed).

Independent references, not ChainLens output:
  * pymrio 0.7 (`pymrio.load_test()`, `calc_all()`): x, A, L and the extension multipliers M
    of the pymrio test MRIO (the same system as ../shared/data/io/pymrio_test_mrio).
  * numpy, written here from the textbook definitions (Miller & Blair 2009): B = diag(x)^-1 Z,
    G = (I - B)^-1, Rasmussen-Hirschman BL/FL (Ghosh and Leontief forward), coefficients of
    variation, key-sector classes, hypothetical extraction by brute-force re-inversion,
    intra/feedback/spillover multipliers by explicit block inverses.
  * numpy BL/FL/classes, the 1-norm condition number of I - A (numpy.linalg.cond) and the
    spectral radius of A (numpy.linalg.eigvals) on the
    China NBS tables (read with pandas, codes as strings) and on the long-run WIOD 2000 table.

Usage: python3 make_expected.py [SHARED_DATA_IO_DIR]   (pip install pymrio numpy pandas)
Writes expected_pymrio_test.json and expected_real_tables.json next to this script.
"""

import json
import os
import sys

import numpy as np
import pandas as pd
import pymrio

HERE = os.path.dirname(os.path.abspath(__file__))
IO = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/data/io")


def linkages(Z, y, x, v, regions=None):
    n = len(x)
    A = Z / x[None, :]
    B = Z / x[:, None]
    I = np.eye(n)
    L = np.linalg.inv(I - A)
    G = np.linalg.inv(I - B)
    cs = L.sum(0)
    bl = n * cs / cs.sum()
    fl_g = n * G.sum(1) / G.sum()
    fl_l = n * L.sum(1) / L.sum()

    def classes(b, f):
        return ["key" if bi > 1 and fi > 1 else "backward" if bi > 1 else "forward" if fi > 1 else "weak"
                for bi, fi in zip(b, f)]

    out = {
        "A": A.tolist(), "B": B.tolist(), "L": L.tolist(), "G": G.tolist(),
        "output_multiplier": cs.tolist(),
        "backward": bl.tolist(), "forward_ghosh": fl_g.tolist(), "forward_leontief": fl_l.tolist(),
        "class_ghosh": classes(bl, fl_g), "class_leontief": classes(bl, fl_l),
        "backward_variation": (L.std(0, ddof=1) / L.mean(0)).tolist(),
        "forward_variation_ghosh": (G.std(1, ddof=1) / G.mean(1)).tolist(),
    }
    xh = L @ y
    ext = {"total": [], "backward": [], "forward": []}
    for j in range(n):
        At = A.copy(); At[j, :] = 0; At[:, j] = 0
        ext["total"].append(xh.sum() - np.linalg.solve(I - At, y).sum())
        Ab = A.copy(); Ab[:, j] = 0
        ext["backward"].append(xh.sum() - np.linalg.solve(I - Ab, y).sum())
        Bf = B.copy(); Bf[j, :] = 0
        ext["forward"].append(x.sum() - np.linalg.solve((I - Bf).T, v).sum())
    out["extraction"] = ext
    if regions is not None:
        regs = list(dict.fromkeys(regions))
        idx = np.array([regs.index(r) for r in regions])
        intra = np.zeros(n)
        feedback = np.zeros(n)
        spill = np.zeros(n)
        for r in range(len(regs)):
            m = idx == r
            Lrr = np.linalg.inv(np.eye(m.sum()) - A[np.ix_(m, m)])
            intra[m] = Lrr.sum(0)
            feedback[m] = L[np.ix_(m, m)].sum(0) - Lrr.sum(0)
            spill[m] = L[np.ix_(~m, m)].sum(0)
        out.update(intra=intra.tolist(), feedback=feedback.tolist(), spillover=spill.tolist())
    return out


def pymrio_test():
    io = pymrio.load_test()
    io.calc_all()
    x = io.x.values[:, 0]
    Z = io.Z.values
    y = io.Y.values.sum(1)
    v = x - Z.sum(0)
    regions = [r for r, _ in io.Z.index]
    res = linkages(Z, y, x, v, regions)
    # pymrio's own results win where pymrio computes them.
    res["pymrio"] = {
        "x": x.tolist(),
        "A": io.A.values.tolist(),
        "L": io.L.values.tolist(),
        "M_emissions": io.emissions.M.values.tolist(),
        "M_emissions_rows": [" / ".join(map(str, i)) for i in io.emissions.M.index],
        "M_factor_inputs": io.factor_inputs.M.values.tolist(),
        "M_factor_inputs_rows": [str(i) if not isinstance(i, tuple) else " / ".join(i)
                                 for i in io.factor_inputs.M.index],
    }
    res["industries"] = [f"{r}|{s}" for r, s in io.Z.index]
    res["pymrio_version"] = pymrio.__version__
    res["numpy_version"] = np.__version__
    return res


def nbs(path):
    df = pd.read_csv(path, dtype={"Code": str}, keep_default_na=False, na_values=[""])
    if "Origin" in df.columns:
        dom = df[df["Origin"] == "Domestic"]
        codes = list(dom["Code"])
        Z = dom[codes].astype(float).values
        y = dom[["TC", "FU201", "FU202", "EX"]].astype(float).values.sum(1)
        x = dom["GO"].astype(float).values
    else:
        prod = df[~df["Code"].isin(["TII", "VA001", "VA002", "VA003", "VA004", "TVA", "TI"])]
        codes = list(prod["Code"])
        Z = prod[codes].astype(float).values
        fd = prod[["FU101", "FU102", "FU103", "FU201", "FU202", "EX"]].astype(float).values.sum(1)
        y = fd - prod["IM"].astype(float).values
        x = prod["GO"].astype(float).values
    return Z, y, x


def wiod(path):
    df = pd.read_csv(path)
    rows = df[df["Country"] != "xTOT"]
    n = len(rows)
    cols = list(df.columns)
    Z = rows[cols[4:4 + n]].values.astype(float)
    fd = [c for c in cols[4 + n:] if not c.startswith("xTOT_")]
    y = rows[fd].values.astype(float).sum(1)
    x = rows["xTOT_xGO"].values.astype(float)
    return Z, y, x


def summary(Z, y, x):
    n = len(x)
    A = Z / x[None, :]
    L = np.linalg.inv(np.eye(n) - A)
    G = L * x[None, :] / x[:, None]
    cs = L.sum(0)
    bl = n * cs / cs.sum()
    fl = n * G.sum(1) / G.sum()
    cls = ["key" if b > 1 and f > 1 else "backward" if b > 1 else "forward" if f > 1 else "weak"
           for b, f in zip(bl, fl)]
    return {"output_multiplier": cs.tolist(), "backward": bl.tolist(), "forward_ghosh": fl.tolist(),
            "class_ghosh": cls, "condition_number_1": float(np.linalg.cond(np.eye(n) - A, 1)),
            "spectral_radius": float(np.abs(np.linalg.eigvals(A)).max())}


def main():
    with open(os.path.join(HERE, "expected_pymrio_test.json"), "w") as f:
        json.dump(pymrio_test(), f)
    real = {}
    nbs_dir = os.path.join(IO, "china_nbs_national_io")
    for name in ["china_2017_42", "china_2018_42", "china_2020_42",
                 "china_2017_149", "china_2018_153", "china_2020_153"]:
        real[name] = summary(*nbs(os.path.join(nbs_dir, name + ".csv")))
    real["wiod_2000"] = summary(*wiod(os.path.join(IO, "wiod_longrun_2000/WIODlr_WIOT_2000.csv")))
    with open(os.path.join(HERE, "expected_real_tables.json"), "w") as f:
        json.dump(real, f)


if __name__ == "__main__":
    main()
