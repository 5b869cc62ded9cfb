"""isgraph validate, convert and new-case, as a steward runs them."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

import isgraph
from isgraph.graph.generator import generate_cases
from isgraph.rdf.forms import FormReader
from isgraph.shacl.compiler import describe_path, load_shapes_triples
from isgraph.shacl.engine import Submission, Validator
from isgraph.shacl.report import _path_triples
from tests.pyshacl_engine import pyshacl_keys

from .conftest import FIXTURES, ROOT, dump_nquads, run_cli

CASES = ROOT / "data" / "cases"
BROKEN = FIXTURES / "forms" / "broken.yaml"
ISGSH = "https://w3id.org/isgraph/shapes#"
SH = "http://www.w3.org/ns/shacl#"


def test_reference_cases_conform() -> None:
    result = run_cli("validate", CASES, "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"conforms", "results", "errors", "validated_by_pyshacl"} and report["conforms"] is True
    assert report["errors"] == [] and report["validated_by_pyshacl"] == []
    assert {r["severity"] for r in report["results"]} == {"Info"}
    for r in report["results"]:
        # "also": the other cases that describe a shared node (the Institut Godin assessed both)
        assert set(r) - {"also"} == {"severity", "focus", "path", "value", "shape", "component", "message", "element", "source"}
        assert set(r["message"]) == {"fr", "en"} and set(r["source"]) == {"file", "line"}


def test_broken_form_gives_exact_results_with_lines() -> None:
    result = run_cli("validate", BROKEN, "--format", "json", "--severity", "violation")
    assert result.code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    got = sorted(
        (r["shape"][len(ISGSH) :], r["component"][len(SH) :], r["focus"].rsplit("/id/", 1)[1], r["source"]["line"], r["element"])
        for r in report["results"]
    )
    assert got == [
        (
            "CharacterisationShape-aspiration-sociale",
            "QualifiedMinCountConstraintComponent",
            "characterisation/initielles/godin-2013",
            73,  # the line of "elements:", where the assessment is missing
            "https://w3id.org/isgraph/grid/aspiration-sociale",
        ),
        ("InitiativeShape-carrier", "QualifiedMinCountConstraintComponent", "initiative/initielles", 8, None),
        ("ParticipationShape-role", "ClassConstraintComponent", "participation/initielles/porteur", 44, None),  # "role: porteuse"
    ]
    role = next(r for r in report["results"] if r["shape"].endswith("ParticipationShape-role"))
    assert role["value"] == "<https://w3id.org/isgraph/role/porteuse>"
    assert role["path"] == "<https://w3id.org/isgraph/ontology#role>"
    assert role["message"]["fr"].startswith("Rôle manquant ou inconnu : choisissez porteur,")


def test_text_report_groups_by_case_and_element_in_french() -> None:
    result = run_cli("validate", BROKEN, "--lang", "fr")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{BROKEN} — Initi'elles"
    assert lines[1] == "  Aspiration sociale"
    assert lines[2].startswith("    [Violation] Élément « Aspiration sociale » absent ou évalué plusieurs fois")
    assert "ligne 73" in lines[3]
    assert lines[-1] == "Bilan : non conforme — 3 violation(s), 0 avertissement(s), 2 info(s), 1 fichier(s)"


def test_html_report_is_one_self_contained_page(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run_cli("validate", BROKEN, "--format", "html", "--output", out).code == 1
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "<link" not in page and "src=" not in page
    assert page.count('<span class="sev Violation">') == 3


def test_turtle_report_is_a_shacl_validation_report() -> None:
    result = run_cli("validate", BROKEN, "--format", "turtle")
    store = ox.Store()
    store.load(result.stdout.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    rows = list(
        store.query(f"""PREFIX sh: <{SH}>
        SELECT ?conforms (COUNT(?r) AS ?n) WHERE {{ ?report a sh:ValidationReport ; sh:conforms ?conforms ;
        sh:result ?r . ?r sh:focusNode ?f ; sh:sourceShape ?s ; sh:sourceConstraintComponent ?c ;
        sh:resultSeverity ?sev }} GROUP BY ?conforms""")
    )
    assert [(r["conforms"].value, int(r["n"].value)) for r in rows] == [("false", 5)]
    paths = list(store.query(f"PREFIX sh: <{SH}> SELECT ?p WHERE {{ ?r sh:resultPath/sh:inversePath ?p }}"))
    assert [p["p"].value for p in paths] == ["https://w3id.org/isgraph/ontology#participationIn"]


def test_csv_report() -> None:
    result = run_cli("validate", BROKEN, "--format", "csv", "--severity", "warning")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3 and {r["severity"] for r in rows} == {"Violation"}
    assert list(rows[0]) == [
        "severity",
        "focus",
        "path",
        "value",
        "shape",
        "component",
        "element",
        "message_fr",
        "message_en",
        "file",
        "line",
        "validated_by",
    ]


def test_validate_writes_nothing_to_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_cli("build", "--store", store, "--no-reasoner").code == 0
    before = dump_nquads(store)
    assert run_cli("validate", BROKEN, "--store", store).code == 1
    assert dump_nquads(store) == before
    assert run_cli("validate", CASES, "--store", tmp_path / "absent").code == 0
    assert not (tmp_path / "absent").exists()


def test_validate_all_the_store(built_store: Path) -> None:
    result = run_cli("validate", "--all", "--store", built_store, "--format", "json")
    assert result.code == 0
    files = {r["source"]["file"] for r in json.loads(result.stdout)["results"]}
    assert files == {"data/cases/graines-de-pays.yaml", "data/cases/initielles.yaml"}


FORM_ERRORS = [
    (
        "unknown-key.yaml",
        lambda s: s.replace("  label:\n    fr: Association", "  lable:\n    fr: Association", 1),
        'unknown key "lable"; did you mean "label"?',
        18,
    ),
    (
        "duplicate-key.yaml",
        lambda s: s.replace("territory: ", "territory: territory/departement/80\nterritory: ", 1),
        'repeated key "territory" (field "territory")',
        15,
    ),
    (
        "wrong-type.yaml",
        lambda s: s.replace("participations:\n", "participations: porteur\nxparticipations:\n", 1),
        'a list is expected (items starting with "- ") (field "participations")',
        40,
    ),
    (
        "bad-date.yaml",
        lambda s: s.replace("date: '2013-11-05'", "date: 2013-13-05", 1),
        'invalid date "2013-13-05": YYYY-MM-DD expected, for example 2013-11-05 (field "characterisations[1].date")',
        67,
    ),
    (
        "alias.yaml",
        lambda s: s.replace("label:\n  fr: Initi'elles", "label: &name\n  fr: Initi'elles", 1).replace(
            "title:\n", "title: *name\nxtitle:\n", 1
        ),
        "unreadable YAML: YAML aliases (*name) are not accepted",
        11,
    ),
    (
        "syntax.yaml",
        lambda s: s.replace("territory: ", "territory: [unclosed ", 1),
        "unreadable YAML: did not find expected ',' or ']'",
        15,
    ),
    (
        "bad-type.yaml",
        lambda s: s.replace("type: Association", "type: Asociation", 1),
        'unknown actor type "Asociation" (Association ?)',
        17,
    ),
]


@pytest.mark.parametrize(("name", "change", "message", "line"), FORM_ERRORS, ids=[f[0] for f in FORM_ERRORS])
def test_form_errors_name_the_file_line_and_field(tmp_path: Path, name: str, change, message: str, line: int) -> None:  # type: ignore[no-untyped-def]
    form = tmp_path / name
    text = (CASES / "initielles.yaml").read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    form.write_text(changed, encoding="utf-8")
    result = run_cli("validate", form)
    assert result.code == 2
    # the report names the problem too, with the others (issue 15: every problem at once)
    assert result.stdout.startswith(f"{form} — unreadable\n    [Error] ") and message in result.stdout
    assert result.stdout.endswith(" input error(s) in 1 file(s)\n")
    assert result.stderr.startswith("isgraph: ") and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert message in result.stderr
    assert f"({form}, line {line}" in result.stderr


HOSTILE = [
    ("not-text.ttl", b"\x89PNG\r\n\x1a\n\x00\x00", "not a UTF-8 text file (byte 0)"),
    ("nul-inside.ttl", b'<http://a> <http://b> "x\x00y" .\n', "not a UTF-8 text file (byte 24)"),
    ("empty.yaml", b"", "empty file"),
    (
        "billion-laughs.rdf",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://a">'
        b"<rdf:value>&lol2;</rdf:value></rdf:Description></rdf:RDF>",
        "RDF/XML with a DTD or entities is refused",
    ),
    (
        "external-entity.rdf",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        "RDF/XML with a DTD or entities is refused",
    ),
    (
        "remote-context.jsonld",
        b'{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://a"}',
        "syntax error: No LoadDocumentCallback has been set to load remote contexts",
    ),
    ("trailing.ttl", b"<http://a> <http://b> <http://c> .\n<http://a> <http://b>", "syntax error: "),
]


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_and_broken_files_are_refused_in_one_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    started = time.perf_counter()
    result = run_cli("validate", path)
    assert time.perf_counter() - started < 30
    assert result.code == 2
    assert result.stderr.startswith(f"isgraph: {message}") and result.stderr.count("\n") == 1
    assert str(path) in result.stderr


def test_a_100_mb_literal_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.nt"
    with path.open("wb") as out:
        out.write(b'<http://a> <http://b> "')
        out.write(b"x" * (100 * 1024 * 1024))
        out.write(b'" .\n')
    result = run_cli("validate", path)
    assert result.code == 2
    assert result.stderr == f"isgraph: file too large (100 MB, at most 64 MB) ({path})\n"


def test_catastrophic_pattern_does_not_hang(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "evil.ttl").write_text(
        """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix isg: <https://w3id.org/isgraph/ontology#> .
@prefix isgsh: <https://w3id.org/isgraph/shapes#> .
isgsh:Evil a sh:NodeShape ; sh:targetClass isg:Initiative ; sh:property isgsh:Evil-label ;
  sh:name "x"@fr , "x"@en ; sh:description "x"@fr , "x"@en ; sh:message "x"@fr , "x"@en .
isgsh:Evil-label sh:path <http://www.w3.org/2000/01/rdf-schema#label> ; sh:pattern "^(a+)+$" ;
  sh:name "x"@fr , "x"@en ; sh:description "x"@fr , "x"@en ; sh:message "motif"@fr , "pattern"@en .
""",
        encoding="utf-8",
    )
    case = ox.Triple(
        ox.NamedNode("https://w3id.org/isgraph/id/initiative/evil"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("https://w3id.org/isgraph/ontology#Initiative"),
    )
    label = ox.Triple(case.subject, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("a" * 5000 + "!"))
    started = time.perf_counter()
    report = Validator(shapes=shapes).validate([Submission("evil", (case, label))])
    assert time.perf_counter() - started < 5
    assert [(r.shape, r.component) for r in report.results] == [(ISGSH + "Evil-label", SH + "PatternConstraintComponent")]


@pytest.mark.slow
def test_engine_equals_pyshacl_on_generated_cases_with_defects() -> None:
    validator = Validator()
    submissions = [Submission(graph, tuple(triples)) for graph, triples in generate_cases(40, seed=7, defects=0.6)]
    ours = {r.key() for r in validator.validate(submissions).results}
    assert len({k[4] for k in ours}) >= 8
    assert ours == pyshacl_keys(validator, submissions, load_shapes_triples(ROOT / "shapes"))


@pytest.mark.parametrize("case", ["initielles", "graines-de-pays"])
def test_convert_round_trips_losslessly(tmp_path: Path, case: str) -> None:
    form = CASES / f"{case}.yaml"
    original = set(FormReader(form.read_text(encoding="utf-8"), str(form)).triples())
    turtle, jsonld, back = tmp_path / "c.ttl", tmp_path / "c.jsonld", tmp_path / "c.yaml"
    assert run_cli("convert", form, "--to", "turtle", "-o", turtle).code == 0
    assert run_cli("convert", turtle, "--to", "jsonld", "-o", jsonld).code == 0
    assert run_cli("convert", jsonld, "--to", "yaml", "-o", back).code == 0
    assert {q.triple for q in ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE)} == original
    assert {q.triple for q in ox.parse(path=str(jsonld), format=ox.RdfFormat.JSON_LD)} == original
    assert set(FormReader(back.read_text(encoding="utf-8"), "back").triples()) == original
    assert run_cli("validate", turtle, jsonld, back, "--format", "json").code == 0


def test_convert_refuses_what_a_form_cannot_hold(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    turtle = run_cli("convert", CASES / "initielles.yaml", "--to", "turtle").stdout
    extra.write_text(turtle + '\n<https://w3id.org/isgraph/id/x> <https://schema.org/name> "x" .\n', encoding="utf-8")
    result = run_cli("convert", extra, "--to", "yaml")
    assert result.code == 2
    assert result.stderr == (
        "isgraph: 1 triple(s) with no place in a form, for example: "
        '<https://w3id.org/isgraph/id/x> <https://schema.org/name> "x"\n'
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_new_case_writes_a_commented_blank_form(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "new.yaml"
    assert run_cli("new-case", "--lang", lang, "-o", out).code == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("      - element: ") == 9
    assert [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()][-4:] == [
        "results",
        "novelty",
        "impacts",
        "diffusions",
    ]
    assert ("# isgraph — fiche de cas." if lang == "fr" else "# isgraph — case form.") in text
    result = run_cli("validate", out, "--lang", lang)
    assert result.code == 2
    assert ("champ « id »" if lang == "fr" else 'field "id"') in result.stderr


def test_api_validate() -> None:
    report = isgraph.validate([BROKEN])
    assert not report.conforms
    assert len(report.at_least("Violation").results) == 3


def test_generate_is_deterministic_and_plants_defects(tmp_path: Path) -> None:
    first, second = tmp_path / "a.nq", tmp_path / "b.nq"
    assert run_cli("generate", "--cases", "50", "--seed", "3", "-o", first).code == 0
    assert run_cli("generate", "--cases", "50", "--seed", "3", "-o", second).code == 0
    assert first.read_bytes() == second.read_bytes()
    quads = list(ox.parse(path=str(first), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    assert len(graphs) == 51 and "https://w3id.org/isgraph/graph/territories/generated" in graphs
    clean = tmp_path / "clean.nq"
    assert run_cli("generate", "--cases", "50", "--seed", "3", "--defects", "0", "-o", clean).code == 0
    assert run_cli("validate", clean, "--severity", "violation", "--format", "json").code == 0
    result = run_cli("validate", first, "--severity", "violation", "--format", "json")
    assert result.code == 1
    assert all(
        r["source"]["file"].startswith(f"{first}#https://w3id.org/isgraph/graph/case/gen-")
        for r in json.loads(result.stdout)["results"]
    )


SYNTAX = [
    ("broken.nt", '<http://a> <http://b> <http://c> .\n<http://a> <http://b> "x\n', "syntax error: ", 2),
    ("broken.ttl", "@prefix isg: <https://w3id.org/isgraph/ontology#> .\n\n<http://a> isg:label [ .\n", "syntax error: ", 3),
    (
        "broken.rdf",
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="http://a">\n</rdf:RDF>\n',
        "syntax error: ",
        4,
    ),
    ("broken.jsonld", '{\n  "@id": "http://a",\n  "http://b": [1, 2\n}\n', "syntax error: ", 4),
    ("broken.json", '{\n  "id": "initiative/x",\n  "label": {"fr": "x"\n}\n', "unreadable JSON: ", 5),
    ("broken.yaml", "id: initiative/x\nlabel:\n  fr: x\n   en: y\n", "unreadable YAML: ", 4),
]


@pytest.mark.parametrize(("name", "content", "message", "line"), SYNTAX, ids=[s[0] for s in SYNTAX])
def test_syntax_errors_in_every_format_give_the_line(tmp_path: Path, name: str, content: str, message: str, line: int) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run_cli("validate", path)
    assert result.code == 2
    assert result.stderr.startswith(f"isgraph: {message}") and result.stderr.count("\n") == 1
    assert f"({path}, line {line}, column " in result.stderr


def test_jsonld_keys_json_ld_would_drop_are_refused(tmp_path: Path) -> None:
    jsonld = tmp_path / "case.jsonld"
    assert run_cli("convert", CASES / "initielles.yaml", "--to", "jsonld", "-o", jsonld).code == 0
    assert run_cli("validate", jsonld, "--severity", "violation").code == 0
    doc = json.loads(jsonld.read_text(encoding="utf-8"))
    doc["actors"][0]["lable"] = doc["actors"][0].pop("label")
    typo = tmp_path / "typo.jsonld"
    typo.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    result = run_cli("validate", typo)
    assert result.code == 2
    assert 'unknown key "lable"; did you mean "label"?' in result.stderr and f"({typo}, line " in result.stderr
    doc["@context"]["extra"] = "http://example.org/extra"  # no longer the form context: plain JSON-LD
    other = tmp_path / "other.jsonld"
    other.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    result = run_cli("validate", other)
    assert result.code == 2
    assert result.stderr.startswith("isgraph: term unknown to the ontology: isg:lable (a typo?) (")


def test_a_bundle_is_validated_as_loaded_and_each_result_names_its_graph(tmp_path: Path) -> None:
    """A bundle's graphs go into the validator's store as they are (no round trip through
    Python): a node described in two graphs is attributed to the first by name, a node of the
    default graph to the file, and the cases are found per graph."""
    isg, gen = "https://w3id.org/isgraph/ontology#", "https://w3id.org/isgraph/id/gen/"
    cases = dict(generate_cases(2, seed=5, defects=0))
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, ts in cases.items() for t in ts]
    shared = ox.NamedNode(gen + "actor/untyped")  # named by both cases, typed by neither
    for graph in ("https://w3id.org/isgraph/graph/case/gen-1", "https://w3id.org/isgraph/graph/case/gen-0"):
        quads.append(
            ox.Quad(
                shared,
                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                ox.Literal("sans type", language="fr"),
                ox.NamedNode(graph),
            )
        )
    participation = ox.NamedNode(gen + "participation/extra")
    for p, o in (
        (RDF_TYPE, ox.NamedNode(isg + "Participation")),
        (isg + "participationIn", ox.NamedNode(gen + "initiative/0")),
        (isg + "participant", shared),
    ):  # no role
        quads.append(ox.Quad(participation, ox.NamedNode(p), o, ox.DefaultGraph()))
    bundle = tmp_path / "bundle.nq"
    bundle.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    report = isgraph.validate([bundle])
    assert [
        (r.focus, r.shape.removeprefix(ISGSH), r.component.removeprefix(SH), r.source.file if r.source else None)
        for r in report.at_least("Violation").results
    ] == [
        (gen + "participation/extra", "ParticipationShape-role", "MinCountConstraintComponent", str(bundle)),
        (
            gen + "actor/untyped",
            "TypedActorShape",
            "ClassConstraintComponent",
            f"{bundle}#https://w3id.org/isgraph/graph/case/gen-0",
        ),
    ]
    assert report.cases == {f"{bundle}#https://w3id.org/isgraph/graph/case/gen-{i}": f"{gen}initiative/{i}" for i in (0, 1)}
    assert {r.key() for r in report.results} == pyshacl_keys(
        Validator(), [Submission("all", tuple(q.triple for q in quads))], load_shapes_triples(ROOT / "shapes")
    )


def test_a_bundle_with_a_syntax_error_gives_its_line(tmp_path: Path) -> None:
    bundle = tmp_path / "broken.nq"
    bundle.write_text('<http://a> <http://b> <http://c> <http://g> .\n<http://a> <http://b> "x\n', encoding="utf-8")
    result = run_cli("validate", bundle)
    assert result.code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("isgraph: syntax error: ") and f"({bundle}, line 2, column " in result.stderr


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("<relative> <http://b> <http://c> <http://g> .", "between columns 1 and 11: No scheme found in an absolute IRI"),
        ("<http://a> <http://b> <http://c> <htt p://g> .", "between columns 34 and 45: Invalid IRI code point ' '"),
        ("<http://a> <http://b> <http://x/%zz> .", "between columns 23 and 37: Invalid IRI percent encoding '%zz'"),
        ("<http://[a/> <http://b> <http://c> .", "between columns 1 and 13: Invalid character '[' in host"),
    ],
)
def test_a_bundle_is_read_strictly_though_the_store_loads_it_leniently(tmp_path: Path, line: str, error: str) -> None:
    """The store loads a bundle without checking its IRIs (each of these lines it would take),
    while a second thread reads it strictly: the IRI is refused at its place, and the first
    error is told (a later line is ill-formed too)."""
    bundle = tmp_path / "lenient.nq"
    lines = ["<http://a> <http://b> <http://c> <http://g> .", line, "<http://a> <http://b> <http://x/%zz> ."]
    bundle.write_text("\n".join(lines) + "\n", encoding="utf-8")
    column = error.split()[2]
    result = run_cli("validate", bundle)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"isgraph: syntax error: Parser error at line 2 {error} ({bundle}, line 2, column {column})\n"


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_an_assessment_naming_two_elements_is_reported_under_the_first_by_iri() -> None:
    """The grid element a result is filed under does not depend on the order of the store's
    triples: an element assessment that names two elements (a maxCount violation) is filed
    under the first by IRI, for every result about it."""
    isg, grid = "https://w3id.org/isgraph/ontology#", "https://w3id.org/isgraph/grid/"
    triples = [t for _, ts in generate_cases(1, seed=5, defects=0) for t in ts]  # territories, then the case
    assessment = ox.NamedNode("https://w3id.org/isgraph/id/gen/characterisation/0/logique-de-service")
    extra = ox.Triple(assessment, ox.NamedNode(isg + "element"), ox.NamedNode(grid + "accessibilite"))
    report = Validator().validate([Submission("case.nt", (*triples, extra))])
    about = [(r.component.removeprefix(SH), r.element) for r in report.results if r.focus == assessment.value]
    assert ("MaxCountConstraintComponent", grid + "accessibilite") in about
    assert {element for _, element in about} == {grid + "accessibilite"}


def test_message_placeholders_are_filled_from_the_solution_or_left_as_written() -> None:
    from isgraph.messages import Message
    from isgraph.shacl.engine import Term, _filler

    fill = _filler(Message("« {?elementFr} » au niveau {$level} ({?other})", '"{?elementEn}" at level {$level} ({?other})'))
    values = {
        "elementFr": Term("literal", "Accessibilité", '"Accessibilité"@fr'),
        "elementEn": Term("literal", "Accessibility", '"Accessibility"@en'),
        "level": Term("literal", "", '""'),
    }
    assert fill(values) == Message("« Accessibilité » au niveau  ({?other})", '"Accessibility" at level  ({?other})')
    assert fill(dict(values)) is fill(values)  # each distinct filling is made once


@pytest.mark.parametrize(
    "path",
    [
        "<http://a.example/b>",
        "^<http://a.example/b>",
        "(<http://a.example/b>/<http://c.example/d>)",
        "(<http://a.example/b>|^<http://c.example/d>)",
        "(<http://a.example/b>)*",
        "^(<http://a.example/b>/(<http://x.example/y>)?)",
        "((<http://a.example/b>|<http://c.example/d>))+",
    ],
)
def test_the_turtle_report_writes_every_kind_of_path(path: str) -> None:
    # IRIs hold slashes: a sequence is not split inside them (it was, before issue 20)
    node, triples = _path_triples(path, [0])
    graph = ox.Store()
    graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def one(subject: object, predicate: str) -> object:
        found = [q.object for q in graph.quads_for_pattern(subject, ox.NamedNode(predicate), None)]  # type: ignore[arg-type]
        return found[0] if found else None

    assert describe_path(one, node) == path
