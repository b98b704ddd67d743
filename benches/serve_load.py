"""A bounded load test of `vnkg serve`: concurrent clients over loopback, queries from queries/.

Usage: python3 benches/serve_load.py BIN STORE [--clients 8] [--queries 2000 | --seconds S] [--json FILE]
  BIN: the vnkg binary; STORE: a built store (e.g. seeds + dantri). With --seconds, every
  client sends queries until S seconds have passed (a burst bounded in time) instead of a
  fixed number in all.
Starts the server on a free loopback port, measures a baseline (ASK {} from one client, one
keep-alive connection), then sends QUERIES requests from CLIENTS threads, each with its own
keep-alive connection, cycling through every canned query of queries/ in a fixed order. Prints
p50/p99 latency overall and per query, throughput, and errors; exits 1 on any error (a status
other than 200, or an answer that is not SPARQL JSON). Timings are reported, never judged:
the machine is shared.
"""

import argparse
import glob
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "serve"))
from server import Server  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


class Client:
    """One keep-alive connection."""

    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)

    def ask(self, query):
        body = urllib.parse.urlencode({"query": query})
        started = time.perf_counter()
        self.conn.request("POST", "/sparql", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        })
        r = self.conn.getresponse()
        data = r.read()
        elapsed = time.perf_counter() - started
        error = None
        if r.status != 200:
            error = f"status {r.status}: {data[:200]!r}"
        else:
            try:
                js = json.loads(data)
                if "results" not in js and "boolean" not in js:
                    error = "not SPARQL results JSON"
            except ValueError as e:
                error = f"bad JSON: {e}"
        return elapsed, error


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("store")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--seconds", type=float, help="send for this long instead of --queries in all")
    ap.add_argument("--json", help="also write the numbers to this file")
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(ROOT, "queries", "*.rq")))
    mix = [(os.path.basename(f), open(f, encoding="utf-8").read()) for f in files]

    with Server(os.path.abspath(args.binary), args.store, "--timeout", "60") as server:
        base_client = Client(server.url)
        for _ in range(20):
            base_client.ask("ASK {}")
        baseline = [base_client.ask("ASK {}")[0] for _ in range(200)]
        base_p50 = statistics.median(baseline)

        jobs = iter(range(args.queries))
        lock = threading.Lock()
        results = []  # (query name, seconds, error)

        until = time.perf_counter() + args.seconds if args.seconds else None
        if until is not None:
            jobs = iter(range(1 << 62))

        def worker():
            c = Client(server.url)
            while True:
                with lock:
                    i = next(jobs, None)
                if i is None or (until is not None and time.perf_counter() >= until):
                    return
                name, text = mix[i % len(mix)]
                try:
                    elapsed, error = c.ask(text)
                except Exception as e:  # a dropped connection is an error too
                    elapsed, error = 0.0, f"{type(e).__name__}: {e}"
                    c = Client(server.url)
                with lock:
                    results.append((name, elapsed, error))

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started

    latencies = [r[1] for r in results if r[2] is None]
    errors = [r for r in results if r[2] is not None]
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    print(f"vnkg serve load: {len(results)} queries from {args.clients} clients over loopback, {len(mix)} canned queries in turn")
    print(f"  wall {wall:.2f} s, {len(results) / wall:.0f} queries/s")
    print(f"  latency p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms")
    print(f"  baseline (ASK {{}}, one client) p50 {base_p50 * 1000:.2f} ms; load p50 = {p50 / base_p50:.1f}x baseline")
    print(f"  errors: {len(errors)}")
    per = {}
    for name, t, e in results:
        if e is None:
            per.setdefault(name, []).append(t)
    for name in sorted(per):
        v = per[name]
        print(f"    {name:24} n={len(v):4}  p50 {percentile(v, 50) * 1000:7.1f} ms  p99 {percentile(v, 99) * 1000:7.1f} ms")
    for e in errors[:10]:
        print(f"  error: {e[0]}: {e[2]}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"queries": len(results), "clients": args.clients, "wall_s": wall, "p50_ms": p50 * 1000,
                       "p99_ms": p99 * 1000, "baseline_p50_ms": base_p50 * 1000, "errors": len(errors),
                       "per_query": {name: {"p50_ms": percentile(v, 50) * 1000, "p99_ms": percentile(v, 99) * 1000}
                                     for name, v in sorted(per.items())}}, f, indent=2)
    complete = args.seconds is not None or len(results) == args.queries
    return 1 if errors or not complete or not results else 0


if __name__ == "__main__":
    sys.exit(main())
