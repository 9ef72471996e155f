#!/usr/bin/env python3
"""Expected values for crates/chainlens-resilience/tests/resilience/validation.rs: index
validation (Cronbach's alpha, KMO, Bartlett's sphericity), correlations with p-values and
the special functions behind them, from peer packages — not from the Rust code.

    pip install pingouin factor_analyzer scipy pandas numpy
    python3 validation_generate.py > validation_expected.json

Cases (each holds its input matrix, so the Rust test needs nothing else):
* `random`: 60 observations of 8 indicators driven by one latent factor plus noise
  (numpy default_rng(20261206)), one indicator rounded so that Spearman meets ties;
  the "dimension scores" are the means of indicators 0-2, 3-5 and 6-7.
* `example`: the bundled example's indicator panel (examples/zhejiang/data/indicators.csv,
  the paper's 12 indicators D111..D322, 11 cities x 6 years = 66 observations) min-max
  normalised over the pooled panel with direction (D321, D322 are costs), as the index
  uses it; dimension scores by the paper's Table 2-1 weights within each dimension.
  Values as in the CSV (no derived indicators, no outlier treatment).
* `small`: 7 observations of 3 variables, for p-values far from 0 and a Spearman tie.

alpha if item deleted = pingouin.cronbach_alpha of the matrix without that column;
item-rest correlation = scipy.stats.pearsonr(item, sum of the other columns).
"""
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
import scipy.special as sp
import scipy.stats as st
from factor_analyzer.factor_analyzer import calculate_bartlett_sphericity, calculate_kmo

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[3] / "examples" / "zhejiang" / "data" / "indicators.csv"
PAPER = {  # indicator: (dimension, weight, cost?)
    "D111": ("B1", 0.086, False), "D112": ("B1", 0.092, False),
    "D121": ("B1", 0.078, False), "D122": ("B1", 0.084, False),
    "D211": ("B2", 0.095, False), "D212": ("B2", 0.088, False),
    "D221": ("B2", 0.082, False), "D222": ("B2", 0.079, False),
    "D311": ("B3", 0.093, False), "D312": ("B3", 0.087, False),
    "D321": ("B3", 0.071, True), "D322": ("B3", 0.065, True),
}


def validation(x, names):
    df = pd.DataFrame(x, columns=names)
    alpha, _ = pingouin.cronbach_alpha(df)
    items = []
    for j, name in enumerate(names):
        rest = df.drop(columns=[name])
        items.append({
            "indicator": name,
            "alpha_if_deleted": pingouin.cronbach_alpha(rest)[0] if len(names) >= 3 else None,
            "item_rest_correlation": st.pearsonr(x[:, j], rest.sum(axis=1)).statistic,
        })
    r = np.corrcoef(x, rowvar=False)
    k = len(names)
    mean_r = (r.sum() - k) / (k * (k - 1))
    per, overall = calculate_kmo(x)
    chi2, p = calculate_bartlett_sphericity(x)
    return {
        "alpha": alpha,
        "standardized_alpha": pingouin.cronbach_alpha(df.apply(st.zscore))[0],
        "standardized_alpha_formula": k * mean_r / (1 + (k - 1) * mean_r),
        "items": items,
        "kmo": overall,
        "kmo_per_indicator": list(per),
        "bartlett_chi2": chi2,
        "bartlett_df": k * (k - 1) // 2,
        "bartlett_p": p,
    }


def correlations(x, names):
    out = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            pr = st.pearsonr(x[:, i], x[:, j])
            sr = st.spearmanr(x[:, i], x[:, j])
            out.append({"a": names[i], "b": names[j],
                        "pearson_r": pr.statistic, "pearson_p": pr.pvalue,
                        "spearman_r": sr.statistic, "spearman_p": sr.pvalue})
    return out


def case(name, x, names, dims, dim_names):
    return {"name": name, "names": names, "matrix": x.tolist(),
            "validation": validation(x, names),
            "dimension_names": dim_names, "dimensions": dims.tolist(),
            "correlations": correlations(dims, dim_names)}


def random_case():
    rng = np.random.default_rng(20261206)
    n, k = 60, 8
    f = rng.normal(size=n)
    load = np.linspace(0.4, 1.2, k)
    x = f[:, None] * load + rng.normal(scale=0.8, size=(n, k)) + 3.0
    x[:, 7] = np.round(x[:, 7])
    dims = np.column_stack([x[:, 0:3].mean(1), x[:, 3:6].mean(1), x[:, 6:8].mean(1)])
    return case("random", x, [f"x{j}" for j in range(k)], dims, ["d0", "d1", "d2"])


def example_case():
    df = pd.read_csv(EXAMPLE)
    df = df[df.indicator.isin(PAPER)]
    wide = df.pivot_table(index=["region", "year"], columns="indicator", values="value")
    wide = wide.sort_index()[list(PAPER)]
    x = wide.to_numpy(dtype=float)
    lo, hi = x.min(0), x.max(0)
    cost = np.array([PAPER[c][2] for c in PAPER])
    r = np.where(cost, (hi - x) / (hi - lo), (x - lo) / (hi - lo))
    w = np.array([PAPER[c][1] for c in PAPER])
    dim = np.array([PAPER[c][0] for c in PAPER])
    dims = np.column_stack([(r[:, dim == d] * w[dim == d]).sum(1) / w[dim == d].sum()
                            for d in ("B1", "B2", "B3")])
    c = case("example", r, list(PAPER), dims, ["B1", "B2", "B3"])
    c["observations"] = [f"{a}:{b}" for a, b in wide.index]
    return c


def small_case():
    x = np.array([[1.0, 2.0, 7.0], [2.0, 1.0, 3.0], [3.0, 4.0, 5.0], [4.0, 3.0, 1.0],
                  [5.0, 6.0, 6.0], [6.0, 4.0, 2.0], [7.0, 5.0, 4.0]])
    return case("small", x, ["a", "b", "c"], x, ["a", "b", "c"])


def special():
    g = [(0.5, 0.1), (0.5, 3.0), (1.5, 0.7), (3.0, 2.0), (3.0, 9.0), (33.0, 20.0),
         (33.0, 60.0), (95.0, 120.0), (10.0, 10.5)]
    b = [(0.5, 0.5, 0.3), (29.0, 0.5, 0.9), (29.0, 0.5, 0.05), (2.5, 0.5, 0.999),
         (1.0, 3.0, 0.2), (50.0, 0.5, 0.97), (3.0, 0.5, 0.5)]
    return {
        "ln_gamma": [[x, sp.gammaln(x)] for x in (0.1, 0.5, 1.0, 2.5, 7.3, 33.0, 171.5, 1e4)],
        "gamma_q": [[a, x, sp.gammaincc(a, x)] for a, x in g],
        "beta_i": [[a, bb, x, sp.betainc(a, bb, x)] for a, bb, x in b],
        "chi2_sf": [[s, df, st.chi2.sf(s, df)] for s, df in
                    [(1.0, 1), (30.0, 10), (400.0, 66), (55.0, 66), (3.0, 28)]],
        "t_two_sided": [[t, df, 2 * st.t.sf(abs(t), df)] for t, df in
                        [(0.3, 5), (2.1, 58), (12.0, 64), (-3.3, 3)]],
        "normal_two_sided": [[z, 2 * st.norm.sf(abs(z))] for z in (0.2, 1.5, 4.0, 9.0)],
    }


def main():
    out = {
        "generator": "validation_generate.py",
        "versions": {p: version(p) for p in
                     ("pingouin", "factor_analyzer", "scipy", "numpy", "pandas")},
        "special": special(),
        "cases": [random_case(), example_case(), small_case()],
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
