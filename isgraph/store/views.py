"""Views kept at ingest: what the catalogue's heavy questions read of each case, as direct
triples in a named graph of its own.

Every case graph (``graph/case/…``, ``graph/harvest/…``, ``graph/import/…``) has a view
graph beside it (``graph/view/case/…``: :func:`view_graph`) that holds, about the case's
initiative, the answers its own triples give to the questions the catalogue asks of every
case:

- ``isv:present``, ``isv:inProgress``, ``isv:absent``, ``isv:notFilled``: how many element
  assessments of its latest characterisation (undated, or dated no earlier than any other)
  have each level, and ``isv:pluralLevel``: the level of its plural economic model there;
  the rows of the elements to follow (in progress, absent, not filled in); ``isv:coverage``:
  each element with its assessments and those present (what :mod:`isgraph.store.aggregates`
  adds up per département);
- ``isv:departement`` and ``isv:area``: the territories it lies in (its territory and every
  territory above it, by ``isg:within``, then ``isg:formerlyWithin``);
- ``isv:principle``, ``isv:principles``, ``isv:mix``: the economic principles of its resources;
- ``isv:actor``, ``isv:carrier``: who takes part in it, who carries it; rows of the roles
  held, with how many actors hold each; rows of the civil-society actors who hold a role
  other than beneficiary or user;
- rows of ESID's criteria: whether the grid meets each and by which elements;
- rows of the changes: each element's level from one dated characterisation to the next;
- ``isv:unmet``: the requirements of the definition profiles it does not meet, and rows of
  the levels found for those about the grid: its classification (:data:`CLASSIFICATION`);
- ``isv:rank``, and each row's position (see :class:`Derivation` and :class:`isgraph.store.ranks.Ranks`).

Each derivation of :data:`CATALOGUE` is the catalogue query's own pattern, so a query
that reads the views answers what its definition answers (``tests/test_views.py`` proves it
query by query on generated data); those of :data:`CLASSIFICATION` check the requirements
as :func:`isgraph.reason.classification.meets` does (``tests/test_classification_views.py``
proves the verdicts equal to the scans', and to HermiT's in ``tests/test_classification.py``).
The view graph says where it comes from (``prov:wasDerivedFrom`` its case graph) and the
generation that derived it (``isv:generation``: it grows with every write).

The views follow the store: before a write, the cases whose views read the graphs it names
are found (:meth:`Views.affected`: the cases of those graphs, the initiatives their triples
point at, the initiatives whose territory lies under a territory they describe, those in
which an actor they describe takes part), and found
again after it; their views are derived again in one transaction, so that a reader never
sees a case without its view. A write to the ontology or the territories, one whose graphs
are not known (a bulk load, an update with ``GRAPH ?g``) or one that reaches more than
2,000 cases derives every view again. A stale mark is written beside the store before the
write and cleared after its views: a store reopened after a crash between the two, or
whose views were derived another way (:data:`VERSION`), derives every view again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from isgraph.namespaces import GRAPH, ISG, ISV, PROV, RDF, XSD, sparql_prefixes
from isgraph.store import aggregates
from isgraph.store.base import STAGING, UNFINISHED
from isgraph.store.labels import LABEL_PREDICATES, label_terms_in_both
from isgraph.store.limits import Term
from isgraph.store.ranks import NoRoom, Ranks, middle
from isgraph.store.row_nodes import row_node

#: The named graphs that hold cases (ingested or built, harvested, imported).
CASE_GRAPHS = (GRAPH["case/"], GRAPH["harvest/"], GRAPH["import/"])
#: Where the views are: ``VIEWS + "case/…"`` beside ``graph/case/…``.
VIEWS = GRAPH["view/"]
#: Where a reader of the views says which generation of them it last read (the stored
#: classification: :func:`isgraph.reason.classification.reclassify`): among the views, so
#: neither dumped nor counted, and gone when every view is derived again.
CLASSIFIED = VIEWS + "classification"
#: Where an on-disk store keeps the views' state (a folder of the store's own, which RocksDB leaves alone).
FOLDER = "isgraph-views"
#: How the views are derived: views derived another way are derived again when the store opens.
VERSION = "15"
#: Beyond this many cases to derive again, every view is derived again (one pass is faster).
_WHOLE = 2_000
#: Cases derived together: on disk, 2,000 cases took 6.6 s in parts of 500, 5.5 s in parts of
#: 200; in memory, parts of 2,000 took five times as long as parts of 200.
_CHUNK = 200
#: A row's position is its case's rank shifted by this many bits, plus its place in the case.
_ROW_BITS = 20
#: The variable by which the queries on the views order the rows they list (``queries/views``):
#: a row's position, its case's rank shifted by :data:`_ROW_BITS` plus its place in the case.
POSITION = "position"
#: Columns that are lists ("a, b"), kept sorted (a GROUP_CONCAT has no order of its own).
_LISTS = {"mix", "elements", "coverage"}
_A = ox.NamedNode(RDF["type"])
_PREFIXES = sparql_prefixes() + f"PREFIX isv: <{ISV}>\n"


def view_graph(case_graph: str) -> str:
    """The view graph of a case graph.

    >>> view_graph("https://w3id.org/isgraph/graph/case/initielles")
    'https://w3id.org/isgraph/graph/view/case/initielles'
    """
    return VIEWS + case_graph[len(GRAPH) :]


def halfway(select: Callable[[str], Sequence[Mapping[str, Term]]]) -> int | None:
    """Where to cut the rows a query on the views lists (ordered by :data:`POSITION`) in two
    parts of about as many cases each: the first position of the case halfway between the
    first rank and the last (ranks are given evenly, :class:`isgraph.store.ranks.Ranks`).
    None with fewer than two cases. ``select`` answers a SELECT query with its rows.

    (The queries that order cases by their rank are not cut: each reads every case's triples
    before it could keep half of them.)"""
    cut = middle(select, f"?i <{ISV['rank']}> ?r")
    return None if cut is None else cut << _ROW_BITS


def is_case_graph(graph: str) -> bool:
    return graph.startswith(CASE_GRAPHS)


@dataclass(frozen=True)
class Derivation:
    """One view: a SELECT whose ``?initiative`` is the case's initiative and whose other
    columns are ``isv:`` properties of it. With ``row``, each row is a node of the view,
    named under its initiative (:func:`row_node`: a query reads the initiative back from
    the name, rather than from a triple a row), and the columns are its properties; with
    ``order`` too, ``?node isv:<row>Position ?n`` places it in the order of the cases'
    IRIs, then of its ``order`` columns (as SPARQL orders IRIs and dates: by their text),
    so that a page of rows is chosen by one integer each (rows no listing pages have no
    position). A ``hidden`` column tells rows apart without being said. ``{only}`` is where
    the initiatives to derive are bound (nothing: all of them)."""

    sparql: str
    row: str | None = None
    order: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()


_LATEST = """?characterisation isg:characterises ?initiative ; isg:hasElementAssessment ?assessment . {also}
  OPTIONAL { ?characterisation isg:assessmentDate ?date }
  OPTIONAL { { SELECT ?initiative (MAX(?d) AS ?newest) WHERE { {only} ?c isg:characterises ?initiative ; isg:assessmentDate ?d } GROUP BY ?initiative } }
  FILTER (!BOUND(?date) || ?date >= ?newest)"""

#: The views the catalogue's queries read.
CATALOGUE: tuple[Derivation, ...] = (
    Derivation(
        "SELECT ?initiative ?assessment ?element ?level WHERE { {only} "
        + _LATEST.replace(
            "{also}",
            "?assessment isg:level ?level ; isg:element ?element ."
            # (a FILTER, not VALUES: joined first, the levels had every assessment read)
            " FILTER (?level IN (level:en-cours, level:absent, level:non-renseigne))",
        )
        + " }",
        row="follow",
        order=("element",),
        hidden=("assessment",),
    ),
    Derivation(
        "SELECT ?initiative (SAMPLE(?rated) AS ?pluralLevel) WHERE { {only} "
        + _LATEST.replace("{also}", "?assessment isg:element grid:modele-economique-pluriel ; isg:level ?rated .")
        + " } GROUP BY ?initiative"
    ),
    Derivation(
        "SELECT ?initiative (SUM(IF(?level = level:present, 1, 0)) AS ?present) (SUM(IF(?level = level:en-cours, 1, 0)) AS ?inProgress)"
        " (SUM(IF(?level = level:absent, 1, 0)) AS ?absent) (SUM(IF(?level = level:non-renseigne, 1, 0)) AS ?notFilled)"
        " WHERE { {only} " + _LATEST.replace("{also}", "?assessment isg:level ?level .") + " } GROUP BY ?initiative"
    ),
    Derivation(
        # each element's assessments in its latest characterisation, and how many say present:
        # "element assessments present, …" (sorted), what the coverage per département adds up (isgraph.store.aggregates)
        'SELECT ?initiative (GROUP_CONCAT(CONCAT(STR(?element), " ", STR(?n), " ", STR(?p)); separator=", ") AS ?coverage)'
        " WHERE { { SELECT ?initiative ?element (COUNT(?assessment) AS ?n) (SUM(IF(?level = level:present, 1, 0)) AS ?p)"
        " WHERE { {only} "
        + _LATEST.replace("{also}", "?assessment isg:element ?element ; isg:level ?level .")
        + " } GROUP BY ?initiative ?element } } GROUP BY ?initiative"
    ),
    Derivation(
        "SELECT DISTINCT ?initiative ?departement WHERE { {only} ?initiative isg:territory ?place . ?place isg:within* ?departement ."
        " ?departement a isg:Departement }"
    ),
    Derivation(
        "SELECT DISTINCT ?initiative ?area WHERE { {only} ?initiative a isg:Initiative ; isg:territory ?place ."
        " ?place isg:within*/isg:formerlyWithin? ?area . ?area a ?kind"
        " FILTER (?kind IN (isg:Region, isg:Departement, isg:Commune, isg:Quartier)) }"
    ),
    Derivation(
        "SELECT DISTINCT ?initiative ?principle WHERE { {only} ?contribution isg:contributionTo ?initiative ; isg:principle ?principle }"
    ),
    Derivation(
        'SELECT ?initiative (COUNT(DISTINCT ?principle) AS ?principles) (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?mix)'
        " WHERE { {only} ?contribution isg:contributionTo ?initiative ; isg:principle ?principle ."
        " BIND (STRAFTER(STR(?principle), STR(principle:)) AS ?name) } GROUP BY ?initiative"
    ),
    Derivation(
        "SELECT DISTINCT ?initiative ?actor WHERE { {only} ?participation isg:participationIn ?initiative ; isg:participant ?actor }"
    ),
    Derivation(
        "SELECT DISTINCT ?initiative ?carrier WHERE { {only} ?participation isg:participant ?carrier ; isg:role role:porteur ;"
        " isg:participationIn ?initiative }"
    ),
    Derivation(
        "SELECT ?initiative ?role (COUNT(DISTINCT ?actor) AS ?actors) WHERE { {only} ?participation isg:participationIn ?initiative ;"
        " isg:role ?role ; isg:participant ?actor } GROUP BY ?initiative ?role",
        row="roles",
        order=("role",),
    ),
    Derivation(
        # (the kinds in a FILTER, not VALUES: joined first, they had every typed actor read)
        "SELECT DISTINCT ?initiative ?member ?kind ?role WHERE { {only} ?participation isg:participationIn ?initiative ;"
        " isg:role ?role ; isg:participant ?member . FILTER (?role NOT IN (role:beneficiaire, role:usager))"
        " ?member a ?kind . FILTER (?kind IN (isg:InformalGroup, isg:Person, isg:Association)) }",
        row="civil",
        order=("member", "role", "kind"),
    ),
    Derivation(
        'SELECT ?initiative ?criterion ?met (COALESCE(?found, "") AS ?elements) WHERE {'
        " { SELECT ?initiative ?criterion ((COUNT(DISTINCT ?element) > 0 || COUNT(DISTINCT ?novelty) > 0) AS ?met)"
        ' (GROUP_CONCAT(DISTINCT STRAFTER(STR(?element), STR(grid:)); separator=", ") AS ?found) WHERE {'
        " {only} ?initiative a isg:Initiative . ?criterion skos:inScheme <https://w3id.org/isgraph/crosswalk/esid> ."
        # (the case's assessments first, then the mappings: read the other way, a few cases took seconds)
        " OPTIONAL { { SELECT DISTINCT ?initiative ?criterion ?element WHERE { {only}"
        " ?characterisation isg:characterises ?initiative ; isg:hasElementAssessment ?assessment ."
        " ?assessment isg:element ?element ; isg:level ?level . FILTER (?level IN (level:present, level:en-cours))"
        " { SELECT ?element ?criterion WHERE { ?element skos:exactMatch|skos:closeMatch|skos:broadMatch ?criterion } } } } }"
        " OPTIONAL { VALUES ?criterion { esid:innovativite } ?initiative isg:novelty ?novelty } }"
        " GROUP BY ?initiative ?criterion } }",
        row="esid",
        order=("criterion",),
    ),
    Derivation(
        "SELECT ?initiative ?element ?fromDate ?fromLevel ?toDate ?toLevel WHERE { {only}"
        " ?before isg:characterises ?initiative ; isg:assessmentDate ?fromDate ; isg:hasElementAssessment ?a1 ."
        " ?a1 isg:element ?element ; isg:level ?fromLevel ."
        " ?after isg:characterises ?initiative ; isg:assessmentDate ?toDate ; isg:hasElementAssessment ?a2 ."
        " ?a2 isg:element ?element ; isg:level ?toLevel . FILTER (?fromDate < ?toDate)"
        " FILTER NOT EXISTS { ?between isg:characterises ?initiative ; isg:assessmentDate ?date ;"
        " isg:hasElementAssessment/isg:element ?element . FILTER (?fromDate < ?date && ?date < ?toDate) } }",
        row="change",
        order=("element", "fromDate"),
    ),
)

#: A requirement ``?requirement`` of a definition profile that ``?initiative`` meets, as the
#: requirement's annotations describe it (:func:`isgraph.reason.classification.meets`): its
#: grid elements at one of its levels, else a carrier of one of its kinds, else a resource
#: under its principle, else a participant of one of its kinds, else a property of the
#: initiative. A kind of actor is a class with a superclass, below ``isg:Actor``, and an
#: actor of that kind is of every class above it. (The case's facts first, the requirements
#: in a subquery: read the other way, 10,000 cases on disk took 16 s rather than 4.)
_MET_BY_THE_GRID = """{ {only} ?c isg:characterises ?initiative ; isg:hasElementAssessment ?a . ?a isg:element ?e ; isg:level ?l .
    { SELECT ?requirement ?e ?l WHERE { ?requirement isg:requiresElement ?e ; isg:requiresLevel ?l } } }"""
_MET = (
    _MET_BY_THE_GRID
    + """
  UNION { {only} ?p isg:participationIn ?initiative ; isg:role role:porteur ; isg:participant ?x . ?x a ?t .
    { SELECT ?requirement ?t WHERE { ?requirement isg:requiresCarrierType ?k .
      FILTER NOT EXISTS { ?requirement isg:requiresElement ?e }
      ?t rdfs:subClassOf ?s . ?t rdfs:subClassOf* isg:Actor . ?t rdfs:subClassOf* ?k } } }
  UNION { {only} ?r isg:contributionTo ?initiative ; isg:principle ?principle .
    { SELECT ?requirement ?principle WHERE { ?requirement isg:requiresPrinciple ?principle .
      FILTER NOT EXISTS { ?requirement isg:requiresElement|isg:requiresCarrierType ?e } } } }
  UNION { {only} ?p isg:participationIn ?initiative ; isg:participant ?x . ?x a ?t .
    { SELECT ?requirement ?t WHERE { ?requirement isg:requiresParticipantType ?k .
      FILTER NOT EXISTS { ?requirement isg:requiresElement|isg:requiresCarrierType|isg:requiresPrinciple ?e }
      ?t rdfs:subClassOf ?s . ?t rdfs:subClassOf* isg:Actor . ?t rdfs:subClassOf* ?k } } }
  UNION { {only} { SELECT ?requirement ?property WHERE { ?requirement isg:requiresProperty ?property .
      FILTER NOT EXISTS { ?requirement isg:requiresElement|isg:requiresCarrierType|isg:requiresPrinciple|isg:requiresParticipantType ?e } } }
    ?initiative ?property ?value }"""
)

#: The views the classification reads (:mod:`isgraph.reason.classification`).
CLASSIFICATION: tuple[Derivation, ...] = (
    # the requirements of the definition profiles the initiative does not meet
    Derivation(
        "SELECT DISTINCT ?initiative ?unmet WHERE { {only} ?initiative a isg:Initiative . ?profile isg:hasRequirement ?requirement ."
        " MINUS { " + _MET + " } BIND (?requirement AS ?unmet) }"
    ),
    # the levels its characterisations give the grid elements of a requirement it does not meet
    Derivation(
        "SELECT DISTINCT ?initiative ?requirement ?found WHERE { {only} ?characterisation isg:characterises ?initiative ;"
        " isg:hasElementAssessment ?assessment . ?assessment isg:element ?element ; isg:level ?found ."
        " { SELECT DISTINCT ?requirement ?element WHERE { ?profile isg:hasRequirement ?requirement ."
        " ?requirement isg:requiresElement ?element } }"
        " MINUS { " + _MET_BY_THE_GRID + " } }",
        row="shortfall",  # read whole by the classification, never paged: no position
    ),
)
DERIVATIONS = CATALOGUE + CLASSIFICATION

#: What, in any graph, a view reads about an initiative: links to it from the nodes it owns.
_LINKS = (ISG["characterises"], ISG["participationIn"], ISG["contributionTo"])
#: What a view reads about territories (a case may describe its own: a quartier, say).
_TERRITORY = (ISG["within"], ISG["formerlyWithin"])
_KINDS = ("Region", "Departement", "Commune", "Quartier")
#: The graphs of inferences (:mod:`isgraph.reason`): made from the views, not read by them.
_INFERENCES = GRAPH["inferences/"]


class Views:
    """The views of one pyoxigraph store (see the module's description)."""

    def __init__(
        self, store: ox.Store, folder: Path | None = None, *, fresh: bool = False, generation: int | None = None
    ) -> None:
        """The views of ``store``, whose state is kept in ``folder`` (None: in memory, where
        ``fresh`` says whether the store already holds fresh views: a copy of a store that
        keeps them, whose :attr:`generation` is then ``generation``)."""
        self.store = store
        self._order: Ranks | None = None
        self._aggregates = aggregates.kept(lambda iris: label_terms_in_both(store, iris))
        self._generation = generation
        self._file = None if folder is None else folder / "state.json"
        self._fresh = fresh

    def _select(self, sparql: str) -> ox.QuerySolutions:
        result = self.store.query(sparql, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return result

    # --- freshness ------------------------------------------------------------------------
    @property
    def fresh(self) -> bool:
        """Whether the views were derived (this version's way) and no write began since
        without deriving them again."""
        if self._file is None:
            return self._fresh
        return self._state() is not None

    def _state(self) -> dict[str, object] | None:
        """What the state file says, when it says the views are fresh (None: stale, or no file)."""
        assert self._file is not None
        try:
            state = json.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        fresh = isinstance(state, dict) and state.get("state") == "fresh" and state.get("version") == VERSION
        return state if fresh else None

    def mark_stale(self) -> None:
        """Said before a write to the store: a crash before its views are derived leaves them stale."""
        if self._file is not None:
            _ = self.generation  # while what was said with fresh views still holds
        self._say("stale")

    def _say(self, state: str) -> None:
        self._fresh = state == "fresh"
        if self._file is None:
            return
        self._file.parent.mkdir(parents=True, exist_ok=True)
        written = self._file.with_suffix(".partial")
        said: dict[str, object] = {"state": state, "version": VERSION}
        if self._generation is not None:
            said["generation"] = self._generation
        written.write_text(json.dumps(said), encoding="utf-8")
        os.replace(written, self._file)

    # --- which views a write reaches ------------------------------------------------------
    def affected(self, graphs: Iterable[str] | None) -> set[str] | None:
        """The case graphs whose views read something of ``graphs`` as they are now (None:
        all of them: ``graphs`` unknown, one of them the ontology's or the territories', or
        more than :data:`_WHOLE` cases reached)."""
        if graphs is None:
            return None
        # a write to a view is undone: its case's view is derived again
        written_views = {GRAPH + g[len(VIEWS) :] for g in graphs if g.startswith(VIEWS)}
        if any(g.startswith(aggregates.AGGREGATES) for g in graphs):
            return None  # a write to an aggregate is undone: derived again whole
        # (a staging graph's triples are moved to a graph the write names too)
        # (nor does a view read the graphs of inferences: the verdicts are made from the views)
        graphs = sorted({g for g in graphs if not g.startswith((VIEWS, STAGING, UNFINISHED, _INFERENCES))})
        if any(g.startswith((GRAPH["ontology/"], GRAPH["territories/"])) for g in graphs):
            return None  # what every view reads: derived again whole
        found = {g for g in graphs if is_case_graph(g)} | {g for g in written_views if is_case_graph(g)}
        if len(found) > _WHOLE:
            return None  # derived again whole anyway
        if not graphs:
            return found
        # a few simple questions, each bound by what the one before found
        values, links, territory = _iris(graphs), _iris(_LINKS), _iris(_TERRITORY)
        kinds = _iris(ISG[k] for k in _KINDS)
        initiatives = self._column(
            f"SELECT DISTINCT ?x WHERE {{ VALUES ?g {{ {values} }} VALUES ?link {{ {links} }} GRAPH ?g {{ ?owned ?link ?x }} }}"
        )
        described = self._column(
            f"SELECT DISTINCT ?x WHERE {{ VALUES ?g {{ {values} }} {{ VALUES ?up {{ {territory} }} GRAPH ?g {{ ?x ?up ?above }} }}"
            f" UNION {{ VALUES ?kind {{ {kinds} }} GRAPH ?g {{ ?x a ?kind }} }} }}"
        )
        if len(described) > _WHOLE:
            return None
        if described:
            up = f"(<{ISG['within']}>|<{ISG['formerlyWithin']}>)*"
            initiatives |= self._column(
                f"SELECT DISTINCT ?x WHERE {{ VALUES ?described {{ {_iris(described)} }}"
                f" ?place {up} ?described . ?x <{ISG['territory']}> ?place }}"
            )
        # the initiatives in which an actor they describe takes part (its kinds make the classification)
        initiatives |= self._column(
            f"SELECT DISTINCT ?x WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?actor a ?kind }}"
            f" ?participation <{ISG['participant']}> ?actor ; <{ISG['participationIn']}> ?x }}"
        )
        if len(initiatives) > _WHOLE:
            return None
        if initiatives:
            owners = self._column(
                f"SELECT DISTINCT ?x WHERE {{ VALUES ?i {{ {_iris(initiatives)} }} GRAPH ?x {{ ?i a <{ISG['Initiative']}> }} }}"
            )
            found |= {g for g in owners if is_case_graph(g)}
        return None if len(found) > _WHOLE else found

    def labelled(self, graphs: Iterable[str]) -> set[str]:
        """The IRIs that ``graphs`` label now (``skos:prefLabel``, ``rdfs:label``): a write to
        them may change those labels, which an aggregate's rows hold."""
        # each graph's labels read by its own index (the same question in SPARQL took 0.6 s at
        # 50,000 cases on disk, whatever the graphs)
        return {
            q.subject.value
            for g in sorted(g for g in graphs if not g.startswith(VIEWS))
            for p in LABEL_PREDICATES
            for q in self.store.quads_for_pattern(None, ox.NamedNode(p), None, ox.NamedNode(g))
            if isinstance(q.subject, ox.NamedNode)
        }

    def _column(self, sparql: str) -> set[str]:
        """The IRIs of the one column of ``sparql``'s answer."""
        return {row[0].value for row in self._select(sparql) if isinstance(row[0], ox.NamedNode)}

    # --- deriving ---------------------------------------------------------------------------
    def refresh(self, cases: set[str] | None, labelled: set[str] | frozenset[str] = frozenset()) -> None:
        """Derive again the views of ``cases`` (case graphs; None: all of them) and the
        aggregates' rows that hold the labels of the IRIs ``labelled`` (:meth:`labelled`,
        before the write and after it), and clear the stale mark, in one transaction when they
        are few."""
        if cases is None or len(cases) > _WHOLE:
            self.rebuild()
            return
        replaced = [view_graph(c) for c in sorted(cases)]
        before: dict[str, int] = {}
        if cases:
            for row in self._select(
                f"SELECT ?i ?r WHERE {{ VALUES ?v {{ {_iris(replaced)} }} GRAPH ?v {{ ?i <{ISV['rank']}> ?r }} }}"
            ):
                before[row["i"].value] = int(row["r"].value)
        if self._order is None and self._initiatives(cases) <= before.keys():
            ranks = Ranks.given(before)  # each keeps its rank: the others' are not read (0.85 s at 50,000 cases)
        else:
            ranks = self._ranks()
            ranks.forget(before)
        generation = self._next_generation()
        try:
            quads: list[ox.Quad] = []
            for part in _chunks(sorted(cases), _CHUNK):
                quads.extend(self._derived(part, ranks, before, generation))
            steps = [" ;\n".join(f"DROP SILENT GRAPH <{view}>" for view in replaced)] if cases else []
            # the aggregates' rows that count these cases, before and after, derived again
            rows: list[ox.Quad] = []
            for aggregate in self._aggregates:
                forget, again = aggregate.again(self._select, replaced, quads, labelled)
                steps += forget
                rows += again
            quads += rows
            self._write(steps, quads)
        except NoRoom:
            self.rebuild()  # no rank is left between two neighbours: every rank is given again
            return
        except BaseException:
            self._forget_state()  # what is kept here may no longer be the store's: read again
            raise
        self._say("fresh")

    def _write(self, steps: list[str], quads: list[ox.Quad]) -> None:
        """Run the updates ``steps``, then add ``quads``: in one transaction unless blank nodes forbid it."""
        if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
            # INSERT DATA would give blank nodes new labels: the new quads go in as they are
            if steps:
                self.store.update(" ;\n".join(steps))
            self.store.extend(quads)
        else:
            if quads:  # one transaction: a reader never sees a case without its view
                steps.append("INSERT DATA { " + " ".join(_quad_text(q) for q in quads) + " }")
            if steps:
                self.store.update(" ;\n".join(steps))

    def _forget_state(self) -> None:
        self._order = None
        for aggregate in self._aggregates:
            aggregate.forget_state()

    def rebuild(self) -> None:
        """Derive every view again (the stale mark stays until the end)."""
        store = self.store
        self.mark_stale()
        generation = self._next_generation()
        old = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(VIEWS)]
        for graph in old:
            store.remove_graph(graph)
        self._order = Ranks()
        store.bulk_extend(self._derived(None, self._order, {}, generation))
        for aggregate in self._aggregates:
            store.bulk_extend(aggregate.whole(self._select))  # from the views just derived
        self._say("fresh")

    def _ranks(self) -> Ranks:
        """The ranks given (read from the views once, then kept up to date here)."""
        if self._order is None:
            given = self.store.quads_for_pattern(None, ox.NamedNode(ISV["rank"]), None, None)
            self._order = Ranks.given(
                {
                    q.subject.value: int(q.object.value)
                    for q in given
                    if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
                }
            )
        return self._order

    def _initiatives(self, cases: Iterable[str]) -> set[str]:
        """The initiatives (IRIs) the case graphs ``cases`` describe."""
        values = _iris(sorted(cases))
        return (
            self._column(f"SELECT DISTINCT ?x WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?x a <{ISG['Initiative']}> }} }}")
            if values
            else set()
        )

    @property
    def generation(self) -> int:
        """The number of the latest derivation: the one said with fresh views (which spares
        reading every view's: 0.55-0.77 s at 50,000 cases on disk), else the latest a view says."""
        if self._generation is None:
            said = (self._state() or {}).get("generation") if self._file is not None else None
            if isinstance(said, int) and not isinstance(said, bool):
                self._generation = said
            else:
                held = self.store.quads_for_pattern(None, ox.NamedNode(ISV["generation"]), None, None)
                self._generation = max((int(q.object.value) for q in held if isinstance(q.object, ox.Literal)), default=0)
        return self._generation

    def _next_generation(self) -> int:
        """The number of the derivation about to be made: one more than the latest."""
        self._generation = self.generation + 1
        return self._generation

    def _derived(self, cases: Sequence[str] | None, ranks: Ranks, before: dict[str, int], generation: int) -> Iterator[ox.Quad]:
        """The quads of the views of ``cases`` (None: every case), ranks included: an
        initiative keeps the rank it had (``before``), a new one gets one between its
        neighbours in ``ranks``, which learns it. Each view says the ``generation`` that
        derived it (what a reader of the views needs to read again: :func:`isgraph.reason.
        classification.reclassify`)."""
        graph_of: dict[ox.NamedNode, ox.NamedNode] = {}
        only = "" if cases is None else f"VALUES ?g {{ {_iris(cases)} }}"
        for row in self._select(f"SELECT ?g ?initiative WHERE {{ {only} GRAPH ?g {{ ?initiative a <{ISG['Initiative']}> }} }}"):
            g, initiative = row["g"], row["initiative"]
            # (an initiative without an IRI has no view: VALUES cannot name it)
            if isinstance(g, ox.NamedNode) and is_case_graph(g.value) and isinstance(initiative, ox.NamedNode):
                graph_of.setdefault(initiative, ox.NamedNode(view_graph(g.value)))
        if cases is None:
            for initiative in sorted(i.value for i in graph_of):
                ranks.append(initiative)
        else:
            for initiative in sorted(i.value for i in graph_of):
                ranks.place(initiative, before.get(initiative))
        integer = ox.NamedNode(XSD["integer"])
        for initiative, view in graph_of.items():
            yield ox.Quad(
                initiative, ox.NamedNode(ISV["rank"]), ox.Literal(str(ranks.of(initiative.value)), datatype=integer), view
            )
        for case_view in sorted(set(graph_of.values()), key=lambda n: n.value):
            yield ox.Quad(case_view, _A, ox.NamedNode(ISV["View"]), case_view)
            case = ox.NamedNode(GRAPH + case_view.value[len(VIEWS) :])
            yield ox.Quad(case_view, ox.NamedNode(PROV["wasDerivedFrom"]), case, case_view)
            yield ox.Quad(case_view, ox.NamedNode(ISV["generation"]), ox.Literal(str(generation), datatype=integer), case_view)
        if not graph_of:
            return
        bound = "" if cases is None else "VALUES ?initiative { " + " ".join(str(i) for i in graph_of) + " }"
        for derivation in DERIVATIONS:
            sparql = _PREFIXES + derivation.sparql.replace("{only}", bound)
            result = self._select(sparql)
            columns = [v.value for v in result.variables if v.value != "initiative"]
            rows: dict[ox.NamedNode, list[list[tuple[str, Term]]]] = {}
            for row in result:
                subject = row["initiative"]
                if not isinstance(subject, ox.NamedNode) or subject not in graph_of:
                    continue
                values = [(c, _sorted_list(row[c]) if c in _LISTS else row[c]) for c in columns if row[c] is not None]
                if derivation.row is None:
                    target = graph_of[subject]
                    yield from (ox.Quad(subject, ox.NamedNode(ISV[c]), v, target) for c, v in values)
                else:
                    rows.setdefault(subject, []).append(values)
            if derivation.row is not None:
                yield from self._rows(derivation, rows, graph_of, ranks)

    def _rows(
        self,
        derivation: Derivation,
        rows: dict[ox.NamedNode, list[list[tuple[str, Term]]]],
        graph_of: dict[ox.NamedNode, ox.NamedNode],
        ranks: Ranks,
    ) -> Iterator[ox.Quad]:
        """The row nodes of a derivation with ``row``, placed when it has an ``order`` (see :class:`Derivation`)."""
        assert derivation.row is not None
        position = ox.NamedNode(ISV[f"{derivation.row}Position"])
        integer = ox.NamedNode(XSD["integer"])
        for subject, found in rows.items():
            target = graph_of[subject]
            found.sort(key=lambda values: [_text(dict(values).get(c)) for c in derivation.order])
            if len(found) >= 1 << _ROW_BITS:
                found = found[: (1 << _ROW_BITS) - 1]  # (never reached: a case has a few dozen rows)
            for index, values in enumerate(found):
                node = row_node(subject.value, derivation.row, values)
                if derivation.order:
                    place = (ranks.of(subject.value) << _ROW_BITS) + index
                    yield ox.Quad(node, position, ox.Literal(str(place), datatype=integer), target)
                yield from (ox.Quad(node, ox.NamedNode(ISV[c]), v, target) for c, v in values if c not in derivation.hidden)


def _quad_text(quad: ox.Quad) -> str:
    return f"GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} {quad.object} }}"


def _iris(iris: Iterable[str]) -> str:
    """``iris`` as SPARQL terms, for a ``VALUES`` block."""
    return " ".join(f"<{iri}>" for iri in iris)


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _text(term: Term | None) -> str:
    """What SPARQL orders IRIs and dates by: their text."""
    return "" if term is None else term.value


def _sorted_list(term: Term) -> Term:
    if not isinstance(term, ox.Literal) or not term.value:
        return term
    return ox.Literal(", ".join(sorted(term.value.split(", "))))
