"""One catalogue query across every source, live.

Each source is asked in parallel, with its own timeout: an endpoint gets the
bound query over the SPARQL 1.1 Protocol; a dump is fetched and queried in
memory. The rows come back merged, each with a ``source`` column; a source that
fails, times out or answers garbage is reported beside the rows, and the others'
rows still come back.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from isgraph.errors import IsgraphError
from isgraph.federation.fetch import Row, SourceError, dump_quads, select_rows
from isgraph.federation.sources import Source
from isgraph.messages import Message
from isgraph.query.catalogue import CatalogueQuery
from isgraph.store import EmbeddedStore, Store, solutions
from isgraph.store.limits import sparql_json

#: What a source answers: the variables and the rows.
Answer = tuple[list[str], list[Row]]


@dataclass
class SourceAnswer:
    source: str
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    error: Message | None = None
    seconds: float = 0.0


@dataclass
class Federated:
    """The merged rows (``source`` first), and every source's answer."""

    variables: list[str]
    rows: list[Row]
    answers: list[SourceAnswer]

    @property
    def failures(self) -> list[SourceAnswer]:
        return [a for a in self.answers if a.error is not None]

    def as_json(self) -> bytes:
        """SPARQL 1.1 Query Results JSON of the merged rows."""
        return sparql_json(self.variables, self.rows)

    def as_solutions(self) -> ox.QuerySolutions:
        return solutions(ox.parse_query_results(self.as_json(), format=ox.QueryResultsFormat.JSON))


def _ask_endpoint(source: Source, sparql: str) -> Answer:
    return select_rows(source.endpoint or "", sparql, timeout=source.timeout, form=source.request_form)


def _ask_dump(source: Source, sparql: str) -> Answer:
    return _ask_store(EmbeddedStore.from_quads(dump_quads(source.dump or "", timeout=source.timeout)), sparql)


def _ask_store(store: Store, sparql: str) -> Answer:
    solutions = store.query(sparql)
    if not isinstance(solutions, ox.QuerySolutions):
        raise SourceError(Message("seules les requêtes SELECT se fédèrent", "only SELECT queries can be federated"))
    names = [v.value for v in solutions.variables]
    return names, [[row[n] for n in names] for row in solutions]


def federate(
    sources: Sequence[Source],
    query: CatalogueQuery,
    values: Mapping[str, str] | None = None,
    *,
    local: Store | None = None,
    local_name: str = "local",
) -> Federated:
    """Run ``query`` on every source (and on ``local`` if given), in parallel."""
    sparql = query.bind(values)
    jobs: list[tuple[str, float, Callable[[Source, str], Answer], Source]] = [
        (s.name, s.timeout, _ask_endpoint if s.endpoint else _ask_dump, s) for s in sources
    ]
    answers: dict[str, SourceAnswer] = {}
    started = time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(jobs)))
    try:
        futures = {pool.submit(fn, source, sparql): (name, timeout) for name, timeout, fn, source in jobs}
        if local is not None:
            answers[local_name] = _answer(local_name, lambda: _ask_store(local, sparql), started)
        deadline = started + max((job[1] for job in jobs), default=0) + 1
        done, _ = concurrent.futures.wait(futures, timeout=max(0.0, deadline - time.monotonic()))
        for future, (name, timeout) in futures.items():
            if future in done:
                answers[name] = _answer(name, future.result, started)
            else:
                answers[name] = SourceAnswer(
                    name,
                    error=Message(f"pas de réponse en {timeout:g} s", f"no answer within {timeout:g} s"),
                    seconds=time.monotonic() - started,
                )
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    order = ([local_name] if local is not None else []) + [s.name for s in sources]
    ordered = [answers[name] for name in order]
    variables = next((a.variables for a in ordered if a.error is None), [])
    rows = [
        [ox.Literal(a.source), *(dict(zip(a.variables, row, strict=True)).get(v) for v in variables)]
        for a in ordered
        if a.error is None
        for row in a.rows
    ]
    return Federated(["source", *variables], rows, ordered)


def _answer(name: str, work: Callable[[], Answer], started: float) -> SourceAnswer:
    try:
        variables, rows = work()
        return SourceAnswer(name, variables, rows, seconds=time.monotonic() - started)
    except IsgraphError as exc:
        return SourceAnswer(name, error=Message(exc.render("fr"), exc.render("en")), seconds=time.monotonic() - started)
