#!/usr/bin/env python3
"""Fault injection: SIGKILL ChainLens while it writes, then count the damage (issue 22, item 8).

    cargo build --release --bin chainlens
    python3 scripts/fault_injection.py [--bin target/release/chainlens] [--rounds 30] [--seed 1]

Three kinds of write are killed at a random moment, `--rounds` times each, on a copy of
the bundled example in a temporary folder:

- `import`: the workspace's indicator panel alternates between two versions (one value
  changed), so every import replaces the store's content. After the kill the store must
  pass `PRAGMA integrity_check` and hold exactly one of the two versions (or the content
  before the first import): anything else is *half-written*.
- `run`: `chainlens run WS --out OUT`. Every file under OUT that has its final name must
  be whole: results.json parses, the HTML reports end with `</html>`, the workbook is a
  valid zip, every table parses as CSV or JSON. A damaged file is *half-written*;
  temporary files left beside them are counted as *leftovers* (harmless, overwritten next
  time).
- `server`: `chainlens serve WS`; four threads create tokens through
  `POST /api/workspaces/{ws}/tokens` as fast as they can and note every name the server
  answered 201 for. After the kill, an answered token missing from the store is *lost*.

Every round also opens the store and runs `PRAGMA integrity_check` (*corrupt* if not "ok").
The script prints one line per kind and exits 1 if anything was corrupt, half-written or
lost. It needs only the Python standard library.
"""
import argparse
import hashlib
import json
import os
import pathlib
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "zhejiang"
DATA_TABLES = [
    "regions",
    "sectors",
    "chains",
    "enterprises",
    "supply_links",
    "indicators",
    "risks",
]


def store_state(db: pathlib.Path):
    """(integrity ok?, fingerprint of the imported content or None when nothing is imported)."""
    if not db.exists():
        return True, None
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "indicators" not in tables:
            return ok, None
        h = hashlib.sha256()
        for t in DATA_TABLES:
            for row in con.execute(f"SELECT * FROM {t} ORDER BY 1, 2"):
                h.update(repr(row).encode())
        return ok, h.hexdigest()
    finally:
        con.close()


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def timed(cmd):
    t = time.perf_counter()
    out = run(cmd)
    if out.returncode != 0:
        sys.exit(f"`{' '.join(map(str, cmd))}` failed:\n{out.stderr}")
    return time.perf_counter() - t


def kill_after(cmd, delay):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    p.wait()
    return p.returncode == -signal.SIGKILL  # False when it had finished already


def panel_versions(ws: pathlib.Path):
    """Two versions of the indicator panel that differ in one value."""
    path = ws / "data" / "indicators.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    col = header.index("value")
    row = lines[1].rstrip("\r\n").split(",")
    row[col] = repr(float(row[col]) + 0.001)
    other = "".join([lines[0], ",".join(row) + "\n", *lines[2:]])
    return path, text, other


def import_rounds(bin_, tmp, rounds, rng):
    ws = tmp / "import"
    shutil.copytree(EXAMPLE, ws)
    shutil.rmtree(ws / "out", ignore_errors=True)
    db = ws / "chainlens.db"
    path, a, b = panel_versions(ws)
    prints = {None}
    for text in (a, b):
        path.write_text(text, encoding="utf-8")
        duration = timed([bin_, "import", ws])
        prints.add(store_state(db)[1])
    counts = dict(rounds=rounds, killed=0, corrupt=0, half_written=0)
    for i in range(rounds):
        path.write_text(b if i % 2 == 0 else a, encoding="utf-8")
        counts["killed"] += kill_after([bin_, "import", ws], rng.uniform(0, duration))
        ok, fp = store_state(db)
        counts["corrupt"] += not ok
        counts["half_written"] += fp not in prints
    return counts, duration


def whole(f: pathlib.Path) -> bool:
    try:
        if f.suffix == ".json":
            json.loads(f.read_text(encoding="utf-8"))
        elif f.suffix == ".html":
            return f.read_text(encoding="utf-8").rstrip().endswith("</html>")
        elif f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                return z.testzip() is None
        elif f.suffix == ".csv":
            import csv

            list(csv.reader(f.read_text(encoding="utf-8").splitlines()))
        return True
    except Exception:
        return False


FINAL = {".json", ".html", ".xlsx", ".csv", ".svg", ".md"}


def run_rounds(bin_, tmp, rounds, rng):
    ws = tmp / "run"
    shutil.copytree(EXAMPLE, ws)
    out = ws / "out"
    duration = timed([bin_, "run", ws, "--out", out])
    counts = dict(rounds=rounds, killed=0, corrupt=0, half_written=0, leftovers=0)
    for _ in range(rounds):
        counts["killed"] += kill_after([bin_, "run", ws, "--out", out], rng.uniform(0, duration))
        counts["corrupt"] += not store_state(ws / "chainlens.db")[0]
        for f in out.rglob("*"):
            if not f.is_file():
                continue
            if f.suffix in FINAL:
                counts["half_written"] += not whole(f)
            else:
                counts["leftovers"] += 1
                f.unlink()
    return counts, duration


def request(addr, method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://{addr}{path}", data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def serve(bin_, ws):
    p = subprocess.Popen(
        [bin_, "serve", ws, "--addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = p.stdout.readline()
    addr = line.split("http://", 1)[1].strip().rstrip("/")
    # Wait until it answers (older builds print before they are ready).
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://{addr}/api/health", timeout=1).close()
            break
        except Exception:
            time.sleep(0.05)
    return p, addr


def server_rounds(bin_, tmp, rounds, rng):
    ws = tmp / "server"
    shutil.copytree(EXAMPLE, ws)
    shutil.rmtree(ws / "out", ignore_errors=True)
    out = run([bin_, "token", "create", "--workspace", ws, "--role", "admin", "--name", "fi"])
    if out.returncode != 0:
        sys.exit(f"token create failed:\n{out.stderr}")
    token = out.stdout.strip()
    db = ws / "chainlens.db"
    counts = dict(rounds=rounds, answered=0, lost=0, corrupt=0)
    for r in range(rounds):
        p, addr = serve(bin_, ws)
        answered, stop = [], threading.Event()

        def writer(k):
            n = 0
            while not stop.is_set():
                name = f"r{r}-w{k}-{n}"
                try:
                    s = request(addr, "POST", "/api/workspaces/zhejiang/tokens", token,
                                {"role": "viewer", "name": name})
                except Exception:
                    return  # the server is gone
                if s in (200, 201):
                    answered.append(name)
                n += 1

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, 0.5))
        p.send_signal(signal.SIGKILL)
        p.wait()
        stop.set()
        for t in threads:
            t.join()
        ok, _ = store_state(db)
        counts["corrupt"] += not ok
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        stored = {row[0] for row in con.execute("SELECT name FROM tokens")}
        con.close()
        counts["answered"] += len(answered)
        counts["lost"] += sum(name not in stored for name in answered)
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "chainlens"))
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    bin_ = pathlib.Path(args.bin).resolve()
    if not bin_.exists():
        sys.exit(f"{bin_} not found: cargo build --release --bin chainlens")
    rng = random.Random(args.seed)
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        c, t = import_rounds(bin_, tmp, args.rounds, rng)
        print(f"import  (full import {t:.2f} s): {json.dumps(c)}")
        bad += c["corrupt"] + c["half_written"]
        c, t = run_rounds(bin_, tmp, args.rounds, rng)
        print(f"run     (full run {t:.2f} s):    {json.dumps(c)}")
        bad += c["corrupt"] + c["half_written"]
        c = server_rounds(bin_, tmp, args.rounds, rng)
        print(f"server  (token writes):       {json.dumps(c)}")
        bad += c["corrupt"] + c["lost"]
    print("no corrupt, half-written or lost writes" if bad == 0 else f"{bad} failures")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
