#!/usr/bin/env python3
"""Load test of `chainlens serve` (issue 22): an analyst floods scenario runs while a
viewer calls GET /api/me; prints the viewer's latencies, the server's thread count and
what the flood got (202 queued / 429 refused), then how long a connection that never
finishes its request head stays open.

    python3 scripts/load_test.py [--bin target/debug/chainlens] [--runs 800]
        [--senders 16] [--header-timeout 2]

Only the Python standard library (asyncio streams); talks to 127.0.0.1 only. It copies
examples/zhejiang into a temporary folder, creates the two tokens with
`chainlens token create`, starts the server on a free loopback port and stops it at
the end. Exit status 1 if the issue's check fails: a /api/me slower than 1 s, or 100
threads or more in the server.
"""

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def copy_example(to):
    src = os.path.join(ROOT, "examples", "zhejiang")
    ignore = shutil.ignore_patterns("out", "chainlens.db*")
    shutil.copytree(src, to, ignore=ignore)


def token(binary, ws, role):
    out = subprocess.run(
        [binary, "token", "create", "--workspace", ws, "--role", role, "--name", f"load-{role}"],
        check=True, capture_output=True, text=True)
    return out.stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def threads(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


async def call(port, method, path, token):
    """One request on a new connection: (status, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write((f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  f"Authorization: Bearer {token}\r\nContent-Length: 0\r\n"
                  "Connection: close\r\n\r\n").encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


async def flood(port, analyst, runs, senders, answers):
    path = "/api/workspaces/zhejiang/scenarios/battery_stop/runs"
    left = iter(range(runs))

    async def sender():
        for _ in left:
            status, _ = await call(port, "POST", path, analyst)
            answers[status] = answers.get(status, 0) + 1

    await asyncio.gather(*(sender() for _ in range(senders)))


async def viewer(port, token, pid, done, latencies, counts):
    while not done.is_set():
        t0 = time.perf_counter()
        status, body = await call(port, "GET", "/api/me", token)
        latencies.append(time.perf_counter() - t0)
        assert status == 200 and json.loads(body)["role"] == "viewer", (status, body)
        counts.append(threads(pid))
        await asyncio.sleep(0.02)


async def slowloris(port):
    """Seconds until the server closes a connection that sent half a request line."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /api/health HTTP/1.1\r\nHost: loc")
    await writer.drain()
    t0 = time.perf_counter()
    await asyncio.wait_for(reader.read(), timeout=60)
    writer.close()
    return time.perf_counter() - t0


async def main_async(args, port, pid, analyst, viewer_token):
    answers, latencies, counts = {}, [], []
    done = asyncio.Event()
    watch = asyncio.create_task(viewer(port, viewer_token, pid, done, latencies, counts))
    t0 = time.perf_counter()
    await flood(port, analyst, args.runs, args.senders, answers)
    flood_s = time.perf_counter() - t0
    # Keep reading while the accepted runs compute.
    await asyncio.sleep(args.after)
    done.set()
    await watch
    closed_after = await slowloris(port)
    return answers, flood_s, latencies, counts, closed_after


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bin", default=os.path.join(ROOT, "target", "debug", "chainlens"))
    p.add_argument("--runs", type=int, default=800)
    p.add_argument("--senders", type=int, default=16)
    p.add_argument("--after", type=float, default=5.0,
                   help="seconds the viewer goes on reading after the flood")
    p.add_argument("--header-timeout", type=int, default=2)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = os.path.join(tmp, "zhejiang")
        copy_example(ws)
        analyst, viewer_token = token(args.bin, ws, "analyst"), token(args.bin, ws, "viewer")
        port = free_port()
        server = subprocess.Popen(
            [args.bin, "serve", ws, "--addr", f"127.0.0.1:{port}",
             "--header-timeout", str(args.header_timeout)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            line = server.stdout.readline()
            if not line.startswith("serving"):
                sys.exit(f"the server did not start: {line!r}")
            idle_threads = threads(server.pid)
            answers, flood_s, lat, counts, closed_after = asyncio.run(
                main_async(args, port, server.pid, analyst, viewer_token))
        finally:
            server.terminate()
            server.wait(timeout=30)
    lat.sort()
    p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print(f"flood: {args.runs} POST …/runs from {args.senders} connections in {flood_s:.2f} s: "
          f"{answers.get(202, 0)} queued (202), {answers.get(429, 0)} refused (429), "
          f"other {sum(v for k, v in answers.items() if k not in (202, 429))}")
    print(f"viewer GET /api/me: {len(lat)} calls, p50 {p50 * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms")
    print(f"server threads: {idle_threads} idle, max {max(counts)} under load")
    print(f"half-sent request line closed after {closed_after:.2f} s "
          f"(--header-timeout {args.header_timeout})")
    ok = lat[-1] < 1.0 and max(counts) < 100 and closed_after < args.header_timeout + 2
    print("check:", "passed" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
