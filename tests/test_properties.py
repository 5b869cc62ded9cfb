"""Properties that must hold for every case, tried on many generated ones (hypothesis):
a form converts YAML → RDF → YAML without loss, and the IRIs isgraph mints for what a case
owns never collide across cases whose ids share suffixes. (Issue 15.)"""

from __future__ import annotations

import pyoxigraph as ox
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isgraph.namespaces import ID, case_key
from isgraph.rdf.form_writer import form_yaml, to_form
from isgraph.rdf.forms import ELEMENTS, IMPACT_TYPES, RESULT_TYPES, read_form

LEVELS = ("present", "en-cours", "absent", "non-renseigne")
ROLES = ("porteur", "partenaire", "financeur", "beneficiaire", "membre-gouvernance")
PRINCIPLES = ("marche", "redistribution", "reciprocite")
SCOPES = ("individus", "organisations", "territoire", "collectivites")
MODES = ("marche", "politiques-publiques", "essaimage", "reseaux")
TYPES = ("Association", "Cooperative", "Company", "PublicBody", "InformalGroup", "Person")

segment = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)
#: texts as stewards write them: letters with accents, digits, punctuation, no control characters
text = st.text(st.characters(categories=("L", "N", "P", "Zs"), exclude_characters="\x85\u2028\u2029"), min_size=1, max_size=40)
texts = st.fixed_dictionaries({"fr": text}, optional={"en": text}).map(lambda d: {k: v.strip() or "x" for k, v in d.items()})


@st.composite
def forms(draw: st.DrawFn, case: str | None = None) -> dict[str, object]:
    """A case form: its actors, participations, resources, one characterisation, and at times stages 3 and 4."""
    case = case or "initiative/" + "/".join(draw(st.lists(segment, min_size=1, max_size=3)))
    actors = [
        {"id": f"actor/{draw(segment)}-{i}", "type": draw(st.sampled_from(TYPES)), "label": draw(texts)}
        for i in range(draw(st.integers(1, 4)))
    ]
    form: dict[str, object] = {
        "id": case,
        "label": draw(texts),
        "territory": draw(st.sampled_from(["territory/departement/60", "territory/region/32", "territory/commune/80021"])),
        "actors": actors,
        "participations": [
            {"actor": a["id"], "role": draw(st.sampled_from(ROLES))} for a in draw(st.lists(st.sampled_from(actors), min_size=1))
        ],
        "resources": [
            {"principle": p, "provider_unknown": True} for p in draw(st.lists(st.sampled_from(PRINCIPLES), unique=True))
        ],
        "characterisations": [
            {
                "assessor": actors[0]["id"],
                "date": draw(st.dates().map(lambda d: d.isoformat())),
                "grid": "godin-2013",
                "elements": [
                    {"element": e, "level": draw(st.sampled_from(LEVELS)), "statement": draw(texts)}
                    for e in draw(st.lists(st.sampled_from(ELEMENTS), min_size=1, unique=True))
                ],
            }
        ],
    }
    # stages 3 and 4: results, novelty, impacts and diffusions, each optional
    if draw(st.booleans()):
        form["results"] = [
            {"type": draw(st.sampled_from(RESULT_TYPES)), "description": draw(texts)} for _ in range(draw(st.integers(1, 2)))
        ]
        form["novelty"] = {"description": draw(texts), "breaks_with": draw(texts)}
        form["impacts"] = [
            {
                **({"type": t} if (t := draw(st.sampled_from(IMPACT_TYPES))) != "Impact" else {}),
                "scope": s,
                "description": draw(texts),
            }
            for s in draw(st.lists(st.sampled_from(SCOPES), min_size=1, unique=True))
        ]
        form["diffusions"] = [
            {"mode": m, "diffused_by": actors[0]["id"], "diffused_to": "territory/departement/80"}
            for m in draw(st.lists(st.sampled_from(MODES), min_size=1, unique=True))
        ]
    return form


def _triples(document: str) -> set[ox.Triple]:
    triples, _ = read_form(document.encode("utf-8"), ".yaml", shown_as="case.yaml")
    return set(triples)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms())
def test_a_form_converts_yaml_to_rdf_to_yaml_without_loss(form: dict[str, object]) -> None:
    written = yaml.safe_dump(form, allow_unicode=True, sort_keys=False)
    triples = _triples(written)
    again = form_yaml(to_form(sorted(triples, key=str)))
    assert _triples(again) == triples


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(segment, min_size=1, max_size=4), min_size=2, max_size=6, unique_by=tuple), st.data())
def test_minted_iris_are_unique_across_cases_whose_ids_share_suffixes(paths: list[list[str]], data: st.DataObject) -> None:
    # ids that end alike: each path keeps the last segment of the first
    ids = ["initiative/" + "/".join([*p[:-1], paths[0][-1]]) for p in paths]
    if len(set(ids)) < len(ids):
        return
    owned: dict[str, str] = {}
    for case in ids:
        triples = _triples(yaml.safe_dump(data.draw(forms(case)), allow_unicode=True))
        mine = {
            t.subject.value
            for t in triples
            if isinstance(t.subject, ox.NamedNode) and not t.subject.value.startswith(ID["actor/"])
        }
        for iri in mine:
            assert owned.setdefault(iri, case) == case, f"{iri} minted for {owned[iri]} and {case}"
    assert len({case_key(ID[i]) for i in ids}) == len(ids)
