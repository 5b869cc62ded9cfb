"""Generated stores for the benchmarks, made once and kept: ``store_with(cases)`` is an
on-disk store with the ontology, the territories and ``cases`` generated cases (seed 1,
no defects), classified, under ``$ISGRAPH_BENCH_DATA`` (default: the temporary folder's
``isgraph-bench``). A store is written beside its final place and renamed when complete,
so an interrupted run leaves nothing half-made."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox


def folder() -> Path:
    return Path(os.environ.get("ISGRAPH_BENCH_DATA") or Path(tempfile.gettempdir()) / "isgraph-bench")


def cases_file(cases: int) -> Path:
    """The generated cases as N-Quads (one graph each)."""
    from isgraph.graph.generator import write_cases

    path = folder() / f"cases-{cases}.nq"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with partial.open("wb") as out:
            write_cases(out, cases, seed=1, defects=0.0, fmt="nquads")
        partial.rename(path)
    return path


def store_with(cases: int) -> Path:
    """The on-disk store of ``cases`` generated cases (made on first use; printed when made)."""
    from isgraph.graph.build import build
    from isgraph.reason.classification import classify, store_inferences
    from isgraph.store import EmbeddedStore

    path = folder() / f"store-{cases}"
    if path.exists():
        return path
    data = cases_file(cases)
    partial = folder() / f"store-{cases}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    started = time.monotonic()
    with EmbeddedStore(partial) as store:
        build(store=store, reason=False)
        store.load(data, ox.RdfFormat.N_QUADS)
        store_inferences(store, classify(store, method="sparql"))
    partial.rename(path)
    print(f"   (made {path} in {time.monotonic() - started:.0f} s)", flush=True)
    return path
