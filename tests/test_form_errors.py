"""A form reports every problem at once, each at the line of the key at fault, in the format
asked; several files give one report, unreadable ones included. (Issue 15, findings 3 and 4.)"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import ROOT, run_cli

CASES = ROOT / "data" / "cases"


def _three_problems(folder: Path) -> Path:
    """The Initi'elles form with a misspelt key, a wrong type and an element assessed twice."""
    text = (CASES / "initielles.yaml").read_text(encoding="utf-8")
    text = text.replace("  type: Association\n", "  type: Asociation\n", 1)
    text = text.replace("  label:\n", "  lable:\n", 1)
    text = text.replace(
        "  - id: characterisation/initielles/godin-2013/aspiration-sociale\n    element: aspiration-sociale\n",
        "  - id: characterisation/initielles/godin-2013/aspiration-sociale\n    element: accessibilite\n",
    )
    form = folder / "three.yaml"
    form.write_text(text, encoding="utf-8")
    return form


def _line(path: Path, text: str, nth: int = 1) -> int:
    found = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return found[nth - 1]


def test_every_problem_of_a_form_at_once_at_the_line_of_its_key(tmp_path: Path) -> None:
    form = _three_problems(tmp_path)
    result = run_cli("validate", form, "--format", "json")
    assert result.code == 2
    report = json.loads(result.stdout)
    assert report["conforms"] is False and report["results"] == []
    found = [(e["line"], e["message"]["en"]) for e in report["errors"]]
    first, again = _line(form, "element: accessibilite"), _line(form, "element: accessibilite", 2)
    assert found == [
        (
            _line(form, "type: Asociation"),
            'unknown actor type "Asociation" (Association ?); types: Association, Cooperative, Company, PublicBody, '
            "LocalAuthority, ResearchOrganisation, HealthOrSocialInstitution, Organisation, InformalGroup, Person "
            '(field "actors[1].type")',
        ),
        (
            _line(form, "lable:"),
            'unknown key "lable"; did you mean "label"? (allowed keys: id, type, label, comment, located_in, serves, '
            'siren, siret, rna, wikidata) (field "actors[1].lable")',
        ),
        (
            again,
            f'"Accessibility" is assessed twice, lines {first} and {again} (field "characterisations[1].elements[6].element")',
        ),
    ]
    assert all(e["file"] == str(form) for e in report["errors"])
    assert result.stderr.startswith('isgraph: unknown actor type "Asociation"') and result.stderr.endswith(
        "; and 2 more problem(s)\n"
    )


def test_an_element_assessed_twice_is_named_in_french_too(tmp_path: Path) -> None:
    form = _three_problems(tmp_path)
    result = run_cli("validate", form, "--lang", "fr")
    first, again = _line(form, "element: accessibilite"), _line(form, "element: accessibilite", 2)
    assert f"« Accessibilité » est évalué deux fois, lignes {first} et {again}" in result.stdout


def test_several_files_give_one_report_unreadable_ones_included(tmp_path: Path) -> None:
    broken = ROOT / "tests" / "fixtures" / "forms" / "broken.yaml"
    unreadable = tmp_path / "garbage.ttl"
    unreadable.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    form = _three_problems(tmp_path)
    result = run_cli("validate", broken, unreadable, form, CASES / "graines-de-pays.yaml", "--format", "json")
    assert result.code == 2
    report = json.loads(result.stdout)
    assert sorted({e["file"] for e in report["errors"]}) == sorted([str(unreadable), str(form)])
    assert {r["source"]["file"] for r in report["results"] if r["severity"] == "Violation"} == {str(broken)}
    text = run_cli("validate", broken, unreadable, form, CASES / "graines-de-pays.yaml")
    assert text.stdout.splitlines()[-1] == (
        "Summary: unreadable — 3 violation(s), 0 warning(s), 4 info(s), 4 file(s), 4 input error(s) in 2 file(s)"
    )


def test_a_form_that_merges_nothing_converts_and_validates(tmp_path: Path) -> None:
    """Before, an element listed twice became one assessment with two statements, and the case conformed."""
    text = (
        (CASES / "initielles.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "  - id: characterisation/initielles/godin-2013/aspiration-sociale\n    element: aspiration-sociale\n",
            "  - element: accessibilite\n",
        )
    )
    form = tmp_path / "merged.yaml"
    form.write_text(text, encoding="utf-8")
    result = run_cli("validate", form)
    assert result.code == 2
    assert '"Accessibility" is assessed twice, lines ' in result.stderr


def test_a_result_points_at_the_key_at_fault(tmp_path: Path) -> None:
    """Issue 15, finding 4: the line was the "- element:" one, not the key's."""
    text = (CASES / "initielles.yaml").read_text(encoding="utf-8")
    form = tmp_path / "level.yaml"
    form.write_text(text.replace("level: present", "level: inconnu", 1), encoding="utf-8")
    result = run_cli("validate", form, "--format", "json", "--severity", "violation")
    assert result.code == 1
    (violation,) = json.loads(result.stdout)["results"]
    assert violation["path"] == "<https://w3id.org/isgraph/ontology#level>"
    assert violation["source"] == {"file": str(form), "line": _line(form, "level: inconnu")}


STAGES_3_4 = """\
results:
- description:
    fr: un service
- type: Servise
  description:
    fr: un autre
novelty:
  description:
    fr: du neuf
  compared_with:
    fr: l'habitude
impacts:
- type: DirectImpact
  scope: monde
  description:
    fr: un emploi
diffusions:
- mode: essaimage
  diffused_to: territory/commune/99999
"""


def test_the_keys_of_stages_3_and_4_are_checked_like_the_others(tmp_path: Path) -> None:
    form = tmp_path / "stages.yaml"
    form.write_text((CASES / "initielles.yaml").read_text(encoding="utf-8") + STAGES_3_4, encoding="utf-8")
    result = run_cli("validate", form, "--format", "json")
    assert result.code == 2
    found = [(e["line"], e["message"]["en"]) for e in json.loads(result.stdout)["errors"]]
    assert found == [
        (
            _line(form, "- description:"),
            '"type" is missing: result type expected (Approach, Product, Service) (field "results[1]")',
        ),
        (
            _line(form, "type: Servise"),
            'unknown result type "Servise" (Service ?); types: Approach, Product, Service (field "results[2].type")',
        ),
        (
            _line(form, "compared_with:"),
            'unknown key "compared_with" (allowed keys: id, description, breaks_with) (field "novelty.compared_with")',
        ),
    ]
    fixed = form.read_text(encoding="utf-8").replace(
        "- description:\n    fr: un service", "- type: Service\n  description:\n    fr: un service"
    )
    form.write_text(fixed.replace("Servise", "Product").replace("compared_with", "breaks_with"), encoding="utf-8")
    result = run_cli("validate", form, "--format", "json")
    assert result.code == 1
    violations = sorted(
        (r["source"]["line"], r["shape"].rsplit("#", 1)[1], r["message"]["en"])
        for r in json.loads(result.stdout)["results"]
        if r["severity"] == "Violation"
    )
    assert violations == [
        (
            _line(form, "scope: monde"),
            "ImpactShape-scope",
            'Impact scope missing or unknown: choose individus, organisations, territoire or collectivites (field "scope").',
        ),
        (
            _line(form, "diffused_to: territory/commune/99999"),
            "DiffusionShape-to",
            'Unknown territory: give a territory of the reference, for example territory/commune/58079 (field "diffused_to").',
        ),
    ]
