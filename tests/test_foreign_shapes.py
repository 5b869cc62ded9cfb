"""Issue 20: an observatory brings its own shapes (a strict policy, DCAT-AP for its dataset
descriptions) with ``isgraph validate --shapes FILE|DIR``. Messages are optional in
them: a clear one is generated in both languages; isgraph's own shapes keep theirs."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT, run_cli

CASE = ROOT / "data" / "cases" / "initielles.yaml"
POLICY = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix isg: <https://w3id.org/isgraph/ontology#> .
@prefix ex: <https://observatoire.example/policy#> .

ex:WebsiteRequired a sh:NodeShape ;
  sh:targetClass isg:Initiative ;
  sh:property [ sh:path <https://schema.org/url> ; sh:minCount 1 ; sh:severity sh:Warning ] .
"""


def test_a_policy_adds_its_results_with_generated_messages(tmp_path: Path) -> None:
    policy = tmp_path / "policy.ttl"
    policy.write_text(POLICY, encoding="utf-8")
    en = run_cli("validate", CASE, "--shapes", policy, "--lang", "en")
    assert en.code == 0, en.stderr
    lines = en.stdout.splitlines()
    warning = lines.index(
        "    [Warning] does not conform to shape <https://observatoire.example/policy#WebsiteRequired> on path <https://schema.org/url>"
    )
    assert lines[warning + 1].startswith("      focus: initiative/initielles · path: schema:url · line 7 · shape: ")
    assert lines[warning + 1].endswith(" (MinCountConstraintComponent)")
    assert lines[-1] == "Summary: conforms — 0 violation(s), 1 warning(s), 2 info(s), 1 file(s)"
    fr = run_cli("validate", CASE, "--shapes", policy, "--lang", "fr")
    assert (
        "    [Avertissement] ne respecte pas la forme <https://observatoire.example/policy#WebsiteRequired> "
        "pour le chemin <https://schema.org/url>"
    ) in fr.stdout.splitlines()
    # the steward's policy decides what blocks
    assert run_cli("validate", CASE, "--shapes", policy, "--fail-on", "warning").code == 1
    # without the policy, the same case has no warning
    assert run_cli("validate", CASE, "--lang", "en").stdout.splitlines()[-1] == (
        "Summary: conforms — 0 violation(s), 0 warning(s), 2 info(s), 1 file(s)"
    )


def test_a_folder_of_shapes_and_a_message_in_one_language(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "a.ttl").write_text(POLICY.replace("sh:severity sh:Warning", 'sh:message "Site web requis" '), encoding="utf-8")
    (folder / "notes.txt").write_text("not shapes", encoding="utf-8")
    run = run_cli("validate", CASE, "--shapes", folder, "--lang", "en")
    assert run.code == 1  # a violation now (no sh:severity)
    assert "    [Violation] Site web requis" in run.stdout.splitlines()


def test_an_unsupported_construct_is_refused_with_the_file_named(tmp_path: Path) -> None:
    policy = tmp_path / "rule.ttl"
    policy.write_text(
        POLICY.replace("sh:targetClass isg:Initiative ;", "sh:targetClass isg:Initiative ; sh:rule [] ;"), encoding="utf-8"
    )
    run = run_cli("validate", CASE, "--shapes", policy, "--lang", "en")
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        "isgraph: shape https://observatoire.example/policy#WebsiteRequired: unsupported http://www.w3.org/ns/shacl#rule "
        f"({policy})\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("validate", CASE, "--shapes", empty, "--lang", "en").stderr == f"isgraph: no .ttl shapes file ({empty})\n"


def test_a_severity_of_ones_own_is_reported_as_such(tmp_path: Path) -> None:
    """SHACL allows any IRI as a severity: it is reported under its own name, shown at the
    Info level, and blocks only a policy that fails on info."""
    policy = tmp_path / "review.ttl"
    policy.write_text(POLICY.replace("sh:severity sh:Warning", "sh:severity ex:ToReview"), encoding="utf-8")
    run = run_cli("validate", CASE, "--shapes", policy, "--lang", "en")
    assert run.code == 0
    assert (
        "    [ToReview] does not conform to shape <https://observatoire.example/policy#WebsiteRequired> on path <https://schema.org/url>"
    ) in run.stdout.splitlines()
    assert "ToReview" not in run_cli("validate", CASE, "--shapes", policy, "--severity", "warning").stdout
    assert run_cli("validate", CASE, "--shapes", policy, "--fail-on", "info").code == 1
    turtle = run_cli("validate", CASE, "--shapes", policy, "--format", "turtle").stdout
    assert "<https://observatoire.example/policy#ToReview>" in turtle
