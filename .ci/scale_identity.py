#!/usr/bin/env python3
"""Identity at scale: builds a JSON Lines corpus once and repeated N times under new ids (the
same articles republished, as syndicated news is), and fails unless the repeated store has at
most 1.1 times the person and organisation nodes of the single copy.

Usage: scale_identity.py VNKG_BIN CORPUS.jsonl N WORKDIR
"""
import json
import os
import subprocess
import sys

COUNT = (
    "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH ?g {{ ?g a vnkg:DocumentGraph . "
    "?e a {cls} }} }}"
)


def build(binary, corpus, store):
    subprocess.run([binary, "build", corpus, "--store", store], check=True,
                   stdout=subprocess.DEVNULL)


def count(binary, store, cls):
    out = subprocess.run([binary, "query", "-e", COUNT.format(cls=cls), "--format", "csv",
                          "--store", store], check=True, capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1].strip('"'))


def main():
    binary, corpus, n, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with open(corpus, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    repeated = os.path.join(work, "repeated.jsonl")
    with open(repeated, "w", encoding="utf-8") as f:
        for k in range(n):
            for r in rows:
                f.write(json.dumps(dict(r, id=f"{r['id']}-copy{k:03d}"), ensure_ascii=False) + "\n")
    one, many = os.path.join(work, "one"), os.path.join(work, "many")
    build(binary, corpus, one)
    build(binary, repeated, many)
    failed = False
    for cls in ("schema:Person", "org:Organization"):
        a, b = count(binary, one, cls), count(binary, many, cls)
        ok = b <= 1.1 * a
        failed |= not ok
        print("%-18s one copy %5d   %d copies %5d   %s" % (cls, a, n, b, "ok" if ok else "MORE THAN 1.1x"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
