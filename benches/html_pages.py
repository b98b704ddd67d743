#!/usr/bin/env python3
"""HTML pages: what reading pages costs in a build. The articles of a JSON Lines corpus are
built twice, as JSON Lines and as news pages (each article wrapped in the page of
tests/fixtures/web/lao-cai-kham-benh.html: menu, breadcrumb, share bar, related list,
comments, footer, JSON-LD; each paragraph a <p>), repeated until there are PAGES pages, and
the share of the page build that goes to finding and cleaning the article is reported:
(t_html - t_jsonl) / t_html, both measured in the same run, each the best of two. Timings
are reported, never asserted.

Usage: html_pages.py VNKG_BIN [CORPUS.jsonl] [--pages 3000]
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def opt(name, default):
    for a in sys.argv[1:]:
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return default


def best_of_two(cmd, store):
    """The best time of two builds, and the summary line of the last."""
    best = None
    for _ in range(2):
        shutil.rmtree(store, ignore_errors=True)
        t = time.perf_counter()
        run = subprocess.run(cmd + ["--store", store], check=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        e = time.perf_counter() - t
        best = e if best is None else min(best, e)
    summary = next((l for l in run.stderr.splitlines() if " built " in l), "")
    return best, summary


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    binary = os.path.abspath(args[0])
    corpus = args[1] if len(args) > 1 else os.path.join(
        HERE, "..", "..", "shared", "corpus", "dantri-health", "articles.jsonl")
    pages = int(opt("--pages", "3000"))
    template = open(os.path.join(HERE, "..", "tests", "fixtures", "web",
                                 "lao-cai-kham-benh.html"), encoding="utf-8").read()
    head, rest = template.split('<div class="content">', 1)
    _, tail = rest.split('<p class="author">', 1)
    tail = tail.split("</div>", 1)[1]
    with open(corpus, encoding="utf-8") as f:
        articles = [json.loads(l) for l in f if l.strip()]
    tmp = tempfile.mkdtemp(prefix="vnkg-html-")
    try:
        jsonl = os.path.join(tmp, "articles.jsonl")
        pages_dir = os.path.join(tmp, "pages")
        os.mkdir(pages_dir)
        size_text = size_html = 0
        with open(jsonl, "w", encoding="utf-8") as out:
            for i in range(pages):
                a = articles[i % len(articles)]
                lines = [l for l in a["text"].split("\n") if l.strip()]
                title, body = lines[0], lines[1:]
                doc_id = f"page-{i:05d}"
                out.write(json.dumps({"id": doc_id, "text": a["text"]}, ensure_ascii=False) + "\n")
                page = re.sub(r"<title>.*?</title>", f"<title>{html.escape(title)}</title>", head)
                page = re.sub(r'(property="og:title" content=")[^"]*', lambda m: m.group(1) + html.escape(title), page)
                page = re.sub(r'"headline": "[^"]*"', lambda m: json.dumps({"headline": title}, ensure_ascii=False)[1:-1], page)
                page = page.replace("bach-mai-kham-benh-lao-cai-20240412", doc_id)
                page = re.sub(r'<h1 class="title">.*?</h1>', f'<h1 class="title">{html.escape(title)}</h1>', page, flags=re.S)
                paras = "\n".join(f"<p>{html.escape(l)}</p>" for l in body)
                doc = page + '<div class="content">\n' + paras + "\n</div>" + tail
                with open(os.path.join(pages_dir, f"{doc_id}.html"), "w", encoding="utf-8") as p:
                    p.write(doc)
                size_text += len(a["text"].encode("utf-8"))
                size_html += len(doc.encode("utf-8"))
        store = os.path.join(tmp, "store")
        t_jsonl, built_jsonl = best_of_two([binary, "build", jsonl], store)
        t_html, built_html = best_of_two([binary, "build", pages_dir], store)
        # the same articles, so the same counts (the page ids differ only in form)
        counts = lambda s: re.sub(r"^.*?built (\d+ documents).*?: (.*?), \d+ quads.*$", r"\1: \2", s)
        if counts(built_jsonl) != counts(built_html):
            sys.exit(f"the page build differs:\n  {built_jsonl}\n  {built_html}")
        share = (t_html - t_jsonl) / t_html
        print(f"{pages} articles: {size_text / 1e6:.1f} MB of text, {size_html / 1e6:.1f} MB as pages")
        print(f"  build as JSON Lines  {t_jsonl:6.2f} s")
        print(f"  build as HTML pages  {t_html:6.2f} s  ({t_html / t_jsonl:.2f}x)")
        print(f"  finding and cleaning the articles: {share * 100:.0f} % of the page build, "
              f"{(t_html - t_jsonl) / pages * 1000:.2f} ms a page")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
