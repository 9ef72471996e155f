#!/usr/bin/env python3
"""Side-by-side speed of chainlens-network and networkx on the same graphs, in one run.

    CARGO_TARGET_DIR=/tmp/target-network cargo build --release -p chainlens-network --example network_timing
    python3 crates/chainlens-network/tests/reference/compare_networkx.py /tmp/target-network/release/examples/network_timing [DATA_DIR]

Graphs: the largest Willems (2008) chain (38: 2,025 stages, 16,225 arcs) and a synthetic
tiered network of 20,000 firms and 100,000 links (the Rust generator writes it, both sides
read the same CSV). Timed: dominators from a virtual source, post-dominators to a virtual
sink, articulation points of the undirected graph; graph loading is not timed on either
side. Prints seconds and the ratio networkx / Rust (best of 3 on each side).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = "__virtual_root__"


def load(nodes_csv, edges_csv, chain=None):
    g = nx.DiGraph()
    with open(nodes_csv, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if chain is None or r.get("chain") == chain:
                g.add_node(r.get("id") or r.get("node_id") or r["stage"])
    with open(edges_csv, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if chain is None or r.get("chain") == chain:
                g.add_edge(r["src"], r["dst"])
    return g


def rooted(graph):
    h = graph.copy()
    h.add_edges_from((ROOT, v) for v in graph.nodes if graph.in_degree(v) == 0)
    return h


def networkx_times(g):
    out = {}
    t = time.perf_counter()
    nx.immediate_dominators(rooted(g), ROOT)
    out["dominators"] = time.perf_counter() - t
    t = time.perf_counter()
    nx.immediate_dominators(rooted(g.reverse(copy=False)), ROOT)
    out["post_dominators"] = time.perf_counter() - t
    t = time.perf_counter()
    list(nx.articulation_points(g.to_undirected(as_view=True)))
    out["articulation"] = time.perf_counter() - t
    return out


def best(runs):
    return {k: min(r[k] for r in runs) for k in runs[0]}


def rust_times(binary, nodes_csv, edges_csv, chain=None):
    args = [binary, "time", nodes_csv, edges_csv] + ([chain] if chain else [])
    return best([json.loads(subprocess.check_output(args)) for _ in range(3)])


def compare(name, binary, nodes_csv, edges_csv, chain=None):
    g = load(nodes_csv, edges_csv, chain)
    py = best([networkx_times(g) for _ in range(3)])
    rs = rust_times(binary, nodes_csv, edges_csv, chain)
    print(f"\n{name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    print(f"{'task':<18}{'networkx s':>12}{'rust s':>12}{'ratio':>10}")
    total_py = total_rs = 0.0
    for k in ("dominators", "post_dominators", "articulation"):
        total_py += py[k]
        total_rs += rs[k]
        print(f"{k:<18}{py[k]:>12.4f}{rs[k]:>12.4f}{py[k] / rs[k]:>9.0f}x")
    print(f"{'total':<18}{total_py:>12.4f}{total_rs:>12.4f}{total_py / total_rs:>9.0f}x")


def main():
    binary = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "../../../../../shared/data")
    print(f"networkx {nx.__version__}, python {sys.version.split()[0]}")
    w = os.path.join(data, "supply", "willems2008")
    compare("Willems chain 38", binary, os.path.join(w, "nodes.csv"), os.path.join(w, "edges.csv"), "38")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.check_call([binary, "synthetic", "20000", "100000", "7", tmp])
        compare("synthetic 100k links", binary, os.path.join(tmp, "nodes.csv"), os.path.join(tmp, "edges.csv"))


if __name__ == "__main__":
    main()
