"""Reference values for chainlens-spatial from PySAL (independent implementations).

    pip install esda==2.8.2 libpysal==4.14.1 giddy==2.3.8 geopandas
    python3 crates/chainlens-spatial/tests/reference/generate.py

Writes expected.json next to this script. Cases:
- zhejiang: queen and rook contiguity of examples/zhejiang/geo/zhejiang_cities.geojson
  (libpysal.weights.Queen/Rook), shapely centroids, the island attached to its nearest
  neighbour by centroid (libpysal.weights.util.attach_islands with KNN k=1), k-nearest
  (k=3) on the centroids; Moran, Geary and Moran_Local (analytic parts) on made-up
  values with row-standardised weights; for `chainlens spatial`'s test also rook with the
  island attached, queen with the island isolated, and pseudo p-values of 9,999
  permutations (global Moran, Geary, local Moran) for queen with the island attached.
- lattice: libpysal.weights.lat2W(5, 5) rook lattice, values from numpy's seeded
  generator; Moran, Geary, Moran_Local; distance band and inverse distance on the grid.
- markov: giddy.markov.Spatial_Markov on a 5x5 lattice panel of 6 years, fixed cutoffs.
"""

import json
import pathlib
import warnings

import esda
import giddy
import libpysal
import numpy as np
from giddy.markov import Spatial_Markov
from libpysal.weights import KNN, DistanceBand, Queen, Rook, lat2W
from libpysal.weights.util import attach_islands

warnings.filterwarnings("ignore")
here = pathlib.Path(__file__).parent
root = here.parents[3]


def neighbours(w, ids):
    return {ids[i]: sorted(ids[j] for j in w.neighbors[i]) for i in range(len(ids))}


def global_stats(w, y):
    w.transform = "r"
    mi = esda.Moran(y, w, permutations=0)
    gc = esda.Geary(y, w, permutations=0)
    lm = esda.Moran_Local(y, w, permutations=0)
    return {
        "moran_i": mi.I,
        "expected_i": mi.EI,
        "variance_normal": mi.VI_norm,
        "z_normal": mi.z_norm,
        "p_normal": mi.p_norm,
        "geary_c": gc.C,
        "geary_variance_normal": gc.VC_norm,
        "geary_z_normal": gc.z_norm,
        "geary_p_normal": gc.p_norm,
        "local_i": list(lm.Is),
        # esda's quadrant q: 1 HH, 2 LH, 3 LL, 4 HL
        "local_q": [int(q) for q in lm.q],
    }


def permutation_stats(w, y, permutations):
    w.transform = "r"
    np.random.seed(20011)
    mi = esda.Moran(y, w, permutations=permutations)
    gc = esda.Geary(y, w, permutations=permutations)
    lm = esda.Moran_Local(y, w, permutations=permutations, seed=20011)
    return {
        "permutations": permutations,
        "p_permutation": mi.p_sim,
        "geary_p_permutation": gc.p_sim,
        "local_p": list(lm.p_sim),
    }


def zhejiang():
    path = root / "examples/zhejiang/geo/zhejiang_cities.geojson"
    import geopandas

    df = geopandas.read_file(path)
    ids = list(df["id"])
    queen = Queen.from_dataframe(df, ids=None, use_index=False)
    rook = Rook.from_dataframe(df, ids=None, use_index=False)
    cent = df.geometry.centroid
    points = np.column_stack([cent.x, cent.y])
    knn1 = KNN(points, k=1)
    attached = attach_islands(queen, knn1)
    knn3 = KNN(points, k=3)
    rng = np.random.default_rng(19)
    y = list(np.round(rng.normal(100, 20, len(ids)), 3))
    rook_attached = attach_islands(rook, knn1)
    return {
        "ids": ids,
        "queen": neighbours(queen, ids),
        "rook": neighbours(rook, ids),
        "islands": [ids[i] for i in queen.islands],
        "centroids": points.tolist(),
        "queen_attached": neighbours(attached, ids),
        "knn3": neighbours(knn3, ids),
        "values": y,
        "stats_queen_attached": global_stats(attached, np.array(y)),
        "stats_knn3": global_stats(KNN(points, k=3), np.array(y)),
        # For `chainlens spatial` (crates/chainlens-cli/tests/cli/spatial.rs): rook with
        # the island attached, queen with the island kept isolated, and permutation
        # p-values (9,999 permutations; compared statistically, the generators differ).
        "stats_rook_attached": global_stats(rook_attached, np.array(y)),
        "stats_queen_isolated": global_stats(
            Queen.from_dataframe(df, ids=None, use_index=False), np.array(y)),
        "permutations_queen_attached": permutation_stats(attached, np.array(y), 9999),
    }


def lattice():
    w = lat2W(5, 5)
    ids = [f"r{i}" for i in range(25)]
    rng = np.random.default_rng(2001)
    y = list(np.round(rng.normal(50, 10, 25) + np.repeat(np.arange(5), 5) * 4, 4))
    coords = np.array([(i % 5, i // 5) for i in range(25)], dtype=float)
    band = DistanceBand(coords, threshold=1.5, binary=True)
    inv = DistanceBand(coords, threshold=2.0, binary=False, alpha=-1.0)
    return {
        "ids": ids,
        "pairs": [[ids[i], ids[j]] for i in range(25) for j in w.neighbors[i]],
        "coords": coords.tolist(),
        "values": y,
        "stats": global_stats(w, np.array(y)),
        "band_1_5": neighbours(band, ids),
        "inverse_2": {ids[i]: dict(zip((ids[j] for j in band2), ws)) for i, (band2, ws) in
                      ((i, (inv.neighbors[i], inv.weights[i])) for i in range(25))},
    }


def markov():
    w = lat2W(5, 5)
    w.transform = "r"
    rng = np.random.default_rng(7)
    y = np.round(rng.normal(0.5, 0.15, (25, 6)) + np.linspace(0, 0.1, 6), 4)
    cutoffs = [0.4, 0.5, 0.6]
    lag_cutoffs = [0.45, 0.55, 0.65]
    sm = Spatial_Markov(y, w, cutoffs=cutoffs, lag_cutoffs=lag_cutoffs, fixed=True)
    return {
        "values": y.tolist(),
        "cutoffs": cutoffs,
        "lag_cutoffs": lag_cutoffs,
        "classes": sm.class_ids.tolist(),
        "lag_classes": sm.lclass_ids.tolist(),
        "transitions": sm.T.tolist(),
        "probabilities": sm.P.tolist(),
        "plain_transitions": sm.transitions.tolist(),
        "plain_probabilities": sm.p.tolist(),
    }


out = {
    "versions": {"esda": esda.__version__, "libpysal": libpysal.__version__, "giddy": giddy.__version__,
                 "numpy": np.__version__},
    "zhejiang": zhejiang(),
    "lattice": lattice(),
    "markov": markov(),
}
(here / "expected.json").write_text(json.dumps(out, indent=1) + "\n")
print("wrote", here / "expected.json")
