"""The server must not be killable by queries: 16 clients at once send read-only queries that
explode (cartesian products of five triple patterns: SELECT * that would return billions of
rows, and COUNT over them that returns one), while one more client sends a cheap query in a
loop. Checked, bounded in time:
  - every attack query gets an answer (503 or 500 with a message), none hangs;
  - the server's memory, its own and its query processes' together, stays under 2 GB;
  - the cheap query keeps answering 200, with p99 under 1 s;
  - within 10 s after the last attack answer the server's processes are idle (under 10 % of
    a core), so no cancelled query runs on;
  - afterwards the server is alive and answers.

Usage: python3 tests/serve/test_attack.py BIN STORE [--timeout 5] [--json FILE]
"""

import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server import Server  # noqa: E402

PRODUCT = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o"
ATTACKS = [f"SELECT * WHERE {{ {PRODUCT} }}", f"SELECT (COUNT(*) AS ?x) WHERE {{ {PRODUCT} }}"]
CHEAP = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 5"
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


def tree(pid):
    """The process `pid` and its living descendants."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def usage(pid):
    """(resident bytes, CPU seconds) of the living processes of `pid`'s tree."""
    rss, cpu = 0, 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/statm") as f:
                rss += int(f.read().split()[1]) * PAGE
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return rss, cpu / TICK


def ask(url, query, timeout=60):
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    started = time.perf_counter()
    conn.request("POST", "/sparql", body=urllib.parse.urlencode({"query": query}), headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json",
    })
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data, time.perf_counter() - started


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("store")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--json")
    args = ap.parse_args()
    failures = []
    with Server(os.path.abspath(args.binary), args.store, "--timeout", str(args.timeout)) as server:
        pid = server.proc.pid
        status, _, _ = ask(server.url, CHEAP)
        assert status == 200, f"the cheap query fails before the attack: {status}"
        idle_rss, _ = usage(pid)

        answers = []  # (status, seconds, message)
        lock = threading.Lock()

        def attack(i):
            try:
                status, data, t = ask(server.url, ATTACKS[i % 2], timeout=args.timeout + 60)
                row = (status, t, data[:160].decode("utf-8", "replace").strip())
            except Exception as e:  # a dropped connection or a hang is a failure
                row = (None, 0.0, f"{type(e).__name__}: {e}")
            with lock:
                answers.append(row)

        done = threading.Event()
        cheap = []  # (status, seconds)

        def cheap_loop():
            while not done.is_set():
                try:
                    status, _, t = ask(server.url, CHEAP, timeout=30)
                except Exception as e:
                    status, t = f"{type(e).__name__}: {e}", 30.0
                cheap.append((status, t))
                time.sleep(0.05)

        peak = [idle_rss]

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], usage(pid)[0])
                time.sleep(0.1)

        watchers = [threading.Thread(target=cheap_loop), threading.Thread(target=sample)]
        for t in watchers:
            t.start()
        started = time.perf_counter()
        attackers = [threading.Thread(target=attack, args=(i,)) for i in range(16)]
        for t in attackers:
            t.start()
        for t in attackers:
            t.join()
        attack_wall = time.perf_counter() - started
        # the core must be idle within 10 s of the last answer
        idle_after = None
        _, cpu0 = usage(pid)
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 10:
            time.sleep(1)
            rss, cpu1 = usage(pid)
            if cpu1 - cpu0 < 0.1 * 1.0 + 0.05:  # cheap queries still run: allow a little
                idle_after = time.perf_counter() - t0
                break
            cpu0 = cpu1
        done.set()
        for t in watchers:
            t.join()
        status, _, _ = ask(server.url, CHEAP)
        alive = server.proc.poll() is None and status == 200

    statuses = sorted({a[0] for a in answers}, key=str)
    cheap_ok = [t for s, t in cheap if s == 200]
    cheap_bad = [s for s, _ in cheap if s != 200]
    p99 = percentile(cheap_ok, 99) if cheap_ok else float("inf")
    print(f"vnkg serve under attack: 16 exploding queries at once (timeout {args.timeout:g} s)")
    print(f"  attack answers: {len(answers)} in {attack_wall:.1f} s, statuses {statuses}")
    kinds = {}
    for s, t, m in answers:
        kinds.setdefault(m.split(";")[0].split(":")[0], []).append(t)
    for m, ts in sorted(kinds.items()):
        print(f"    {len(ts):2} × {m!r} after {min(ts):.1f}-{max(ts):.1f} s")
    print(f"  memory: idle {idle_rss / 2**20:.0f} MB, peak {peak[0] / 2**20:.0f} MB (server and query processes)")
    print(f"  cheap query during the attack: {len(cheap_ok)} answered, p99 {p99 * 1000:.0f} ms, {len(cheap_bad)} failed")
    print(f"  idle after the attack: {'within %.0f s' % idle_after if idle_after is not None else 'NOT within 10 s'}")
    print(f"  alive afterwards: {alive}")
    if len(answers) != 16 or any(a[0] not in (500, 503) for a in answers):
        failures.append(f"every attack query must be refused with 500 or 503: {answers}")
    if peak[0] >= 2 << 30:
        failures.append(f"memory peaked at {peak[0] / 2**20:.0f} MB (limit 2048 MB)")
    if cheap_bad or p99 >= 1.0:
        failures.append(f"cheap query: p99 {p99:.2f} s, failures {cheap_bad[:5]}")
    if idle_after is None:
        failures.append("the server's processes were still busy 10 s after the attack")
    if not alive:
        failures.append("the server did not survive")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"attack_wall_s": attack_wall, "peak_rss_mb": peak[0] / 2**20, "cheap_p99_ms": p99 * 1000,
                       "cheap_answered": len(cheap_ok), "idle_after_s": idle_after}, f, indent=2)
    for f in failures:
        print(f"FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
