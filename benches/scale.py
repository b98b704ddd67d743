#!/usr/bin/env python3
"""Scale: builds a JSON Lines corpus repeated N times under new ids (N = 1, 20, 100 by default;
the same articles republished, as an archive of syndicated news is) and reports, for each N,
the build time and MB/s, the store's size per MB of text (as built, and after `vnkg compact`
with the time it took), the persons linked, and every query of queries/ timed as a ratio to `ASK {}` on the same store (the cost of starting vnkg and
opening the store) and to N = 1. Timings are reported, never asserted.

Usage: scale.py VNKG_BIN [CORPUS.jsonl] [--n 1,20,100] [--threads T] [--timeout SECONDS]
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def opt(name, default):
    for a in sys.argv[1:]:
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return default


def timed(cmd, timeout):
    t = time.perf_counter()
    try:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - t


def size_of(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    binary = args[0]
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = args[1] if len(args) > 1 else os.path.join(
        here, "..", "..", "shared", "corpus", "dantri-health", "articles.jsonl")
    ns = [int(x) for x in opt("--n", "1,20,100").split(",")]
    threads = opt("--threads", "0")
    timeout = float(opt("--timeout", "300"))
    queries = sorted(f for f in os.listdir(os.path.join(here, "..", "queries")) if f.endswith(".rq"))
    with open(corpus, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    first = {}
    print("| N | documents | MB | build s | MB/s | store MB per MB | compact s | compacted MB per MB | persons | "
          + " | ".join(q[:-3] for q in queries) + " |")
    print("|" + "---|" * (9 + len(queries)))
    with tempfile.TemporaryDirectory() as tmp:
        for n in ns:
            path = os.path.join(tmp, "corpus.jsonl")
            mb = 0
            with open(path, "w", encoding="utf-8") as f:
                for k in range(n):
                    for r in rows:
                        f.write(json.dumps(dict(r, id=f"{r['id']}-x{k:03d}"), ensure_ascii=False) + "\n")
                        mb += len(r["text"].encode("utf-8"))
            mb /= 1e6
            store = os.path.join(tmp, "store-%d" % n)
            build = timed([binary, "build", path, "--store", store, "--threads", threads], None)
            persons = subprocess.run(
                [binary, "query", "-e", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?g a vnkg:DocumentGraph . ?p a schema:Person } }",
                 "--format", "csv", "--store", store], capture_output=True, text=True).stdout.split()[-1]
            base = min(timed([binary, "query", "-e", "ASK {}", "--store", store], timeout) for _ in range(3))
            cells = []
            for q in queries:
                t = timed([binary, "query", os.path.join(here, "..", "queries", q), "--store", store], timeout)
                if t is None:
                    cells.append("> %ds" % timeout)
                    continue
                ratio = t / base
                if n == ns[0]:
                    first[q] = ratio
                    cells.append("%.1f×" % ratio)
                else:
                    cells.append("%.1f× (%.1f× N=%d)" % (ratio, ratio / first[q], ns[0]))
            built = size_of(store)
            compact = timed([binary, "compact", "--store", store], None)
            print("| %d | %d | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f | %s | %s |" % (
                n, n * len(rows), mb, build, mb / build, built / 1e6 / mb, compact,
                size_of(store) / 1e6 / mb, persons, " | ".join(cells)), flush=True)
            subprocess.run(["rm", "-rf", store])


if __name__ == "__main__":
    main()
