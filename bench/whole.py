"""Benchmark of the whole answers of the listings on the views written in two parts (issue 19:
the whole answer streamed at 100,000 rows a second or more).

In one process, the generated store (``bench/data.py``) with its replica in memory, as
``isgraph serve`` reads it. For each listing that ``CatalogueQuery.whole`` cuts in two (the
cases of the first half of the ranks, and the others), in CSV, TSV, JSON and XML: the best
of --rounds writes to a file of the answer as one text (one thread) and as its two parts
(a thread each, then joined), rows a second for both, the ratio parts/one (below 1: faster
in parts), and the ratio of the parts' figure to the 100,000 target (below 1 meets it).
The two files are checked equal.

    .venv/bin/python bench/whole.py [--cases 50000] [--rounds 3] [--only NAME]
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import store_with  # modules beside this one (bench/ is not a package)

ROWS_A_SECOND = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="this listing alone (its name in the catalogue)")
    args = parser.parse_args()

    from isgraph.query import catalogue
    from isgraph.store.answers import ANSWER_FORMATS
    from isgraph.store.replica import ReplicatedStore

    store = ReplicatedStore(store_with(args.cases))
    started = time.monotonic()
    store.start()
    store.wait()
    print(f"== {args.cases} cases: replica ready in {time.monotonic() - started:.0f} s", flush=True)
    print(f"{'listing':<42} {'rows':>7} {'one s':>7} {'rows/s':>8} {'parts s':>8} {'rows/s':>8} {'parts/one':>9} {'target':>6}")
    with tempfile.TemporaryDirectory() as folder:
        one_file, parts_file = str(Path(folder) / "one"), str(Path(folder) / "parts")
        for query in catalogue.load_catalogue():
            if args.only and query.name != args.only:
                continue
            parts = query.whole({}, store)
            if len(parts) < 2:
                continue
            labels = query.language({}) if query.fills_labels() else None
            rows = sum(1 for _ in store.query(query.bind({}, store)))  # type: ignore[union-attr]  # a SELECT
            for media in ANSWER_FORMATS:
                one = parted = float("inf")
                for _ in range(args.rounds):
                    began = time.perf_counter()
                    store.write_answer(query.bind({}, store), one_file, media, labels=labels)
                    one = min(one, time.perf_counter() - began)
                    began = time.perf_counter()
                    store.write_answer(query.whole({}, store), parts_file, media, labels=labels)
                    parted = min(parted, time.perf_counter() - began)
                if not filecmp.cmp(one_file, parts_file, shallow=False):
                    raise SystemExit(f"{query.name} {media}: the parts do not give the answer")
                fmt = {"text/csv": "csv", "text/tab-separated-values": "tsv"}.get(media, media.rsplit("+", 1)[-1])
                rate, parts_rate = max(rows, 1) / one, max(rows, 1) / parted
                print(
                    f"{query.name + ' ' + fmt:<42} {rows:>7} {one:7.3f} {rate:8.0f} {parted:8.3f} {parts_rate:8.0f}"
                    f" {parted / one:9.2f} {ROWS_A_SECOND / parts_rate:6.2f}",
                    flush=True,
                )
    store.close()


if __name__ == "__main__":
    main()
