#!/usr/bin/env python3
"""Expected dominators, post-dominators and articulation points from networkx.

Independent reference for crates/chainlens-network (tests/reference.rs). Reads the
supply-network data sets of ../shared/data/supply (Willems 2008 chains, ETO semiconductor
graph) and writes expected.json next to this script. Run once, commit the JSON:

    python3 crates/chainlens-network/tests/reference/network_reference.py [DATA_DIR]

Construction (the same as the Rust code, DESIGN.md section 4.2): edges src -> dst (src
supplies dst); a virtual source feeds every node without predecessors and
networkx.immediate_dominators runs from it; post-dominators are the dominators of the
reversed graph from a virtual sink fed by every node without successors; articulation
points of the undirected graph. "idom" null = the virtual root.
"""
import csv
import json
import os
import sys

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/data")
WILLEMS_CHAINS = ["1", "8", "19", "28", "34", "36", "38"]  # 38 is the largest (2,025 stages)
ROOT = "__virtual_root__"


def analyse(nodes, edges):
    nodes = list(dict.fromkeys(nodes))  # ETO lists a few providers more than once
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    out = {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    for key, graph in (("idom", g), ("post_idom", g.reverse(copy=True))):
        entries = [v for v in graph.nodes if graph.in_degree(v) == 0]
        h = graph.copy()
        h.add_edges_from((ROOT, v) for v in entries)
        idom = nx.immediate_dominators(h, ROOT)
        out[key] = {v: (None if idom.get(v) in (None, ROOT) else idom[v]) for v in nodes}
        out[key + "_unreachable"] = sorted(v for v in nodes if v not in idom)
        # Strictly dominated firms per firm (subtree sizes of the dominator tree).
        count = {v: 0 for v in nodes}
        for v in nodes:
            d = idom.get(v)
            while d is not None and d != ROOT:
                count[d] += 1
                d = idom[d]
        out[key.replace("idom", "dominated_count")] = {v: c for v, c in count.items() if c}
    out["articulation"] = sorted(nx.articulation_points(g.to_undirected()))
    return out


def main():
    supply = os.path.join(DATA, "supply")
    graphs = {}
    with open(os.path.join(supply, "willems2008", "nodes.csv"), newline="", encoding="utf-8-sig") as f:
        wnodes = list(csv.DictReader(f))
    with open(os.path.join(supply, "willems2008", "edges.csv"), newline="", encoding="utf-8-sig") as f:
        wedges = list(csv.DictReader(f))
    for c in WILLEMS_CHAINS:
        nodes = [r["stage"] for r in wnodes if r["chain"] == c]
        edges = [(r["src"], r["dst"]) for r in wedges if r["chain"] == c]
        graphs["willems_" + c] = analyse(nodes, edges)
    with open(os.path.join(supply, "eto_chip_explorer", "nodes.csv"), newline="", encoding="utf-8-sig") as f:
        enodes = [r["node_id"] for r in csv.DictReader(f)]
    with open(os.path.join(supply, "eto_chip_explorer", "edges.csv"), newline="", encoding="utf-8-sig") as f:
        eedges = [(r["src"], r["dst"]) for r in csv.DictReader(f)]
    graphs["eto"] = analyse(enodes, eedges)
    result = {
        "generator": "tests/reference/network_reference.py",
        "networkx": nx.__version__,
        "python": sys.version.split()[0],
        "graphs": graphs,
    }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=0, sort_keys=True)
        f.write("\n")
    for name, g in graphs.items():
        print(name, g["nodes"], "nodes", g["edges"], "edges", len(g["articulation"]), "articulation points")


if __name__ == "__main__":
    main()
