"""Benchmark of the full-text search (issue 19: search-statements in under 100 ms at
50,000 cases).

For each size (stores of generated cases made once by ``bench/data.py``, the reference
cases and the ontology included): the time to index every text of the store (in memory,
from the store on disk), then ``search-statements`` as the command line and the server run
it (the words found in the store's index, the query started from them; the median of
--rounds runs after one warm-up), and the same searches sent as the regular expression a
server without the index gets (one run each, on the same store on disk): the ratio
index/expression.

    .venv/bin/python bench/search.py [--sizes 10000,50000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import store_with  # a module beside this one (bench/ is not a package)

TARGET = 0.100
#: Searches with few rows and with many (generated statements read "énoncé ELEMENT du cas N").
SEARCHES = ("sante", "cas 4711", "gouvernance cas 12345", "accessibilite 999")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    import pyoxigraph as ox

    from isgraph.query import catalogue
    from isgraph.store import EmbeddedStore
    from isgraph.store.text_index import TextIndex

    query = catalogue.find("search-statements")
    for cases in (int(s) for s in args.sizes.split(",")):
        path = store_with(cases)
        with EmbeddedStore(path, create=False) as store:  # indexed whole here if it was not yet
            pass
        index = TextIndex(None)
        started = time.perf_counter()
        index.rebuild(ox.Store.read_only(str(path)))
        indexing = time.perf_counter() - started
        print(f"== {cases} cases: {index.count():,} texts indexed whole in {indexing:.1f} s", flush=True)
        index.close()
        with EmbeddedStore(path, create=False) as store:
            for text in SEARCHES:
                values = {"text": text}
                rows = len(catalogue.answer(store, query, values).table()[1])
                times = []
                for _ in range(args.rounds):
                    started = time.perf_counter()
                    catalogue.answer(store, query, values)
                    times.append(time.perf_counter() - started)
                indexed = statistics.median(times)
                started = time.perf_counter()
                scanned_rows = len(store.collected(query.bind(values)).table()[1])
                scanned = time.perf_counter() - started
                print(
                    f"   {text!r:26} {rows:4} rows  index {indexed * 1000:7.1f} ms  target {TARGET * 1000:.0f} ms"
                    f" ({indexed / TARGET:.2f})  regular expression {scanned:6.2f} s, {scanned_rows} rows"
                    f" (index/expression {indexed / scanned:.4f})",
                    flush=True,
                )


if __name__ == "__main__":
    main()
