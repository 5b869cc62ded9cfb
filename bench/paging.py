"""Benchmark of the catalogue's pages in the server (issue 19: every catalogue query's first
page in under 1 s at 50,000 cases, every aggregate too; the whole answer streamed at
100,000 rows a second or more).

``isgraph serve`` on the generated store (made once by ``bench/data.py``), on 127.0.0.1,
with its replica in memory loaded first. For each catalogue query: the time to the last
byte of its first page through the API (``/api/queries/NAME?format=csv``: 100 rows, the
default; the median of --rounds requests after one warm-up), its ratio to the 1 s target;
then, for the largest answers, the whole answer (``all=true``) as CSV, TSV and JSON (the
best of --rounds requests): rows, seconds and rows a second against the 100,000 target (ratio target/figure: below 1 meets
it), in all and beyond the time of the first page (which already holds the query's whole
evaluation and sort: what remains is writing and sending the rows).

With ``--labels``, the whole answer of ``actors-in-several-initiatives`` in French, whose
rows keep their actors' labels, against the same in German, whose labels are looked up
after the query (as every language's were before the rows kept them): the two alternating,
best of --rounds each, and the ratio.

    .venv/bin/python bench/paging.py [--cases 50000] [--rounds 3] [--whole 5] [--only-whole] [--labels]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import server as server_process  # modules beside this one (bench/ is not a package)

from data import store_with

PAGE_TARGET = 1.0
ROWS_A_SECOND = 100_000
#: Listings of tens of thousands of rows and more at 10,000 cases.
LONG = ("actor-pairs", "actors-in-several-initiatives", "civil-society-beyond-use", "elements-to-follow", "who-funds-what")


def fetch(url: str, accept: str = "text/csv") -> tuple[float, bytes]:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=3600) as response:
        data = response.read()
    return time.perf_counter() - started, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--whole", type=int, default=5, help="how many of the largest answers to stream whole")
    parser.add_argument("--only-whole", action="store_true", help="stream the whole answers alone (no first pages)")
    parser.add_argument("--labels", action="store_true", help="labels kept in the actors' rows against looked up after")
    args = parser.parse_args()

    from isgraph.query import catalogue

    path = store_with(args.cases)
    server, base = server_process.start(path, "--query-timeout", "3600", "--max-results", str(10**9))
    try:
        started = time.monotonic()
        while True:
            try:
                status = json.loads(urllib.request.urlopen(f"{base}/status", timeout=5).read())
                if status["replica"]["state"] == "ready":
                    break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("isgraph serve stopped") from None
            time.sleep(0.5)
        print(f"== {args.cases} cases: replica ready in {time.monotonic() - started:.0f} s", flush=True)
        print(f"{'query':<34} {'rows':>5} {'median s':>9} {'target s':>9} {'ratio':>6}")
        sizes: dict[str, int] = {}
        met = 0
        queries = catalogue.load_catalogue()
        for query in queries:
            url = f"{base}/api/queries/{query.name}?format=csv"
            if args.only_whole:  # the listings that are long at any size
                sizes[query.name] = catalogue.PAGE if query.name in LONG else 0
                continue
            fetch(url)  # warm-up
            times, data = [], b""
            for _ in range(args.rounds):
                seconds, data = fetch(url)
                times.append(seconds)
            median = statistics.median(times)
            rows = data.count(b"\n") - 1
            sizes[query.name] = rows
            met += median < PAGE_TARGET
            kind = " (aggregate)" if query.chart else ""
            print(f"{query.name + kind:<34} {rows:>5} {median:9.3f} {PAGE_TARGET:9.2f} {median / PAGE_TARGET:6.2f}", flush=True)
        if not args.only_whole:
            print(f"-- {met} of {len(queries)} first pages under {PAGE_TARGET:.0f} s", flush=True)
        full = [q.name for q in queries if sizes[q.name] == catalogue.PAGE][: args.whole]
        print(
            f"{'whole answer':<40} {'rows':>8} {'s':>8} {'rows/s':>9} {'ratio':>6} {'page s':>7} {'beyond':>8} {'rows/s':>9} {'ratio':>6}"
        )
        if args.labels:
            compare_labels(base, args.rounds)
        for name in full:
            page_seconds = statistics.median(fetch(f"{base}/api/queries/{name}?format=csv")[0] for _ in range(3))
            for fmt, accept in (
                ("csv", "text/csv"),
                ("tsv", "text/tab-separated-values"),
                ("json", "application/sparql-results+json"),
            ):
                fetched = [fetch(f"{base}/api/queries/{name}?all=true&format={fmt}", accept) for _ in range(args.rounds)]
                seconds, data = min(fetched, key=lambda answer: answer[0])  # the best of --rounds
                rows = len(json.loads(data)["results"]["bindings"]) if fmt == "json" else data.count(b"\n") - 1
                rate = max(rows, 1) / seconds
                beyond = max(seconds - page_seconds, 1e-3)  # the first page holds the query's whole work
                streamed = max(rows, 1) / beyond
                print(
                    f"{name + ' ' + fmt:<40} {rows:>8} {seconds:8.2f} {rate:9.0f} {ROWS_A_SECOND / rate:6.2f}"
                    f" {page_seconds:7.2f} {beyond:8.2f} {streamed:9.0f} {ROWS_A_SECOND / streamed:6.2f}",
                    flush=True,
                )
    finally:
        server_process.stop(server)


def compare_labels(base: str, rounds: int) -> None:
    """The actors in several initiatives, whole, with the labels their rows keep (French) and
    with labels looked up after the query (German: no row keeps it), alternating."""
    name = "actors-in-several-initiatives"
    print(f"{'labels of ' + name:<40} {'rows':>8} {'kept s':>8} {'rows/s':>9} {'after s':>8} {'rows/s':>9} {'kept/after':>10}")
    for fmt, accept in (("csv", "text/csv"), ("tsv", "text/tab-separated-values"), ("json", "application/sparql-results+json")):
        best: dict[str, float] = {}
        rows = 0
        for _ in range(rounds):
            for lang in ("fr", "de"):
                seconds, data = fetch(f"{base}/api/queries/{name}?all=true&format={fmt}&lang={lang}", accept)
                best[lang] = min(best.get(lang, seconds), seconds)
                rows = len(json.loads(data)["results"]["bindings"]) if fmt == "json" else data.count(b"\n") - 1
        print(
            f"{fmt:<40} {rows:>8} {best['fr']:8.2f} {rows / best['fr']:9.0f} {best['de']:8.2f} {rows / best['de']:9.0f}"
            f" {best['fr'] / best['de']:10.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
