#!/usr/bin/env python3
"""Expected values for crates/chainlens-resilience/tests/resilience/panel.rs: fixed-effects
(within) regression with entity-clustered standard errors, from linearmodels' PanelOLS,
and the decomposition of index changes into indicator contributions, from numpy — not
from the Rust code.

    pip install linearmodels statsmodels pandas numpy
    python3 panel_generate.py > panel_expected.json

Each case holds its long panel (entity, year, variables; a missing value is an absent
key) and its model; the regressors are built here independently: the lag L.<dependent>
is the value of the previous calendar year (merge on year - 1, not a positional shift),
an interaction a×b the product; rows missing any of them are dropped (as PanelOLS drops
rows with NaN). Fits: PanelOLS(y, X, entity_effects=True).fit(cov_type="clustered",
cluster_entity=True, debiased=D, group_debias=G, auto_df=False, count_effects=C) for the
three corrections below.

* `random`: 12 entities x 8 years, E_it = a_i + 0.5 E_i,t-1 + 0.3 dx + 0.2 dx*z + noise
  (numpy default_rng(7)); one missing driver value and one missing year.
* `example`: the bundled example (examples/zhejiang/data/indicators.csv): E = the paper's
  weighted sum (Table 2-1 weights) of the 12 indicators min-max normalised over the pooled
  panel with direction, per city and year; drivers independent_innovation_rate and
  market_concentration and their interaction, with the lag. The decomposition of each
  city's E from 2018 to 2023 into w_j * (r_j,2023 - r_j,2018) is computed with numpy.
"""
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from linearmodels.panel import PanelOLS

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[3] / "examples" / "zhejiang" / "data" / "indicators.csv"
PAPER = {  # indicator: (weight, cost?)
    "D111": (0.086, False), "D112": (0.092, False), "D121": (0.078, False),
    "D122": (0.084, False), "D211": (0.095, False), "D212": (0.088, False),
    "D221": (0.082, False), "D222": (0.079, False), "D311": (0.093, False),
    "D312": (0.087, False), "D321": (0.071, True), "D322": (0.065, True),
}
CORRECTIONS = [
    {"regressors": True, "groups": True, "effects": False},   # Stata xtreg, fe vce(cluster)
    {"regressors": True, "groups": False, "effects": False},  # linearmodels' defaults here
    {"regressors": False, "groups": False, "effects": True},
]


def regressors(long, model):
    dep = model["dependent"]
    df = long.copy()
    names = []
    if model["lag"]:
        prev = long[["entity", "year", dep]].copy()
        prev["year"] += 1
        df = df.merge(prev.rename(columns={dep: "L." + dep}), on=["entity", "year"], how="left")
        names.append("L." + dep)
    names += model["drivers"]
    for a, b in model["interactions"]:
        df[f"{a}×{b}"] = df[a] * df[b]
        names.append(f"{a}×{b}")
    return df.set_index(["entity", "year"]).sort_index(), names


def fits(long, model):
    df, names = regressors(long, model)
    used = df[[model["dependent"]] + names].dropna()
    out = []
    for c in CORRECTIONS:
        res = PanelOLS(used[model["dependent"]], used[names], entity_effects=True).fit(
            cov_type="clustered", cluster_entity=True, debiased=c["regressors"],
            group_debias=c["groups"], auto_df=False, count_effects=c["effects"])
        out.append({
            "correction": c,
            "names": names,
            "params": res.params.tolist(),
            "std_errors": res.std_errors.tolist(),
            "tstats": res.tstats.tolist(),
            "pvalues": res.pvalues.tolist(),
            "rsquared_within": res.rsquared_within,
            "rsquared": res.rsquared,
            "nobs": int(res.nobs),
            "entities": int(res.entity_info["total"]),
            "df_resid": int(res.df_resid),
        })
    return {"dropped": int(len(df) - len(used)), "fits": out}


def long_rows(long):
    rows = []
    for r in long.itertuples(index=False):
        d = r._asdict()
        vals = {k: v for k, v in d.items() if k not in ("entity", "year") and not pd.isna(v)}
        rows.append([d["entity"], int(d["year"]), vals])
    return rows


def random_case():
    rng = np.random.default_rng(7)
    rows = []
    for i in range(12):
        a = rng.normal(scale=0.5)
        e = a + rng.normal()
        for t in range(2010, 2018):
            dx, z = rng.normal(), rng.normal(1.0, 0.5)
            e = a + 0.5 * e + 0.3 * dx + 0.2 * dx * z + rng.normal(scale=0.3)
            rows.append({"entity": f"r{i:02}", "year": t, "E": e, "dx": dx, "z": z})
    long = pd.DataFrame(rows)
    long.loc[(long.entity == "r03") & (long.year == 2013), "dx"] = np.nan
    long = long[~((long.entity == "r05") & (long.year == 2014))]
    model = {"dependent": "E", "lag": True, "drivers": ["dx", "z"],
             "interactions": [["dx", "z"]]}
    return {"name": "random", "model": model, "panel": long_rows(long), **fits(long, model)}


def example_case():
    raw = pd.read_csv(EXAMPLE)
    wide = raw.pivot_table(index=["region", "year"], columns="indicator", values="value")
    ind = list(PAPER)
    x = wide[ind].to_numpy(dtype=float)
    lo, hi = x.min(0), x.max(0)
    cost = np.array([PAPER[c][1] for c in ind])
    r = np.where(cost, (hi - x) / (hi - lo), (x - lo) / (hi - lo))
    w = np.array([PAPER[c][0] for c in ind])
    drivers = ["independent_innovation_rate", "market_concentration"]
    long = pd.DataFrame({"entity": wide.index.get_level_values(0),
                         "year": wide.index.get_level_values(1), "E": r @ w})
    for d in drivers:
        long[d] = wide[d].to_numpy()
    model = {"dependent": "E", "lag": True, "drivers": drivers,
             "interactions": [["L.E", drivers[0]], [drivers[0], drivers[1]]]}
    scores = pd.DataFrame(r, index=wide.index, columns=ind)
    decomposition = []
    for city in sorted(set(long.entity)):
        r0, r1 = scores.loc[(city, 2018)].to_numpy(), scores.loc[(city, 2023)].to_numpy()
        decomposition.append({"region": city, "from": r0.tolist(), "to": r1.tolist(),
                              "change": float(w @ r1 - w @ r0),
                              "contributions": (w * (r1 - r0)).tolist()})
    return {"name": "example", "model": model, "panel": long_rows(long), **fits(long, model),
            "indicators": ind, "weights": w.tolist(), "decomposition": decomposition}


def main():
    out = {
        "generator": "panel_generate.py",
        "versions": {p: version(p) for p in ("linearmodels", "pandas", "numpy")},
        "cases": [random_case(), example_case()],
    }
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
