#!/usr/bin/env python3
"""Expected failures of a firm-level cascade in its boolean limit, from networkx.

With zero inventories, every input essential and every input category single-sourced,
removing a set of firms for good stops exactly the firms reachable from it along
supplier -> buyer edges. This script draws a random directed network (with cycles) with
a fixed seed, picks shocked firms, and writes tests/reference/expected/reachability.json:
{"nodes": N, "edges": [[src, dst], ...], "cases": [{"shocked": [...], "failed": [...]}]}
where "failed" = shocked ∪ networkx.descendants of each shocked node.

    /tmp/boario-venv/bin/pip install networkx
    /tmp/boario-venv/bin/python tests/reference/reachability_reference.py
"""

import json
import pathlib
import random

import networkx as nx

HERE = pathlib.Path(__file__).resolve().parent


def main() -> None:
    rng = random.Random(20261122)
    n = 300
    g = nx.gnm_random_graph(n, 420, seed=7, directed=True)
    edges = sorted([u, v] for u, v in g.edges() if u != v)
    cases = []
    for size in [1, 1, 2, 3, 5, 8]:
        shocked = sorted(rng.sample(range(n), size))
        failed = set(shocked)
        for s in shocked:
            failed |= nx.descendants(g, s)
        cases.append({"shocked": shocked, "failed": sorted(failed)})
    out = {"networkx": nx.__version__, "nodes": n, "edges": edges, "cases": cases}
    path = HERE / "expected" / "reachability.json"
    path.write_text(json.dumps(out) + "\n")
    print(path, [len(c["failed"]) for c in cases])


if __name__ == "__main__":
    main()
