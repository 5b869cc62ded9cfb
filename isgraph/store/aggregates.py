"""Aggregates kept at ingest: a catalogue question that counts over every case, kept as its
answer's rows in a graph of its own (under ``graph/view/aggregate/``), each row derived again
when a write reaches one of the cases it counts. :class:`isgraph.store.views.Views` asks
each aggregate of :func:`kept` for its rows as it derives the cases' views: all of them
(:meth:`Aggregate.whole`), or those a write changes (:meth:`Aggregate.again`), written in
the same transaction as the views, so that a reader never sees a row that disagrees with
them. ``tests/test_views.py`` proves each aggregate's rows equal to its question's
definition, on generated data and after writes.

:class:`GridCoverage`, the grid's coverage per département
(``queries/views/grid-coverage-per-territory.rq``): in
``graph/view/aggregate/grid-coverage-per-territory``, one row per département and grid
element, ``?row isv:inDepartement ?d ; isv:element ?e ; isv:assessments ?n ;
isv:presentAssessments ?p``: of the initiatives in the département (``isv:departement`` of
their views), how many assessments of the element their latest characterisation holds, and
how many of them say "present". Asked as its definition it reads every case before its
first row (3.1 s at 50,000 cases in memory); its rows, fewer than two thousand, are read at
once. Each case's view holds its own part (``isv:coverage``: each element with its
assessments and those present), so that a write adds up again the départements its cases
were in before it (read from their old views) and are in after it, reading one triple for
each initiative there rather than its assessments (at 10,000 cases on disk, five cases
written again: 20 ms rather than 135 ms through the assessments).

:class:`ActorPairs`, the pairs of actors who take part in the same initiatives
(``queries/aggregates/actor-pairs.rq``): in ``graph/view/aggregate/actor-pairs``, one row
per pair, ``?row isv:firstActor ?a ; isv:secondActor ?b ; isv:pairPosition ?p``, where ``?p``
places the row in the question's order (most initiatives shared first, then by the actors'
IRIs) by one integer: the question's 166,000 pairs at 50,000 cases must all be in order
before its first row, and sorting them by the count then two IRIs took 1.8 s against 0.5 s
by one integer. The position holds the count the question gives (:data:`MOST_SHARED` less
its part above :data:`RANK_BITS`), which is not written again beside it: 166,000 quads
fewer in the server's memory. A write counts again the pairs of actors who take part in
the initiatives of its cases, before it or after it, from the views of the initiatives in
which those actors take part.

The ranks of the pairs' rows (and of who funds what's) are read once a process, by the
rows' nodes and positions alone; a row's key (what orders it) is read from the row only
when a search for a new row's place needs it (:class:`isgraph.store.ranks.Ranks`), about
log2(n) of them for each new row: at 50,000 cases on disk, reading every pair with its
actors took 6.4 s at the first write of each ``isgraph ingest``, the positions alone 1.7 s.

:class:`ActorInitiatives`, the actors who take part in several initiatives, with their
roles (``queries/aggregates/actors-in-several-initiatives.rq``): in
``graph/view/aggregate/actors-in-several-initiatives``, one row per actor, a node of its own
named by the actor (:func:`_actor_row`), ``?row isv:actorOfRow ?a ; isv:roles ?r ;
isv:actorPosition ?p``, where ``?r`` lists the local names
of the roles the actor holds (sorted, separated by ", ") and ``?p`` places the row, and
holds its count of initiatives, as the pairs' position does (most initiatives first, then
by the actor's IRI); an actor in one initiative holds its position in
``isv:oneInitiativePosition`` instead, which the question reads only when its ``min`` asks
for one initiative (most rows are those: 50,259 of the 66,627 at 50,000 cases); and
``isv:labelFr``, ``isv:labelEn``, the actor's label as isgraph fills a label column in
French and in English (:func:`isgraph.store.labels.label_terms`), so that a whole answer
reads no label after the query. The question reads the positions, then the columns of each
row kept, in one group of patterns; a row is not the actor's own node, whose 24 triples on
average (in its cases, its views) each lookup of a column walked (0.15 s for the 16,367
rows at 50,000 cases in the server's replica, against 0.22 s on the actor's node). Asked as
its definition it groups every participation before its first row (0.9–1.1 s at 50,000
cases in memory). A write
reads again, from the store as the write left it, the participations of the actors who
took part in the initiatives of its cases before it (their old views) or do after it (the
views derived for it), and those of the actors its graphs label, before it or after it
(``labelled``: a label may come from any graph). Beside the rows, one node holds the
histogram of the counts (``isv:actorsByCount "count actors, …"``) and the highest rank given
(``isv:lastRank``), which a write brings up to date from the positions of the rows it
forgets and the counts of those it writes: a whole answer is cut at about its middle row
from these two triples (:func:`halfway`), in a millisecond, where counting the rows per
count took 0.09 s at 50,000 cases.

:class:`Funding`, who funds what (``queries/aggregates/who-funds-what.rq``): in
``graph/view/aggregate/who-funds-what``, one row per answer of the question, named under its
initiative (:func:`isgraph.store.row_nodes.row_node`: the query reads the initiative back
from the name), ``?row isv:funder ?f ; isv:fundingPosition ?p`` and, for a resource,
``isv:principle ?pr`` and ``isv:amount ?a`` when known (a row with a principle is a resource,
one without is a role: the kind is not written). ``?p`` places the row in the question's
order (by funder, initiative, kind, principle and amount, as SPARQL orders them) by one
integer: asked as its definition, the question sorts its 38,873 answers at 50,000 cases by
two IRIs before its first row. Its rows are those of the initiatives that have a view (as
every question on the views answers). A write derives again the rows of the initiatives
whose views it replaces, before it and after it (found by their names, under the
initiative), each still there keeping its rank while it lies between its neighbours'.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal, InvalidOperation
from typing import Protocol

import pyoxigraph as ox

from isgraph.namespaces import GRAPH, ISG, ISV, PRINCIPLE, ROLE, XSD
from isgraph.store.ranks import NoRoom, Ranks, middle
from isgraph.store.row_nodes import ROW_TAIL, row_node

#: The graphs of the aggregates, under the views' (dropped, counted and dumped with them).
AGGREGATES = GRAPH["view/aggregate/"]
COVERAGE = AGGREGATES + "grid-coverage-per-territory"
PAIRS = AGGREGATES + "actor-pairs"
ACTORS = AGGREGATES + "actors-in-several-initiatives"
FUNDING = AGGREGATES + "who-funds-what"

Select = Callable[[str], ox.QuerySolutions]
#: The French and English label of each IRI (:func:`isgraph.store.labels.label_terms_in_both`).
Labels = Callable[[set[str]], Mapping[str, tuple[ox.Literal, ox.Literal]]]
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None
#: Answers a SELECT query with its rows, each a mapping of names to terms (as a whole answer's cut asks).
Rows = Callable[[str], Sequence[Mapping[str, Term]]]

_DEPARTEMENT = ox.NamedNode(ISV["departement"])
_COVERAGE = ox.NamedNode(ISV["coverage"])
_ACTOR = ox.NamedNode(ISV["actor"])
_INTEGER = ox.NamedNode(XSD["integer"])
_LABEL_FR = ox.NamedNode(ISV["labelFr"])
_LABEL_EN = ox.NamedNode(ISV["labelEn"])


class Aggregate(Protocol):
    """One aggregate: its rows from the views of every case, or those a write changes."""

    def whole(self, select: Select) -> list[ox.Quad]:
        """Every row, from the views of every case (already derived)."""
        ...

    def again(
        self, select: Select, replaced: Sequence[str], derived: Sequence[ox.Quad], labelled: AbstractSet[str] = frozenset()
    ) -> tuple[list[str], list[ox.Quad]]:
        """What changes once the view graphs ``replaced`` are replaced by the quads ``derived``
        (``select`` still sees the old views), and the labels of the IRIs ``labelled`` may have
        changed: the updates that delete the rows that change, and the rows that take their
        place."""
        ...

    def forget_state(self) -> None:
        """Forget what is kept in memory (a write failed: it is read again from the store)."""
        ...


def kept(labels: Labels) -> tuple[Aggregate, ...]:
    """The aggregates a store keeps with its views (each with what it keeps in memory);
    ``labels`` gives the French and English label of IRIs, as the store holds them now."""
    return (GridCoverage(), ActorPairs(), ActorInitiatives(labels), Funding())


# --- the grid's coverage per département -----------------------------------------------------
class GridCoverage:
    """The grid's coverage per département (see the module's description)."""

    def whole(self, select: Select) -> list[ox.Quad]:
        found = select(f"SELECT DISTINCT ?i ?d ?c WHERE {{ ?i <{_DEPARTEMENT.value}> ?d ; <{_COVERAGE.value}> ?c }}")
        return _coverage_rows(_figures((row["i"], row["d"], row["c"]) for row in found))

    def again(
        self, select: Select, replaced: Sequence[str], derived: Sequence[ox.Quad], labelled: AbstractSet[str] = frozenset()
    ) -> tuple[list[str], list[ox.Quad]]:
        touched = _departements(select, replaced) | {
            q.object.value for q in derived if q.predicate == _DEPARTEMENT and isinstance(q.object, ox.NamedNode)
        }
        if not touched:
            return [], []
        values = " ".join(f"<{d}>" for d in sorted(touched))
        forget = (
            f"DELETE {{ GRAPH <{COVERAGE}> {{ ?row ?p ?o }} }} WHERE {{ VALUES ?d {{ {values} }}"
            f" GRAPH <{COVERAGE}> {{ ?row <{ISV['inDepartement']}> ?d ; ?p ?o }} }}"
        )
        return [forget], _coverage_rows(_figures(_members_in(select, touched, replaced, derived)))

    def forget_state(self) -> None:
        pass  # nothing is kept


def _departements(select: Select, views: Iterable[str]) -> set[str]:
    """The départements the initiatives of the view graphs ``views`` lie in, as the views say now."""
    graphs = " ".join(f"<{v}>" for v in views)
    if not graphs:
        return set()
    found = select(f"SELECT DISTINCT ?d WHERE {{ VALUES ?v {{ {graphs} }} GRAPH ?v {{ ?i <{_DEPARTEMENT.value}> ?d }} }}")
    return {row["d"].value for row in found if isinstance(row["d"], ox.NamedNode)}


def _members_in(
    select: Select, touched: set[str], replaced: Sequence[str], derived: Sequence[ox.Quad]
) -> list[tuple[Term, Term, Term]]:
    """The initiatives of the départements ``touched``, each with its département and the
    figures of its view, once the views of ``replaced`` are replaced by the quads ``derived``:
    those the other views place there, and those ``derived`` does."""
    figures = {q.subject: q.object for q in derived if q.predicate == _COVERAGE}
    members: list[tuple[Term, Term, Term]] = [
        (q.subject, q.object, figures[q.subject])
        for q in derived
        if q.predicate == _DEPARTEMENT and q.object.value in touched and q.subject in figures  # type: ignore[union-attr]  # views hold no quoted triple
    ]
    values = " ".join(f"<{d}>" for d in sorted(touched))
    members += (
        (row["i"], row["d"], row["c"])
        for row in select(
            f"SELECT DISTINCT ?i ?d ?c WHERE {{ VALUES ?d {{ {values} }} GRAPH ?v {{ ?i <{_DEPARTEMENT.value}> ?d ;"
            f" <{_COVERAGE.value}> ?c }} {_kept(replaced)} }}"
        )
    )
    return members


def _figures(members: Iterable[tuple[Term, Term, Term]]) -> dict[tuple[str, str], list[int]]:
    """The assessments and those present per département and element, added up over each
    initiative placed in a département once (as the definition's ``SELECT DISTINCT``
    does), from its view's ``isv:coverage``: "element assessments present, …"."""
    totals: dict[tuple[str, str], list[int]] = {}
    for initiative, departement, figures in set(members):
        if not isinstance(initiative, ox.NamedNode) or not isinstance(departement, ox.NamedNode):
            continue
        if not isinstance(figures, ox.Literal) or not figures.value:
            continue
        for part in figures.value.split(", "):
            element, assessments, present = part.split(" ")
            total = totals.setdefault((departement.value, element), [0, 0])
            total[0] += int(assessments)
            total[1] += int(present)
    return totals


def _coverage_rows(totals: dict[tuple[str, str], list[int]]) -> list[ox.Quad]:
    graph = ox.NamedNode(COVERAGE)
    quads = []
    for (departement, element), (assessments, present) in sorted(totals.items()):
        node = _row_node("coverage", departement, element)
        quads += [
            ox.Quad(node, ox.NamedNode(ISV["inDepartement"]), ox.NamedNode(departement), graph),
            ox.Quad(node, ox.NamedNode(ISV["element"]), ox.NamedNode(element), graph),
            ox.Quad(node, ox.NamedNode(ISV["assessments"]), ox.Literal(str(assessments), datatype=_INTEGER), graph),
            ox.Quad(node, ox.NamedNode(ISV["presentAssessments"]), ox.Literal(str(present), datatype=_INTEGER), graph),
        ]
    return quads


# --- the pairs of actors ------------------------------------------------------------------------
#: A pair's position: (MOST_SHARED - its count) shifted by RANK_BITS, plus the rank of the
#: pair among all pairs in the order of their IRIs (given PAIR_GAP apart). An xsd:integer is
#: 64 bits in pyoxigraph: room for 2**28 pairs, each sharing fewer than 2**22 initiatives.
RANK_BITS = 40
MOST_SHARED = 1 << 22
_RANK_MASK = (1 << RANK_BITS) - 1
PAIR_GAP = 1 << 12


def _position(count: int, rank: int) -> int:
    """The position of a row that counts ``count`` (most first) and has the rank ``rank``."""
    return ((MOST_SHARED - _shared(count)) << RANK_BITS) | rank


def _shared(count: int) -> int:
    """The count a position holds (at most :data:`MOST_SHARED` less one)."""
    return min(count, MOST_SHARED - 1)


def _count_of(position: int) -> int:
    """The count a position holds."""
    return MOST_SHARED - (position >> RANK_BITS)


Pair = tuple[str, str]


class ActorPairs:
    """The pairs of actors who take part in the same initiatives (see the module's description)."""

    def __init__(self) -> None:
        self._ranks: Ranks | None = None  # the pairs' ranks, by their rows' nodes (read from the rows once)
        self._keys: dict[str, str] = {}  # the keys (:func:`_key`) of pairs, by their rows' nodes: those read or placed

    def whole(self, select: Select) -> list[ox.Quad]:
        counts = _pair_counts(_participants(select))
        self._ranks, self._keys = _ranked(counts), {}
        return _pair_rows(counts, self._ranks.of)

    def again(
        self, select: Select, replaced: Sequence[str], derived: Sequence[ox.Quad], labelled: AbstractSet[str] = frozenset()
    ) -> tuple[list[str], list[ox.Quad]]:
        before = _participants(select, within=replaced)
        after = _derived_participants(derived)
        touched = set(_pair_counts(before)) | set(_pair_counts(after))
        if not touched:
            return [], []
        actors = {actor for pair in touched for actor in pair}
        members = _participants(select, actors, without=replaced)
        for initiative, present in after.items():
            members.setdefault(initiative, set()).update(present & actors)
        counts = {pair: n for pair, n in _pair_counts(members).items() if pair in touched}
        nodes = " ".join(f"<{_pair_node(pair)}>" for pair in sorted(touched))
        forget = _forget_rows(PAIRS, nodes)
        if self._ranks is None:
            # a pair already counted keeps its rank, read from its row: every rank is read
            # (once) only when a new pair must find room between its neighbours
            given = _ranks_held(select, PAIRS, "pairPosition", nodes)
            if all(_pair_node(pair) in given for pair in counts):
                return [forget], _pair_rows(counts, given.__getitem__)
        ranks = self._ranks_of(select)
        ranks.forget(_pair_node(pair) for pair in touched - set(counts))
        self._keys.update({_pair_node(pair): _key(pair) for pair in counts})
        key_of = functools.partial(self._key_of, select)
        try:
            for pair in sorted(counts):
                ranks.place(_pair_node(pair), None, key_of)
        except NoRoom:  # every pair is ranked again
            everyone = _participants(select, without=replaced)
            for initiative, present in after.items():
                everyone.setdefault(initiative, set()).update(present)
            counts = _pair_counts(everyone)
            self._ranks, self._keys = _ranked(counts), {}
            return [f"DROP SILENT GRAPH <{PAIRS}>"], _pair_rows(counts, self._ranks.of)
        return [forget], _pair_rows(counts, ranks.of)

    def forget_state(self) -> None:
        self._ranks, self._keys = None, {}

    def _ranks_of(self, select: Select) -> Ranks:
        """The pairs' ranks, by their rows' nodes alone (read from the rows once, then kept up
        to date here): a pair's actors are read only when a search for a new pair's place
        needs them. (Reading every pair's actors with its position took 6.4 s at 50,000
        cases on disk; the positions alone, 1.7 s.)"""
        if self._ranks is None:
            self._ranks = Ranks.given(_ranks_held(select, PAIRS, "pairPosition", None), PAIR_GAP)
        return self._ranks

    def _key_of(self, select: Select, node: str) -> str:
        """The key of a pair by its row's node: one known here, or read from the row."""
        if node not in self._keys:
            found = select(
                f"SELECT ?a ?b WHERE {{ GRAPH <{PAIRS}> {{ <{node}> <{ISV['firstActor']}> ?a ; <{ISV['secondActor']}> ?b }} }}"
            )
            row = next(iter(found), None)
            if row is None:  # a row without its actors (not written here): every pair is ranked again
                raise NoRoom(node)
            self._keys[node] = _key((row["a"].value, row["b"].value))
        return self._keys[node]


def _participants(
    select: Select, actors: Iterable[str] = (), *, within: Sequence[str] | None = None, without: Sequence[str] = ()
) -> dict[str, set[str]]:
    """The actors (IRIs; ``actors``: only those) of each initiative (IRI) in the views: those
    of the view graphs ``within`` only, when given (none when it is empty); but those of ``without``."""
    if within is not None and not within:
        return {}
    bound = " ".join(f"<{a}>" for a in sorted(actors))
    found = select(
        "SELECT DISTINCT ?i ?a WHERE { "
        + (f"VALUES ?a {{ {bound} }} " if bound else "")
        + (f"VALUES ?v {{ {' '.join(f'<{v}>' for v in within)} }} " if within is not None else "")
        + f"GRAPH ?v {{ ?i <{_ACTOR.value}> ?a }} {_kept(without)} }}"
    )
    members: dict[str, set[str]] = {}
    for row in found:
        if isinstance(row["i"], ox.NamedNode) and isinstance(row["a"], ox.NamedNode):
            members.setdefault(row["i"].value, set()).add(row["a"].value)
    return members


def _derived_participants(derived: Sequence[ox.Quad]) -> dict[str, set[str]]:
    members: dict[str, set[str]] = {}
    for q in derived:
        if q.predicate == _ACTOR and isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            members.setdefault(q.subject.value, set()).add(q.object.value)
    return members


def _pair_counts(members: Mapping[str, set[str]]) -> dict[Pair, int]:
    """How many initiatives each pair of actors takes part in together (the first actor's
    IRI before the second's, as the definition's ``FILTER (STR(?actor1) < STR(?actor2))``)."""
    counts: dict[Pair, int] = {}
    for actors in members.values():
        for pair in itertools.combinations(sorted(actors), 2):
            counts[pair] = counts.get(pair, 0) + 1
    return counts


def _ranked(counts: Mapping[Pair, int]) -> Ranks:
    """Every pair of ``counts`` ranked afresh (by its row's node), :data:`PAIR_GAP` apart."""
    ranks = Ranks(PAIR_GAP)
    for pair in sorted(counts):
        ranks.append(_pair_node(pair))
    return ranks


def _pair_node(pair: Pair) -> str:
    """The IRI of a pair's row."""
    return _row_node("pair", *pair).value


def _pair_rows(counts: Mapping[Pair, int], rank_of: Callable[[str], int]) -> list[ox.Quad]:
    """The rows of the pairs ``counts``, each placed by its count and its rank (``rank_of`` its row's IRI)."""
    graph = ox.NamedNode(PAIRS)
    quads = []
    for pair, shared in sorted(counts.items()):
        node = _row_node("pair", *pair)
        position = _position(shared, rank_of(node.value))
        quads += [
            ox.Quad(node, ox.NamedNode(ISV["firstActor"]), ox.NamedNode(pair[0]), graph),
            ox.Quad(node, ox.NamedNode(ISV["secondActor"]), ox.NamedNode(pair[1]), graph),
            ox.Quad(node, ox.NamedNode(ISV["pairPosition"]), ox.Literal(str(position), datatype=_INTEGER), graph),
        ]
    return quads


def _key(pair: Pair) -> str:
    """A pair as one text that sorts as the pair does (no IRI holds a control character)."""
    return f"{pair[0]}\x00{pair[1]}"


# --- the actors in several initiatives ------------------------------------------------------------
#: How far apart the actors' ranks are given (room for 2**28 actors under :data:`RANK_BITS`).
ACTOR_GAP = 1 << 12

#: What each actor takes part in: the initiatives (as N-Triples terms) and the role names.
Held = dict[str, tuple[set[str], set[str]]]
#: The position of an actor in several initiatives, and of an actor in one: the question asks
#: for the second only when its ``min`` does (the default, two, reads 16,368 positions at
#: 50,000 cases rather than 66,627: 0.119 s against 0.144 s for its whole answer, on the
#: aggregate's quads alone in memory).
_ACTOR_POSITION = ox.NamedNode(ISV["actorPosition"])
_ONE_INITIATIVE_POSITION = ox.NamedNode(ISV["oneInitiativePosition"])
_ACTOR_OF_ROW = ox.NamedNode(ISV["actorOfRow"])


def _actor_row(actor: str) -> ox.NamedNode:
    """The node of an actor's row: a node of its own, whose few triples a lookup walks (the
    actor's own IRI is the subject of 24 triples on average at 50,000 cases, which each
    lookup of its row's columns walked: the whole answer took 0.22 s against 0.15 s)."""
    return _row_node("actor", actor)


def _actor_positions(select: Select, nodes: str | None) -> dict[str, int]:
    """The position each row ``nodes`` (their N-Triples forms; None: all) holds, by its actor."""
    found = select(
        "SELECT ?actor ?position WHERE { "
        + ("" if nodes is None else f"VALUES ?row {{ {nodes} }} ")
        + f"GRAPH <{ACTORS}> {{ ?row <{_ACTOR_POSITION.value}>|<{_ONE_INITIATIVE_POSITION.value}> ?position ;"
        + f" <{_ACTOR_OF_ROW.value}> ?actor }} }}"
    )
    return {r["actor"].value: int(r["position"].value) for r in found}


class ActorInitiatives:
    """The actors who take part in several initiatives, with their roles (see the module's description)."""

    def __init__(self, labels: Labels) -> None:
        self._ranks: Ranks | None = None  # the actors' ranks, read from the rows once
        self._labels = labels

    def whole(self, select: Select) -> list[ox.Quad]:
        held = _held(select, None)
        self._ranks = Ranks(ACTOR_GAP)
        for actor in sorted(held):
            self._ranks.append(actor)
        counts = Counter(_shared(len(initiatives)) for initiatives, _ in held.values())
        return _actor_rows(held, self._ranks.of, self._labels(set(held))) + _count_rows(counts, self._ranks.last())

    def again(
        self, select: Select, replaced: Sequence[str], derived: Sequence[ox.Quad], labelled: AbstractSet[str] = frozenset()
    ) -> tuple[list[str], list[ox.Quad]]:
        before, after = _participants(select, within=replaced), _derived_participants(derived)
        actors = set(itertools.chain.from_iterable(before.values())) | set(itertools.chain.from_iterable(after.values()))
        held = _held(select, actors | labelled) if actors or labelled else {}  # the store is as the write left it
        actors |= labelled & held.keys()  # an actor's label may change in any graph
        if not actors:
            return [], []
        nodes = " ".join(f"<{_actor_row(actor).value}>" for actor in sorted(actors))
        positions = _actor_positions(select, nodes)
        counts = _counts_held(select)  # the histogram, less the rows forgotten, plus those written
        counts.subtract(_count_of(position) for position in positions.values())
        counts.update(_shared(len(initiatives)) for initiatives, _ in held.values())
        forget = [_forget_rows(ACTORS, nodes), _FORGET_COUNTS]
        labels = self._labels(set(held))
        if self._ranks is None:
            given = {actor: position & _RANK_MASK for actor, position in positions.items()}
            if all(actor in given for actor in held):  # no new actor: each keeps the rank its row holds
                return forget, _actor_rows(held, given.__getitem__, labels) + _count_rows(counts, None)
        ranks = self._ranks_of(select)
        ranks.forget(actors - set(held))
        try:
            for actor in sorted(held):
                ranks.place(actor)
        except NoRoom:  # every actor is ranked again
            return [f"DROP SILENT GRAPH <{ACTORS}>"], self.whole(select)
        return [*forget, _FORGET_LAST_RANK], _actor_rows(held, ranks.of, labels) + _count_rows(counts, ranks.last())

    def forget_state(self) -> None:
        self._ranks = None

    def _ranks_of(self, select: Select) -> Ranks:
        """The actors' ranks, read from the rows (once: then kept up to date here)."""
        if self._ranks is None:
            held = _actor_positions(select, None)
            self._ranks = Ranks.given({actor: position & _RANK_MASK for actor, position in held.items()}, ACTOR_GAP)
        return self._ranks


#: The node of the aggregate's histogram: how many actors take part in each count of
#: initiatives (``isv:actorsByCount "count actors, …"``), and the highest rank given
#: (``isv:lastRank``), so that a whole answer is cut about its middle row in a
#: millisecond (:func:`halfway`), not by counting the rows again (0.09 s at 50,000 cases).
_COUNTS = ox.NamedNode(AGGREGATES + "row/actors-by-count")
_BY_COUNT = ox.NamedNode(ISV["actorsByCount"])
_LAST_RANK = ox.NamedNode(ISV["lastRank"])
_FORGET_COUNTS = f"DELETE WHERE {{ GRAPH <{ACTORS}> {{ <{_COUNTS.value}> <{_BY_COUNT.value}> ?counts }} }}"
_FORGET_LAST_RANK = f"DELETE WHERE {{ GRAPH <{ACTORS}> {{ <{_COUNTS.value}> <{_LAST_RANK.value}> ?rank }} }}"


def _counts_held(select: Select) -> Counter[int]:
    """The histogram the aggregate holds (empty when it holds none)."""
    found = select(f"SELECT ?counts WHERE {{ GRAPH <{ACTORS}> {{ <{_COUNTS.value}> <{_BY_COUNT.value}> ?counts }} }}")
    return _parsed_counts(next((row["counts"] for row in found), None))


def _parsed_counts(counts: Term) -> Counter[int]:
    """A histogram from its text, "count actors, …" (empty for anything else)."""
    parsed: Counter[int] = Counter()
    if isinstance(counts, ox.Literal) and counts.value:
        for part in counts.value.split(", "):
            shared, _, actors = part.partition(" ")
            if shared.isdigit() and actors.isdigit():
                parsed[int(shared)] += int(actors)
    return parsed


def _count_rows(counts: Counter[int], last_rank: int | None) -> list[ox.Quad]:
    """The histogram's quads: how many actors each count holds, and the last rank when given
    (none without an actor: an empty aggregate holds nothing)."""
    graph = ox.NamedNode(ACTORS)
    text = ", ".join(f"{shared} {actors}" for shared, actors in sorted(counts.items()) if actors > 0)
    if not text:
        return []
    quads = [ox.Quad(_COUNTS, _BY_COUNT, ox.Literal(text), graph)]
    if last_rank is not None:
        quads.append(ox.Quad(_COUNTS, _LAST_RANK, ox.Literal(str(last_rank), datatype=_INTEGER), graph))
    return quads


def _held(select: Select, actors: set[str] | None) -> Held:
    """The initiatives and roles of the ``actors`` (None: every actor who is an IRI) in the
    participations of the store, read as the definition reads them: a participation counts
    with its participant, its initiative and a role; a role's name is its IRI after the
    roles' namespace (a role that is a blank node names nothing)."""
    bound = "" if actors is None else "VALUES ?a { " + " ".join(f"<{a}>" for a in sorted(actors)) + " } "
    found = select(
        f"SELECT DISTINCT ?a ?i ?r WHERE {{ {bound}?p <{ISG['participant']}> ?a ; <{ISG['participationIn']}> ?i ; <{ISG['role']}> ?r }}"
    )
    held: Held = {}
    for row in found:
        actor, initiative, role = row["a"], row["i"], row["r"]
        if not isinstance(actor, ox.NamedNode):
            continue
        initiatives, roles = held.setdefault(actor.value, (set(), set()))
        initiatives.add(str(initiative))
        if isinstance(role, ox.NamedNode | ox.Literal):
            roles.add(role.value[len(ROLE) :] if role.value.startswith(ROLE) else role.value)
    return held


def _actor_rows(held: Held, rank_of: Callable[[str], int], labels: Mapping[str, tuple[ox.Literal, ox.Literal]]) -> list[ox.Quad]:
    """The rows of the actors ``held``, each placed by its count of initiatives and its rank,
    with its French and English labels."""
    graph = ox.NamedNode(ACTORS)
    quads = []
    for actor, (initiatives, roles) in sorted(held.items()):
        node = _actor_row(actor)
        position = _position(len(initiatives), rank_of(actor))
        held_by = _ACTOR_POSITION if len(initiatives) > 1 else _ONE_INITIATIVE_POSITION
        quads += [
            ox.Quad(node, held_by, ox.Literal(str(position), datatype=_INTEGER), graph),
            ox.Quad(node, _ACTOR_OF_ROW, ox.NamedNode(actor), graph),
            ox.Quad(node, _LABEL_FR, labels[actor][0], graph),
            ox.Quad(node, _LABEL_EN, labels[actor][1], graph),
        ]
        if roles:
            quads.append(ox.Quad(node, ox.NamedNode(ISV["roles"]), ox.Literal(", ".join(sorted(roles))), graph))
    return quads


# --- who funds what -----------------------------------------------------------------------------
#: How far apart the funding rows' ranks are given (a position is the rank alone: room for
#: 2**39 rows in an xsd:integer of 64 bits).
FUNDING_GAP = 1 << 24
_RANK = ox.NamedNode(ISV["rank"])
_FUNDER = ox.NamedNode(ISV["funder"])
_PRINCIPLE = ox.NamedNode(ISV["principle"])
_AMOUNT = ox.NamedNode(ISV["amount"])
_FUNDING_POSITION = ox.NamedNode(ISV["fundingPosition"])
_NUMBERS = {XSD[t] for t in ("decimal", "integer", "double", "float")}

#: An answer of the question: its funder, initiative, principle and amount (a role: neither).
Funded = tuple[ox.NamedNode | ox.BlankNode | ox.Literal, str, ox.NamedNode | ox.Literal | None, ox.Literal | None]


class Funding:
    """Who funds what (see the module's description)."""

    def __init__(self) -> None:
        self._ranks: Ranks | None = None  # the rows' ranks, by their nodes (read from the rows once)
        self._keys: dict[str, str] = {}  # the keys (:func:`_funding_key`) of rows, by their nodes: those read or placed

    def whole(self, select: Select) -> list[ox.Quad]:
        return self.whole_of(_funded(select, None))

    def again(
        self, select: Select, replaced: Sequence[str], derived: Sequence[ox.Quad], labelled: AbstractSet[str] = frozenset()
    ) -> tuple[list[str], list[ox.Quad]]:
        before = _initiatives_viewed(select, replaced) if replaced else set()
        after = {q.subject.value for q in derived if q.predicate == _RANK and isinstance(q.subject, ox.NamedNode)}
        touched = before | after
        if not touched:
            return [], []
        # an initiative whose view stays in another graph (a copy of its case) keeps its rows
        viewed = after | (_initiatives_viewed(select, None, among=before - after, without=replaced) if before - after else set())
        answers = _funded(select, viewed) if viewed else []
        ranks = self._ranks_of(select)
        old = {node: ranks.of(node) for node in ranks.names() if node[:-ROW_TAIL] in touched}  # named under their initiative
        ranks.forget(old)
        for node in old:
            self._keys.pop(node, None)
        keys = {_funding_node(key).value: key for key in map(_funding_key, answers)}
        self._keys.update(keys)
        key_of = functools.partial(self._key_of, select)
        try:
            for node in sorted(keys, key=keys.__getitem__):
                ranks.place(node, old.get(node), key_of)  # a row still there keeps its rank while it can
        except NoRoom:  # every row is ranked again
            everyone = _funded(select, None, without=replaced) + [a for a in answers if a[1] in after]
            return [f"DROP SILENT GRAPH <{FUNDING}>"], self.whole_of(everyone)
        nodes = " ".join(f"<{node}>" for node in sorted(old))
        return ([_forget_rows(FUNDING, nodes)] if nodes else []), self._rows(answers)

    def whole_of(self, answers: list[Funded]) -> list[ox.Quad]:
        """Every row, of the ``answers`` given, ranked afresh."""
        keys = {_funding_node(key).value: key for key in map(_funding_key, answers)}
        self._keys = {}
        self._ranks = Ranks(FUNDING_GAP)
        for node in sorted(keys, key=keys.__getitem__):
            self._ranks.append(node)
        return self._rows(answers)

    def forget_state(self) -> None:
        self._ranks = None
        self._keys = {}

    def _ranks_of(self, select: Select) -> Ranks:
        """The rows' ranks, by their nodes alone (read from the rows once, then kept up to
        date here): a row's key is read only when a search for a new row's place needs it.
        (Reading the keys of all 38,873 rows of 50,000 cases took 1.1 s; their nodes and
        positions, 0.25 s.)"""
        if self._ranks is None:
            self._ranks = Ranks.given(_ranks_held(select, FUNDING, "fundingPosition", None, counted=False), FUNDING_GAP)
        return self._ranks

    def _key_of(self, select: Select, node: str) -> str:
        """The key of a row by its node: one known here, or read from the row."""
        if node not in self._keys:
            found = select(
                f"SELECT ?f ?pr ?a WHERE {{ GRAPH <{FUNDING}> {{ <{node}> <{_FUNDER.value}> ?f"
                f" OPTIONAL {{ <{node}> <{_PRINCIPLE.value}> ?pr }} OPTIONAL {{ <{node}> <{_AMOUNT.value}> ?a }} }} }}"
            )
            row = next(iter(found), None)
            if row is None:  # a row without its funder (not written here): every row is ranked again
                raise NoRoom(node)
            self._keys[node] = _funding_key((row["f"], node[:-ROW_TAIL], row["pr"], row["a"]))
        return self._keys[node]

    def _rows(self, answers: Iterable[Funded]) -> list[ox.Quad]:
        """The rows of ``answers``, each placed by the rank of its node (known to the ranks)."""
        assert self._ranks is not None
        graph = ox.NamedNode(FUNDING)
        quads = []
        for answer in sorted(set(answers), key=_funding_key):
            funder, _, principle, amount = answer
            node = _funding_node(_funding_key(answer))
            quads += [
                ox.Quad(node, _FUNDER, funder, graph),
                ox.Quad(node, _FUNDING_POSITION, ox.Literal(str(self._ranks.of(node.value)), datatype=_INTEGER), graph),
            ]
            if principle is not None:
                quads.append(ox.Quad(node, _PRINCIPLE, principle, graph))
            if amount is not None:
                quads.append(ox.Quad(node, _AMOUNT, amount, graph))
        return quads


def halfway(select: Rows, name: str, values: Mapping[str, str]) -> int | None:
    """Where to cut the rows of the aggregate the catalogue query ``name`` reads (ordered by
    their position), asked with the parameters ``values`` (each given, as text), in two parts
    of about as many rows each (:data:`CUTS`). None for any other aggregate, or with fewer
    than two rows. ``select`` answers a SELECT query with its rows. (Any cut gives the
    answer: the parts' rows follow each other. Only how evenly the work is shared depends
    on it.)"""
    cut = CUTS.get(name)
    return None if cut is None else cut(select, values)


def _even_halfway(select: Rows, values: Mapping[str, str]) -> int | None:
    """Who funds what, whose positions are ranks alone, given evenly: the middle of the first
    position and the last is about the middle row."""
    return middle(select, f"GRAPH <{FUNDING}> {{ ?row <{_FUNDING_POSITION.value}> ?r }}")


def _actors_halfway(select: Rows, values: Mapping[str, str]) -> int | None:
    """The position about the middle row of the actors in at least ``min`` initiatives: in
    the count that holds the middle row (from the histogram), the rank as far into the
    ranks given as the middle row lies into that count's actors (ranks are given evenly,
    and each count's actors are spread over them). None without a histogram, with fewer
    than two rows, or with a ``min`` that is not a whole number."""
    try:
        fewest = max(int(values.get("min", "")), 1)
    except ValueError:
        return None
    found = select(
        f"SELECT ?counts ?last WHERE {{ GRAPH <{ACTORS}> {{ <{_COUNTS.value}> <{_BY_COUNT.value}> ?counts"
        f" OPTIONAL {{ <{_COUNTS.value}> <{_LAST_RANK.value}> ?last }} }} }}"
    )
    row = found[0] if found else {}
    counts, last = _parsed_counts(row.get("counts")), row.get("last")
    if not isinstance(last, ox.Literal) or not last.value.isdigit():
        return None
    kept = [(shared, actors) for shared, actors in sorted(counts.items(), reverse=True) if shared >= fewest and actors > 0]
    half = sum(actors for _, actors in kept) / 2
    if half < 1:
        return None
    before = 0
    for shared, actors in kept:  # most initiatives first, as the positions order them
        if before + actors >= half:
            into = int(int(last.value) * (half - before) / actors)
            return _position(shared, min(into, _RANK_MASK))
        before += actors
    return None


#: How a whole answer of each aggregate whose rows are cut in two parts finds its cut (by
#: the catalogue query that reads it).
CUTS: dict[str, Callable[[Rows, Mapping[str, str]], int | None]] = {
    "who-funds-what": _even_halfway,
    "actors-in-several-initiatives": _actors_halfway,
}


def _initiatives_viewed(
    select: Select, views: Sequence[str] | None, *, among: AbstractSet[str] = frozenset(), without: Sequence[str] = ()
) -> set[str]:
    """The initiatives of the view graphs ``views`` (None: of every view graph but those
    ``without``; ``among``: only those)."""
    found = select(
        "SELECT DISTINCT ?i WHERE { "
        + (f"VALUES ?i {{ {' '.join(f'<{i}>' for i in sorted(among))} }} " if among else "")
        + (f"VALUES ?v {{ {' '.join(f'<{v}>' for v in views)} }} " if views is not None else "")
        + f"GRAPH ?v {{ ?i <{_RANK.value}> ?r }} {_kept(without)} }}"
    )
    return {row["i"].value for row in found if isinstance(row["i"], ox.NamedNode)}


def _funded(select: Select, initiatives: AbstractSet[str] | None, *, without: Sequence[str] = ()) -> list[Funded]:
    """The question's answers about the ``initiatives`` (None: every initiative with a view
    but in the view graphs ``without``), read as its definition reads them. (The initiatives
    bound in each branch of the ``UNION``, or the views asked in a ``FILTER EXISTS``: joined
    to the ``UNION``, either took 0.7 s at 1,000 cases in memory against 0.01 s.)"""
    bound = "" if initiatives is None else f"VALUES ?initiative {{ {' '.join(f'<{i}>' for i in sorted(initiatives))} }} "
    viewed = f" FILTER EXISTS {{ GRAPH ?v {{ ?initiative <{_RANK.value}> ?r }} {_kept(without)} }}" if initiatives is None else ""
    found = select(
        f"SELECT DISTINCT ?funder ?initiative ?principle ?amount WHERE {{ {{ {bound}"
        f"?p <{ISG['participant']}> ?funder ; <{ISG['participationIn']}> ?initiative ; <{ISG['role']}> <{ROLE}financeur> }}"
        f" UNION {{ {bound}?c <{ISG['provider']}> ?funder ; <{ISG['contributionTo']}> ?initiative ; <{ISG['principle']}> ?principle ."
        f" FILTER (?principle IN (<{PRINCIPLE}redistribution>, <{PRINCIPLE}marche>))"
        f" OPTIONAL {{ ?c <{ISG['amount']}> ?amount }} }}{viewed} }}"
    )
    answers: list[Funded] = []
    for row in found:
        funder, initiative = row["funder"], row["initiative"]
        if isinstance(initiative, ox.NamedNode) and isinstance(funder, ox.NamedNode | ox.BlankNode | ox.Literal):
            answers.append((funder, initiative.value, row["principle"], row["amount"]))
    return answers


def _funding_key(answer: Funded) -> str:
    """An answer as one text that sorts as SPARQL orders the question's answers: by funder,
    initiative, kind ("resource" before "role"), principle, then amount."""
    funder, initiative, principle, amount = answer
    kind = "resource" if principle is not None else "role"
    return "\x00".join([_order_text(funder), initiative, kind, _order_text(principle), _order_text(amount), str(amount or "")])


def _order_text(term: Term) -> str:
    """A term as a text that sorts as SPARQL orders terms: unbound first, then blank nodes,
    IRIs, numbers (by their value) and other literals (by their text)."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "\x01" + term.value
    if isinstance(term, ox.NamedNode):
        return "\x02" + term.value
    if isinstance(term, ox.Literal) and term.datatype.value in _NUMBERS:
        number = _number_text(term.value)
        if number is not None:
            return "\x03" + number
    return "\x04" + term.value if isinstance(term, ox.Literal) else "\x05" + str(term)


def _number_text(text: str) -> str | None:
    """A number as a text that sorts as the number does (None: not a finite number).

    >>> sorted(["-1.25", "-1.2", "0", "0.5", "12", "100.00", "9"], key=_number_text)
    ['-1.25', '-1.2', '0', '0.5', '9', '12', '100.00']
    """
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if number.is_zero():
        return "1"
    digits = "".join(map(str, number.normalize().as_tuple().digits))
    magnitude = number.adjusted() + 50_000  # the place of its first digit
    if number > 0:
        return f"2{magnitude:06d}{digits}"
    # a negative number: the larger its magnitude, the earlier; its digits the other way
    return f"0{100_000 - magnitude:06d}{''.join(str(9 - int(d)) for d in digits)}~"


def _initiative_of(key: str) -> str:
    return key.split("\x00")[1]


def _funding_node(key: str) -> ox.NamedNode:
    """The row of an answer (by its key), named under its initiative."""
    return row_node(_initiative_of(key), "funding", [("key", ox.Literal(key))])


# --- shared ------------------------------------------------------------------------------------
def _forget_rows(graph: str, nodes: str) -> str:
    """The update that deletes the rows ``nodes`` (their N-Triples forms) of the aggregate ``graph``."""
    return f"DELETE {{ GRAPH <{graph}> {{ ?row ?p ?o }} }} WHERE {{ VALUES ?row {{ {nodes} }} GRAPH <{graph}> {{ ?row ?p ?o }} }}"


def _ranks_held(select: Select, graph: str, position: str, nodes: str | None, *, counted: bool = True) -> dict[str, int]:
    """The rank that each row ``nodes`` (their N-Triples forms; None: all) of the aggregate
    ``graph`` holds in its ``position`` (an ``isv:`` property: its bits below
    :data:`RANK_BITS` when a count lies above them, else all of it), by the row's IRI."""
    mask = _RANK_MASK if counted else -1
    return {row: position & mask for row, position in _positions_held(select, graph, position, nodes).items()}


def _positions_held(select: Select, graph: str, position: str, nodes: str | None) -> dict[str, int]:
    """The position (``isv:`` ``position``) each row ``nodes`` (None: all) of ``graph`` holds, by the row's IRI."""
    found = select(
        "SELECT ?row ?position WHERE { "
        + ("" if nodes is None else f"VALUES ?row {{ {nodes} }} ")
        + f"GRAPH <{graph}> {{ ?row <{ISV[position]}> ?position }} }}"
    )
    return {r["row"].value: int(r["position"].value) for r in found}


def _kept(replaced: Sequence[str]) -> str:
    """The filter that leaves out the view graphs ``replaced`` (bound to ``?v``)."""
    return f"FILTER (?v NOT IN ({', '.join(f'<{v}>' for v in replaced)}))" if replaced else ""


def _row_node(kind: str, *names: str) -> ox.NamedNode:
    """A row's node, named by what it counts: the same row is one node, written again."""
    key = hashlib.sha256("\n".join(names).encode()).hexdigest()[:24]
    return ox.NamedNode(f"{AGGREGATES}row/{kind}-{key}")
