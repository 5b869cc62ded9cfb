"""Is this actor of one source the same as that actor of another? Proposals, with
their evidence, for a data steward to accept or reject.

Candidates come from, in order of strength:

1. a shared identifier: SIREN, SIRET (or a SIRET whose first nine digits are the
   other's SIREN), RNA, Wikidata entity: score 1.0 (0.98 for SIRET → SIREN);
2. the same normalised name (accents, case, punctuation, legal-form words such as
   « association », SCIC, SARL and small words removed): 0.9, 0.95 in the same
   département;
3. close normalised names (Levenshtein similarity ≥ 0.85, RapidFuzz) in the same
   département: 0.5 + 0.4 × similarity.

Two actors whose identifiers of one kind differ (two different SIREN numbers) are
never proposed. Only actors of different sources are compared (the local store is
the source ``local``; a harvested case belongs to its source).

Decisions are kept in the store: each in ``graph/matches/decisions`` (who, when,
score, evidence; PROV-O), and the accepted ones as ``owl:sameAs`` links in
``graph/matches/accepted``. A decided pair is not proposed again; a new decision
on it replaces the old one.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import pyoxigraph as ox
from rapidfuzz.distance import Levenshtein

from isgraph.errors import InputError
from isgraph.graph.ingest import submitter_iri
from isgraph.messages import Message
from isgraph.namespaces import GRAPH, ID, ISG, OWL, PROV, RDF, RDFS, XSD
from isgraph.store import Store, construct, select_values
from isgraph.text import fold

DECISIONS = GRAPH["matches/decisions"]
ACCEPTED = GRAPH["matches/accepted"]
FUZZY_THRESHOLD = 0.85
LEGAL_FORMS = {
    "association",
    "asso",
    "assoc",
    "scic",
    "scop",
    "sarl",
    "sas",
    "sasu",
    "sa",
    "eurl",
    "sem",
    "spl",
    "gip",
    "gie",
    "cooperative",
    "coop",
    "societe",
    "interet",
    "collectif",
    "participative",
    "ouvriere",
    "production",
    "responsabilite",
    "limitee",
    "simplifiee",
    "par",
    "actions",
}
SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "au", "aux", "a", "the", "of", "and"}
IDENTIFIERS = {"siren": ISG["siren"], "siret": ISG["siret"], "rna": ISG["rna"], "wikidata": ISG["wikidata"]}


def normalise(name: str) -> str:
    """``normalise("Association Les Jardins d'Émeraude (SCIC)")`` is ``"jardins emeraude"``."""
    words = re.sub(r"[^0-9a-z]+", " ", fold(name)).split()
    return " ".join(w for w in words if w not in LEGAL_FORMS and w not in SMALL_WORDS)


@dataclass
class Actor:
    iri: str
    sources: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    ids: dict[str, set[str]] = field(default_factory=dict)
    departements: set[str] = field(default_factory=set)

    @property
    def names(self) -> set[str]:
        return {n for n in (normalise(label) for label in self.labels) if n}

    def label(self) -> str:
        return sorted(self.labels)[0] if self.labels else self.iri


@dataclass(frozen=True)
class Candidate:
    id: str
    first: Actor
    second: Actor
    score: float
    evidence: tuple[Message, ...]


@dataclass(frozen=True)
class Decision:
    id: str
    first: str
    second: str
    accepted: bool
    by: str
    when: str
    score: float
    evidence: tuple[str, ...]


def source_of(graph: str) -> str:
    prefix = GRAPH["harvest/"]
    return graph[len(prefix) :].split("/", 1)[0] if graph.startswith(prefix) else "local"


def pair_id(first: str, second: str) -> str:
    a, b = sorted((first, second))
    return hashlib.sha1(f"{a} {b}".encode()).hexdigest()[:12]


_IS_ACTOR = f"?actor a ?type . ?type <{RDFS['subClassOf']}>* <{ISG['Actor']}> ."


def read_actors(store: Store) -> dict[str, Actor]:
    """Every actor of the case graphs, with its sources, names, identifiers and départements."""
    actors: dict[str, Actor] = {}
    for row in select_values(
        store,
        f"""SELECT DISTINCT ?actor ?g WHERE {{ GRAPH ?g {{ ?actor a ?type }}
            ?type <{RDFS["subClassOf"]}>* <{ISG["Actor"]}> . FILTER (ISIRI(?actor))
            FILTER (STRSTARTS(STR(?g), "{GRAPH["case/"]}") || STRSTARTS(STR(?g), "{GRAPH["harvest/"]}")) }}""",
    ):
        actors.setdefault(row["actor"], Actor(row["actor"])).sources.add(source_of(row["g"]))
    values = " ".join(f"<{p}>" for p in (RDFS["label"], *IDENTIFIERS.values()))
    kinds = {iri: kind for kind, iri in IDENTIFIERS.items()}
    # from the actors found (the territories have labels too: some 43,000 of them)
    known = " ".join(f"<{a}>" for a in sorted(actors))
    for row in (
        select_values(
            store, f"SELECT DISTINCT ?actor ?p ?v WHERE {{ VALUES ?actor {{ {known} }} VALUES ?p {{ {values} }} ?actor ?p ?v }}"
        )
        if actors
        else []
    ):
        actor = actors.get(row["actor"])
        if actor is None:
            continue
        if row["p"] == RDFS["label"]:
            actor.labels.add(row["v"])
        else:
            actor.ids.setdefault(kinds[row["p"]], set()).add(re.sub(r"\s+", "", row["v"]))
    places: dict[str, set[str]] = {}
    for row in select_values(
        store,
        f"""SELECT DISTINCT ?actor ?place WHERE {{
            {{ ?actor <{ISG["locatedIn"]}> ?place }} UNION
            {{ ?p <{ISG["participant"]}> ?actor ; <{ISG["participationIn"]}>/<{ISG["territory"]}> ?place }}
            FILTER (ISIRI(?place)) }}""",
    ):
        if row["actor"] in actors:
            places.setdefault(row["place"], set()).add(row["actor"])
    # the départements above those places, walked up from them (walking down from the
    # départements would visit every commune of France)
    named = " ".join(f"<{place}>" for place in sorted(places))
    for row in (
        select_values(
            store,
            f"SELECT DISTINCT ?place ?dep WHERE {{ VALUES ?place {{ {named} }} ?place <{ISG['within']}>* ?dep . "
            f"?dep a <{ISG['Departement']}> . }}",
        )
        if places
        else []
    ):
        for name in places[row["place"]]:
            actors[name].departements.add(row["dep"])
    return actors


def _compare(a: Actor, b: Actor, dep_labels: dict[str, str]) -> Candidate | None:
    evidence: list[tuple[float, Message]] = []
    for kind in IDENTIFIERS:
        ours, theirs = a.ids.get(kind, set()), b.ids.get(kind, set())
        if ours & theirs:
            value = sorted(ours & theirs)[0]
            evidence.append((1.0, Message(f"même {kind.upper()} : {value}", f"same {kind.upper()}: {value}")))
        elif ours and theirs:
            return None  # two different registered identities
    for x, y in ((a, b), (b, a)):
        for siret in x.ids.get("siret", set()):
            if siret[:9] in y.ids.get("siren", set()):
                evidence.append(
                    (
                        0.98,
                        Message(
                            f"le SIRET {siret} est un établissement du SIREN {siret[:9]}",
                            f"SIRET {siret} is an establishment of SIREN {siret[:9]}",
                        ),
                    )
                )
    shared = a.departements & b.departements
    where = ", ".join(sorted(dep_labels.get(d, d) for d in shared))
    same_names = a.names & b.names
    if same_names:
        name = sorted(same_names)[0]
        evidence.append((0.95 if shared else 0.9, Message(f"même nom normalisé « {name} »", f'same normalised name "{name}"')))
    elif shared:
        best = (
            max((Levenshtein.normalized_similarity(x, y), x, y) for x in a.names for y in b.names)
            if a.names and b.names
            else None
        )
        if best and best[0] >= FUZZY_THRESHOLD:
            similarity, near_a, near_b = best
            evidence.append(
                (
                    round(0.5 + 0.4 * similarity, 3),
                    Message(
                        f"noms proches « {near_a} » / « {near_b} » (similarité de Levenshtein {similarity:.2f})",
                        f'close names "{near_a}" / "{near_b}" (Levenshtein similarity {similarity:.2f})',
                    ),
                )
            )
    if not evidence:
        return None
    if shared:
        evidence.append((0.0, Message(f"même département : {where}", f"same département: {where}")))
    first, second = sorted((a, b), key=lambda actor: actor.iri)
    return Candidate(pair_id(a.iri, b.iri), first, second, max(score for score, _ in evidence), tuple(m for _, m in evidence))


def candidates(store: Store, *, include_decided: bool = False) -> list[Candidate]:
    """The pairs of actors of different sources that may be the same, best first."""
    actors = read_actors(store)
    decided = read_decisions(store)
    blocks: dict[tuple[str, str], set[str]] = {}
    for actor in actors.values():
        for kind, values in actor.ids.items():
            for value in values:
                blocks.setdefault((kind, value), set()).add(actor.iri)
                if kind == "siret":
                    blocks.setdefault(("siren", value[:9]), set()).add(actor.iri)
        for name in actor.names:
            blocks.setdefault(("name", name), set()).add(actor.iri)
        for dep in actor.departements:
            blocks.setdefault(("departement", dep), set()).add(actor.iri)
    dep_labels = {
        r["d"]: r["l"]
        for r in select_values(
            store,
            f"""SELECT ?d ?l WHERE {{ ?d a <{ISG["Departement"]}> ;
                                                  <{RDFS["label"]}> ?l FILTER (LANG(?l) = "fr") }}""",
        )
    }
    seen: set[tuple[str, str]] = set()
    found: list[Candidate] = []
    for members in blocks.values():
        for x, y in combinations(sorted(members), 2):
            a, b = actors[x], actors[y]
            if (x, y) in seen or not a.sources.isdisjoint(b.sources):
                continue
            seen.add((x, y))
            candidate = _compare(a, b, dep_labels)
            if candidate and (include_decided or candidate.id not in decided):
                found.append(candidate)
    return sorted(found, key=lambda c: (-c.score, c.first.iri, c.second.iri))


def read_decisions(store: Store) -> dict[str, Decision]:
    rows = select_values(
        store,
        f"""SELECT ?d ?accepted ?by ?when ?score (GROUP_CONCAT(DISTINCT STR(?actor); separator=" ") AS ?actors)
        (GROUP_CONCAT(DISTINCT ?evidence; separator="\\n") AS ?evidences) WHERE {{
          GRAPH <{DECISIONS}> {{ ?d a <{ISG["MatchDecision"]}> ; <{ISG["accepted"]}> ?accepted ;
             <{ISG["matchedActor"]}> ?actor ; <{PROV["wasAttributedTo"]}> ?agent ; <{PROV["generatedAtTime"]}> ?when .
             OPTIONAL {{ ?agent <{RDFS["label"]}> ?by }} OPTIONAL {{ ?d <{ISG["matchScore"]}> ?score }}
             OPTIONAL {{ ?d <{ISG["matchEvidence"]}> ?evidence FILTER (LANG(?evidence) = "en") }} }}
        }} GROUP BY ?d ?accepted ?by ?when ?score""",
    )
    out = {}
    for row in rows:
        first, second = sorted(row["actors"].split(" "))
        identifier = row["d"].rsplit("/", 1)[-1]
        out[identifier] = Decision(
            identifier,
            first,
            second,
            row["accepted"] == "true",
            row.get("by", ""),
            row["when"],
            float(row.get("score", 0)),
            tuple(row.get("evidences", "").splitlines()),
        )
    return out


def decide(store: Store, accept: Sequence[str] = (), reject: Sequence[str] = (), *, by: str) -> list[Decision]:
    """Record the steward's decisions on candidates (by id), all at once; the new decisions."""
    both = set(accept) & set(reject)
    if both:
        raise InputError(
            Message(f"accepté et rejeté à la fois : {sorted(both)[0]}", f"both accepted and rejected: {sorted(both)[0]}"),
            path="matches",
        )
    pending = {c.id: c for c in candidates(store, include_decided=True)}
    for identifier in (*accept, *reject):
        if identifier not in pending:
            raise InputError(
                Message(
                    f"aucune proposition « {identifier} » : voir « isgraph matches »",
                    f'no proposal "{identifier}": see "isgraph matches"',
                ),
                path="matches",
            )
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    decisions = read_decisions(store)
    new: list[tuple[Decision, Candidate]] = []
    for identifier, accepted in [*((i, True) for i in accept), *((i, False) for i in reject)]:
        c = pending[identifier]
        decision = Decision(identifier, c.first.iri, c.second.iri, accepted, by, now, c.score, tuple(m.en for m in c.evidence))
        new.append((decision, c))
        decisions[identifier] = decision
    redecided = {ox.NamedNode(ID["match/" + d.id]) for d, _ in new}
    kept = [
        t
        for t in construct(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DECISIONS}> {{ ?s ?p ?o }} }}")
        if t.subject not in redecided
    ]
    triples = list(dict.fromkeys([*kept, *(t for d, c in new for t in _decision_triples(d, c))]))
    store.replace_graphs(
        {
            DECISIONS: triples,
            ACCEPTED: [
                ox.Triple(ox.NamedNode(d.first), ox.NamedNode(OWL["sameAs"]), ox.NamedNode(d.second))
                for d in sorted(decisions.values(), key=lambda d: d.id)
                if d.accepted
            ],
        }
    )
    return [d for d, _ in new]


def _decision_triples(d: Decision, candidate: Candidate) -> list[ox.Triple]:
    n, lit = ox.NamedNode, ox.Literal
    node, agent = n(ID["match/" + d.id]), n(submitter_iri(d.by))
    triples = [
        ox.Triple(node, n(RDF["type"]), n(ISG["MatchDecision"])),
        ox.Triple(node, n(ISG["matchedActor"]), n(d.first)),
        ox.Triple(node, n(ISG["matchedActor"]), n(d.second)),
        ox.Triple(node, n(ISG["accepted"]), lit("true" if d.accepted else "false", datatype=n(XSD["boolean"]))),
        ox.Triple(node, n(ISG["matchScore"]), lit(f"{d.score:.3f}", datatype=n(XSD["decimal"]))),
        ox.Triple(node, n(PROV["wasAttributedTo"]), agent),
        ox.Triple(node, n(PROV["generatedAtTime"]), lit(d.when, datatype=n(XSD["dateTime"]))),
        ox.Triple(agent, n(RDF["type"]), n(PROV["Agent"])),
        ox.Triple(agent, n(RDFS["label"]), lit(d.by)),
    ]
    for evidence in candidate.evidence:
        triples.append(ox.Triple(node, n(ISG["matchEvidence"]), lit(evidence.en, language="en")))
        triples.append(ox.Triple(node, n(ISG["matchEvidence"]), lit(evidence.fr, language="fr")))
    return triples
