#!/usr/bin/env python3
"""Prints the N longest organisation names of a facts export and fails when one has more than
MAX words: a name that ran on past its end (a headline in title case, a menu).

Usage: longest_names.py FACTS.jsonl N MAX
"""
import json
import sys


def main():
    path, n, most = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            for o in json.loads(line).get("organizations", []):
                names.add(o["name"])
    longest = sorted(names, key=lambda s: (-len(s.split()), s))[:n]
    for name in longest:
        print("%3d  %s" % (len(name.split()), name))
    runaway = [s for s in names if len(s.split()) > most]
    if runaway:
        print("runaway names (more than %d words): %s" % (most, "; ".join(sorted(runaway))))
        sys.exit(1)


if __name__ == "__main__":
    main()
