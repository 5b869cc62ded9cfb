"""isgraph import transformap-geojson: each feature a validated case, a country read in any
language of the EU or by a source's own code, nothing personal stored (not even in the
report), a bad file refused whole, and the 1,739 real SSEDAS records. (Issue 17, importers.)"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, dump_nquads, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "imports" / "transformap.geojson"
SSEDAS = ROOT.parent / "shared" / "realdata" / "sse" / "transformap" / "ssedas-transformap.nonFR.geojson"
G = "https://w3id.org/isgraph/graph/"
ARGS = ("--source", "fixture-map", "--edition", "2017-09-19", "--country-alias", "SR=SK")


@pytest.fixture
def store(built_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(built_store, path)
    return path


def test_each_feature_becomes_a_case_its_country_read_in_any_language(store: Path) -> None:
    result = run_cli("import", "transformap-geojson", FIXTURE, "--store", store, *ARGS)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert "6 record(s); 3 added, 0 changed, 0 removed, 0 unchanged, 3 refused" in lines[0]
    assert lines[1].startswith(f"  refused: {FIXTURE}, feature 4 (f004): Territory missing or unknown")
    assert lines[2:4] == [
        f"  refused: {FIXTURE}, feature 5 (?): no identifier or no name: the record cannot be a case",
        f"  refused: {FIXTURE}, feature 6 (f001): identifier already seen (feature 1)",
    ]
    assert [line for line in lines if line.startswith("      ") and "→" in line] == [
        '      "England" → GB-ENG (1)',
        '      "SR" → SK (1)',
        '      "Österreich" → AT (1)',
    ]
    assert '    contact:website: 1 value(s) mapped, 1 not mapped (1 distinct, for example "(e-mail)")' in lines
    assert "    image:author: could point to a person or a home: never imported" in lines
    found = run_cli(
        "sparql",
        "--store",
        store,
        "--format",
        "csv",
        f"""SELECT ?g ?territory ?home WHERE {{ GRAPH ?g {{ ?i isg:territory ?territory .
              ?a isg:locatedIn ?territory OPTIONAL {{ ?a <http://xmlns.com/foaf/0.1/homepage> ?home }} }}
              FILTER STRSTARTS(STR(?g), "{G}import/fixture-map/") }} ORDER BY ?g""",
    )
    assert found.stdout.splitlines()[1:] == [
        f"{G}import/fixture-map/case/f001,https://w3id.org/isgraph/id/territory/country/AT,http://www.foodbank.example.org",
        f"{G}import/fixture-map/case/f002,https://w3id.org/isgraph/id/territory/subdivision/GB-ENG,",
        f"{G}import/fixture-map/case/f003,https://w3id.org/isgraph/id/territory/country/SK,",
    ]


def test_nothing_personal_reaches_the_store_or_the_report(store: Path) -> None:
    result = run_cli("import", "transformap-geojson", FIXTURE, "--store", store, *ARGS)
    stored = "\n".join(line for line in dump_nquads(store).decode("utf-8").splitlines() if "/graph/import/" in line)
    for text in ("info@foodbank", "mail@repair", "+43 1", "Erfundene Gasse", "Erika Musterfrau", "16.37", "48.21", "1010"):
        assert text not in stored, text
        assert text not in result.stdout, text
    assert "http://www.foodbank.example.org" in stored  # the organisation's website stays
    assert '"Eine erfundene Tafel."@de' in stored and '"An invented food bank."' in stored


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "FeatureCollection",\n "features": [}', "invalid JSON: Expecting value ({path}, line 2, column 15)"),
        (
            b'{"type": "Feature", "properties": {}}',
            'this is not a GeoJSON FeatureCollection ("type": "FeatureCollection", "features": [...]) ({path}, line 1)',
        ),
        (
            b'{"type": "FeatureCollection", "features": ' + b"[" * 200 + b"]" * 200 + b"}",
            "document nested more than 64 levels deep: refused ({path})",
        ),
    ],
    ids=["invalid-json", "not-a-collection", "too-deep"],
)
def test_a_bad_file_is_refused_whole_and_nothing_changes(store: Path, tmp_path: Path, content: bytes, message: str) -> None:
    before = dump_nquads(store)
    path = tmp_path / "bad.geojson"
    path.write_bytes(content)
    result = run_cli("import", "transformap-geojson", path, "--store", store, *ARGS)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"isgraph: {message.format(path=path)}\n"
    assert dump_nquads(store) == before


def test_a_country_alias_must_name_a_country_and_a_licence_be_an_iri(store: Path) -> None:
    result = run_cli("import", "transformap-geojson", FIXTURE, "--store", store, "--country-alias", "SR=XX")
    assert (result.code, result.stderr) == (2, "isgraph: --country-alias SR=XX: XX is not an ISO 3166-1 country code\n")
    result = run_cli("import", "transformap-geojson", FIXTURE, "--store", store, "--licence", "public domain")
    assert (result.code, result.stderr) == (
        2,
        'isgraph: --licence expects the IRI of a licence (https://…), not "public domain"\n',
    )


@pytest.mark.slow
@pytest.mark.skipif(not SSEDAS.exists(), reason="the SSEDAS file is in ../shared/realdata (CI has it)")
def test_the_1739_ssedas_records_import_and_import_again_without_a_change(store: Path) -> None:
    args = ("import", "transformap-geojson", SSEDAS, "--store", store, "--source", "ssedas", "--edition", "2017-09-19")
    aliases = ("--country-alias", "SR=SK", "--country-alias", "Italu=IT", "--country-alias", "Cypres=CY")
    first = run_cli(*args, *aliases)
    lines = first.stdout.splitlines()
    # 76 records name no country at all: refused, each with its feature number
    assert "1739 record(s); 1663 added, 0 changed, 0 removed, 0 unchanged, 76 refused" in lines[0]
    assert first.code == 1
    assert "    addr:country: 1663 value(s) mapped" in lines
    again = run_cli(*args, *aliases)
    assert "1739 record(s); 0 added, 0 changed, 0 removed, 1663 unchanged, 76 refused" in again.stdout.splitlines()[0]
    stored = [line for line in dump_nquads(store).decode("utf-8").splitlines() if "/graph/import/ssedas" in line]
    assert len(stored) > 100_000
    assert [line for line in stored if re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", line)] == []  # not one e-mail address


def test_the_licence_the_file_declares_is_in_the_graph(store: Path) -> None:
    run_cli("import", "transformap-geojson", FIXTURE, "--store", store, *ARGS)
    found = run_cli(
        "sparql",
        "--store",
        store,
        "--format",
        "csv",
        f"""SELECT ?rights WHERE {{ GRAPH <{G}import/fixture-map> {{
              <https://w3id.org/isgraph/id/source/fixture-map> <http://purl.org/dc/terms/rights> ?rights }} }} ORDER BY ?rights""",
    )
    assert found.stdout.splitlines()[1:] == [
        "Licence declared by the file: Public Domain",
        "Licence déclarée par le fichier : Public Domain",
    ]
