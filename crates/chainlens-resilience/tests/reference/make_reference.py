#!/usr/bin/env python3
"""Expected values for crates/chainlens-resilience/tests/reference.rs, from peer packages
(ahpy, pymcdm) and a separate numpy implementation written from the formulas, not from
the Rust code. Run once; commit expected.json (it records the package versions).

    pip install ahpy pymcdm numpy
    python3 make_reference.py > expected.json

Conventions (see the crate docs): random-index tables are named — ahpy's `saaty` is
Saaty 2005 (our `saaty2005`), ahpy's default `dd` is Donegan & Dodd (our
`donegan-dodd`); our default `saaty` is Saaty 1980 and its CR is computed here as
CI / RI with numpy's λmax. Entropy: pymcdm on positive data; numpy with 0·ln 0 = 0 for
data with zeros. CRITIC: pymcdm on min-max normalised (direction-aware) data. TOPSIS:
pymcdm's default (min-max normalisation, ideal from the weighted matrix).
"""
import json
import sys
from importlib.metadata import version

import ahpy
import numpy as np
from pymcdm.methods import TOPSIS
from pymcdm.weights import critic_weights, entropy_weights

SAATY_1980 = {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}


def matrix_from_pairs(items, pairs):
    n = len(items)
    a = np.ones((n, n))
    for (x, y), v in pairs.items():
        i, j = items.index(x), items.index(y)
        a[i, j] = v
        a[j, i] = 1.0 / v
    return a


def ahp_case(name, items, pairs, published=None):
    a = matrix_from_pairs(items, pairs)
    n = len(items)
    eig = np.linalg.eigvals(a)
    lam = float(np.max(eig.real))
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    case = {"name": name, "items": items, "matrix": a.tolist(), "lambda_max": lam, "ci": ci}
    for table in ("saaty", "dd"):
        c = ahpy.Compare(name, pairs, precision=10, random_index=table)
        w = c.local_weights
        key = "saaty2005" if table == "saaty" else "donegan-dodd"
        case.setdefault("weights", [w[i] for i in items])
        case[f"cr_{key}"] = float(c.consistency_ratio)
    case["cr_saaty"] = ci / SAATY_1980[n] if n > 2 else 0.0
    # Geometric-mean method and its λ estimate, numpy.
    g = np.exp(np.log(a).mean(axis=1))
    g = g / g.sum()
    case["gm_weights"] = g.tolist()
    case["gm_lambda_max"] = float(np.mean(a @ g / g))
    if published:
        case["published"] = published
    return case


def group_case():
    items = ["a", "b", "c", "d"]
    e1 = {("a", "b"): 3, ("a", "c"): 5, ("a", "d"): 1, ("b", "c"): 2, ("b", "d"): 1 / 3, ("c", "d"): 1 / 5}
    e2 = {("a", "b"): 1, ("a", "c"): 7, ("a", "d"): 3, ("b", "c"): 4, ("b", "d"): 1, ("c", "d"): 1 / 2}
    e3 = {("a", "b"): 5, ("a", "c"): 3, ("a", "d"): 1 / 2, ("b", "c"): 1, ("b", "d"): 1 / 4, ("c", "d"): 1 / 7}
    mats = [matrix_from_pairs(items, e) for e in (e1, e2, e3)]
    g = np.exp(np.mean([np.log(m) for m in mats], axis=0))
    pairs = {(items[i], items[j]): float(g[i, j]) for i in range(4) for j in range(i + 1, 4)}
    case = ahp_case("group of three experts", items, pairs)
    case["experts"] = [m.tolist() for m in mats]
    return case


def entropy_zero_aware(x):
    m = x.shape[0]
    p = x / x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / np.log(m)
    d = 1 - e
    return d / d.sum()


def minmax(x, types):
    lo, hi = x.min(axis=0), x.max(axis=0)
    r = (x - lo) / (hi - lo)
    return np.where(np.array(types) > 0, r, 1 - r)


def theil(y):
    mu = y.mean()
    s = y / mu
    return float(np.mean(np.where(s > 0, s * np.log(np.where(s > 0, s, 1.0)), 0.0)))


def gaps(values, groups):
    y = np.array(values)
    labels = sorted(set(groups), key=lambda g: (-np.mean([v for v, h in zip(values, groups) if h == g]), g))
    parts = [y[np.array(groups) == g] for g in labels]
    n, mu = len(y), y.mean()
    t_b = sum(len(p) / n * p.mean() / mu * np.log(p.mean() / mu) for p in parts)
    t_w = sum(len(p) * p.mean() / (n * mu) * theil(p) for p in parts)
    g_total = np.abs(y[:, None] - y[None, :]).sum() / (2 * n * n * mu)
    pj = [len(p) / n for p in parts]
    sj = [len(p) * p.mean() / (n * mu) for p in parts]
    gw = sum(np.abs(p[:, None] - p[None, :]).sum() / (2 * len(p) ** 2 * p.mean()) * pj[k] * sj[k] for k, p in enumerate(parts))
    gnb = gt = 0.0
    for j in range(len(parts)):
        for h in range(j + 1, len(parts)):
            a, b = parts[j], parts[h]
            diff = a[:, None] - b[None, :]
            gjh = np.abs(diff).sum() / (len(a) * len(b) * (a.mean() + b.mean()))
            d = np.clip(diff, 0, None).sum()
            q = np.clip(-diff, 0, None).sum()
            djh = (d - q) / (d + q)
            wgt = pj[j] * sj[h] + pj[h] * sj[j]
            gnb += gjh * wgt * djh
            gt += gjh * wgt * (1 - djh)
    return {
        "values": values,
        "groups": groups,
        "order": labels,
        "cv": float(y.std() / mu),
        "theil": theil(y),
        "theil_within": float(t_w),
        "theil_between": float(t_b),
        "gini": float(g_total),
        "gini_within": float(gw),
        "gini_between_net": float(gnb),
        "gini_transvariation": float(gt),
    }


def coupling(u):
    u = np.array(u, dtype=float)
    k = len(u)
    c = float(np.prod(u) ** (1 / k) / u.mean())
    t = float(u.mean())
    return {"u": u.tolist(), "c": c, "t": t, "d": float(np.sqrt(c * t))}


def main():
    out = {
        "generator": "tests/reference/make_reference.py",
        "versions": {p: version(p) for p in ("ahpy", "pymcdm", "numpy")},
        "python": sys.version.split()[0],
    }
    drinks = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
    drink_pairs = {
        ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
        ("coffee", "milk"): 1, ("coffee", "water"): 1 / 2, ("wine", "tea"): 1 / 3, ("wine", "beer"): 1 / 9,
        ("wine", "soda"): 1 / 9, ("wine", "milk"): 1 / 9, ("wine", "water"): 1 / 9, ("tea", "beer"): 1 / 3,
        ("tea", "soda"): 1 / 4, ("tea", "milk"): 1 / 3, ("tea", "water"): 1 / 9, ("beer", "soda"): 1 / 2,
        ("beer", "milk"): 1, ("beer", "water"): 1 / 3, ("soda", "milk"): 2, ("soda", "water"): 1 / 2,
        ("milk", "water"): 1 / 3,
    }
    leader = ["Moll", "Nell", "Sue"]
    out["ahp"] = [
        # Saaty (2008), "Decision making with the analytic hierarchy process": relative
        # consumption of drinks in the US; published weights and CR (RI of Saaty 2005).
        ahp_case("Saaty 2008 drinks", drinks, drink_pairs, {
            "weights": [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], "cr_saaty2005": 0.022}),
        ahp_case("leader: criteria", ["Experience", "Education", "Charisma", "Age"], {
            ("Experience", "Education"): 4, ("Experience", "Charisma"): 3, ("Experience", "Age"): 7,
            ("Education", "Charisma"): 1 / 3, ("Education", "Age"): 3, ("Charisma", "Age"): 5}),
        ahp_case("leader: experience", leader, {("Moll", "Nell"): 1 / 4, ("Moll", "Sue"): 4, ("Nell", "Sue"): 9},
                 {"weights": [0.217, 0.717, 0.066], "cr_saaty2005": 0.035}),
        ahp_case("leader: education", leader, {("Moll", "Nell"): 3, ("Moll", "Sue"): 1 / 5, ("Nell", "Sue"): 1 / 7},
                 {"cr_saaty2005": 0.062}),
        ahp_case("leader: charisma", leader, {("Moll", "Nell"): 5, ("Moll", "Sue"): 9, ("Nell", "Sue"): 4}),
        ahp_case("leader: age", leader, {("Moll", "Nell"): 1 / 3, ("Moll", "Sue"): 5, ("Nell", "Sue"): 9}),
        ahp_case("inconsistent", ["p", "q", "r", "s"], {
            ("p", "q"): 2, ("p", "r"): 4, ("p", "s"): 1 / 4, ("q", "r"): 2, ("q", "s"): 2, ("r", "s"): 1}),
        group_case(),
    ]

    rng = np.random.RandomState(7)
    x = np.round(rng.uniform(1, 10, size=(10, 5)), 3)
    types = [1, 1, -1, 1, -1]
    w = np.array([0.3, 0.2, 0.2, 0.15, 0.15])
    xz = x.copy()
    xz[2, 1] = 0.0
    xz[5, 3] = 0.0
    xn = minmax(x, types)
    out["mcdm"] = {
        "matrix": x.tolist(),
        "types": types,
        "weights": w.tolist(),
        "entropy_pymcdm": entropy_weights(x).tolist(),
        "matrix_with_zeros": xz.tolist(),
        "entropy_zeros_numpy": entropy_zero_aware(xz).tolist(),
        "critic_pymcdm_on_minmax": critic_weights(xn).tolist(),
        "topsis_pymcdm": TOPSIS()(x, w, np.array(types)).tolist(),
    }

    values = np.round(np.random.RandomState(11).uniform(0.3, 0.9, size=31), 4).tolist()
    groups = ["east"] * 10 + ["central"] * 6 + ["west"] * 12 + ["northeast"] * 3
    table_3_1 = [0.874, 0.849, 0.811, 0.745, 0.721, 0.618]
    out["gaps"] = [gaps(values, groups), gaps(table_3_1, ["east", "east", "east", "central", "west", "northeast"])]
    out["coupling"] = [coupling(u) for u in ([0.4, 0.9], [0.856, 0.892, 0.873], [0.2, 0.5, 0.7, 0.9])]
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
