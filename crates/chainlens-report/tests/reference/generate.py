"""Reference values for chainlens_report::chart::histogram::bins: numpy.histogram.

Run: python3 crates/chainlens-report/tests/reference/generate.py
Writes histogram.json beside this script (numpy version recorded in it).
"""
import json
import pathlib

import numpy as np

rng = np.random.default_rng(20261206)
cases = {
    # Monte Carlo–like losses: many zeros and a long right tail.
    "losses": np.concatenate([np.zeros(40), rng.gamma(2.0, 3.0, 160)]).tolist(),
    # Values exactly on bin edges.
    "edges": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    "negative": (rng.normal(size=57) * 10.0).tolist(),
}
out = {"numpy": np.__version__, "cases": []}
for name, values in cases.items():
    for n in (1, 7, 20):
        counts, edges = np.histogram(values, bins=n)
        out["cases"].append(
            {
                "name": name,
                "bins": n,
                "values": values,
                "counts": counts.tolist(),
                "edges": edges.tolist(),
            }
        )
path = pathlib.Path(__file__).with_name("histogram.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path} with {len(out['cases'])} cases")
