"""Issue 17: every territory of the 2026 Code officiel géographique, generated reproducibly
from the Etalab package; one territory reference for build, validate, ingest and harvest;
the postcode lookup of the importers; a case in Clamecy validates and ingests."""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.errors import InputError
from isgraph.rdf.files import MAX_FILE_BYTES, read_file
from isgraph.rdf.layout import collect_kind
from isgraph.store.territories import TerritoryReference, shipped

from .conftest import ROOT, run_cli

PACKAGE = ROOT.parent / "shared" / "realdata" / "territory" / "etalab-decoupage-administratif-6.0.0.tgz"
SHIPPED = ROOT / "data" / "territories" / "cog-2026.ttl.gz"
T = "https://w3id.org/isgraph/id/territory/"
ISG = "https://w3id.org/isgraph/ontology#"

sys.path.insert(0, str(ROOT / "tools"))
import cog_territories  # noqa: E402
import iso_territories  # noqa: E402

ISO_SHIPPED = ROOT / "data" / "territories" / "iso-3166.ttl.gz"


@pytest.fixture(scope="module")
def reference() -> ox.Store:
    store = ox.Store()
    for source in collect_kind(ROOT / "data", "territories"):
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in source.triples)
    return store


def one(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    found = store.query(f"PREFIX isg: <{ISG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> {query}")
    return sorted(tuple(row[v.value].value for v in found.variables) for row in found)  # type: ignore[union-attr]


@pytest.mark.skipif(not PACKAGE.exists(), reason="the Etalab package is in ../shared/realdata (CI has it)")
def test_the_reference_is_generated_reproducibly_from_the_etalab_package(tmp_path: Path) -> None:
    out = tmp_path / "cog.ttl.gz"
    assert cog_territories.main([str(PACKAGE), "--output", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes()  # the same package gives the same bytes


@pytest.mark.skipif(not PACKAGE.exists(), reason="the Etalab package is in ../shared/realdata (CI has it)")
def test_a_package_that_is_not_the_one_named_is_refused(tmp_path: Path) -> None:
    tampered = tmp_path / "package.tgz"
    tampered.write_bytes(PACKAGE.read_bytes() + b"\0")
    with pytest.raises(SystemExit) as refused:
        cog_territories.main([str(tampered), "--output", str(tmp_path / "out.ttl.gz")])
    assert str(refused.value).startswith("the package is not @etalab/decoupage-administratif@6.0.0: sha512 ")
    assert not (tmp_path / "out.ttl.gz").exists()


@pytest.mark.parametrize(
    ("kind", "count"),
    [
        ("Commune", 34969),
        ("CommuneDeleguee", 2105),
        ("CommuneAssociee", 471),
        ("ArrondissementMunicipal", 45),
        ("FormerCommune", 4240),
        ("Epci", 1255),
        ("Departement", 101),
        ("OverseasCollectivity", 8),
    ],
)
def test_every_territory_of_the_cog(reference: ox.Store, kind: str, count: int) -> None:
    assert one(reference, f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?t a isg:{kind} }}") == [(str(count),)]


def test_the_hierarchy_is_kept(reference: ox.Store) -> None:
    # every commune in exactly one département (or collectivité d'outre-mer), and at most one EPCI
    assert (
        one(
            reference,
            """SELECT ?c WHERE { ?c a isg:Commune .
             FILTER NOT EXISTS { ?c isg:within ?d . { ?d a isg:Departement } UNION { ?d a isg:OverseasCollectivity } } }""",
        )
        == []
    )
    assert (
        one(
            reference,
            "SELECT ?c WHERE { ?c a isg:Commune ; isg:within ?a , ?b . ?a a isg:Epci . ?b a isg:Epci FILTER (?a != ?b) }",
        )
        == []
    )
    # every département in one région of today; the 2016 merger kept (the départements of a former région went to its successor)
    assert (
        one(reference, "SELECT ?d WHERE { ?d a isg:Departement FILTER NOT EXISTS { ?d isg:within ?r . ?r a isg:Region } }") == []
    )
    assert (
        one(
            reference,
            "SELECT ?d WHERE { ?d isg:formerlyWithin ?old ; isg:within ?new . ?new a isg:Region FILTER NOT EXISTS { ?old isg:replacedBy ?new } }",
        )
        == []
    )
    assert one(
        reference,
        f"""SELECT ?label ?code ?postcode ?population ?siren WHERE {{ <{T}commune/58079> rdfs:label ?label ; isg:inseeCode ?code ;
              isg:postcode ?postcode ; isg:population ?population ; isg:authoritySiren ?siren }}""",
    ) == [("Clamecy", "58079", "58500", "3544", "215800798")]
    assert one(
        reference,
        f"""SELECT ?up WHERE {{ <{T}commune/58079> isg:within+ ?t . ?t rdfs:label ?up FILTER (LANG(?up) = "fr") }}""",
    ) == [("Bourgogne-Franche-Comté",), ("CC Haut Nivernais - Val d'Yonne",), ("Nièvre",)]


def test_clamecy_rolls_up_to_its_epci_departement_and_region(reference: ox.Store) -> None:
    ups = one(reference, f"SELECT ?t WHERE {{ <{T}commune/58079> isg:within+ ?t }}")
    kinds = {t: one(reference, f"SELECT ?k WHERE {{ <{t}> a ?k }}")[0][0].rsplit("#", 1)[1] for (t,) in ups}
    assert sorted(kinds.values()) == ["Country", "Departement", "Epci", "Region"]
    assert {t for t, k in kinds.items() if k != "Epci"} == {f"{T}departement/58", f"{T}region/27", f"{T}country/FR"}


def test_the_territories_outside_france_are_generated_reproducibly_from_iso_3166(tmp_path: Path) -> None:
    out = tmp_path / "iso.ttl.gz"
    assert iso_territories.main(["--output", str(out)]) == 0
    assert out.read_bytes() == ISO_SHIPPED.read_bytes()


def test_every_country_and_its_subdivisions_outside_france(reference: ox.Store) -> None:
    assert one(reference, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a isg:Country }") == [("249",)]
    assert one(reference, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a isg:CountrySubdivision }") == [("4922",)]
    # a first-level subdivision is within its country; a second-level one within its first
    assert one(
        reference,
        f"""SELECT ?up ?code ?type WHERE {{ <{T}subdivision/GB-NAY> isg:within+ ?up ; isg:iso3166Code ?code ;
              isg:subdivisionType ?type }}""",
    ) == [(f"{T}country/GB", "GB-NAY", "Council area"), (f"{T}subdivision/GB-SCT", "GB-NAY", "Council area")]
    assert one(reference, f"SELECT ?up WHERE {{ <{T}subdivision/AT-9> isg:within ?up }}") == [(f"{T}country/AT",)]
    # every subdivision rolls up to a country; none is French (the COG describes France)
    assert (
        one(
            reference,
            "SELECT ?s WHERE { ?s a isg:CountrySubdivision FILTER NOT EXISTS { ?s isg:within+ ?c . ?c a isg:Country } }",
        )
        == []
    )
    assert one(reference, 'SELECT ?s WHERE { ?s isg:iso3166Code ?c FILTER STRSTARTS(?c, "FR-") }') == []
    # France's régions and collectivités d'outre-mer are within France
    assert one(reference, f"SELECT ?up WHERE {{ <{T}commune/58079> isg:within+ ?up . ?up a isg:Country }}") == [
        (f"{T}country/FR",)
    ]
    assert (
        one(
            reference,
            f"SELECT ?r WHERE {{ {{ ?r a isg:Region }} UNION {{ ?r a isg:OverseasCollectivity }} FILTER NOT EXISTS {{ ?r isg:within <{T}country/FR> }} }}",
        )
        == []
    )
    # names in the languages the importers read
    assert one(
        reference, f"SELECT ?name WHERE {{ <{T}country/AT> rdfs:label ?name FILTER (LANG(?name) IN ('de', 'fr', 'en')) }}"
    ) == [
        ("Austria",),
        ("Autriche",),
        ("Österreich",),
    ]


def test_a_case_outside_france_validates_and_an_unknown_subdivision_is_refused(tmp_path: Path) -> None:
    case = clamecy_case(tmp_path, "territory/subdivision/AT-9")
    checked = run_cli("validate", case, "--store", tmp_path / "none", "--format", "json")
    assert checked.code == 0, checked.stdout
    case = clamecy_case(tmp_path, "territory/subdivision/AT-99")
    checked = run_cli("validate", case, "--store", tmp_path / "none", "--format", "json")
    assert checked.code == 1
    assert {
        (r["shape"].rsplit("#")[1], r["value"]) for r in json.loads(checked.stdout)["results"] if r["severity"] == "Violation"
    } == {
        ("InitiativeShape-territory", f"<{T}subdivision/AT-99>"),
        ("ActorShape-locatedIn", f"<{T}subdivision/AT-99>"),
    }


def test_former_codes_resolve_to_the_commune_of_today(reference: ox.Store) -> None:
    # Annecy (74010) took in Annecy-le-Vieux, Cran-Gevrier, Meythet, Pringy and Seynod in 2017 (their
    # names kept by the communes déléguées), and three codes of earlier changes, without a name
    assert one(
        reference,
        f"""SELECT ?code ?name WHERE {{ ?old isg:replacedBy <{T}commune/74010> ; isg:inseeCode ?code .
              OPTIONAL {{ ?old rdfs:label ?label }} BIND (COALESCE(?label, "") AS ?name) }}""",
    ) == [
        ("74011", "Annecy-le-Vieux"),
        ("74028", ""),
        ("74093", "Cran-Gevrier"),
        ("74125", ""),
        ("74182", "Meythet"),
        ("74217", "Pringy"),
        ("74268", "Seynod"),
        ("74300", ""),
    ]
    # no former code is a code of today
    assert one(reference, "SELECT ?c WHERE { ?c a isg:FormerCommune , isg:Commune }") == []


def test_the_graph_says_where_it_comes_from_and_under_which_licence(reference: ox.Store) -> None:
    graph = "https://w3id.org/isgraph/graph/territories/cog-2026"
    assert one(reference, f"SELECT ?l WHERE {{ <{graph}> <http://purl.org/dc/terms/license> ?l }}") == [
        ("https://www.etalab.gouv.fr/licence-ouverte-open-licence/",)
    ]
    assert one(reference, f"SELECT ?s WHERE {{ <{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?s }}") == [
        ("https://registry.npmjs.org/@etalab/decoupage-administratif/-/decoupage-administratif-6.0.0.tgz",)
    ]


def test_a_postcode_gives_its_communes_never_a_guess() -> None:
    reference = shipped((ROOT / "data").resolve())
    clamecy = reference.by_postcode("58500")
    assert [c.insee for c in clamecy] == [
        "58011",
        "58032",
        "58073",
        "58079",
        "58198",
        "58200",
        "58217",
        "58222",
        "58282",
        "58312",
    ]
    assert [(c.label, c.iri) for c in clamecy if c.insee == "58079"] == [("Clamecy", f"{T}commune/58079")]
    assert [(c.insee, c.label) for c in reference.by_postcode("58000")] == [
        ("58051", "Challuy"),
        ("58194", "Nevers"),
        ("58238", "Saint-Éloi"),
        ("58278", "Sermoise-sur-Loire"),
    ]
    assert [c.insee for c in reference.by_postcode(" 80000 ")] == ["80021"]
    # Paris 1er: the commune and its arrondissement municipal, both
    assert [c.insee for c in reference.by_postcode("75001")] == ["75056", "75101"]
    assert reference.by_postcode("00000") == []


def test_a_slice_holds_the_territories_named_and_all_above_them() -> None:
    reference = shipped((ROOT / "data").resolve())
    found = reference.around([f"{T}commune/74011"])  # a former commune
    subjects = {t.subject.value for t in found}
    assert {f"{T}commune/74011", f"{T}commune/74010", f"{T}departement/74", f"{T}region/84"} <= subjects
    assert reference.around([f"{T}commune/99999", "https://example.org/x"]) == []


CLAMECY_FORM = (ROOT / "data" / "cases" / "initielles.yaml").read_text(encoding="utf-8")


def clamecy_case(tmp_path: Path, territory: str = "territory/commune/58079") -> Path:
    """A fictional case in Clamecy, for the tests (the form of the first reference case, its
    identifiers and territory changed)."""
    text = CLAMECY_FORM.replace("territory/quartier/80021-etouvie", territory)
    for old, new in (("initielles", "clamecy-test"), ("institut-godin", "clamecy-test/assessor")):
        text = text.replace(f"/{old}", f"/{new}").replace(f"-{old}", f"-{new}")
    path = tmp_path / "clamecy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_case_in_clamecy_validates_and_ingests(tmp_path: Path) -> None:
    case = clamecy_case(tmp_path)
    checked = run_cli("validate", case, "--store", tmp_path / "none", "--format", "json")
    assert checked.code == 0, checked.stdout
    assert json.loads(checked.stdout)["conforms"] is True
    store = tmp_path / "store"
    assert run_cli("build", "--store", store, "--no-reasoner").code == 0
    ingested = run_cli("ingest", case, "--store", store)
    assert ingested.code == 0, ingested.stdout + ingested.stderr
    answer = run_cli(
        "sparql",
        "--store",
        store,
        f"SELECT ?t WHERE {{ <https://w3id.org/isgraph/id/initiative/clamecy-test> <{ISG}territory> ?t }}",
    )
    assert answer.stdout.splitlines()[2] == "id:territory/commune/58079"


def test_a_commune_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    case = clamecy_case(tmp_path, "territory/commune/99999")
    checked = run_cli("validate", case, "--store", tmp_path / "none", "--format", "json")
    assert checked.code == 1
    results = json.loads(checked.stdout)["results"]
    assert {(r["shape"].rsplit("#")[1], r["value"]) for r in results if r["severity"] == "Violation"} == {
        ("InitiativeShape-territory", f"<{T}commune/99999>"),
        ("ActorShape-locatedIn", f"<{T}commune/99999>"),
    }


def test_a_territory_of_the_stewards_own_is_honoured_by_every_command(tmp_path: Path) -> None:
    """A quartier added in the documented file, loaded by build: validate (on that store),
    ingest and harvest read it; a validation without the store does not know it."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "territories" / "local.ttl").write_text(
        (ROOT / "data" / "territories" / "local.ttl").read_text(encoding="utf-8")
        + '\n<quartier/58079-beaugy> a isg:Quartier ;\n    rdfs:label "Beaugy"@fr ;\n    isg:within <commune/58079> .\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert run_cli("build", "--store", store, "--data", data, "--no-reasoner").code == 0
    case = clamecy_case(tmp_path, "territory/quartier/58079-beaugy")
    assert run_cli("validate", case, "--store", store).code == 0
    shipped_only = run_cli("validate", case, "--store", tmp_path / "none", "--lang", "en")
    assert shipped_only.code == 1 and "Territory missing or unknown" in shipped_only.stdout
    assert run_cli("ingest", case, "--store", store).code == 0


def test_a_compressed_file_that_inflates_too_far_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.ttl.gz"
    bomb.write_bytes(gzip.compress(b"# " + b" " * (MAX_FILE_BYTES + 10) + b"\n"))
    with pytest.raises(InputError) as refused:
        read_file(bomb, shown_as="bomb.ttl.gz", bnode_prefix="b")
    assert refused.value.render("en") == "decompressed file too large (at most 64 MB) (bomb.ttl.gz)"
    truncated = tmp_path / "cut.ttl.gz"
    truncated.write_bytes(gzip.compress(b"<urn:a> <urn:b> <urn:c> .\n" * 100)[:-12])
    with pytest.raises(InputError) as cut:
        read_file(truncated, shown_as="cut.ttl.gz", bnode_prefix="b")
    assert cut.value.render("en") == "truncated gzip file (cut.ttl.gz)"


def test_the_reference_fits_in_one_in_memory_store() -> None:
    reference = TerritoryReference()
    reference.add(t for s in collect_kind(ROOT / "data", "territories") for t in s.triples)
    assert len(reference) == len(shipped((ROOT / "data").resolve()))
    assert reference.knows(f"{T}epci/200067429")  # CC Haut Nivernais-Val d'Yonne, Clamecy's EPCI


def test_a_validation_with_the_slice_gives_the_results_of_the_whole_reference() -> None:
    """Each validation takes the territories its cases name and those above them: on generated
    cases (and the two reference cases), the same results as with every territory loaded."""
    from isgraph.graph.generator import generate_cases
    from isgraph.shacl.api import read_submissions
    from isgraph.shacl.engine import Submission, Validator

    sliced = Validator()
    whole = Validator(
        context=[*(q.triple for q in sliced.context), *(t for s in collect_kind(ROOT / "data", "territories") for t in s.triples)]
    )
    cases = [Submission(graph, tuple(triples)) for graph, triples in generate_cases(300, seed=7)]
    cases += read_submissions([ROOT / "data" / "cases"])  # type: ignore[arg-type]
    found = {r.key() for r in sliced.validate(cases).results}
    assert found == {r.key() for r in whole.validate(cases).results}
    assert any(r[3].endswith("ActorShape-locatedIn") for r in found)  # the generator plants unknown places


def test_a_country_or_subdivision_named_in_a_source_is_found_never_guessed() -> None:
    reference = shipped(ROOT / "data")
    gb, at = f"{T}country/GB", f"{T}country/AT"
    assert [reference.country(t) for t in ("GB", "gb", "UK", "United Kingdom", "Royaume-Uni", "Vereinigtes Königreich")] == [
        gb
    ] * 6
    assert [reference.country(t) for t in ("Österreich", "ÖSterreich", "Autriche", "AT")] == [at] * 4
    assert reference.country("Czech Republic") == f"{T}country/CZ"  # its official name
    assert [reference.country(t) for t in ("Atlantis", "", "England")] == [None, None, None]
    assert {
        t: reference.subdivision(gb, t)
        for t in (
            "Glasgow, City of",
            "Glasgow City",
            "City of Edinburgh",
            "County Durham",
            "Cardiff",
            "Caerdydd",
            "GB-NAY",
            "scotland",
        )
    } == {
        "Glasgow, City of": f"{T}subdivision/GB-GLG",
        "Glasgow City": f"{T}subdivision/GB-GLG",
        "City of Edinburgh": f"{T}subdivision/GB-EDH",
        "County Durham": f"{T}subdivision/GB-DUR",
        "Cardiff": f"{T}subdivision/GB-CRF",
        "Caerdydd": f"{T}subdivision/GB-CRF",
        "GB-NAY": f"{T}subdivision/GB-NAY",
        "scotland": f"{T}subdivision/GB-SCT",
    }
    assert reference.subdivision(gb, "Wien") is None  # not in that country
    assert reference.subdivision(None, "England") == f"{T}subdivision/GB-ENG"  # any country, when only one has it
    assert reference.subdivision(None, "Limburg") is None  # Belgium and the Netherlands both have one: never a guess
