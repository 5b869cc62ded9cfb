"""The command line: parses arguments, calls the library, renders its results.

Exit codes: 0 success; 1 the data is inconsistent; 2 the input, the store or the
reasoner could not be used; 3 an unexpected internal error (set ISGRAPH_DEBUG=1
for its traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .build import BuildSummary, build
from .errors import IsgraphError
from .conversion import TARGETS, convert
from .export import EXPORT_FORMATS, export
from .forms import blank_form
from .generator import write_cases
from .inputs import validate_paths, validate_stored
from .report_formats import REPORT_FORMATS, render
from .messages import LANGUAGES, Message, pick_language
from .store import DEFAULT_STORE, open_store

M = Message

HELP = {
    "help": M("affiche cette aide et s'arrête", "show this help message and exit"),
    "version": M("affiche la version et s'arrête", "show the version and exit"),
    "prog": M("isgraph : graphe de connaissances de l'innovation sociale (définition de l'Institut Godin).",
              "isgraph: a knowledge graph of social innovation (the Institut Godin's definition)."),
    "lang": M("langue des messages (fr ou en ; par défaut ISGRAPH_LANG ou la locale)",
              "language of messages (fr or en; default ISGRAPH_LANG or the locale)"),
    "store": M(f"dossier de l'entrepôt embarqué (par défaut ISGRAPH_STORE ou {DEFAULT_STORE})",
               f"folder of the embedded store (default ISGRAPH_STORE or {DEFAULT_STORE})"),
    "build": M("charge l'ontologie, la grille, les territoires et tous les cas dans l'entrepôt, "
               "après avoir vérifié leur cohérence avec HermiT, et affiche un résumé",
               "load the ontology, the grid, the territories and every case into the store, "
               "after checking with HermiT that they are consistent, and print a summary"),
    "data": M("dossier des données (cases/, territories/, sources/) ; par défaut data/ du projet",
              "data folder (cases/, territories/, sources/); default the project's data/"),
    "ontology": M("dossier de l'ontologie ; par défaut ontology/ du projet",
                  "ontology folder; default the project's ontology/"),
    "no_reasoner": M("ne pas vérifier la cohérence avec HermiT", "do not check consistency with HermiT"),
    "export": M("écrit tout le graphe de connaissances (graphes nommés compris)",
                "write the whole knowledge graph (named graphs included)"),
    "format": M("nquads (par défaut), trig, jsonld (avec les graphes nommés) ou turtle (leur union)",
                "nquads (default), trig, jsonld (with the named graphs) or turtle (their union)"),
    "output": M("fichier à écrire (par défaut la sortie standard)", "file to write (default standard output)"),
    "validate": M("vérifie des descriptions de cas (fiches YAML/JSON, Turtle, N-Triples, RDF/XML, JSON-LD, lots N-Quads/TriG) "
                  "avec les formes SHACL ; sortie 0 si conforme, 1 si violations, 2 si illisible ; n'écrit rien dans l'entrepôt",
                  "check case descriptions (YAML/JSON forms, Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads/TriG bundles) "
                  "against the SHACL shapes; exit 0 if they conform, 1 on violations, 2 if unreadable; writes nothing to the store"),
    "files": M("fichiers ou dossiers à valider", "files or folders to validate"),
    "all": M("valider tous les cas de l'entrepôt", "validate every case in the store"),
    "report_format": M("text (par défaut), json, html, turtle (sh:ValidationReport) ou csv",
                       "text (default), json, html, turtle (sh:ValidationReport) or csv"),
    "severity": M("gravité minimale affichée : violation, warning ou info (par défaut)",
                  "lowest severity shown: violation, warning or info (default)"),
    "new_case": M("écrit une fiche de cas vierge et commentée (YAML)", "write a blank, commented case form (YAML)"),
    "convert": M("convertit un cas entre Turtle, JSON-LD et fiche YAML, sans rien perdre",
                 "convert a case between Turtle, JSON-LD and YAML form, losing nothing"),
    "file": M("le fichier du cas", "the case file"),
    "generate": M("écrit des cas synthétiques (inventés) pour les tests et les mesures, avec une part de défauts",
                  "write synthetic (invented) cases for tests and benchmarks, with a share of defects"),
    "cases": M("nombre de cas", "number of cases"),
    "seed": M("graine du générateur (même graine, mêmes cas)", "generator seed (same seed, same cases)"),
    "defects": M("part des cas avec un défaut (0 à 1, par défaut 0.1)", "share of cases with a defect (0 to 1, default 0.1)"),
    "gen_format": M("nquads (un graphe par cas, par défaut) ou turtle", "nquads (one graph per case, default) or turtle"),
    "to": M("format cible : turtle, jsonld ou yaml", "target format: turtle, jsonld or yaml"),
}


def _lang_from_argv(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def make_parser(lang: str) -> argparse.ArgumentParser:
    def h(key: str) -> str:
        return HELP[key].text(lang)

    # Accepted before or after the command; SUPPRESS keeps a subcommand's
    # defaults from overwriting a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-h", "--help", action="help", help=h("help"))
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=h("lang"))
    common.add_argument("--store", type=Path, default=argparse.SUPPRESS, help=h("store"))

    parser = argparse.ArgumentParser(prog="isgraph", description=h("prog"), parents=[common], add_help=False)
    parser.add_argument("--version", action="version", version=f"isgraph {__version__}", help=h("version"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("build", parents=[common], add_help=False, help=h("build"), description=h("build"))
    p.add_argument("--data", type=Path, help=h("data"))
    p.add_argument("--ontology", type=Path, help=h("ontology"))
    p.add_argument("--no-reasoner", action="store_true", help=h("no_reasoner"))
    p.set_defaults(run=_build)

    p = commands.add_parser("export", parents=[common], add_help=False, help=h("export"), description=h("export"))
    p.add_argument("--format", choices=list(EXPORT_FORMATS), default="nquads", help=h("format"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_export)

    p = commands.add_parser("validate", parents=[common], add_help=False, help=h("validate"), description=h("validate"))
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help=h("files"))
    p.add_argument("--all", action="store_true", help=h("all"))
    p.add_argument("--format", choices=REPORT_FORMATS, default="text", help=h("report_format"))
    p.add_argument("--severity", choices=["violation", "warning", "info"], default="info", help=h("severity"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_validate)

    p = commands.add_parser("new-case", parents=[common], add_help=False, help=h("new_case"), description=h("new_case"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_new_case)

    p = commands.add_parser("generate", parents=[common], add_help=False, help=h("generate"), description=h("generate"))
    p.add_argument("--cases", type=int, required=True, help=h("cases"))
    p.add_argument("--seed", type=int, default=1, help=h("seed"))
    p.add_argument("--defects", type=float, default=0.1, help=h("defects"))
    p.add_argument("--format", choices=["nquads", "turtle"], default="nquads", help=h("gen_format"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_generate)

    p = commands.add_parser("convert", parents=[common], add_help=False, help=h("convert"), description=h("convert"))
    p.add_argument("file", type=Path, metavar="FILE", help=h("file"))
    p.add_argument("--to", choices=TARGETS, required=True, help=h("to"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_convert)
    return parser


def _build(args: argparse.Namespace, lang: str) -> int:
    summary = build(store=args.store, data=args.data, ontology=args.ontology, reason=not args.no_reasoner)
    print(render_build(summary, lang))
    return 0


def render_build(summary: BuildSummary, lang: str) -> str:
    c, r = summary.counts, summary.consistency
    if r is None:
        checked = M("cohérence : non vérifiée (--no-reasoner)", "consistency: not checked (--no-reasoner)")
    else:
        checked = M(f"cohérence : ontologie et données cohérentes, aucune classe insatisfiable (HermiT, {r.seconds:.1f} s)",
                    f"consistency: ontology and data consistent, no unsatisfiable class (HermiT, {r.seconds:.1f} s)")
    v = summary.validation
    counted = {s: sum(1 for r in v.results if r.severity == s) for s in ("Violation", "Warning", "Info")} if v else {}
    validated = M(f"validation : {len(v.inputs) if v else 0} cas conformes aux formes "
                  f"({counted.get('Warning', 0)} avertissement(s), {counted.get('Info', 0)} info(s))",
                  f"validation: {len(v.inputs) if v else 0} cases conform to the shapes "
                  f"({counted.get('Warning', 0)} warning(s), {counted.get('Info', 0)} info(s))")
    lines = [
        M(f"isgraph build : {summary.files} fichiers chargés dans {summary.store}",
          f"isgraph build: {summary.files} files loaded into {summary.store}"),
        validated,
        checked,
        M(f"cas : {c.cases} · acteurs : {c.actors} · territoires : {c.territories} · "
          f"triplets : {c.triples} · graphes nommés : {c.graphs}",
          f"cases: {c.cases} · actors: {c.actors} · territories: {c.territories} · "
          f"triples: {c.triples} · named graphs: {c.graphs}"),
        M(f"durée : {summary.seconds:.1f} s", f"time: {summary.seconds:.1f} s"),
    ]
    return "\n".join(("  " if i else "") + line.text(lang) for i, line in enumerate(lines))


def _export(args: argparse.Namespace, lang: str) -> int:
    with open_store(args.store, create=False) as store:
        if args.output is None:
            export(store, sys.stdout.buffer, fmt=args.format)
            sys.stdout.buffer.flush()
            return 0
        _write_atomically(args.output, lambda out: export(store, out, fmt=args.format))
    return 0


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        _write_atomically(output, lambda out: out.write(text.encode("utf-8")))


def _validate(args: argparse.Namespace, lang: str) -> int:
    if args.all == bool(args.files):
        raise IsgraphError(M("donnez des fichiers à valider, ou --all pour l'entrepôt (pas les deux)",
                             "give files to validate, or --all for the store (not both)"))
    if args.all:
        with open_store(args.store, create=False) as store:
            report = validate_stored(store)
    else:
        report = validate_paths(args.files)
    _emit(render(report.at_least(args.severity.capitalize()), args.format, lang), args.output)
    return 0 if report.conforms else 1


def _new_case(args: argparse.Namespace, lang: str) -> int:
    _emit(blank_form(lang), args.output)
    return 0


def _generate(args: argparse.Namespace, lang: str) -> int:
    if args.cases < 0 or not 0 <= args.defects <= 1:
        raise IsgraphError(M("--cases doit être positif et --defects entre 0 et 1",
                             "--cases must be positive and --defects between 0 and 1"))
    if args.output is None:
        write_cases(sys.stdout.buffer, args.cases, seed=args.seed, defects=args.defects, fmt=args.format)
    else:
        _write_atomically(args.output, lambda out: write_cases(out, args.cases, seed=args.seed,
                                                               defects=args.defects, fmt=args.format))
    return 0


def _convert(args: argparse.Namespace, lang: str) -> int:
    _emit(convert(args.file, args.to), args.output)
    return 0


def _write_atomically(path: Path, write: Callable[..., None]) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except OSError as exc:
        raise IsgraphError(Message(f"écriture impossible : {exc.strerror}", f"cannot write: {exc.strerror}"),
                           path=path) from None
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = pick_language(_lang_from_argv(argv))
    args = make_parser(lang).parse_args(argv)
    lang = pick_language(getattr(args, "lang", None))
    if not hasattr(args, "store"):
        args.store = Path(os.environ.get("ISGRAPH_STORE") or DEFAULT_STORE)
    try:
        return int(args.run(args, lang))
    except IsgraphError as exc:
        print(f"isgraph: {exc.render(lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("isgraph: interrompu" if lang == "fr" else "isgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into one line
        if os.environ.get("ISGRAPH_DEBUG"):
            raise
        kind = type(exc).__name__
        print(f"isgraph: erreur interne ({kind}) : {exc} — relancez avec ISGRAPH_DEBUG=1 pour le détail"
              if lang == "fr" else
              f"isgraph: internal error ({kind}): {exc} — run again with ISGRAPH_DEBUG=1 for details",
              file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
