#!/usr/bin/env python3
"""Long documents: builds one document of each size (the articles of a JSON Lines corpus joined
and repeated, so the text is real news) and reports seconds per MB beyond the baseline, the
build of a one-sentence document measured in the same run (opening the store, writing the
reference data, linking): that must stay flat, the pipeline being linear in the length of a
document. Timings are reported, never asserted.

Usage: doc_length.py VNKG_BIN [CORPUS.jsonl] [--sizes 0.1,1,10,50]
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--sizes")]
    sizes = [0.1, 1, 10, 50]
    for a in sys.argv[1:]:
        if a.startswith("--sizes"):
            sizes = [float(x) for x in a.split("=", 1)[1].split(",")]
    if not args:
        sys.exit(__doc__)
    binary = args[0]
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = args[1] if len(args) > 1 else os.path.join(
        here, "..", "..", "shared", "corpus", "dantri-health", "articles.jsonl")
    with open(corpus, encoding="utf-8") as f:
        text = "\n".join(json.loads(line)["text"] for line in f if line.strip())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = None
        for mb in [0.0001] + sizes:
            want = int(mb * 1_000_000)
            big = (text + "\n") * (want // len(text.encode("utf-8")) + 1)
            doc = big.encode("utf-8")[:want].decode("utf-8", "ignore")
            path = os.path.join(tmp, "doc.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                f.write(json.dumps({"id": "long", "text": doc}, ensure_ascii=False) + "\n")
            store = os.path.join(tmp, "store-%g" % mb)
            t = time.perf_counter()
            subprocess.run([binary, "build", path, "--store", store, "--max-doc-bytes",
                            str(want + 1)], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            secs = time.perf_counter() - t
            if base is None:
                base = secs
                print("baseline (one sentence): %.2f s" % base, flush=True)
                continue
            per = max(secs - base, 0.0) / mb
            rows.append((mb, secs, per))
            print("%6.1f MB  %8.2f s  %6.3f s/MB beyond the baseline" % (mb, secs, per), flush=True)
    per_mb = [r[2] for r in rows]
    print("s/MB: max / min = %.2f (flat within 2x: %s)"
          % (max(per_mb) / min(per_mb), "yes" if max(per_mb) <= 2 * min(per_mb) else "no"))


if __name__ == "__main__":
    main()
