#!/usr/bin/env python3
"""vnkg beyond one machine: extraction as a Spark job, the result bulk-loaded into one store.

A JSON Lines corpus is read by Spark (local mode, PARTITIONS partitions, as a cluster would
read it from HDFS or S3), each partition piped through `vnkg extract -` (RDD.pipe: one vnkg
process per partition, reading the partition's records on stdin), and the N-Quads written as
Spark's part files; `vnkg load` loads the part files into a store and links. The store must
equal `vnkg build` of the same corpus: sorted N-Quads exports identical. Any difference fails.

Usage: roundtrip.py VNKG_BIN CORPUS.jsonl [--partitions=2] [--keep=DIR]
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time


def opt(name, default):
    for a in sys.argv[1:]:
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return default


def run(cmd, what):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"{what} failed ({r.returncode}):\n{r.stderr}")
    return r


def sorted_export(binary, store):
    out = run([binary, "export", "--format", "nquads", "--store", store], "export").stdout
    return sorted(out.splitlines())


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    binary, corpus = os.path.abspath(args[0]), os.path.abspath(args[1])
    partitions = int(opt("--partitions", "2"))
    keep = opt("--keep", None)
    from pyspark.sql import SparkSession

    tmp = keep or tempfile.mkdtemp(prefix="vnkg-spark-")
    os.makedirs(tmp, exist_ok=True)
    try:
        spark = (SparkSession.builder.master(f"local[{partitions}]")
                 .appName("vnkg-extract")
                 .config("spark.ui.enabled", "false")
                 .config("spark.driver.memory", "1g")
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        t = time.perf_counter()
        records = spark.sparkContext.textFile("file://" + corpus, minPartitions=partitions)
        records = records.repartition(partitions) if records.getNumPartitions() < partitions else records
        nquads = records.pipe(f"{binary} extract --threads 1 -", checkCode=True)
        out = os.path.join(tmp, "nquads")
        shutil.rmtree(out, ignore_errors=True)
        nquads.saveAsTextFile("file://" + out)
        n_parts = records.getNumPartitions()
        spark.stop()
        t_spark = time.perf_counter() - t
        parts = sorted(glob.glob(os.path.join(out, "part-*")))
        parts = [p for p in parts if os.path.getsize(p) > 0]

        t = time.perf_counter()
        loaded = os.path.join(tmp, "loaded")
        shutil.rmtree(loaded, ignore_errors=True)
        r = run([binary, "load", *parts, "--store", loaded], "vnkg load")
        t_load = time.perf_counter() - t
        print("\n".join(l for l in r.stderr.splitlines() if l.startswith("vnkg: ")))

        t = time.perf_counter()
        built = os.path.join(tmp, "built")
        shutil.rmtree(built, ignore_errors=True)
        run([binary, "build", corpus, "--store", built], "vnkg build")
        t_build = time.perf_counter() - t

        a, b = sorted_export(binary, built), sorted_export(binary, loaded)
        print(f"Spark local[{partitions}], {n_parts} partitions, {len(parts)} part files: "
              f"extract {t_spark:.1f} s (Spark's start included), load {t_load:.1f} s; "
              f"vnkg build {t_build:.1f} s")
        if a != b:
            sa, sb = set(a), set(b)
            only_a = [l for l in a if l not in sb][:5]
            only_b = [l for l in b if l not in sa][:5]
            sys.exit(f"the loaded store differs from the built one ({len(a)} against {len(b)} quads)\n"
                     f"only in build: {only_a}\nonly in load: {only_b}")
        print(f"the Spark-extracted, loaded store equals vnkg build: {len(a)} quads, sorted N-Quads identical")
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
