#!/usr/bin/env python3
"""Fails when a section's F1 is below the floor kept in .ci/quality-floor.json.

The floor is a ratchet: raise it whenever the scores rise, never lower it.
Usage: check_floor.py SCORES.json FLOOR.json
"""
import json
import sys


def main():
    scores = json.load(open(sys.argv[1], encoding="utf-8"))["scores"]
    floor = json.load(open(sys.argv[2], encoding="utf-8"))
    failed = []
    rises = []
    for section, minimum in sorted(floor.items()):
        if section.startswith("_"):
            continue
        f1 = scores.get(section, {}).get("f1", 0.0)
        status = "ok"
        if f1 + 1e-9 < minimum:
            status = "BELOW FLOOR"
            failed.append(section)
        elif f1 > minimum + 0.001:
            status = "above floor: raise it"
            rises.append(section)
        print("%-24s F1 %.4f  floor %.4f  %s" % (section, f1, minimum, status))
    if failed:
        print("quality gate FAILED: %s" % ", ".join(failed))
        sys.exit(1)
    print("quality gate passed" + (" (raise the floor of: %s)" % ", ".join(rises) if rises else ""))


if __name__ == "__main__":
    main()
