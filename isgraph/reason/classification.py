"""Which cases are social innovation under which definition profile, and why not.

The profiles and their requirements are OWL defined classes (``ontology/profiles.ttl``).
Two classifiers give the same verdicts:

- :func:`classify_with_hermit`: the HermiT reasoner (through owlready2) realises every
  initiative over the ontology, the profiles and the data; a requirement is met when
  the initiative is inferred to be an instance of the requirement's class;
- :func:`classify_with_sparql`: the scalable path, which reads from the store the
  facts the requirements are about (levels of the grid elements, carriers' kinds,
  principles of the resources, participants' kinds) and checks each requirement as
  its annotations describe it (``isg:requiresElement``/``isg:requiresLevel``,
  ``isg:requiresCarrierType``, ``isg:requiresPrinciple``,
  ``isg:requiresParticipantType``), kinds of actor read up the class hierarchy.

Both explain a verdict the same way: the requirements not met, and for a grid
element the level found and the levels needed. The tests prove them equal on the
reference cases, a fixture written to exercise every requirement, and generated cases.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from isgraph.errors import InconsistentError, InputError
from isgraph.messages import Message
from isgraph.namespaces import GRAPH, ID, ISG, ISV, OWL, PROFILE, RDF, RDFS, XSD
from isgraph.reason.hermit import (
    ConsistencyReport,
    check_consistency,
    disjointness_clashes,
    explanation,
    hermit,
    literal_clashes,
)
from isgraph.store import Store, labels, select, select_values
from isgraph.store.row_nodes import ROW, ROW_TAIL
from isgraph.store.rows import select_texts
from isgraph.store.views import CLASSIFIED, VIEWS

#: Above this many cases, ``classify`` takes the scalable path (see docs/benchmarks.md for the measure).
HERMIT_UP_TO = 25
INFERENCES = GRAPH["inferences/classification"]
#: Says since when the verdicts of :data:`INFERENCES` no longer hold (a case was ingested,
#: removed, harvested or imported since): :func:`reclassify` or ``isgraph classify``
#: brings them up to date and drops it.
OUTDATED = GRAPH["inferences/outdated"]
_ROLE_CARRIER = "https://w3id.org/isgraph/role/porteur"
#: Graphs that no requirement can depend on (no axiom links them to the profiles): left out
#: of the reasoner's input, which they would only slow down.
_NOT_FOR_HERMIT = (GRAPH["inferences/"], GRAPH["territories/"], GRAPH["sources/"], GRAPH["ontology/crosswalks"])


@dataclass(frozen=True)
class Requirement:
    """A requirement, as its annotations describe it: grid elements (any one of them) at
    one of some levels, a kind of carrier, a principle, a kind of participant, or a property."""

    iri: str
    label: Message
    elements: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    carrier_types: tuple[str, ...] = ()
    principle: str | None = None
    participant_types: tuple[str, ...] = ()
    needs_property: str | None = None

    @property
    def element(self) -> str | None:
        """The grid element, when the requirement is about exactly one."""
        return self.elements[0] if len(self.elements) == 1 else None


@dataclass(frozen=True)
class Profile:
    iri: str
    label: Message
    requirements: tuple[Requirement, ...]

    @property
    def name(self) -> str:
        return self.iri.removeprefix(PROFILE)


@dataclass(frozen=True)
class Shortfall:
    """A requirement not met: for a grid element, the level(s) found and those needed."""

    requirement: Requirement
    found: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    case: str
    label: Message
    profile: Profile
    shortfalls: tuple[Shortfall, ...]

    @property
    def qualifies(self) -> bool:
        return not self.shortfalls

    def key(self) -> tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]]:
        """What two classifiers must agree on."""
        return (self.case, self.profile.iri, tuple(sorted((s.requirement.iri, s.found) for s in self.shortfalls)))


@dataclass(frozen=True)
class Classification:
    verdicts: tuple[Verdict, ...]
    profiles: tuple[Profile, ...]
    method: str
    seconds: float
    labels: dict[str, Message] = field(default_factory=dict)


# ---- reading the profiles --------------------------------------------------------


def _rows(store: Store, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in result]


def _message(texts: dict[str, str], fallback: str) -> Message:
    return Message(texts.get("fr") or texts.get("en") or fallback, texts.get("en") or texts.get("fr") or fallback)


def load_profiles(store: Store, names: Sequence[str] | None = None) -> list[Profile]:
    """The definition profiles the store's ontology holds (all, or those named)."""
    # each requirement's and profile's own triples, their predicate filtered: with the
    # predicates bound (VALUES, or a union beside the requirements), the store read every
    # label it holds first (0.7-0.8 s at 50,000 cases, against 4 ms)
    wanted = ", ".join(
        f"<{p}>"
        for p in (RDFS["label"], *(ISG[r] for r in ("requiresElement", "requiresLevel", "requiresCarrierType")),
                  *(ISG[r] for r in ("requiresPrinciple", "requiresParticipantType", "requiresProperty")))
    )  # fmt: skip
    rows = _rows(
        store,
        f"""
        SELECT ?profile ?requirement ?p ?o WHERE {{
          {{ ?profile <{ISG["hasRequirement"]}> ?requirement . ?requirement ?p ?o FILTER (?p IN ({wanted})) }}
          UNION {{ ?profile <{ISG["hasRequirement"]}> ?requirement . ?profile ?label ?o FILTER (?label = <{RDFS["label"]}>)
                   BIND (<urn:isgraph:profile-label> AS ?p) }}
        }}""",
    )
    facts: dict[str, dict[str, set[str]]] = {}
    labels: dict[str, dict[str, str]] = {}
    requirements_of: dict[str, set[str]] = {}
    for row in rows:
        profile, requirement, p, o = (row["profile"].value, row["requirement"].value, row["p"].value, row["o"])
        requirements_of.setdefault(profile, set()).add(requirement)
        if p == "urn:isgraph:profile-label" and isinstance(o, ox.Literal):
            labels.setdefault(profile, {})[o.language or ""] = o.value
        elif p == RDFS["label"] and isinstance(o, ox.Literal):
            labels.setdefault(requirement, {})[o.language or ""] = o.value
        else:
            facts.setdefault(requirement, {}).setdefault(p, set()).add(o.value)
    profiles = []
    for profile in sorted(requirements_of):
        requirements = []
        for iri in sorted(requirements_of[profile]):
            f = facts.get(iri, {})
            requirements.append(
                Requirement(
                    iri,
                    _message(labels.get(iri, {}), iri),
                    tuple(sorted(f.get(ISG["requiresElement"], []))),
                    tuple(sorted(f.get(ISG["requiresLevel"], []))),
                    tuple(sorted(f.get(ISG["requiresCarrierType"], []))),
                    next(iter(f.get(ISG["requiresPrinciple"], [])), None),
                    tuple(sorted(f.get(ISG["requiresParticipantType"], []))),
                    next(iter(f.get(ISG["requiresProperty"], [])), None),
                )
            )
        profiles.append(Profile(profile, _message(labels.get(profile, {}), profile), tuple(requirements)))
    if names:
        known = {p.name: p for p in profiles}
        unknown = [n for n in names if n not in known and n not in {p.iri for p in profiles}]
        if unknown:
            raise InputError(
                Message(
                    f"profil inconnu « {unknown[0]} » (profils : {', '.join(known)})",
                    f'unknown profile "{unknown[0]}" (profiles: {", ".join(known)})',
                )
            )
        profiles = [p for p in profiles if p.name in names or p.iri in names]
    return profiles


# ---- the facts the requirements are about ------------------------------------------


@dataclass
class Facts:
    cases: dict[str, Message]
    levels: dict[tuple[str, str], set[str]]  # (case, element) -> levels
    carrier_types: dict[str, set[str]]  # case -> kinds of its carriers (with superclasses)
    principles: dict[str, set[str]]  # case -> principles of its resources
    participant_types: dict[str, set[str]]  # case -> kinds of its participants (with superclasses)
    properties: dict[str, set[str]] = field(default_factory=dict)  # case -> required properties it has

    def found(self, case: str, requirement: Requirement) -> tuple[str, ...]:
        """The levels the case's characterisation gives the requirement's elements."""
        return tuple(sorted({level for element in requirement.elements for level in self.levels.get((case, element), set())}))


def _pairs(store: Store, predicate: str) -> set[tuple[str, str]]:
    """Every (subject, object) of one predicate: a single-pattern scan, the cheapest read of
    the store; the classifier joins the scans in Python."""
    result = store.query(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}")
    assert isinstance(result, ox.QuerySolutions)
    return {(row[0].value, row[1].value) for row in result}


def _closure(edges: set[tuple[str, str]]) -> dict[str, set[str]]:
    """Each class with all its superclasses (itself included)."""
    parents: dict[str, set[str]] = {}
    for child, parent in edges:
        parents.setdefault(child, set()).add(parent)
    closed: dict[str, set[str]] = {}

    def up(cls: str) -> set[str]:
        if cls not in closed:
            closed[cls] = {cls}
            for parent in parents.get(cls, ()):
                closed[cls] |= up(parent)
        return closed[cls]

    for cls in list(parents):
        up(cls)
    return closed


def read_facts(store: Store, properties: Iterable[str] = ()) -> Facts:
    """The facts the requirements are about, read by single-pattern scans and joined here."""
    superclasses = _closure(_pairs(store, RDFS["subClassOf"]))
    case_of_characterisation: dict[str, set[str]] = {}
    for characterisation, case in _pairs(store, ISG["characterises"]):
        case_of_characterisation.setdefault(characterisation, set()).add(case)
    element_of = _by_subject(_pairs(store, ISG["element"]))
    level_of = _by_subject(_pairs(store, ISG["level"]))
    levels: dict[tuple[str, str], set[str]] = {}
    for characterisation, assessment in _pairs(store, ISG["hasElementAssessment"]):
        for case in case_of_characterisation.get(characterisation, ()):
            for element in element_of.get(assessment, ()):
                levels.setdefault((case, element), set()).update(level_of.get(assessment, ()))
    actor_kinds = sorted(cls for cls, ancestors in superclasses.items() if ISG["Actor"] in ancestors)
    types_of: dict[str, set[str]] = {}
    if actor_kinds:
        for row in _rows(
            store,
            f"""SELECT ?node ?cls WHERE {{ VALUES ?cls {{ {" ".join(f"<{k}>" for k in actor_kinds)} }}
                ?node <{RDF["type"]}> ?cls }}""",
        ):
            types_of.setdefault(row["node"].value, set()).update(superclasses.get(row["cls"].value, set()))
    initiative_of = _by_subject(_pairs(store, ISG["participationIn"]))
    role_of = _by_subject(_pairs(store, ISG["role"]))
    carriers: dict[str, set[str]] = {}
    participants: dict[str, set[str]] = {}
    for participation, actor in _pairs(store, ISG["participant"]):
        kinds = types_of.get(actor, set())
        for case in initiative_of.get(participation, ()):
            participants.setdefault(case, set()).update(kinds)
            if _ROLE_CARRIER in role_of.get(participation, ()):
                carriers.setdefault(case, set()).update(kinds)
    principle_of = _by_subject(_pairs(store, ISG["principle"]))
    principles: dict[str, set[str]] = {}
    for contribution, case in _pairs(store, ISG["contributionTo"]):
        principles.setdefault(case, set()).update(principle_of.get(contribution, ()))
    having: dict[str, set[str]] = {}
    for prop in sorted(set(properties)):
        for case, _ in _pairs(store, prop):
            having.setdefault(case, set()).add(prop)
    return Facts(_case_labels(store), levels, carriers, principles, participants, having)


def _case_labels(store: Store, bound: str = "") -> dict[str, Message]:
    """Every initiative of the store (those ``bound`` binds ``?case`` to), with its label."""
    cases: dict[str, dict[str, str]] = {}
    for row in _rows(
        store,
        f"""SELECT ?case ?label WHERE {{ {bound} ?case a <{ISG["Initiative"]}>
            OPTIONAL {{ ?case <{RDFS["label"]}> ?label }} }}""",
    ):
        texts = cases.setdefault(row["case"].value, {})
        if isinstance(label := row.get("label"), ox.Literal):
            texts.setdefault(label.language or "", label.value)
    return {c: _message(t, c) for c, t in cases.items()}


def _by_subject(pairs: set[tuple[str, str]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for subject, obj in pairs:
        found.setdefault(subject, set()).add(obj)
    return found


def meets(requirement: Requirement, case: str, facts: Facts) -> bool:
    """Whether ``case`` meets ``requirement``, by the requirement's own description."""
    if requirement.elements:
        return bool(set(facts.found(case, requirement)) & set(requirement.levels))
    if requirement.carrier_types:
        return bool(facts.carrier_types.get(case, set()) & set(requirement.carrier_types))
    if requirement.principle is not None:
        return requirement.principle in facts.principles.get(case, set())
    if requirement.participant_types:
        return bool(facts.participant_types.get(case, set()) & set(requirement.participant_types))
    if requirement.needs_property is not None:
        return requirement.needs_property in facts.properties.get(case, set())
    raise ValueError(f"requirement {requirement.iri} describes nothing to check")


def _verdicts(profiles: Sequence[Profile], facts: Facts, met: dict[str, set[str]]) -> list[Verdict]:
    """Verdicts from the requirements each case meets (``met``: case -> requirement IRIs)."""
    out = []
    for case in sorted(facts.cases):
        for profile in profiles:
            shortfalls = tuple(
                Shortfall(r, facts.found(case, r)) for r in profile.requirements if r.iri not in met.get(case, set())
            )
            out.append(Verdict(case, facts.cases[case], profile, shortfalls))
    return out


def _properties(profiles: Sequence[Profile]) -> set[str]:
    return {r.needs_property for p in profiles for r in p.requirements if r.needs_property}


def classify_with_sparql(store: Store, profiles: Sequence[Profile]) -> Classification:
    """The scalable path: from the views when the store keeps them (:func:`from_views`), else
    from the facts read by single-pattern scans (:func:`classify_with_scans`)."""
    started = time.perf_counter()
    if store.keeps_views():
        found = from_views(store, profiles)
        if found is not None:
            return dataclasses.replace(found, seconds=time.perf_counter() - started)
    return classify_with_scans(store, profiles)


def classify_with_scans(store: Store, profiles: Sequence[Profile]) -> Classification:
    """The facts the requirements are about, read by single-pattern scans and checked here."""
    started = time.perf_counter()
    facts = read_facts(store, _properties(profiles))
    met = {case: {r.iri for p in profiles for r in p.requirements if meets(r, case, facts)} for case in facts.cases}
    return Classification(tuple(_verdicts(profiles, facts, met)), tuple(profiles), "SPARQL", time.perf_counter() - started)


def from_views(store: Store, profiles: Sequence[Profile], *, only: Iterable[str] | None = None) -> Classification | None:
    """The verdicts from the views kept at ingest (:data:`isgraph.store.views.CLASSIFICATION`):
    each case's view holds the requirements it does not meet and, for those about the grid,
    the levels found, derived again whenever the case or what it reads changes. None when an
    initiative has no view (it is in no case graph): the scans then classify every case.
    With ``only``, the verdicts of those initiatives alone."""
    bound = "" if only is None else f"VALUES ?i {{ {' '.join(f'<{i}>' for i in sorted(only))} }}"
    cases = _case_labels(store, bound.replace("?i", "?case"))
    in_views = f'FILTER STRSTARTS(STR(?v), "{VIEWS}")'
    # (read as CSV texts: tens of thousands of rows, twice as fast as term by term)
    viewed = {i for (i,) in select_texts(store, f"SELECT ?i WHERE {{ {bound} GRAPH ?v {{ ?i <{ISV['rank']}> ?r }} {in_views} }}")}
    if not viewed.issuperset(cases):
        return None
    unmet: dict[str, set[str]] = {}
    for i, r in select_texts(store, f"SELECT ?i ?r WHERE {{ {bound} GRAPH ?v {{ ?i <{ISV['unmet']}> ?r }} {in_views} }}"):
        unmet.setdefault(i, set()).add(r)
    found: dict[tuple[str, str], set[str]] = {}
    # (a row is named under its initiative: isgraph.store.row_nodes.row_node)
    rows = f"?row <{ISV['found']}> ?l ; <{ISV['requirement']}> ?r"
    if only is not None:
        rows = f"{bound} ?i <{ISV['rank']}> ?k . {rows} FILTER STRSTARTS(STR(?row), CONCAT(STR(?i), '{ROW}'))"
    for row, r, level in select_texts(store, f"SELECT ?row ?r ?l WHERE {{ GRAPH ?v {{ {rows} }} {in_views} }}"):
        found.setdefault((row[:-ROW_TAIL], r), set()).add(level)
    verdicts = [
        Verdict(
            case,
            cases[case],
            profile,
            tuple(
                Shortfall(r, tuple(sorted(found.get((case, r.iri), ()))))
                for r in profile.requirements
                if r.iri in unmet.get(case, ())
            ),
        )
        for case in sorted(cases)
        for profile in profiles
    ]
    return Classification(tuple(verdicts), tuple(profiles), "SPARQL", 0.0)


def classify_with_hermit(store: Store, profiles: Sequence[Profile]) -> Classification:
    """Realise every initiative with HermiT over everything the store holds but past inferences."""
    started = time.perf_counter()
    facts = read_facts(store, _properties(profiles))
    triples = [t for _graph, t in _stated(store)]
    report = hermit(triples, realise=facts.cases)
    if not report.consistent:
        fr, en = explanation(_why_inconsistent(store, triples), where="graphs")
        fr.insert(0, "l'ontologie et les données sont incohérentes (HermiT) ; rien n'a été écrit")
        en.insert(0, "the ontology with the data is inconsistent (HermiT); nothing was written")
        raise InconsistentError(Message(" ; ".join(fr), "; ".join(en)))
    return from_types(profiles, facts, report.types, time.perf_counter() - started)


def _stated(store: Store) -> list[tuple[str, ox.Triple]]:
    """(graph, triple) of what HermiT reads: every named graph but past inferences, the
    territory reference, the sources and the crosswalks (read graph by graph: the territory
    reference alone holds some 312,000 triples)."""
    graphs = [g for g in store.named_graphs() if not g.startswith(_NOT_FOR_HERMIT)]
    if not graphs:
        return []
    values = " ".join(f"<{g}>" for g in graphs)
    rows = select(store, f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    return [
        (row["g"].value, ox.Triple(s, p, row["o"]))
        for row in rows
        if isinstance(s := row["s"], ox.NamedNode | ox.BlankNode) and isinstance(p := row["p"], ox.NamedNode)
    ]


def _why_inconsistent(store: Store, triples: list[ox.Triple]) -> ConsistencyReport:
    """What makes the store inconsistent: the individuals in two disjoint classes and the values
    outside their range, with the graphs that state them; when neither explains it, the graphs
    found by halving them (a few more reasoner runs)."""
    clashes, values = disjointness_clashes(triples), literal_clashes(triples)
    stated = _stated(store)
    if not clashes and not values:
        base = [t for g, t in stated if g.startswith(GRAPH["ontology/"])]
        units: dict[str, list[ox.Triple]] = {}
        for g, t in stated:
            if not g.startswith(GRAPH["ontology/"]):
                units.setdefault(g, []).append(t)
        return check_consistency(base, units)
    same, rdf_type = ox.NamedNode(OWL["sameAs"]), ox.NamedNode(RDF["type"])
    links = [(t.subject.value, t.object.value) for _, t in stated if t.predicate == same and isinstance(t.subject, ox.NamedNode)
             and isinstance(t.object, ox.NamedNode)]  # fmt: skip
    individuals = {c.individual for c in clashes}
    grew = True
    while grew:  # and those said to be the same as them
        linked = {node for pair in links if set(pair) & individuals for node in pair}
        grew = not linked <= individuals
        individuals |= linked
    wrong = {(v.subject, v.property, v.value) for v in values}
    graphs = {
        g
        for g, t in stated
        if isinstance(t.subject, ox.NamedNode)
        and (
            (t.predicate in (same, rdf_type) and t.subject.value in individuals)
            or (t.subject.value, t.predicate.value, str(t.object)) in wrong
        )
    }
    return ConsistencyReport(False, culprits=tuple(sorted(graphs)), clashes=tuple(clashes), literal_clashes=tuple(values))


def from_types(profiles: Sequence[Profile], facts: Facts, types: dict[str, frozenset[str]], seconds: float) -> Classification:
    """The verdicts that follow from the classes HermiT inferred for each case."""
    wanted = {r.iri for p in profiles for r in p.requirements}
    met = {case: set(types.get(case, frozenset())) & wanted for case in facts.cases}
    return Classification(tuple(_verdicts(profiles, facts, met)), tuple(profiles), "HermiT", seconds)


def classify(store: Store, *, profiles: Sequence[str] | None = None, method: str = "auto") -> Classification:
    """Classify every case of ``store`` under the profiles: HermiT up to ``HERMIT_UP_TO`` cases
    (or ``method="hermit"``), the scalable SPARQL path above (or ``method="sparql"``)."""
    chosen = load_profiles(store, profiles)
    if method == "auto":
        count = _rows(store, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{ISG['Initiative']}> }}")
        method = "hermit" if int(count[0]["n"].value) <= HERMIT_UP_TO else "sparql"
    result = (classify_with_hermit if method == "hermit" else classify_with_sparql)(store, chosen)
    return with_labels(store, result)


def with_labels(store: Store, classification: Classification) -> Classification:
    """The classification with the French and English labels of the levels it names."""
    levels = {level for v in classification.verdicts for s in v.shortfalls for level in (*s.found, *s.requirement.levels)}
    return dataclasses.replace(classification, labels=labels(store, levels))


# ---- writing the inferences back ---------------------------------------------------


def inference_triples(classification: Classification) -> list[ox.Triple]:
    """The verdicts as RDF, for the graph of inferences (never the cases' graphs)."""
    out: list[ox.Triple] = []
    t = ox.Triple
    for verdict in classification.verdicts:
        slug = verdict.case.rsplit("/", 1)[-1]
        node = ox.NamedNode(ID[f"verdict/{slug}/{verdict.profile.name}"])
        case, profile = ox.NamedNode(verdict.case), ox.NamedNode(verdict.profile.iri)
        out += [
            t(node, ox.NamedNode(RDF["type"]), ox.NamedNode(ISG["Verdict"])),
            t(node, ox.NamedNode(ISG["verdictFor"]), case),
            t(node, ox.NamedNode(ISG["underProfile"]), profile),
            t(
                node,
                ox.NamedNode(ISG["qualifies"]),
                ox.Literal("true" if verdict.qualifies else "false", datatype=ox.NamedNode(XSD["boolean"])),
            ),
            t(node, ox.NamedNode(ISG["classifiedBy"]), ox.Literal(classification.method)),
        ]
        if verdict.qualifies:
            out.append(t(case, ox.NamedNode(RDF["type"]), profile))
        for shortfall in verdict.shortfalls:
            gap = ox.NamedNode(f"{node.value}/{shortfall.requirement.iri.rsplit('/', 1)[-1]}")
            out += [
                t(node, ox.NamedNode(ISG["shortfall"]), gap),
                t(gap, ox.NamedNode(RDF["type"]), ox.NamedNode(ISG["Shortfall"])),
                t(gap, ox.NamedNode(ISG["missingRequirement"]), ox.NamedNode(shortfall.requirement.iri)),
            ]
            out += [t(gap, ox.NamedNode(ISG["levelFound"]), ox.NamedNode(level)) for level in shortfall.found]
    return out


def store_inferences(store: Store, classification: Classification) -> None:
    """Replace the graph of inferences by this classification (one atomic step); it is no
    longer out of date. In a store that keeps views, the graph says the generation of views
    it was made from, so that :func:`reclassify` keeps it up to date."""
    graphs = {INFERENCES: inference_triples(classification)}
    if store.keeps_views():
        graphs[CLASSIFIED] = [_up_to(_newest(store))]
    store.replace_graphs(graphs, drop=[OUTDATED])


def reclassify(store: Store) -> bool:
    """Bring the stored verdicts up to date after a write (an ingest, a removal, a harvest,
    an import): only the cases whose views were derived again since the stored
    classification are classified again (from their views: :func:`from_views`), and the
    verdicts of the initiatives no longer in the store go, in one atomic step that also
    drops the out-of-date mark. False, leaving the mark, when the store keeps no views or
    holds no classification made from them (``isgraph classify`` stores one)."""
    if not store.keeps_views():
        return False
    said = select_values(store, f"SELECT ?n WHERE {{ GRAPH <{CLASSIFIED}> {{ <{INFERENCES}> <{ISV['classifiedUpTo']}> ?n }} }}")
    if not said:
        return False
    newest, changed = _newest(store), _newer(store, max(int(row["n"]) for row in said))
    # the initiatives with verdicts and no view (MINUS: 0.15-0.2 s at 50,000 cases on disk,
    # against 1.5 s to read both sets, 2.1-2.4 s with FILTER NOT EXISTS or OPTIONAL)
    gone = {
        row["c"]
        for row in select_values(
            store,
            f"SELECT DISTINCT ?c WHERE {{ GRAPH <{INFERENCES}> {{ ?v <{ISG['verdictFor']}> ?c }} FILTER ISIRI(?c)"
            f" MINUS {{ GRAPH ?g {{ ?c <{ISV['rank']}> ?r }} }} }}",
        )
    }
    result = from_views(store, load_profiles(store), only=changed) if changed else None
    if changed and result is None:
        return False  # an initiative outside the case graphs: left to "isgraph classify"
    triples = inference_triples(result) if result else []
    cases = " ".join(f"<{c}>" for c in sorted(changed | gone))
    graph = f"GRAPH <{INFERENCES}>"
    steps = [
        f"DELETE {{ {graph} {{ ?gap ?p ?o }} }} WHERE {{ VALUES ?case {{ {cases} }} {graph} {{ ?v <{ISG['verdictFor']}> ?case ;"
        f" <{ISG['shortfall']}> ?gap . ?gap ?p ?o }} }}",
        f"DELETE {{ {graph} {{ ?v ?p ?o }} }} WHERE {{ VALUES ?case {{ {cases} }} {graph} {{ ?v <{ISG['verdictFor']}> ?case ; ?p ?o }} }}",
        f"DELETE {{ {graph} {{ ?case a ?profile }} }} WHERE {{ VALUES ?case {{ {cases} }} {graph} {{ ?case a ?profile }} }}",
        f"INSERT DATA {{ {graph} {{ {' '.join(f'{t.subject} {t.predicate} {t.object} .' for t in triples)} }} }}",
        f"DROP SILENT GRAPH <{CLASSIFIED}>",
        f"INSERT DATA {{ GRAPH <{CLASSIFIED}> {{ {_up_to(newest)} . }} }}",
        f"DROP SILENT GRAPH <{OUTDATED}>",
    ]
    store.update(" ;\n".join(steps if cases else steps[4:]), writes=[INFERENCES, CLASSIFIED, OUTDATED])
    return True


def _newest(store: Store) -> int:
    """The newest generation the views hold (0 without views)."""
    found = select_values(store, f"SELECT (MAX(?n) AS ?newest) WHERE {{ GRAPH ?v {{ ?v <{ISV['generation']}> ?n }} }}")
    return int(found[0]["newest"]) if found and "newest" in found[0] else 0


def _newer(store: Store, since: int) -> set[str]:
    """The initiatives whose views are of a generation newer than ``since``."""
    found = select_values(
        store,
        f"""SELECT DISTINCT ?i WHERE {{ GRAPH ?v {{ ?v <{ISV["generation"]}> ?n FILTER (?n > {int(since)}) ?i <{ISV["rank"]}> ?r }}
            FILTER STRSTARTS(STR(?v), "{VIEWS}") }}""",
    )
    return {row["i"] for row in found}


def _up_to(generation: int) -> ox.Triple:
    """Says the generation of views a stored classification was made from."""
    return ox.Triple(
        ox.NamedNode(INFERENCES),
        ox.NamedNode(ISV["classifiedUpTo"]),
        ox.Literal(str(generation), datatype=ox.NamedNode(XSD["integer"])),
    )


def outdated_marker(when: datetime.datetime | None = None) -> dict[str, list[ox.Triple]]:
    """The graph that marks the stored verdicts out of date since ``when`` (now by default):
    writers of cases put it in the same atomic write as the cases."""
    moment = (when or datetime.datetime.now(datetime.UTC)).isoformat(timespec="seconds")
    return {
        OUTDATED: [
            ox.Triple(
                ox.NamedNode(INFERENCES),
                ox.NamedNode(ISG["outdatedSince"]),
                ox.Literal(moment, datatype=ox.NamedNode(XSD["dateTime"])),
            )
        ]
    }


def outdated_since(store: Store) -> str | None:
    """When the stored verdicts went out of date (an ISO date and time), or None if they hold."""
    rows = select_values(store, f"SELECT ?t WHERE {{ GRAPH <{OUTDATED}> {{ <{INFERENCES}> <{ISG['outdatedSince']}> ?t }} }}")
    return min((r["t"] for r in rows), default=None)


def as_json(classification: Classification) -> list[dict[str, object]]:
    """The JSON form: one object per case and profile."""
    return [
        {
            "case": v.case,
            "label": v.label.fr,
            "profile": v.profile.name,
            "qualifies": v.qualifies,
            "missing": [
                {
                    "requirement": s.requirement.iri,
                    "label": s.requirement.label.en,
                    "element": s.requirement.element,
                    "elements": list(s.requirement.elements),
                    "level_found": list(s.found),
                    "level_needed": list(s.requirement.levels),
                    "kinds_needed": _needed(s.requirement),
                }
                for s in v.shortfalls
            ],
        }
        for v in classification.verdicts
    ]


def _needed(requirement: Requirement) -> list[str]:
    return list(
        requirement.carrier_types
        or requirement.participant_types
        or ((requirement.principle,) if requirement.principle else ())
        or ((requirement.needs_property,) if requirement.needs_property else ())
    )
