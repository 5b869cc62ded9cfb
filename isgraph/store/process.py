"""The on-disk store in a process of its own, so that a query past its time limit is stopped.

pyoxigraph cannot interrupt a query once it runs. ``isgraph serve`` therefore opens an
on-disk store in a child process that answers requests (queries and writes) in
threads, and talks to it through a pipe. When a query overruns its limit, the server
kills that process and starts it again: the runaway query stops at once, RocksDB
reopens in a moment, and the queries that were running beside it are sent again with
what remains of their own time. Writes are never cut: a restart waits for them.

The child keeps the store's replica in memory (:mod:`isgraph.store.replica`), which
answers the reads once loaded; it reports how the loading goes (:data:`STATUS`), and
after a restart the replica loads again while the durable store answers. A store made by
an earlier version of isgraph derives its views again as it opens, which takes minutes at
50,000 cases: the child says so (:data:`REMADE`), and the server waits for it as long as
it lives.

The child runs at a lower scheduling priority (``QUERY_NICENESS``): when long queries
keep every core busy, the front end still gets the processor at once to read requests
and send answers, so a quick request is not queued behind a heavy one. On an idle
machine the queries lose nothing.

:class:`ProcessStore` offers the operations of :class:`isgraph.store.Store`, so the
rest of the server does not know the difference.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from isgraph.errors import InputError, IsgraphError, StoreError
from isgraph.messages import Message
from isgraph.rdf.writing import serialize
from isgraph.store.embedded import OnRemake
from isgraph.store.limits import Collected, LimitReached, QueryResult, collect, json_results, time_limit
from isgraph.store.replica import ReplicaStatus

_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_KINDS = {"InputError": InputError, "StoreError": StoreError}
QUERY_NICENESS = 10
#: The request id of the replica's news (:class:`isgraph.store.replica.ReplicaStatus`), sent unasked.
STATUS = -1
#: The request id of what the store makes again as it opens (:data:`isgraph.store.embedded.OnRemake`), sent unasked.
REMADE = -2


class Restarted(Exception):
    """The store process was restarted while this request ran: send it again."""


class StoreCrashed(StoreError):
    """The store process died while this request ran (it has been started again)."""


_log = logging.getLogger("isgraph.store")


# --- the child process ---------------------------------------------------------------------
def _child(path: str, workers: int, replica: bool, conn: Any) -> None:  # pragma: no cover - runs in the child process
    from isgraph.store.embedded import EmbeddedStore
    from isgraph.store.replica import ReplicatedStore

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which closes this process
    os.nice(QUERY_NICENESS)
    send_lock = threading.Lock()

    def report(status: ReplicaStatus) -> None:
        with send_lock:
            conn.send((STATUS, True, status))

    def remade(what: str, seconds: float | None) -> None:
        with send_lock:
            conn.send((REMADE, True, (what, seconds)))

    store: EmbeddedStore | ReplicatedStore
    try:
        store = (
            ReplicatedStore(path, report=report, on_remake=remade)
            if replica
            else EmbeddedStore(path, create=False, on_remake=remade)
        )
    except IsgraphError as exc:
        conn.send((0, False, _error(exc)))
        return

    def handle(rid: int, op: str, args: tuple[Any, ...]) -> None:
        try:
            answer = (rid, True, _OPS[op](store, *args))
        except LimitReached as exc:
            answer = (rid, False, ("LimitReached", exc.message.fr, exc.message.en, exc.status, None, None))
        except IsgraphError as exc:
            answer = (rid, False, _error(exc))
        except Exception as exc:
            answer = (rid, False, ("StoreError", str(exc), str(exc), None, None, None))
        with send_lock:
            conn.send(answer)

    with send_lock:
        conn.send((0, True, "ready"))
    if isinstance(store, ReplicatedStore):
        store.start()
    pool = ThreadPoolExecutor(max_workers=2 * workers + 1)  # the server's two lanes (isgraph.web.lanes)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):  # the server is gone (even killed): this process goes too
            break
        if request is None:
            break
        pool.submit(handle, *request)
    # no waiting for queries still running (nobody will read them); every write the server
    # acknowledged is committed already, and RocksDB keeps a write cut short whole or not at all
    pool.shutdown(wait=False, cancel_futures=True)
    store.close()
    os._exit(0)


def _error(exc: IsgraphError) -> tuple[Any, ...]:
    return (type(exc).__name__, exc.message.fr, exc.message.en, exc.path, exc.line, exc.column)


def _query(
    store: Any, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None, max_results: int
) -> tuple[str, Any, float]:
    """(kind, the result as it crosses the pipe, seconds spent evaluating, reading and serialising it)."""
    started = time.monotonic()
    collected = collect(
        store.query(sparql, default_graphs=default_graphs, named_graphs=named_graphs),
        started=started,
        timeout=float("inf"),
        max_results=max_results,
    )
    if collected.kind == "graph":
        data: Any = serialize(collected.triples, ox.RdfFormat.N_TRIPLES)
    elif collected.kind == "boolean":
        data = collected.boolean
    else:
        data = json_results(collected)
    return collected.kind, data, time.monotonic() - started


def _replace(store: Any, graphs: dict[str, bytes], drop: list[str]) -> None:
    store.replace_graphs(
        {g: [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)] for g, data in graphs.items()}, drop=drop
    )


def _dump(store: Any, path: str, fmt: str) -> None:
    with open(path, "wb") as out:
        store.dump(out, _FORMATS[fmt])


_OPS: dict[str, Callable[..., Any]] = {
    "query": _query,
    "update": lambda store, sparql, writes: store.update(sparql, writes=writes),
    "replace": _replace,
    "named_graphs": lambda store: store.named_graphs(),
    "present": lambda store, graphs: store.present(graphs),
    "count": lambda store: store.count(),
    "search": lambda store, text, properties, limit: store.search(text, properties, limit),
    "write_answer": lambda store, sparql, path, media, labels: store.write_answer(sparql, path, media, labels=labels),
    "dump": _dump,
}


# --- the parent side -----------------------------------------------------------------------
class ProcessStore:
    """An on-disk store served by a child process (see the module's description)."""

    def __init__(
        self,
        path: str | Path,
        *,
        workers: int = 4,
        max_results: int = 10**9,
        query_timeout: float = 3600,
        replica: bool = True,
        on_status: Callable[[ReplicaStatus], None] | None = None,
        on_remake: OnRemake | None = None,
    ) -> None:
        self.location = str(path)
        self.workers = workers
        self.replica = replica
        #: where the child's replica in memory stands (``off`` without one)
        self.replica_status = ReplicaStatus("off")
        self._on_status = on_status
        self._on_remake = on_remake
        self.max_results = max_results
        self.query_timeout = query_timeout
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._writes = threading.Condition(self._lock)
        self._writing = 0
        self._pending: dict[int, Future[tuple[bool, Any]]] = {}
        self._generation = 0
        self._closing = False
        self._start()

    # process management
    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(target=_child, args=(self.location, self.workers, self.replica, child), daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        while True:  # as long as it lives: a store made by an earlier version derives its views again first
            if not parent.poll(0.5):
                if self._process.is_alive():
                    continue
                raise StoreError(
                    Message(
                        f"le processus de l'entrepôt s'est arrêté avant d'ouvrir l'entrepôt (code {self._process.exitcode})",
                        f"the store process stopped before it opened the store (exit code {self._process.exitcode})",
                    ),
                    path=self.location,
                )
            rid, ok, value = parent.recv()
            if rid == REMADE:
                if self._on_remake is not None:
                    self._on_remake(*value)
                continue
            break
        if not ok:
            self._process.join()
            raise _rebuild(value)
        self._send_lock = threading.Lock()
        threading.Thread(target=self._dispatch, args=(parent, self._generation), daemon=True).start()

    def _dispatch(self, conn: Any, generation: int) -> None:
        while True:
            try:
                rid, ok, value = conn.recv()
            except (EOFError, OSError):
                break
            if rid == STATUS:
                self.replica_status = value
                if self._on_status is not None:
                    self._on_status(value)
                continue
            with self._lock:
                future = self._pending.pop(rid, None)
            if future is not None and not future.done():
                future.set_result((ok, value))
        self._recover(generation)

    def _recover(self, generation: int) -> None:
        """The pipe closed. Unless this server closed it (a restart or close), the process
        died: every request it was answering is answered at once (StoreCrashed: it may have
        been the cause, so it is not sent again), a new process is started, and it is logged."""
        with self._lock:
            if generation != self._generation or self._closing:
                return
            self._generation += 1
            self._process.join(timeout=5)
            code = self._process.exitcode
            pending, self._pending = self._pending, {}
            how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
            crashed = StoreCrashed(
                Message(
                    f"le processus de l'entrepôt s'est arrêté ({how}) pendant cette requête ; il a été relancé",
                    f"the store process stopped ({how}) during this request; it has been restarted",
                ),
                path=self.location,
            )
            for future in pending.values():
                if not future.done():
                    future.set_exception(crashed)
            _log.warning("isgraph: the store process stopped (%s) with %d requests in flight; restarting it", how, len(pending))
            self._conn.close()
            self._start()

    def _restart(self, generation: int) -> None:
        """Kill the child (waiting for any write to end first) and start a new one; requests
        in flight are told to try again. Does nothing if that child is already gone."""
        with self._writes:
            while self._writing:
                self._writes.wait()
            if generation != self._generation:
                return
            self._generation += 1
            self._process.kill()
            self._process.join()
            self._conn.close()
            pending, self._pending = self._pending, {}
            for future in pending.values():
                if not future.done():
                    future.set_exception(Restarted())
            self._start()

    def wait_for_replica(self, timeout: float | None = None) -> bool:
        """Wait until the replica answers the reads (at most ``timeout`` seconds); whether it does."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.replica and self.replica_status.state != "ready":
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return self.replica

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def _call(self, op: str, *args: Any, timeout: float | None = None, write: bool = False) -> Any:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            future: Future[tuple[bool, Any]] = Future()
            with self._lock:  # a restart holds this lock: requests wait for the new process
                rid = next(self._ids)
                generation = self._generation
                self._pending[rid] = future
                if write:
                    self._writing += 1
                try:
                    with self._send_lock:
                        self._conn.send((rid, op, args))
                except OSError:
                    future.set_exception(Restarted())
            try:
                remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
                ok, value = future.result(timeout=remaining)
            except FutureTimeout:
                # answer at once; the runaway query dies with its process, restarted beside
                threading.Thread(target=self._restart, args=(generation,), daemon=True).start()
                raise time_limit(timeout or 0) from None
            except (Restarted, OSError):
                if deadline is not None and time.monotonic() >= deadline:
                    raise time_limit(timeout or 0) from None
                continue
            finally:
                if write:
                    with self._writes:
                        self._writing -= 1
                        self._writes.notify_all()
            if not ok:
                raise _rebuild(value)
            return value

    # the Store operations
    def collected(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float = float("inf"),
        max_results: int = 10**9,
    ) -> Collected:
        """A query's whole result, read under the time and size limits (the lower of those given
        and the store's own); SPARQL JSON kept as it came."""
        kind, data, seconds = self._call(
            "query",
            sparql,
            list(default_graphs or []) or None,
            list(named_graphs or []) or None,
            min(max_results, self.max_results),
            timeout=min(timeout, self.query_timeout),
        )
        if kind == "boolean":
            return Collected("boolean", boolean=data, seconds=seconds)
        if kind == "graph":
            return Collected("graph", triples=[q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)], seconds=seconds)
        return Collected("solutions", raw_json=data, seconds=seconds)  # rows stay serialised: read them from raw_json

    def query(
        self, sparql: str, *, default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None
    ) -> QueryResult:
        collected = self.collected(sparql, default_graphs=default_graphs, named_graphs=named_graphs)
        if collected.kind == "boolean":
            return ox.parse_query_results(json_results(collected), format=ox.QueryResultsFormat.JSON)
        if collected.kind == "graph":
            return collected.triples
        return ox.parse_query_results(collected.raw_json or b"", format=ox.QueryResultsFormat.JSON)

    def update(self, sparql: str, *, writes: Sequence[str] | None = None) -> None:
        self._call("update", sparql, None if writes is None else list(writes), write=True)

    def add(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        escaped = " .\n".join(str(t) for t in triples)
        if escaped:
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {escaped} }} }}", writes=[graph])

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]], *, drop: Iterable[str] = ()) -> None:
        self._call("replace", {g: serialize(ts, ox.RdfFormat.N_TRIPLES) for g, ts in graphs.items()}, list(drop), write=True)

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        self.replace_graphs({}, drop=graphs)

    def add_new_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> str | None:
        self.replace_graphs(graphs)  # one atomic write through the store process: no marker
        return None

    def named_graphs(self) -> list[str]:
        return list(self._call("named_graphs"))

    def present(self, graphs: Iterable[str]) -> set[str]:
        return set(self._call("present", list(graphs)))

    def quads(self) -> Iterator[ox.Quad]:
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".nq") as tmp:
            self._call("dump", tmp.name, "nquads")
            return iter(list(ox.parse(path=tmp.name, format=ox.RdfFormat.N_QUADS)))

    def count(self) -> int:
        return int(self._call("count"))

    def write_answer(
        self, sparql: str | Sequence[str], path: str, media: str, *, labels: str | None = None, timeout: float = float("inf")
    ) -> None:
        """The whole answer (or its parts, whose rows follow each other) written to ``path`` by
        the store process, its label columns filled in ``labels`` when given (stopped at ``timeout``)."""
        self._call(
            "write_answer",
            sparql if isinstance(sparql, str) else list(sparql),
            path,
            media,
            labels,
            timeout=None if timeout == float("inf") else timeout,
        )

    def search(self, text: str, properties: Sequence[str], limit: int) -> list[str] | None:
        found = self._call("search", text, list(properties), limit)
        return None if found is None else list(found)

    def keeps_views(self) -> bool:
        """True: the store in the other process is on disk, and keeps them."""
        return True

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        import shutil
        import tempfile

        name = next(n for n, f in _FORMATS.items() if f == fmt)
        with tempfile.NamedTemporaryFile(suffix="." + fmt.file_extension) as tmp:
            self._call("dump", tmp.name, name)
            with open(tmp.name, "rb") as data:
                shutil.copyfileobj(data, output)

    def close(self) -> None:
        self._closing = True
        try:
            with self._send_lock:
                self._conn.send(None)
        except OSError:
            pass
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
        self._conn.close()

    def __enter__(self) -> ProcessStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rebuild(value: tuple[Any, ...]) -> Exception:
    kind, fr, en, path, line, column = value
    if kind == "LimitReached":
        return LimitReached(Message(fr, en), path)  # the status travels in the "path" slot
    cls = _KINDS.get(kind, StoreError)
    return cls(Message(fr, en), path=path, line=line, column=column)
