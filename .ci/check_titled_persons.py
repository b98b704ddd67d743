#!/usr/bin/env python3
"""Fails when a person who carries a title in the text has no position in the facts.

Independent of the extractor: for every person of a document's facts, look at each place
the document writes the name. The person carries a title when a title of
ontology/lexicon/titles.tsv stands right before the name ("Thứ trưởng Đỗ Xuân Tuyên") or
right after it behind a comma, dash or parenthesis ("Nguyễn Văn An - Giám đốc ...").
Such a person must have at least one position in that document's facts.

Usage: check_titled_persons.py FACTS.jsonl TITLES.tsv CORPUS...   (CORPUS: .txt dirs or .jsonl)
"""
import json
import os
import re
import sys
import unicodedata


def nfc(s):
    return unicodedata.normalize("NFC", s)


def load_texts(paths):
    texts = {}
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for f in files:
                    full = os.path.join(root, f)
                    if f.endswith(".txt"):
                        texts[os.path.splitext(f)[0]] = open(full, encoding="utf-8").read()
                    elif f.endswith(".jsonl"):
                        texts.update(load_texts([full]))
        elif p.endswith(".jsonl"):
            for line in open(p, encoding="utf-8"):
                if line.strip():
                    r = json.loads(line)
                    texts[str(r["id"])] = r["text"]
    return {k: nfc(v) for k, v in texts.items()}


def load_titles(path):
    titles = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or line.startswith("title\t") or not line.strip():
            continue
        cells = line.rstrip("\n").split("\t")
        titles.append(cells[0])
        titles += [a for a in (cells[1].split("|") if len(cells) > 1 else []) if a]
    return sorted({nfc(t) for t in titles}, key=len, reverse=True)


def main():
    facts_path, titles_path, corpora = sys.argv[1], sys.argv[2], sys.argv[3:]
    texts = load_texts(corpora)
    titles = "|".join(re.escape(t) for t in load_titles(titles_path))
    missing = []
    checked = 0
    for line in open(facts_path, encoding="utf-8"):
        f = json.loads(line)
        text = texts.get(f["doc"])
        if text is None:
            continue
        with_position = {p["person"] for p in f["positions"]}
        for person in f["persons"]:
            name = re.escape(person["name"])
            before = re.search(r"(?i)(?:^|[^\w])(?:%s)\s+%s(?![\w])" % (titles, name), text)
            after = re.search(r"(?i)%s\s*(?:,|-|–|\()\s*(?:nguyên\s+)?(?:%s)(?![\w])" % (name, titles), text)
            if before or after:
                checked += 1
                if person["name"] not in with_position:
                    m = before or after
                    missing.append("%s: %s (%r)" % (f["doc"], person["name"], text[m.start():m.end() + 40]))
    for m in missing:
        print("titled person without a position: " + m)
    print("titled persons: %d, without a position: %d" % (checked, len(missing)))
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
