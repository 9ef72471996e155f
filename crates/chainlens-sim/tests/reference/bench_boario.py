#!/usr/bin/env python3
"""ARIO speed, side by side: BoARIO 0.7.2 against `chainlens simulate ario`.

Both run the same event (tests/reference/cases/recover_linear.toml) for 365 days on the
same table; the script prints each wall time (median of REPEATS runs) and the ratio.

    /tmp/boario-venv/bin/python tests/reference/bench_boario.py CHAINLENS_BINARY [TABLE_DIR]

BoARIO is timed for the model set-up and the simulation loop (no records written to
disk); ChainLens end to end as a user runs it: process start, reading the table and the
event, 365 days, writing four CSV series and the summary. Build the binary optimised for
a fair figure (`cargo build --release -p chainlens-cli`); a debug binary gives a lower
bound of the ratio.
"""

import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import warnings

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from boario_reference import MONETARY_FACTOR, RECOVERY, capital, load_mrio  # noqa: E402

import pandas as pd  # noqa: E402
from boario.event import EventKapitalRecover  # noqa: E402
from boario.extended_models import ARIOPsiModel  # noqa: E402
from boario.simulation import Simulation  # noqa: E402

DAYS = 365
REPEATS = 5


def run_boario(io, ev) -> float:
    start = time.perf_counter()
    model = ARIOPsiModel(io, monetary_factor=MONETARY_FACTOR)
    k = capital(io)
    idx = pd.MultiIndex.from_tuples([tuple(s.split("|", 1)) for s in ev["industries"]], names=["region", "sector"])
    impact = pd.Series([ev["capital_destroyed_share"] * k.loc[i] for i in idx], index=idx)
    event = EventKapitalRecover(
        impact=impact,
        occurrence=ev["occurrence"],
        duration=ev["duration"],
        event_monetary_factor=MONETARY_FACTOR,
        recovery_tau=ev["recovery_tau"],
        recovery_function=RECOVERY[ev["recovery_function"]],
    )
    sim = Simulation(model, n_temporal_units_to_sim=DAYS)
    sim.add_events([event])
    sim.loop()
    return time.perf_counter() - start


def run_chainlens(binary: str, table: pathlib.Path, event: pathlib.Path) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [binary, "simulate", "ario", "--table", str(table), "--event", str(event), "--days", str(DAYS), "--out", out],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def main() -> None:
    warnings.simplefilter("ignore")
    binary = sys.argv[1]
    table = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parents[4] / "shared/data/io/pymrio_test_mrio"
    event_path = HERE / "cases" / "recover_linear.toml"
    ev = tomllib.loads(event_path.read_text())
    io, _ = load_mrio(table)
    boario_times = [run_boario(io, ev) for _ in range(REPEATS)]
    chainlens_times = [run_chainlens(binary, table, event_path) for _ in range(REPEATS)]
    b = statistics.median(boario_times)
    c = statistics.median(chainlens_times)
    print(f"table: {table.name}, {DAYS} days, median of {REPEATS}")
    print(f"BoARIO 0.7.2 ARIOPsiModel: {b:.3f} s")
    print(f"chainlens simulate ario:   {c:.3f} s")
    print(f"ratio: {b / c:.1f}x")


if __name__ == "__main__":
    main()
