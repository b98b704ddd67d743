#!/usr/bin/env python3
"""Scale: builds a JSON Lines corpus repeated N times under new ids (N = 1, 20, 100 by default;
the same articles republished, as an archive of syndicated news is) and reports, for each N,
the build time and MB/s, the store's size per MB of text (as built, after `vnkg compact` with
the time it took, and after every canned query again and a build of nothing: does it stay
compact?), the persons linked, every query of queries/ timed as a ratio to
`ASK {}` on the same store (the cost of starting vnkg and opening the store) and to N = 1,
`explain` of the most and of the least named entity, a graph projection (`vnkg graph stats`),
and `vnkg serve` under load (benches/serve_load.py: p50 and p99 over all canned queries, and the
p50 of the bounded lookups person_timeline.rq and body_officials.rq). Timings are reported,
never asserted.

Usage: scale.py VNKG_BIN [CORPUS.jsonl] [--n=1,20,100] [--threads=T] [--timeout=SECONDS]
                [--serve-queries=Q] [--json=FILE]
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


def entity(binary, store, order):
    """The IRI of the most (order DESC) or least (ASC) named person or body of the store."""
    q = ("SELECT ?e WHERE { GRAPH <https://w3id.org/vnkg/id/graph/corpus> { ?e vnkg:documentCount ?n ; a ?t } "
         "VALUES ?t { schema:Person org:Organization } } ORDER BY %s(?n) ?e LIMIT 1" % order)
    out = subprocess.run([binary, "query", "-e", q, "--format", "csv", "--store", store],
                         capture_output=True, text=True).stdout.split()
    return out[-1] if len(out) > 1 else None


def serve_load(binary, store, queries):
    """p50 and p99 of benches/serve_load.py on the store, overall and per query (ms)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "serve_load.py"),
                        binary, store, "--queries", str(queries), "--json", f.name],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with open(f.name) as r:
                return json.load(r)
        except ValueError:
            return None


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
    serve_queries = int(opt("--serve-queries", "400"))
    json_out = opt("--json", None)
    results = []
    queries = sorted(f for f in os.listdir(os.path.join(here, "..", "queries")) if f.endswith(".rq"))
    with open(corpus, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    first = {}
    extra = ["explain most named", "explain least named", "graph stats", "serve p50 / p99 ms",
             "serve p50 timeline / body ms"]
    print("| N | documents | MB | build s | MB/s | store MB per MB | compact s | compacted MB per MB | after reads + relink | persons | "
          + " | ".join(q[:-3] for q in queries) + " | " + " | ".join(extra) + " |")
    print("|" + "---|" * (10 + len(queries) + len(extra)))
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
            for label, cmd in [
                ("explain most named", ["explain", entity(binary, store, "DESC") or "?"]),
                ("explain least named", ["explain", entity(binary, store, "ASC") or "?"]),
                ("graph stats", ["graph", "stats"]),
            ]:
                t = timed([binary] + cmd + ["--store", store], timeout)
                key = label
                if t is None:
                    cells.append("> %ds" % timeout)
                    continue
                ratio = t / base
                first.setdefault(key, ratio)
                cells.append("%.1f×" % ratio if n == ns[0] else "%.1f× (%.1f× N=%d)" % (ratio, ratio / first[key], ns[0]))
            load = serve_load(binary, store, serve_queries) if serve_queries else None
            if load:
                per = load.get("per_query", {})
                cells.append("%.1f / %.1f" % (load["p50_ms"], load["p99_ms"]))
                cells.append(" / ".join("%.1f" % per[q]["p50_ms"] if q in per else "–"
                                        for q in ("person_timeline.rq", "body_officials.rq")))
            else:
                cells += ["–", "–"]
            built = size_of(store)
            compact = timed([binary, "compact", "--store", store], None)
            compacted = size_of(store)
            # does it stay compact? every canned query again, then a build of nothing (a relink)
            for q in queries:
                timed([binary, "query", os.path.join(here, "..", "queries", q), "--store", store], timeout)
            nothing = os.path.join(tmp, "nothing.jsonl")
            open(nothing, "w").close()
            timed([binary, "build", nothing, "--store", store], None)
            row = (n, n * len(rows), mb, build, mb / build, built / 1e6 / mb, compact,
                   compacted / 1e6 / mb, size_of(store) / 1e6 / mb, persons)
            results.append(dict(zip(["n", "documents", "mb", "build_s", "mb_per_s", "store_per_mb", "compact_s",
                                     "compacted_per_mb", "after_reads_relink_per_mb", "persons"], row),
                                cells=cells, serve=load))
            print("| %d | %d | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f | %s | %s |" % (row + (" | ".join(cells),)),
                  flush=True)
            if json_out:
                with open(json_out, "w") as f:
                    json.dump(results, f, indent=2, ensure_ascii=False)
            subprocess.run(["rm", "-rf", store])


if __name__ == "__main__":
    main()
