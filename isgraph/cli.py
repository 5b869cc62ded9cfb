"""The command line: parses arguments, calls the library, renders its results.

Exit codes: 0 success; 1 the data is inconsistent; 2 the input, the store or the
reasoner could not be used; 3 an unexpected internal error (set ISGRAPH_DEBUG=1
for its traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

from . import __version__, catalogue
from .build import BuildSummary, build
from .classification import classify, store_inferences
from .classification_report import CLASSIFY_FORMATS, render_classification
from .conversion import TARGETS, convert
from .errors import IsgraphError
from .export import EXPORT_FORMATS, export
from .forms import blank_form
from .generator import write_cases
from .federate import federate
from .harvest import harvest
from .ingest import RefusedError, default_submitter, ingest, remove, restore
from .match_report import MATCH_FORMATS, render_matches
from .matching import candidates, decide, read_decisions
from .sources import load_sources
from .inputs import expand, validate_paths, validate_stored
from .messages import LANGUAGES, Message, pick_language
from .report_formats import REPORT_FORMATS, render
from .result_formats import RESULT_FORMATS, compact, render_result
from .store import DEFAULT_STORE, Store, connect
from .web.settings import DEFAULT_BASE, ServerSettings, read_token

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
    "endpoint": M("adresse d'un serveur SPARQL 1.1 à utiliser au lieu de l'entrepôt embarqué (ou ISGRAPH_ENDPOINT)",
                  "URL of a SPARQL 1.1 server to use instead of the embedded store (or ISGRAPH_ENDPOINT)"),
    "update_endpoint": M("adresse de mise à jour du serveur (par défaut : celle de --endpoint, /query devenant /update)",
                         "the server's update URL (default: the --endpoint URL with /query turned into /update)"),
    "ingest": M("valide des cas et les ajoute à l'entrepôt, chacun dans son graphe nommé avec sa provenance ; "
                "refuse tout si un cas a des violations",
                "validate cases and add them to the store, each in its named graph with its provenance; "
                "refuses everything if a case has violations"),
    "case_files": M("fichiers de cas (fiches YAML/JSON, Turtle, JSON-LD…)", "case files (YAML/JSON forms, Turtle, JSON-LD…)"),
    "submitter": M("qui soumet (nom ou IRI ; par défaut ISGRAPH_SUBMITTER ou l'utilisateur)",
                   "who submits (a name or an IRI; default ISGRAPH_SUBMITTER or the user)"),
    "remove": M("retire des cas de l'entrepôt", "remove cases from the store"),
    "case_names": M("cas à retirer : nom (initielles), IRI de l'initiative ou du graphe",
                    "cases to remove: name (initielles), initiative IRI or graph IRI"),
    "restore": M("remplace tout l'entrepôt par une sauvegarde (.nq ou .trig)", "replace the whole store by a dump (.nq or .trig)"),
    "dump_file": M("la sauvegarde", "the dump"),
    "queries": M("liste les requêtes du catalogue", "list the catalogue's queries"),
    "query": M("exécute une requête du catalogue", "run a catalogue query"),
    "query_name": M("nom de la requête (voir « isgraph queries »)", "the query's name (see \"isgraph queries\")"),
    "param": M("valeur d'un paramètre, nom=valeur (répétable)", "a parameter's value, name=value (repeatable)"),
    "result_format": M("table (par défaut), csv, tsv ou json (résultats SPARQL 1.1 JSON)",
                       "table (default), csv, tsv or json (SPARQL 1.1 Query Results JSON)"),
    "sparql": M("exécute une requête SPARQL en lecture (texte ou fichier .rq ; préfixes d'isgraph déclarés)",
                "run a read-only SPARQL query (text or .rq file; isgraph's prefixes declared)"),
    "sparql_text": M("la requête, ou le chemin d'un fichier .rq", "the query, or the path of a .rq file"),
    "network": M("analyse le réseau acteurs–initiatives–territoires (centralités, composantes, communautés) ; "
                 "exporte GraphML et GEXF",
                 "analyse the actor–initiative–territory network (centralities, components, communities); "
                 "export GraphML and GEXF"),
    "network_output": M("dossier où écrire les fichiers GraphML et GEXF", "folder to write the GraphML and GEXF files to"),
    "classify": M("classe chaque cas sous chaque profil de définition (raisonneur HermiT jusqu'à 25 cas, SPARQL au-delà), "
                  "dit pourquoi un cas ne se qualifie pas, et écrit les inférences dans leur graphe nommé",
                  "classify every case under every definition profile (HermiT reasoner up to 25 cases, SPARQL above), "
                  "say why a case does not qualify, and write the inferences to their named graph"),
    "profile": M("profil à utiliser (répétable ; par défaut tous) : institutionnaliste, entreprise-sociale, "
                 "entrepreneuriat-social, modernisation-politiques-publiques",
                 "profile to use (repeatable; default all): institutionnaliste, entreprise-sociale, "
                 "entrepreneuriat-social, modernisation-politiques-publiques"),
    "classify_format": M("table (par défaut), json, csv ou turtle", "table (default), json, csv or turtle"),
    "method": M("auto (par défaut), hermit ou sparql", "auto (default), hermit or sparql"),
    "serve": M("publie l'entrepôt sur le web : point d'accès SPARQL 1.1, pages des IRI, catalogue en API, "
               "description VoID/DCAT et sauvegardes ; en lecture seule sans jeton",
               "publish the store on the web: SPARQL 1.1 endpoint, pages for the IRIs, the catalogue as an API, "
               "VoID/DCAT description and dumps; read-only without a token"),
    "host": M("adresse d'écoute (par défaut 127.0.0.1)", "address to listen on (default 127.0.0.1)"),
    "port": M("port d'écoute (par défaut 8000)", "port to listen on (default 8000)"),
    "token_file": M("fichier contenant le jeton qui permet d'écrire (mises à jour SPARQL, ingestion) ; "
                    "sinon ISGRAPH_TOKEN ; sans jeton, lecture seule",
                    "file holding the token that allows writes (SPARQL updates, ingest); "
                    "else ISGRAPH_TOKEN; without a token, read-only"),
    "query_timeout": M("secondes permises par requête (par défaut 30)", "seconds allowed per query (default 30)"),
    "max_results": M("lignes ou triplets permis par résultat (par défaut 100000)",
                     "rows or triples allowed per result (default 100000)"),
    "allow_service": M("hôte (ou hôte:port) que SERVICE peut appeler (répétable ; par défaut aucun)",
                       "host (or host:port) that SERVICE may call (repeatable; default none)"),
    "workers": M("requêtes exécutées en même temps (par défaut 4)", "queries run at the same time (default 4)"),
    "base": M("espace des IRI servis (par défaut https://w3id.org/isgraph/)",
              "namespace of the IRIs served (default https://w3id.org/isgraph/)"),
    "public_url": M("adresse publique du serveur, pour la description du jeu de données",
                    "the server's public address, for the dataset description"),
    "licence": M("IRI de la licence des données (dans la description DCAT)", "IRI of the data's licence (in the DCAT description)"),
    "harvest": M("moissonne les cas des sources (fichier YAML) dans l'entrepôt, chacun dans son graphe nommé avec sa "
                 "provenance ; les cas non conformes sont mis à l'écart ; relancer rafraîchit",
                 "harvest the sources' cases (YAML file) into the store, each in its named graph with its provenance; "
                 "non-conforming cases are kept apart; run again to refresh"),
    "sources_file": M("le fichier des sources (YAML)", "the sources file (YAML)"),
    "quarantine": M("dossier des cas mis à l'écart (par défaut .isgraph/quarantine)",
                    "folder of the cases kept apart (default .isgraph/quarantine)"),
    "federate": M("exécute une requête du catalogue sur toutes les sources en direct, en parallèle, et fusionne les lignes "
                  "(colonne « source ») ; une source en panne est signalée sans faire échouer la requête",
                  "run a catalogue query on every source live, in parallel, and merge the rows (column \"source\"); "
                  "a failing source is reported without failing the query"),
    "sources_opt": M("le fichier des sources (YAML)", "the sources file (YAML)"),
    "with_local": M("interroger aussi l'entrepôt local (source « local »)", "also query the local store (source \"local\")"),
    "matches": M("propose les acteurs de sources différentes qui sont peut-être le même, avec les indices ; "
                 "--accept et --reject enregistrent les décisions",
                 "propose the actors of different sources that may be the same, with the evidence; "
                 "--accept and --reject record the decisions"),
    "match_format": M("text (par défaut), csv, json ou html", "text (default), csv, json or html"),
    "accept": M("accepter la proposition ID (répétable) : lien owl:sameAs", "accept proposal ID (repeatable): an owl:sameAs link"),
    "reject": M("rejeter la proposition ID (répétable) : elle ne sera plus proposée",
                "reject proposal ID (repeatable): it will not be proposed again"),
    "by": M("qui décide (par défaut ISGRAPH_SUBMITTER ou l'utilisateur)", "who decides (default ISGRAPH_SUBMITTER or the user)"),
    "include_decided": M("lister aussi les propositions déjà décidées", "also list the proposals already decided"),
    "top": M("nombre d'acteurs affichés par centralité (par défaut 10)", "number of actors shown per centrality (default 10)"),
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
    common.add_argument("--endpoint", default=argparse.SUPPRESS, metavar="URL", help=h("endpoint"))
    common.add_argument("--update-endpoint", default=argparse.SUPPRESS, metavar="URL", help=h("update_endpoint"))

    parser = argparse.ArgumentParser(prog="isgraph", description=h("prog"), parents=[common], add_help=False)
    parser.add_argument("--version", action="version", version=f"isgraph {__version__}", help=h("version"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("build", parents=[common], add_help=False, help=h("build"), description=h("build"))
    p.add_argument("--data", type=Path, help=h("data"))
    p.add_argument("--ontology", type=Path, help=h("ontology"))
    p.add_argument("--no-reasoner", action="store_true", help=h("no_reasoner"))
    p.set_defaults(run=_build)

    p = commands.add_parser("dump", aliases=["export"], parents=[common], add_help=False, help=h("export"),
                            description=h("export"))
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

    p = commands.add_parser("ingest", parents=[common], add_help=False, help=h("ingest"), description=h("ingest"))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=h("case_files"))
    p.add_argument("--submitter", help=h("submitter"))
    p.add_argument("--format", choices=REPORT_FORMATS, default="text", help=h("report_format"))
    p.set_defaults(run=_ingest)

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
    p.add_argument("--base", default=DEFAULT_BASE, help=h("base"))
    p.add_argument("--public-url", metavar="URL", help=h("public_url"))
    p.add_argument("--licence", metavar="IRI", help=h("licence"))
    p.set_defaults(run=_serve)

    p = commands.add_parser("harvest", parents=[common], add_help=False, help=h("harvest"), description=h("harvest"))
    p.add_argument("sources", type=Path, metavar="SOURCES", help=h("sources_file"))
    p.add_argument("--quarantine", type=Path, default=Path(".isgraph") / "quarantine", help=h("quarantine"))
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
    endpoint = getattr(args, "endpoint", None) or os.environ.get("ISGRAPH_ENDPOINT")
    target = _store(args) if endpoint else args.store
    summary = build(store=target, data=args.data, ontology=args.ontology, reason=not args.no_reasoner)
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
    text = "\n".join(("  " if i else "") + line.text(lang) for i, line in enumerate(lines))
    if summary.classification is not None:
        heading = M("classement sous les profils de définition :", "classification under the definition profiles:")
        table = render_classification(summary.classification, "table", lang, summary.classification.labels)
        text += "\n  " + heading.text(lang) + "\n" + "".join(f"    {line}\n" if line else "\n" for line in table.splitlines())
    return text.rstrip("\n")


def _store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The store the arguments name: --endpoint (or ISGRAPH_ENDPOINT) if given, else --store."""
    return connect(args.store, endpoint=getattr(args, "endpoint", None),
                   update_endpoint=getattr(args, "update_endpoint", None), create=create)


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
        raise IsgraphError(M("donnez des fichiers à valider, ou --all pour l'entrepôt (pas les deux)",
                             "give files to validate, or --all for the store (not both)"))
    if args.all:
        with _store(args) as store:
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


def _ingest(args: argparse.Namespace, lang: str) -> int:
    with _store(args, create=True) as store:
        try:
            result = ingest(store, expand(args.files), submitter=args.submitter)
        except RefusedError as exc:
            sys.stdout.write(render(exc.report.at_least("Violation"), args.format, lang))
            raise
    replaced = set(result.replaced)
    for case in result.cases:
        verb = M("remplacé", "replaced") if case.graph in replaced else M("ajouté", "added")
        print(f"{verb.text(lang)}: {case.file} -> <{case.graph}>")
    warnings = sum(r.severity == "Warning" for r in result.report.results)
    print(M(f"{len(result.cases)} cas dans l'entrepôt ({warnings} avertissement(s) : « isgraph validate » pour le détail)",
            f"{len(result.cases)} case(s) in the store ({warnings} warning(s): \"isgraph validate\" for details)").text(lang))
    return 0


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
            raise IsgraphError(M(f"paramètre à donner sous la forme nom=valeur : {pair!r}",
                                 f"parameter to give as name=value: {pair!r}"))
        values[name] = value
    return values


def _query(args: argparse.Namespace, lang: str) -> int:
    query = catalogue.find(args.name)
    values = _parse_params(args.param)
    if "lang" in {p.name for p in query.params}:
        values.setdefault("lang", lang)  # labels in the language of the messages, unless said otherwise
    sparql = query.bind(values)
    with _store(args) as store:
        data = render_result(store.query(sparql), args.format, lang)
    _emit_bytes(data, args.output)
    return 0


def _sparql(args: argparse.Namespace, lang: str) -> int:
    text = args.text
    if text.endswith(".rq") or Path(text).is_file():
        try:
            text = Path(text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise IsgraphError(M(f"fichier illisible : {exc}", f"unreadable file: {exc}"), path=args.text) from None
    with _store(args) as store:
        data = render_result(catalogue.run_text(store, text, where=args.text if text != args.text else "query"),
                             args.format, lang)
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
        result = classify(store, profiles=args.profile, method=args.method)
        if not args.profile:
            store_inferences(store, result)
    _emit(render_classification(result, args.format, lang, result.labels), args.output)
    return 0


def _network(args: argparse.Namespace, lang: str) -> int:
    from . import network  # networkx takes a quarter of a second to import: only here

    with _store(args) as store:
        networks = network.build_networks(store)
    for name, graph, weight in ((M("acteurs–initiatives", "actors–initiatives"), networks.participation, None),
                                (M("co-participation des acteurs", "actor co-participation"), networks.co_participation, "weight"),
                                (M("initiatives–territoires", "initiatives–territories"), networks.territories, None)):
        m = network.metrics(graph, weight=weight)
        print(f"{name.text(lang)}: " + M(
            f"{m.nodes} nœuds, {m.edges} liens, {len(m.components)} composante(s) (tailles {', '.join(map(str, m.components[:5]))}), "
            f"{len(m.communities)} communauté(s)",
            f"{m.nodes} nodes, {m.edges} edges, {len(m.components)} component(s) (sizes {', '.join(map(str, m.components[:5]))}), "
            f"{len(m.communities)} communit{'y' if len(m.communities) == 1 else 'ies'}").text(lang))
        for title, scores in ((M("degré", "degree"), m.degree),
                              (M("intermédiarité" + (" (estimée)" if m.betweenness_sampled else ""),
                                 "betweenness" + (" (estimated)" if m.betweenness_sampled else "")), m.betweenness)):
            best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:args.top]
            print(f"  {title.text(lang)}: " + ", ".join(f"{compact_iri(n)} {v:.3f}" for n, v in best))
    if args.output:
        for path in network.export(networks, args.output):
            print(M(f"écrit : {path}", f"written: {path}").text(lang))
    return 0


def _harvest(args: argparse.Namespace, lang: str) -> int:
    sources = load_sources(args.sources)
    with _store(args, create=True) as store:
        outcomes = harvest(store, sources, quarantine=args.quarantine)
    for o in outcomes:
        if not o.ok:
            print(M(f"{o.source.name} : ignorée, {o.error.fr} ; ce qui en avait été moissonné est conservé",  # type: ignore[union-attr]
                    f"{o.source.name}: skipped, {o.error.en}; what was harvested from it before is kept").text(lang))  # type: ignore[union-attr]
            continue
        print(M(f"{o.source.name} : {len(o.cases)} cas ({o.triples} triplets), {len(o.removed)} retiré(s), "
                f"{len(o.quarantined)} mis à l'écart, en {o.seconds:.1f} s",
                f"{o.source.name}: {len(o.cases)} case(s) ({o.triples} triples), {len(o.removed)} removed, "
                f"{len(o.quarantined)} kept apart, in {o.seconds:.1f} s").text(lang))
        for graph, count in sorted(o.quarantined.items()):
            print("  " + M(f"mis à l'écart : <{graph}> ({count} violation(s)) dans {args.quarantine / o.source.name}",
                           f"kept apart: <{graph}> ({count} violation(s)) in {args.quarantine / o.source.name}").text(lang))
    failed = sum(not o.ok for o in outcomes)
    return 0 if failed < len(outcomes) else 2


def _federate(args: argparse.Namespace, lang: str) -> int:
    sources = load_sources(args.sources)
    query = catalogue.find(args.name)
    values = _parse_params(args.param)
    if "lang" in {p.name for p in query.params}:
        values.setdefault("lang", lang)
    query.bind(values)  # a bad parameter stops everything before any source is asked
    if args.with_local:
        with _store(args) as store:
            result = federate(sources, query, values, local=store)
    else:
        result = federate(sources, query, values)
    for answer in result.answers:
        if answer.error is not None:
            print(M(f"isgraph: source {answer.source} ignorée : {answer.error.fr}",
                    f"isgraph: source {answer.source} skipped: {answer.error.en}").text(lang), file=sys.stderr)
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
    from .web.serve import serve
    from .web.store_process import ProcessStore

    if not (0 < args.port < 65536 and args.query_timeout > 0 and args.max_results > 0 and args.workers > 0):
        raise IsgraphError(M("--port, --query-timeout, --max-results et --workers doivent être positifs (port < 65536)",
                             "--port, --query-timeout, --max-results and --workers must be positive (port < 65536)"))
    settings = ServerSettings(host=args.host, port=args.port, token=read_token(args.token_file),
                              query_timeout=args.query_timeout, max_results=args.max_results,
                              allowed_services=tuple(args.allow_service), workers=args.workers, base=args.base,
                              public_url=args.public_url, licence=args.licence)
    if getattr(args, "endpoint", None) or os.environ.get("ISGRAPH_ENDPOINT"):
        store = _store(args)
        store.timeout = max(1, math.ceil(settings.query_timeout))  # type: ignore[attr-defined]  # requests give up at the limit
    else:  # on disk: in a process of its own, so that an overrunning query can be killed
        store = ProcessStore(args.store, workers=settings.workers, query_timeout=settings.query_timeout)
    with store:
        mode = M("écritures permises avec le jeton", "writes allowed with the token") if settings.token else M(
            "lecture seule", "read-only")
        print(f"isgraph serve: {settings.url}/ ({mode.text(lang)})", file=sys.stderr, flush=True)
        serve(store, settings)
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
