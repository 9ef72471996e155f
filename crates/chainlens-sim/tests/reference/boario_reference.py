#!/usr/bin/env python3
"""Expected ARIO series for ChainLens, computed by BoARIO's ARIOPsiModel.

Run once (not at test time):

    python3 -m venv /tmp/boario-venv
    /tmp/boario-venv/bin/pip install boario==0.7.2 progressbar2 pymrio
    /tmp/boario-venv/bin/python tests/reference/boario_reference.py [DATA_DIR]

DATA_DIR defaults to ../shared/data/io/pymrio_test_mrio relative to the repository.
For every event file in tests/reference/cases/*.toml (the same TOML that
`chainlens simulate ario --event` reads) it builds the pymrio IOSystem from the CSVs
(x = Z·1 + Y·1, A = Z·diag(x)^-1, as pymrio's calc_all does), runs BoARIO day by day and
writes tests/reference/expected/<case>/{production,production_capacity,overproduction,
final_demand_unmet}.csv (column `day`, then one column per industry `region|sector` in
the table's order, table units per day) and params.json (versions and parameters).

Units: the impact is given in table units. BoARIO divides an event's impact by
model.monetary_factor / event_monetary_factor; both are set to 10**6 here, so the impact
reaches the model unchanged (and BoARIO rounds damages to int(log10(10**6)) + 1 = 7
decimals, the rounding ChainLens reproduces).
"""

import json
import pathlib
import sys
import tomllib
import warnings

import numpy as np
import pandas as pd
import pymrio

import boario
from boario.event import EventKapitalRebuild, EventKapitalRecover
from boario.extended_models import ARIOPsiModel
from boario.simulation import Simulation

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[3]
DAYS = 240
MONETARY_FACTOR = 10**6
# ChainLens' names for BoARIO's recovery functions (BoARIO's own strings differ:
# its "convexe" is the scaled variant and "convexe noscale" the plain one).
RECOVERY = {
    "linear": "linear",
    "convexe": "convexe noscale",
    "convexe_scaled": "convexe",
    "concave": "concave",
}


def load_mrio(folder: pathlib.Path) -> tuple[pymrio.IOSystem, list[tuple[str, str]]]:
    z = pd.read_csv(folder / "Z.csv", index_col=[0, 1])
    y = pd.read_csv(folder / "Y.csv", index_col=[0, 1])
    order = list(z.index)
    z.columns = pd.MultiIndex.from_tuples([tuple(c.split("|", 1)) for c in z.columns], names=["region", "sector"])
    y.columns = pd.MultiIndex.from_tuples([tuple(c.split("|", 1)) for c in y.columns], names=["region", "category"])
    z.index.names = ["region", "sector"]
    y.index.names = ["region", "sector"]
    io = pymrio.IOSystem(Z=z, Y=y, name="pymrio_test_mrio")
    io.calc_system()
    return io, order


def capital(io: pymrio.IOSystem) -> pd.Series:
    va = io.x.iloc[:, 0] - io.Z.sum(axis=0)
    return 4.0 * va.clip(lower=0.0)


def run_case(io, order, path: pathlib.Path, out: pathlib.Path) -> None:
    ev = tomllib.loads(path.read_text())
    model_params = ev.get("model", {})
    model = ARIOPsiModel(
        io,
        order_type=model_params.get("order_type", "alt"),
        alpha_base=float(model_params.get("alpha_base", 1.0)),
        alpha_max=float(model_params.get("alpha_max", 1.25)),
        alpha_tau=int(model_params.get("alpha_tau", 365)),
        rebuild_tau=int(model_params.get("rebuild_tau", 60)),
        main_inv_dur=int(model_params.get("main_inv_dur", 90)),
        monetary_factor=MONETARY_FACTOR,
        psi_param=float(model_params.get("psi", 0.8)),
        inventory_restoration_tau=int(model_params.get("inventory_restoration_tau", 60)),
    )
    k = capital(io)
    idx = pd.MultiIndex.from_tuples([tuple(s.split("|", 1)) for s in ev["industries"]], names=["region", "sector"])
    if "impact" in ev:
        impact = pd.Series(float(ev["impact"]) / len(idx), index=idx)
    else:
        impact = pd.Series([ev["capital_destroyed_share"] * k.loc[i] for i in idx], index=idx)
    common = dict(
        impact=impact,
        occurrence=int(ev["occurrence"]),
        duration=int(ev["duration"]),
        event_monetary_factor=MONETARY_FACTOR,
    )
    if ev["kind"] == "recover":
        event = EventKapitalRecover(
            recovery_tau=int(ev["recovery_tau"]),
            recovery_function=RECOVERY[ev.get("recovery_function", "linear")],
            **common,
        )
    else:
        event = EventKapitalRebuild(
            rebuild_tau=int(ev["rebuild_tau"]),
            rebuilding_sectors=ev["rebuilding_sectors"],
            rebuilding_factor=float(ev.get("rebuilding_factor", 1.0)),
            **common,
        )
    # BoARIO 0.7.2 checks events passed to the constructor before it knows the number
    # of days, so they are added afterwards.
    sim = Simulation(model, n_temporal_units_to_sim=DAYS)
    sim.add_events([event])
    series = {name: [] for name in ["production", "production_capacity", "overproduction", "final_demand_unmet"]}
    crashed_at = None
    for day in range(DAYS):
        status = sim.next_step()
        m = sim.model
        series["production"].append(m.production.copy())
        series["production_capacity"].append(m.production_cap.copy())
        series["overproduction"].append(m.overprod.copy())
        series["final_demand_unmet"].append(m.final_demand_not_met.copy())
        if status == 1:
            crashed_at = day
            break
    out.mkdir(parents=True, exist_ok=True)
    labels = [f"{r}|{s}" for r, s in m.industries]
    for name, rows in series.items():
        df = pd.DataFrame(np.array(rows), columns=labels)
        df = df[[f"{r}|{s}" for r, s in order]]
        df.index.name = "day"
        df.to_csv(out / f"{name}.csv", float_format="%.12g")
    params = {
        "boario": boario.__version__,
        "pymrio": pymrio.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "days": DAYS,
        "event_file": path.name,
        "event": ev,
        "impact_table_units": {f"{r}|{s}": v for (r, s), v in impact.items()},
        "monetary_factor": MONETARY_FACTOR,
        "crashed_at": crashed_at,
    }
    (out / "params.json").write_text(json.dumps(params, indent=2) + "\n")
    print(f"{path.stem}: {len(series['production'])} days, crashed_at={crashed_at}")


def main() -> None:
    warnings.simplefilter("ignore")
    data = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared/data/io/pymrio_test_mrio"
    io, order = load_mrio(data)
    for case in sorted((HERE / "cases").glob("*.toml")):
        run_case(io, order, case, HERE / "expected" / case.stem)


if __name__ == "__main__":
    main()
