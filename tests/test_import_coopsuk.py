"""isgraph import coops-uk-2016: each organisation an actor with its dated figures (one set
per year end, the economic years that reused it kept), on the same actor as the directory
of the same publisher when imported with the same --ids; the registered address never
stored; the 8,037 real organisations and their 32,292 economy rows. (Issue 17, importers.)"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, dump_nquads, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "imports"
REAL = ROOT.parent / "shared" / "realdata" / "sse" / "coops-uk"
ID = "https://w3id.org/isgraph/id/"
ISG = "https://w3id.org/isgraph/ontology#"


@pytest.fixture
def store(built_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(built_store, path)
    return path


def _import(store: Path, organisations: Path, economy: Path, *more: str) -> list[str]:
    result = run_cli(
        "import",
        "coops-uk-2016",
        organisations,
        "--economy",
        economy,
        "--store",
        store,
        "--source",
        "fixture-2016",
        "--ids",
        "fixture",
        *more,
    )
    assert result.code in (0, 1), result.stderr
    return result.stdout.splitlines()


def _rows(store: Path, query: str) -> list[list[str]]:
    result = run_cli("sparql", "--store", store, "--format", "csv", query)
    assert result.code == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout)))[1:]


def test_each_organisation_becomes_an_actor_with_its_figures_per_year(store: Path) -> None:
    lines = _import(store, FIXTURES / "2016-organisations.csv", FIXTURES / "2016-economy.csv", "--edition", "2016-06-30")
    assert "3 record(s); 3 added, 0 changed, 0 removed, 0 unchanged, 0 refused" in lines[0]
    assert '    Incorporation Date: 2 value(s) mapped, 1 not mapped (1 distinct, for example "31/2/2001")' in lines
    assert '    UK Nation: 2 value(s) mapped, 1 not mapped (1 distinct, for example "Jersey")' in lines
    assert '    economy: CUK Organisation ID: 2 value(s) mapped, 1 not mapped (1 distinct, for example "F000009")' in lines
    assert "    Registered Street: contact details: never imported" in lines
    assert _rows(
        store,
        f"""SELECT ?actor ?end ?turnover ?members ?employees (GROUP_CONCAT(STR(?year); separator=" ") AS ?years) WHERE {{
              ?f <{ISG}figuresOf> ?actor ; <{ISG}yearEnd> ?end ; <{ISG}economicYear> ?year .
              OPTIONAL {{ ?f <{ISG}turnover> ?turnover }} OPTIONAL {{ ?f <{ISG}memberCount> ?members }}
              OPTIONAL {{ ?f <{ISG}employeeCount> ?employees }}
            }} GROUP BY ?actor ?end ?turnover ?members ?employees ORDER BY ?actor ?end""",
    ) == [
        [f"{ID}actor/fixture/F000001", "2014-03-31", "120000.5", "12", "4", "2014"],
        [f"{ID}actor/fixture/F000001", "2015-03-31", "130000", "14", "5", "2015 2016"],
        [f"{ID}actor/fixture/F000002", "2013-12-31", "", "", "", "2014"],
    ]
    assert _rows(
        store,
        f"""SELECT ?actor ?name ?where ?start ?end ?number WHERE {{ ?actor a <{ISG}Organisation> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name .
              FILTER STRSTARTS(STR(?actor), "{ID}actor/fixture/")
              OPTIONAL {{ ?actor <{ISG}locatedIn> ?where }} OPTIONAL {{ ?actor <{ISG}startDate> ?start }}
              OPTIONAL {{ ?actor <{ISG}endDate> ?end }} OPTIONAL {{ ?actor <{ISG}companiesHouseNumber> ?number }} }} ORDER BY ?actor""",
    ) == [
        [f"{ID}actor/fixture/F000001", "Fictive Bakery", f"{ID}territory/subdivision/GB-ENG", "1999-04-03", "", "01234567"],
        [
            f"{ID}actor/fixture/F000002",
            "Fictive Housing Co-operative Limited",
            f"{ID}territory/subdivision/GB-WLS",
            "1975-12-31",
            "2014-06-01",
            "",
        ],
        [f"{ID}actor/fixture/F000003", "Fictive Island Co-op", "", "", "", ""],
    ]
    stored = "\n".join(line for line in dump_nquads(store).decode("utf-8").splitlines() if "/graph/import/" in line)
    for text in ("Invented Lane", "LS1 1AA", "Leeds"):
        assert text not in stored


def test_the_figures_meet_the_directory_of_the_same_publisher_and_importing_again_changes_nothing(store: Path) -> None:
    directory = run_cli(
        "import", "essglobal-csv", FIXTURES / "standard.csv", "--store", store, "--source", "fixture", "--edition", "2024-01-31"
    )
    assert directory.code == 1  # two invented rows are refused (see test_import_essglobal)
    _import(store, FIXTURES / "2016-organisations.csv", FIXTURES / "2016-economy.csv")
    before = dump_nquads(store)
    again = _import(store, FIXTURES / "2016-organisations.csv", FIXTURES / "2016-economy.csv")
    assert "3 record(s); 0 added, 0 changed, 0 removed, 3 unchanged, 0 refused" in again[0]
    assert dump_nquads(store) == before
    # both imports name the same actor: its kind from the directory, its figures from the economy file
    assert _rows(
        store,
        f"""SELECT ?kind ?end WHERE {{ <{ID}actor/fixture/X001> a ?kind FILTER (?kind != <{ISG}Organisation>)
              OPTIONAL {{ ?f <{ISG}figuresOf> <{ID}actor/fixture/X001> ; <{ISG}yearEnd> ?end }} }}""",
    ) == [[f"{ISG}Cooperative", ""]]


@pytest.mark.slow
@pytest.mark.skipif(
    not (REAL / "2016-economy.csv").exists(), reason="the Co-operatives UK files are in ../shared/realdata (CI has it)"
)
def test_the_8037_organisations_and_their_economy_import(store: Path) -> None:
    args = ("--source", "coops-uk-2016", "--ids", "coops-uk", "--edition", "2016-06-30")
    first = run_cli(
        "import",
        "coops-uk-2016",
        REAL / "2016-organisations.csv",
        "--economy",
        REAL / "2016-economy.csv",
        "--store",
        store,
        *args,
    )
    lines = first.stdout.splitlines()
    # 18 organisations appear twice in the file: the second of each is refused, with its line
    assert "8037 record(s); 8019 added, 0 changed, 0 removed, 0 unchanged, 18 refused" in lines[0]
    assert lines[1] == f"  refused: {REAL / '2016-organisations.csv'}, line 326 (R000493): identifier already seen (line 325)"
    assert '    economy: Year End Date: 32286 value(s) mapped, 6 not mapped (1 distinct, for example "")' in lines
    assert _rows(
        store,
        f"SELECT (COUNT(?f) AS ?n) (COUNT(DISTINCT ?actor) AS ?actors) WHERE {{ ?f <{ISG}figuresOf> ?actor }}",
    ) == [["12332", "6061"]]
    again = run_cli(
        "import",
        "coops-uk-2016",
        REAL / "2016-organisations.csv",
        "--economy",
        REAL / "2016-economy.csv",
        "--store",
        store,
        *args,
    )
    assert "8037 record(s); 0 added, 0 changed, 0 removed, 8019 unchanged, 18 refused" in again.stdout.splitlines()[0]


def test_the_publishers_licence_and_attribution_are_in_the_graph(store: Path) -> None:
    _import(store, FIXTURES / "2016-organisations.csv", FIXTURES / "2016-economy.csv")
    assert _rows(
        store,
        f"""SELECT ?licence ?rights WHERE {{ GRAPH <https://w3id.org/isgraph/graph/import/fixture-2016> {{
              <{ID}source/fixture-2016> <http://purl.org/dc/terms/license> ?licence ; <http://purl.org/dc/terms/rights> ?rights }} }}
            ORDER BY ?rights""",
    ) == [
        ["https://opendatacommons.org/licenses/by/1-0/", "Contains Co-operatives UK open data"],
        ["https://opendatacommons.org/licenses/by/1-0/", "Contient des données ouvertes de Co-operatives UK"],
    ]
