"""The command line: parses arguments, calls the library, renders its results.

Exit codes: 0 success; 1 the data is inconsistent; 2 the input, the store or the
reasoner could not be used; 3 an unexpected internal error (set ISGRAPH_DEBUG=1
for its traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from isgraph import __version__
from isgraph.cli.help import HELP
from isgraph.cli.remake_news import RemakeNews
from isgraph.cli.replica_news import ReplicaNews
from isgraph.errors import InputError, InputErrors, IsgraphError
from isgraph.federation.federate import federate
from isgraph.federation.harvest import harvest, render_outcomes
from isgraph.federation.match_report import MATCH_FORMATS, render_matches
from isgraph.federation.matching import candidates, decide, read_decisions
from isgraph.federation.sources import load_sources
from isgraph.graph.build import build, render_build
from isgraph.graph.export import EXPORT_FORMATS, export
from isgraph.graph.generator import write_cases
from isgraph.graph.ingest import RefusedError, default_submitter, ingest, remove, restore
from isgraph.imports.formats import FORMATS as IMPORT_FORMATS
from isgraph.imports.formats import import_file
from isgraph.messages import LANGUAGES, Message, pick_language
from isgraph.query import catalogue
from isgraph.query.results import RESULT_FORMATS, compact, render_result
from isgraph.rdf.conversion import TARGETS, convert
from isgraph.rdf.forms import blank_form
from isgraph.reason.classification import classify, outdated_since, reclassify, store_inferences
from isgraph.reason.report import CLASSIFY_FORMATS, render_classification
from isgraph.shacl.api import expand, store_validator, validate_paths, validate_stored
from isgraph.shacl.engine import FAIL_ON, Validator
from isgraph.shacl.report import REPORT_FORMATS, render
from isgraph.sparql.parser import MAX_DEPTH, MAX_LENGTH
from isgraph.sparql.policy import DEPTH_CEILING
from isgraph.sparql.protocol import REQUEST_FORMS
from isgraph.store import EmbeddedStore, Store, connect, connect_for_serving, endpoint_setting, scratch, store_setting
from isgraph.web.settings import DEFAULT_BASE, ServerSettings, read_token

M = Message


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
    common.add_argument("--endpoint", default=argparse.SUPPRESS, metavar="URL", help=h("endpoint"))
    common.add_argument("--update-endpoint", default=argparse.SUPPRESS, metavar="URL", help=h("update_endpoint"))
    common.add_argument("--request-form", choices=REQUEST_FORMS, default=argparse.SUPPRESS, help=h("request_form"))

    parser = argparse.ArgumentParser(prog="isgraph", description=h("prog"), parents=[common], add_help=False)
    parser.add_argument("--version", action="version", version=f"isgraph {__version__}", help=h("version"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("build", parents=[common], add_help=False, help=h("build"), description=h("build"))
    p.add_argument("--data", type=Path, help=h("data"))
    p.add_argument("--ontology", type=Path, help=h("ontology"))
    p.add_argument("--no-reasoner", action="store_true", help=h("no_reasoner"))
    p.set_defaults(run=_build)

    p = commands.add_parser(
        "dump", aliases=["export"], parents=[common], add_help=False, help=h("export"), description=h("export")
    )
    p.add_argument("--format", choices=list(EXPORT_FORMATS), default="nquads", help=h("format"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_export)

    p = commands.add_parser("validate", parents=[common], add_help=False, help=h("validate"), description=h("validate"))
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help=h("files"))
    p.add_argument("--all", action="store_true", help=h("all"))
    p.add_argument("--shapes", action="append", default=[], type=Path, metavar="FILE|DIR", help=h("foreign_shapes"))
    p.add_argument("--format", choices=REPORT_FORMATS, default="text", help=h("report_format"))
    p.add_argument("--severity", choices=["violation", "warning", "info"], default="info", help=h("severity"))
    p.add_argument("--fail-on", choices=FAIL_ON, default="violation", help=h("fail_on"))
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

    p = commands.add_parser("ingest", parents=[common], add_help=False, help=h("ingest"), description=h("ingest"))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=h("case_files"))
    p.add_argument("--submitter", help=h("submitter"))
    p.add_argument("--fail-on", choices=FAIL_ON, default="violation", help=h("fail_on"))
    p.add_argument("--format", choices=REPORT_FORMATS, default="text", help=h("report_format"))
    p.set_defaults(run=_ingest)

    p = commands.add_parser("import", parents=[common], add_help=False, help=h("import"), description=h("import"))
    p.add_argument("format", choices=list(IMPORT_FORMATS), metavar="FORMAT", help=h("import_format"))
    p.add_argument("file", type=Path, metavar="FILE", help=h("import_file"))
    p.add_argument("--source", metavar="NAME", help=h("import_source"))
    p.add_argument("--edition", type=_date, metavar="YYYY-MM-DD", help=h("import_edition"))
    p.add_argument("--licence", metavar="IRI", help=h("import_licence"))
    p.add_argument("--rights", action="append", default=[], metavar="LANG=TEXT", help=h("import_rights"))
    p.add_argument("--title", action="append", default=[], metavar="LANG=TEXT", help=h("dataset_title"))
    p.add_argument("--country-alias", action="append", default=[], metavar="TEXT=CODE", help=h("country_alias"))
    p.add_argument("--ids", metavar="NAME", help=h("import_ids"))
    p.add_argument("--economy", type=Path, metavar="FILE", help=h("import_economy"))
    p.set_defaults(run=_import)

    p = commands.add_parser("remove", parents=[common], add_help=False, help=h("remove"), description=h("remove"))
    p.add_argument("cases", nargs="+", metavar="CASE", help=h("case_names"))
    p.set_defaults(run=_remove)

    p = commands.add_parser("restore", parents=[common], add_help=False, help=h("restore"), description=h("restore"))
    p.add_argument("file", type=Path, metavar="FILE", help=h("dump_file"))
    p.set_defaults(run=_restore)

    p = commands.add_parser("queries", parents=[common], add_help=False, help=h("queries"), description=h("queries"))
    p.set_defaults(run=_queries)

    p = commands.add_parser("query", parents=[common], add_help=False, help=h("query"), description=h("query"))
    p.add_argument("name", metavar="NAME", help=h("query_name"))
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE", help=h("param"))
    p.add_argument("--limit", type=int, default=catalogue.PAGE, metavar="N", help=h("limit"))
    p.add_argument("--offset", type=int, default=0, metavar="N", help=h("offset"))
    p.add_argument("--all", action="store_true", help=h("all_rows"))
    p.add_argument("--format", choices=RESULT_FORMATS, default="table", help=h("result_format"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_query)

    p = commands.add_parser("sparql", parents=[common], add_help=False, help=h("sparql"), description=h("sparql"))
    p.add_argument("text", metavar="QUERY_OR_FILE", help=h("sparql_text"))
    p.add_argument("--format", choices=RESULT_FORMATS, default="table", help=h("result_format"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_sparql)

    p = commands.add_parser("classify", parents=[common], add_help=False, help=h("classify"), description=h("classify"))
    p.add_argument("--profile", action="append", metavar="NAME", help=h("profile"))
    p.add_argument("--format", choices=CLASSIFY_FORMATS, default="table", help=h("classify_format"))
    p.add_argument("--method", choices=["auto", "hermit", "sparql"], default="auto", help=h("method"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_classify)

    p = commands.add_parser("serve", parents=[common], add_help=False, help=h("serve"), description=h("serve"))
    p.add_argument("--host", default="127.0.0.1", help=h("host"))
    p.add_argument("--port", type=int, default=8000, help=h("port"))
    p.add_argument("--token-file", type=Path, help=h("token_file"))
    p.add_argument("--query-timeout", type=float, default=30.0, help=h("query_timeout"))
    p.add_argument("--max-results", type=int, default=100_000, help=h("max_results"))
    p.add_argument("--allow-service", action="append", default=[], metavar="HOST", help=h("allow_service"))
    p.add_argument("--workers", type=int, default=4, help=h("workers"))
    p.add_argument("--no-replica", action="store_true", help=h("no_replica"))
    p.add_argument("--long-after", type=float, default=0.5, metavar="SECONDS", help=h("long_after"))
    p.add_argument("--cors", nargs="*", default=["*"], metavar="ORIGIN", help=h("cors"))
    p.add_argument("--max-query-length", type=int, default=MAX_LENGTH, metavar="CHARS", help=h("max_query_length"))
    p.add_argument("--max-query-depth", type=int, default=MAX_DEPTH, metavar="LEVELS", help=h("max_query_depth"))
    p.add_argument("--base", default=DEFAULT_BASE, help=h("base"))
    p.add_argument("--public-url", metavar="URL", help=h("public_url"))
    p.add_argument("--licence", metavar="IRI", help=h("licence"))
    p.add_argument("--title", action="append", default=[], metavar="LANG=TEXT", help=h("dataset_title"))
    p.add_argument("--description", action="append", default=[], metavar="LANG=TEXT", help=h("dataset_description"))
    p.add_argument("--publisher", metavar="NAME", help=h("publisher"))
    p.add_argument("--publisher-iri", metavar="IRI", help=h("publisher_iri"))
    p.set_defaults(run=_serve, lives_on=True)  # its validations free their stores at once

    p = commands.add_parser("harvest", parents=[common], add_help=False, help=h("harvest"), description=h("harvest"))
    p.add_argument("sources", type=Path, metavar="SOURCES", help=h("sources_file"))
    p.add_argument("--quarantine", type=Path, default=Path(".isgraph") / "quarantine", help=h("quarantine"))
    p.add_argument("--fail-on", choices=FAIL_ON, default=None, help=h("harvest_fail_on"))
    p.set_defaults(run=_harvest)

    p = commands.add_parser("federate", parents=[common], add_help=False, help=h("federate"), description=h("federate"))
    p.add_argument("name", metavar="NAME", help=h("query_name"))
    p.add_argument("--sources", type=Path, required=True, help=h("sources_opt"))
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE", help=h("param"))
    p.add_argument("--with-local", action="store_true", help=h("with_local"))
    p.add_argument("--format", choices=RESULT_FORMATS, default="table", help=h("result_format"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_federate)

    p = commands.add_parser("matches", parents=[common], add_help=False, help=h("matches"), description=h("matches"))
    p.add_argument("--format", choices=MATCH_FORMATS, default="text", help=h("match_format"))
    p.add_argument("--accept", action="append", default=[], metavar="ID", help=h("accept"))
    p.add_argument("--reject", action="append", default=[], metavar="ID", help=h("reject"))
    p.add_argument("--by", help=h("by"))
    p.add_argument("--all", action="store_true", help=h("include_decided"))
    p.add_argument("--output", "-o", type=Path, help=h("output"))
    p.set_defaults(run=_matches)

    p = commands.add_parser("network", parents=[common], add_help=False, help=h("network"), description=h("network"))
    p.add_argument("--output", "-o", type=Path, help=h("network_output"))
    p.add_argument("--top", type=int, default=10, help=h("top"))
    p.set_defaults(run=_network)
    return parser


def _build(args: argparse.Namespace, lang: str) -> int:
    # the embedded store is opened only once everything has been read and checked
    target = _store(args) if endpoint_setting(getattr(args, "endpoint", None)) else args.store
    summary = build(store=target, data=args.data, ontology=args.ontology, reason=not args.no_reasoner)
    print(render_build(summary, lang))
    return 0


def _store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The store the arguments name: --endpoint (or ISGRAPH_ENDPOINT) if given, else --store."""
    return connect(
        args.store,
        endpoint=getattr(args, "endpoint", None),
        update_endpoint=getattr(args, "update_endpoint", None),
        create=create,
        request_form=getattr(args, "request_form", None),
        on_remake=RemakeNews(pick_language(getattr(args, "lang", None))),
    )


def _export(args: argparse.Namespace, lang: str) -> int:
    with _store(args) as store:
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
        raise IsgraphError(
            M(
                "donnez des fichiers à valider, ou --all pour l'entrepôt (pas les deux)",
                "give files to validate, or --all for the store (not both)",
            )
        )
    if args.all:
        with _store(args) as store:
            report = validate_stored(store, validator=store_validator(store, foreign=args.shapes or ()))
    else:
        report = validate_paths(args.files, validator=_reference_validator(args))
    _emit(render(report.at_least(args.severity.capitalize()), args.format, lang), args.output)
    if report.errors:  # the report holds every problem; the terminal gets the first, in one line
        raise InputErrors(list(report.errors))
    return 1 if report.fails(args.fail_on) else 0


def _reference_validator(args: argparse.Namespace) -> Validator:
    """The validator of files: with the territories of the store when there is one (the same
    reference as ingest), else with what ships."""
    try:
        store = _store(args)
    except IsgraphError:  # no store yet: the shipped reference
        return Validator(foreign=args.shapes or ())
    with store:
        return store_validator(store, foreign=args.shapes or ())


def _new_case(args: argparse.Namespace, lang: str) -> int:
    _emit(blank_form(lang), args.output)
    return 0


def _generate(args: argparse.Namespace, lang: str) -> int:
    if args.cases < 0 or not 0 <= args.defects <= 1:
        raise IsgraphError(
            M("--cases doit être positif et --defects entre 0 et 1", "--cases must be positive and --defects between 0 and 1")
        )
    if args.output is None:
        write_cases(sys.stdout.buffer, args.cases, seed=args.seed, defects=args.defects, fmt=args.format)
    else:
        _write_atomically(
            args.output, lambda out: write_cases(out, args.cases, seed=args.seed, defects=args.defects, fmt=args.format)
        )
    return 0


def _convert(args: argparse.Namespace, lang: str) -> int:
    _emit(convert(args.file, args.to), args.output)
    return 0


def _ingest(args: argparse.Namespace, lang: str) -> int:
    with _store(args, create=True) as store:
        try:
            result = ingest(store, expand(args.files), submitter=args.submitter, fail_on=args.fail_on)
        except RefusedError as exc:
            sys.stdout.write(render(exc.blocking, args.format, lang))
            raise
    sys.stdout.write(result.render(args.format, lang))
    return 0


def _import(args: argparse.Namespace, lang: str) -> int:
    rights, title = _texts(args.rights, "--rights"), _texts(args.title, "--title")
    with _store(args, create=True) as store:
        outcome = import_file(
            store,
            args.format,
            args.file,
            source=args.source,
            edition=args.edition,
            licence=args.licence,
            rights=rights,
            title=title,
            country_aliases=_aliases(args.country_alias),
            ids=args.ids,
            economy=args.economy,
            lang=lang,
        )
    print(outcome.render(lang))
    return 1 if outcome.refused else 0


def _texts(values: Sequence[str], option: str) -> Message | None:
    """``fr=…`` and ``en=…`` given to an option, as one message (one language: both)."""
    if not values:
        return None
    texts = {}
    for value in values:
        language, sep, text = value.partition("=")
        if not sep or language not in LANGUAGES or not text.strip():
            raise InputError(
                M(
                    f"{option} attend LANGUE=TEXTE (fr=… ou en=…), pas « {value} »",
                    f'{option} expects LANG=TEXT (fr=… or en=…), not "{value}"',
                )
            )
        texts[language] = text.strip()
    return M(texts.get("fr") or texts["en"], texts.get("en") or texts["fr"])


def _aliases(values: Sequence[str]) -> dict[str, str]:
    found = {}
    for value in values:
        text, sep, code = value.rpartition("=")
        if not sep or not text.strip() or not code.strip():
            raise InputError(
                M(
                    f"--country-alias attend TEXTE=CODE (SR=SK), pas « {value} »",
                    f'--country-alias expects TEXT=CODE (SR=SK), not "{value}"',
                )
            )
        found[text.strip()] = code.strip()
    return found


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"YYYY-MM-DD: {text}") from None


def _remove(args: argparse.Namespace, lang: str) -> int:
    with _store(args) as store:
        for graph in remove(store, args.cases):
            print(M(f"retiré : <{graph}>", f"removed: <{graph}>").text(lang))
    return 0


def _restore(args: argparse.Namespace, lang: str) -> int:
    with _store(args, create=True) as store:
        count = restore(store, args.file)
    print(M(f"{count} quads restaurés depuis {args.file}", f"{count} quads restored from {args.file}").text(lang))
    return 0


def _queries(args: argparse.Namespace, lang: str) -> int:
    for query in catalogue.load_catalogue():
        params = " ".join(f"{p.name}={p.default if p.default is not None else '…'}" for p in query.params)
        tested = " · ".join(compact_iri(i) for i in (query.lesson, query.misconception) if i)
        print(f"{query.name}{'  [' + params + ']' if params else ''}")
        print(f"    {query.title.text(lang)}{'  (' + tested + ')' if tested else ''}")
    return 0


def compact_iri(iri: str) -> str:
    return compact(ox.NamedNode(iri))


def _parse_params(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise IsgraphError(
                M(f"paramètre à donner sous la forme nom=valeur : {pair!r}", f"parameter to give as name=value: {pair!r}")
            )
        values[name] = value
    return values


#: The formats of ``isgraph query`` that the store can write itself, as media types.
_ANSWER_MEDIA = {"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/sparql-results+json"}


def _query(args: argparse.Namespace, lang: str) -> int:
    query = catalogue.find(args.name)
    values = _parse_params(args.param)
    query.bind(values)  # a bad parameter is refused before the store is opened
    with _store(args) as store:
        if args.all and args.format in _ANSWER_MEDIA and isinstance(store, EmbeddedStore):
            # every row, serialised by the store (none becomes a Python term), labels filled
            text, media = query.whole(values, store), _ANSWER_MEDIA[args.format]
            labels = query.labels_filled_after(values, store)
            if args.output is None:
                store.write_answer(text, sys.stdout.buffer, media, labels=labels)
                sys.stdout.buffer.flush()
            else:
                _write_atomically(args.output, lambda out: store.write_answer(text, out, media, labels=labels))
            return 0
        if args.all:
            data = render_result(catalogue.answer(store, query, values).as_result(), args.format, lang)
            more = False
        else:
            page = catalogue.answer_page(store, query, values, limit=args.limit, offset=args.offset)
            data, more = render_result(page.collected.as_result(), args.format, lang), page.more
    _emit_bytes(data, args.output)
    if more:
        following = args.offset + args.limit
        print(
            f"isgraph: lignes {args.offset + 1} à {following} ; d'autres suivent : --offset {following}, ou --all pour toutes"
            if lang == "fr"
            else f"isgraph: rows {args.offset + 1} to {following}; more follow: --offset {following}, or --all for every row",
            file=sys.stderr,
        )
    return 0


def _sparql(args: argparse.Namespace, lang: str) -> int:
    text = args.text
    if text.endswith(".rq") or Path(text).is_file():
        try:
            text = Path(text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise IsgraphError(M(f"fichier illisible : {exc}", f"unreadable file: {exc}"), path=args.text) from None
    with _store(args) as store:
        data = render_result(
            catalogue.run_text(store, text, where=args.text if text != args.text else "query"), args.format, lang
        )
    _emit_bytes(data, args.output)
    return 0


def _emit_bytes(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        _write_atomically(output, lambda out: out.write(data))


def _classify(args: argparse.Namespace, lang: str) -> int:
    with _store(args) as store:
        since = outdated_since(store)
        result = classify(store, profiles=args.profile, method=args.method)
        # stored verdicts made from the views are brought up to date case by case; the others replaced whole
        if not args.profile and (result.method != "SPARQL" or not reclassify(store)):
            store_inferences(store, result)
    if since:
        stored = M("remplacé", "replaced") if not args.profile else M("toujours stocké", "still stored")
        print(
            M(
                f"isgraph: le classement stocké était périmé (des cas ont changé depuis le {since}) : {stored.fr}",
                f"isgraph: the stored classification was out of date (cases have changed since {since}): {stored.en}",
            ).text(lang),
            file=sys.stderr,
        )
    _emit(render_classification(result, args.format, lang, result.labels), args.output)
    return 0


def _network(args: argparse.Namespace, lang: str) -> int:
    from isgraph.query import network  # networkx takes a quarter of a second to import: only here

    with _store(args) as store:
        networks = network.build_networks(store, labels=args.output is not None)
    print(network.render_summary(networks, top=args.top, lang=lang))
    if args.output:
        for path in network.export(networks, args.output):
            print(M(f"écrit : {path}", f"written: {path}").text(lang))
    return 0


def _harvest(args: argparse.Namespace, lang: str) -> int:
    sources = load_sources(args.sources)
    with _store(args, create=True) as store:
        outcomes = harvest(store, sources, quarantine=args.quarantine, fail_on=args.fail_on)
    text = render_outcomes(outcomes, args.quarantine, lang)
    if text:
        print(text)
    failed = sum(not o.ok for o in outcomes)
    return 0 if failed < len(outcomes) else 2


def _federate(args: argparse.Namespace, lang: str) -> int:
    sources = load_sources(args.sources)
    query = catalogue.find(args.name)
    values = _parse_params(args.param)
    query.bind(values)  # a bad parameter stops everything before any source is asked
    if args.with_local:
        with _store(args) as store:
            result = federate(sources, query, values, local=store)
    else:
        result = federate(sources, query, values)
    for answer in result.answers:
        if answer.error is not None:
            print(
                M(
                    f"isgraph: source {answer.source} ignorée : {answer.error.fr}",
                    f"isgraph: source {answer.source} skipped: {answer.error.en}",
                ).text(lang),
                file=sys.stderr,
            )
    _emit_bytes(render_result(result.as_solutions(), args.format, lang), args.output)
    return 0 if len(result.failures) < len(result.answers) else 2


def _matches(args: argparse.Namespace, lang: str) -> int:
    with _store(args) as store:
        if args.accept or args.reject:
            for d in decide(store, args.accept, args.reject, by=args.by or default_submitter()):
                verb = M("accepté", "accepted") if d.accepted else M("rejeté", "rejected")
                print(f"{verb.text(lang)}: {d.id} <{d.first}> <{d.second}>")
            return 0
        found = candidates(store, include_decided=args.all)
        decisions = read_decisions(store)
    _emit(render_matches(found, decisions, args.format, lang), args.output)
    return 0


def _serve(args: argparse.Namespace, lang: str) -> int:
    from isgraph.web.serve import serve

    if not (0 < args.port < 65536 and args.query_timeout > 0 and args.max_results > 0 and args.workers > 0):
        raise IsgraphError(
            M(
                "--port, --query-timeout, --max-results et --workers doivent être positifs (port < 65536)",
                "--port, --query-timeout, --max-results and --workers must be positive (port < 65536)",
            )
        )
    if not (args.long_after > 0 and args.max_query_length > 0 and 0 < args.max_query_depth <= DEPTH_CEILING):
        raise IsgraphError(
            M(
                f"--long-after et --max-query-length doivent être positifs, --max-query-depth entre 1 et {DEPTH_CEILING}",
                f"--long-after and --max-query-length must be positive, --max-query-depth between 1 and {DEPTH_CEILING}",
            )
        )
    texts = {key: _bilingual(getattr(args, key), f"--{key}") for key in ("title", "description")}
    settings = ServerSettings(
        host=args.host,
        port=args.port,
        token=read_token(args.token_file),
        query_timeout=args.query_timeout,
        max_results=args.max_results,
        allowed_services=tuple(args.allow_service),
        workers=args.workers,
        cors=tuple(args.cors),
        long_after=args.long_after,
        max_query_length=args.max_query_length,
        max_query_depth=args.max_query_depth,
        base=args.base,
        public_url=args.public_url,
        licence=args.licence,
        publisher=args.publisher,
        publisher_iri=args.publisher_iri,
        **{key: value for key, value in texts.items() if value},
    )
    store = connect_for_serving(
        args.store,
        endpoint=getattr(args, "endpoint", None),
        update_endpoint=getattr(args, "update_endpoint", None),
        workers=settings.workers,
        query_timeout=settings.query_timeout,
        replica=not args.no_replica,
        on_status=ReplicaNews(lang),
        on_remake=RemakeNews(lang),
        request_form=getattr(args, "request_form", None),
    )
    with store:
        mode = (
            M("écritures permises avec le jeton", "writes allowed with the token")
            if settings.token
            else M("lecture seule", "read-only")
        )
        print(f"isgraph serve: {settings.url}/ ({mode.text(lang)})", file=sys.stderr, flush=True)
        serve(store, settings)
    return 0


def _bilingual(given: list[str], option: str) -> dict[str, str]:
    """``LANG=TEXT`` options as a dictionary (empty when none was given): French and English both."""
    found: dict[str, str] = {}
    for item in given:
        lang, sep, text = item.partition("=")
        if not sep or lang not in LANGUAGES or not text.strip():
            raise IsgraphError(M(f"{option} attend fr=TEXTE ou en=TEXT", f"{option} expects fr=TEXTE or en=TEXT"))
        found[lang] = text.strip()
    if found and set(found) != set(LANGUAGES):
        raise IsgraphError(M(f"{option} : donnez le français et l'anglais", f"{option}: give French and English"))
    return found


def _write_atomically(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except OSError as exc:
        raise IsgraphError(Message(f"écriture impossible : {exc.strerror}", f"cannot write: {exc.strerror}"), path=path) from None
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None, *, ending: bool = False) -> int:
    """Run one command and return its exit code. ``ending``: the process ends when the command
    returns (:func:`isgraph.cli.run`), so a command that does not live on (all but ``serve``)
    leaves its scratch stores to the end of the process (:mod:`isgraph.store.scratch`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = pick_language(_lang_from_argv(argv))
    args = make_parser(lang).parse_args(argv)
    if ending and not getattr(args, "lives_on", False):
        scratch.leave_to_exit()
    lang = pick_language(getattr(args, "lang", None))
    args.store = store_setting(getattr(args, "store", None))

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
    except Exception as exc:
        if os.environ.get("ISGRAPH_DEBUG"):
            raise
        kind = type(exc).__name__
        print(
            f"isgraph: erreur interne ({kind}) : {exc} — relancez avec ISGRAPH_DEBUG=1 pour le détail"
            if lang == "fr"
            else f"isgraph: internal error ({kind}): {exc} — run again with ISGRAPH_DEBUG=1 for details",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
