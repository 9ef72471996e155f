#!/usr/bin/env python3
"""Make a large workspace to time `chainlens validate` against (issue 22, item 2).

    python3 crates/chainlens-model/tests/scale_workspace.py OUT [--unknown]

OUT gets the example workspace (examples/zhejiang) plus 20,000 extra firms (copies of
e001 with ids x00000..x19999) and 2,000 extra supply links e001 -> buyer. Without
--unknown the buyers are extra firms (a clean workspace of the same size); with --unknown
they are y00000..y01999, ids no firm has, each one edit away from an extra firm, so every
one of them is an unknown reference with a suggestion to look up.
"""
import argparse
import csv
import pathlib
import shutil

FIRMS = 20_000
LINKS = 2_000

root = pathlib.Path(__file__).resolve().parents[3]
example = root / "examples" / "zhejiang"

ap = argparse.ArgumentParser()
ap.add_argument("out", type=pathlib.Path)
ap.add_argument("--unknown", action="store_true")
args = ap.parse_args()

if args.out.exists():
    shutil.rmtree(args.out)
shutil.copytree(example / "data", args.out / "data")
shutil.copy(example / "chainlens.toml", args.out / "chainlens.toml")

data = args.out / "data"
with open(data / "enterprises.csv", newline="") as f:
    rows = list(csv.reader(f))
template = rows[1]
with open(data / "enterprises.csv", "a", newline="") as f:
    w = csv.writer(f)
    for k in range(FIRMS):
        w.writerow([f"x{k:05d}", f"Extra firm {k}"] + template[2:])

with open(data / "supply_links.csv", newline="") as f:
    header = next(csv.reader(f))
with open(data / "supply_links.csv", "a", newline="") as f:
    w = csv.writer(f)
    for k in range(LINKS):
        buyer = f"y{k:05d}" if args.unknown else f"x{k:05d}"
        row = dict.fromkeys(header, "")
        row.update(supplier="e001", buyer=buyer, chain="nev", stage="steel", value="1.0",
                   lead_time_days="2", inventory_days="10", essential="false")
        w.writerow([row[h] for h in header])
