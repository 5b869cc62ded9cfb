"""The classification read from the views kept at ingest: the same verdicts as the scans
of the whole store, on generated cases with shared actors and defects, and kept up to
date after each write for the changed cases alone."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import pyoxigraph as ox
import pytest

from isgraph.graph.build import build
from isgraph.graph.generator import write_cases
from isgraph.namespaces import GRAPH, ID, ISG, RDF
from isgraph.reason import classification
from isgraph.reason.classification import (
    CLASSIFIED,
    INFERENCES,
    OUTDATED,
    Classification,
    Profile,
    classify_with_scans,
    classify_with_sparql,
    from_views,
    inference_triples,
    load_profiles,
    outdated_marker,
    reclassify,
    store_inferences,
)
from isgraph.store import EmbeddedStore, Store

CASES = 150


@pytest.fixture
def store() -> EmbeddedStore:
    data = io.BytesIO()
    write_cases(data, CASES, seed=5, defects=0.3, fmt="nquads")
    opened = EmbeddedStore(None)
    build(store=opened, reason=False)
    opened.oxigraph.load(data.getvalue(), format=ox.RdfFormat.N_QUADS)
    assert opened.keeps_views()  # in memory, derived at the first question asked of them
    return opened


def _keys(store: EmbeddedStore) -> list[tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]]]:
    return [v.key() for v in classify_with_scans(store, load_profiles(store)).verdicts]


def _stored(store: EmbeddedStore) -> set[ox.Triple]:
    return {q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(INFERENCES))}


def test_the_views_give_the_verdicts_of_the_scans(store: EmbeddedStore) -> None:
    profiles = load_profiles(store)
    by_views = from_views(store, profiles)
    assert by_views is not None
    expected = _keys(store)
    assert [v.key() for v in by_views.verdicts] == expected
    assert len(expected) == (CASES + 2) * 5
    # the defects tell the profiles apart: some cases qualify, some do not, with levels found
    assert 0 < sum(v.qualifies for v in by_views.verdicts) < len(expected)
    assert any(s.found for v in by_views.verdicts for s in v.shortfalls)
    assert [v.key() for v in classify_with_sparql(store, profiles).verdicts] == expected


def test_an_initiative_outside_the_case_graphs_is_classified_by_the_scans(store: EmbeddedStore) -> None:
    loose = ox.NamedNode(ID["gen/initiative/loose"])
    store.add(GRAPH["elsewhere"], [ox.Triple(loose, ox.NamedNode(RDF["type"]), ox.NamedNode(ISG["Initiative"]))])
    profiles = load_profiles(store)
    assert from_views(store, profiles) is None
    verdicts = classify_with_sparql(store, profiles).verdicts
    assert [v.key() for v in verdicts] == _keys(store)
    assert loose.value in {v.case for v in verdicts}


def test_after_each_write_only_the_changed_cases_are_classified_again(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[set[str]] = []

    def spied(store: Store, profiles: Sequence[Profile], *, only: Iterable[str] | None = None) -> Classification | None:
        asked.append(set(only or ()))
        return from_views(store, profiles, only=only)

    monkeypatch.setattr(classification, "from_views", spied)
    assert reclassify(store) is False  # nothing stored from the views yet: "isgraph classify" stores it
    store_inferences(store, classify_with_sparql(store, load_profiles(store)))
    assert reclassify(store) is True  # nothing changed: nothing to do, and nothing is out of date
    # a shared organisation becomes a public body: the cases it takes part in change, and no other
    verdicts = classify_with_scans(store, load_profiles(store)).verdicts
    case = next(v.case for v in verdicts if any(s.requirement.iri.endswith("/modernisation-acteur-public") for s in v.shortfalls))
    organisation = next(
        p.object
        for p in store.oxigraph.quads_for_pattern(None, ox.NamedNode(ISG["participant"]), None, None)
        if p.object.value.startswith(ID["gen/actor/org-"])
        and ox.Quad(p.subject, ox.NamedNode(ISG["participationIn"]), ox.NamedNode(case), p.graph_name) in store.oxigraph
    )
    public = [ox.Triple(organisation, ox.NamedNode(RDF["type"]), ox.NamedNode(ISG["PublicBody"]))]
    before = {v.key() for v in verdicts}
    store.replace_graphs({GRAPH["case/gen-public"]: public, **outdated_marker()})
    assert reclassify(store) is True
    after = classify_with_scans(store, load_profiles(store))
    changed = {v.case for v in after.verdicts if v.key() not in before}
    assert case in changed and len(changed) < CASES
    # classified again: the cases of the changed views alone (those the organisation takes part in)
    assert changed <= asked[-1] and 0 < len(asked[-1]) < 10
    assert _stored(store) == set(inference_triples(after))
    assert OUTDATED not in store.named_graphs()
    # a case removed: its verdicts go
    store.replace_graphs(outdated_marker(), drop=[GRAPH["case/gen-3"]])
    assert reclassify(store) is True
    after = classify_with_scans(store, load_profiles(store))
    assert ID["gen/initiative/3"] not in {v.case for v in after.verdicts}
    assert _stored(store) == set(inference_triples(after))
    # every view derived again (a write to the ontology): the stored classification is left
    # out of date, for "isgraph classify" to remake
    store.replace_graphs({GRAPH["ontology/extra"]: [], **outdated_marker()})
    assert CLASSIFIED not in store.every_graph() and reclassify(store) is False
    assert OUTDATED in store.named_graphs()
