"""The command line's help texts, in French and English (``isgraph --help --lang fr``)."""

from __future__ import annotations

from isgraph.messages import Message
from isgraph.store import DEFAULT_STORE

M = Message

HELP = {
    "help": M("affiche cette aide et s'arrête", "show this help message and exit"),
    "version": M("affiche la version et s'arrête", "show the version and exit"),
    "prog": M(
        "isgraph : graphe de connaissances de l'innovation sociale (définition de l'Institut Godin).",
        "isgraph: a knowledge graph of social innovation (the Institut Godin's definition).",
    ),
    "lang": M(
        "langue des messages (fr ou en ; par défaut ISGRAPH_LANG ou la locale)",
        "language of messages (fr or en; default ISGRAPH_LANG or the locale)",
    ),
    "store": M(
        f"dossier de l'entrepôt embarqué (par défaut ISGRAPH_STORE ou {DEFAULT_STORE})",
        f"folder of the embedded store (default ISGRAPH_STORE or {DEFAULT_STORE})",
    ),
    "build": M(
        "charge l'ontologie, la grille, les territoires et tous les cas dans l'entrepôt, "
        "après avoir vérifié leur cohérence avec HermiT, et affiche un résumé",
        "load the ontology, the grid, the territories and every case into the store, "
        "after checking with HermiT that they are consistent, and print a summary",
    ),
    "data": M(
        "dossier des données (cases/, territories/, sources/) ; par défaut data/ du projet",
        "data folder (cases/, territories/, sources/); default the project's data/",
    ),
    "ontology": M("dossier de l'ontologie ; par défaut ontology/ du projet", "ontology folder; default the project's ontology/"),
    "no_reasoner": M("ne pas vérifier la cohérence avec HermiT", "do not check consistency with HermiT"),
    "export": M(
        "écrit tout le graphe de connaissances (graphes nommés compris)",
        "write the whole knowledge graph (named graphs included)",
    ),
    "format": M(
        "nquads (par défaut), trig, jsonld (avec les graphes nommés) ou turtle (leur union)",
        "nquads (default), trig, jsonld (with the named graphs) or turtle (their union)",
    ),
    "output": M("fichier à écrire (par défaut la sortie standard)", "file to write (default standard output)"),
    "validate": M(
        "vérifie des descriptions de cas (fiches YAML/JSON, Turtle, N-Triples, RDF/XML, JSON-LD, lots N-Quads/TriG) "
        "avec les formes SHACL ; sortie 0 si conforme, 1 si violations, 2 si illisible ; n'écrit rien dans l'entrepôt",
        "check case descriptions (YAML/JSON forms, Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads/TriG bundles) "
        "against the SHACL shapes; exit 0 if they conform, 1 on violations, 2 if unreadable; writes nothing to the store",
    ),
    "files": M("fichiers ou dossiers à valider", "files or folders to validate"),
    "all": M("valider tous les cas de l'entrepôt", "validate every case in the store"),
    "report_format": M(
        "text (par défaut), json, html, turtle (sh:ValidationReport) ou csv",
        "text (default), json, html, turtle (sh:ValidationReport) or csv",
    ),
    "fail_on": M(
        "gravité qui bloque : violation (par défaut), warning ou info ; au-dessous, les résultats sont signalés mais acceptés",
        "severity that blocks: violation (default), warning or info; below it, results are reported but accepted",
    ),
    "harvest_fail_on": M(
        "gravité qui met un cas à l'écart, pour les sources qui n'en disent pas (fail_on) : violation (par défaut), warning ou info",
        "severity that keeps a case apart, for the sources that say none (fail_on): violation (default), warning or info",
    ),
    "severity": M(
        "gravité minimale affichée : violation, warning ou info (par défaut)",
        "lowest severity shown: violation, warning or info (default)",
    ),
    "new_case": M("écrit une fiche de cas vierge et commentée (YAML)", "write a blank, commented case form (YAML)"),
    "convert": M(
        "convertit un cas entre Turtle, JSON-LD et fiche YAML, sans rien perdre",
        "convert a case between Turtle, JSON-LD and YAML form, losing nothing",
    ),
    "file": M("le fichier du cas", "the case file"),
    "generate": M(
        "écrit des cas synthétiques (inventés) pour les tests et les mesures, avec une part de défauts",
        "write synthetic (invented) cases for tests and benchmarks, with a share of defects",
    ),
    "cases": M("nombre de cas", "number of cases"),
    "seed": M("graine du générateur (même graine, mêmes cas)", "generator seed (same seed, same cases)"),
    "defects": M("part des cas avec un défaut (0 à 1, par défaut 0.1)", "share of cases with a defect (0 to 1, default 0.1)"),
    "gen_format": M("nquads (un graphe par cas, par défaut) ou turtle", "nquads (one graph per case, default) or turtle"),
    "to": M("format cible : turtle, jsonld ou yaml", "target format: turtle, jsonld or yaml"),
    "endpoint": M(
        "adresse d'un serveur SPARQL 1.1 à utiliser au lieu de l'entrepôt embarqué (ou ISGRAPH_ENDPOINT)",
        "URL of a SPARQL 1.1 server to use instead of the embedded store (or ISGRAPH_ENDPOINT)",
    ),
    "request_form": M(
        "comment envoyer les requêtes au serveur SPARQL : post-form (POST encodé, par défaut ; "
        "tous les serveurs essayés), post-direct ou get ; sinon ISGRAPH_REQUEST_FORM",
        "how requests are sent to the SPARQL server: post-form (URL-encoded POST, the default; "
        "every server tried), post-direct or get; else ISGRAPH_REQUEST_FORM",
    ),
    "update_endpoint": M(
        "adresse de mise à jour du serveur (par défaut : celle de --endpoint, /query devenant /update)",
        "the server's update URL (default: the --endpoint URL with /query turned into /update)",
    ),
    "import": M(
        "importe un fichier d'une source (CSV « standard » d'ESSGLOBAL…) : chaque organisation devient un cas validé, "
        "dans son graphe nommé, avec la ligne d'où il vient ; réimporter ne change que ce qui a changé",
        "import a source's file (ESSGLOBAL standard CSV…): each organisation becomes a validated case, in its named graph, "
        "with the line it comes from; importing again changes only what changed",
    ),
    "import_format": M(
        "le format du fichier : essglobal-csv, transformap-geojson ou coops-uk-2016",
        "the file's format: essglobal-csv, transformap-geojson or coops-uk-2016",
    ),
    "import_ids": M(
        "le nom sous lequel les identifiants sont créés (par défaut celui de la source) : deux fichiers d'un même "
        "éditeur importés avec le même nom se rejoignent sur les mêmes acteurs",
        "the name under which identifiers are minted (by default the source's): two files of one publisher imported "
        "with the same name meet on the same actors",
    ),
    "import_economy": M(
        "coops-uk-2016 : le fichier « economy » lu à côté de celui des organisations",
        "coops-uk-2016: the economy file read beside the organisations file",
    ),
    "import_file": M("le fichier à importer", "the file to import"),
    "import_source": M(
        "le nom de la source (minuscules, chiffres, tirets ; par défaut le nom du fichier) : ses cas vont sous graph/import/NOM/",
        "the source's name (lower case, digits, hyphens; by default the file's name): its cases go under graph/import/NAME/",
    ),
    "import_edition": M(
        "la date de l'édition de la source, celle des caractérisations (par défaut celle du dernier import de la source, sinon aujourd'hui)",
        "the date of the source's edition, that of the characterisations (by default the last import's, else today)",
    ),
    "country_alias": M(
        "ce que la source entend par une valeur du pays, quand elle s'écarte de l'ISO 3166-1 : SR=SK (répétable)",
        "what the source means by a country value where it departs from ISO 3166-1: SR=SK (repeatable)",
    ),
    "import_licence": M("l'IRI de la licence de la source", "the IRI of the source's licence"),
    "import_rights": M(
        "la mention d'attribution de la source, par langue (fr=… en=…)",
        "the source's attribution statement, per language (fr=… en=…)",
    ),
    "ingest": M(
        "valide des cas et les ajoute à l'entrepôt, chacun dans son graphe nommé avec sa provenance ; "
        "refuse tout si un cas a des violations",
        "validate cases and add them to the store, each in its named graph with its provenance; "
        "refuses everything if a case has violations",
    ),
    "case_files": M("fichiers de cas (fiches YAML/JSON, Turtle, JSON-LD…)", "case files (YAML/JSON forms, Turtle, JSON-LD…)"),
    "submitter": M(
        "qui soumet (nom ou IRI ; par défaut ISGRAPH_SUBMITTER ou l'utilisateur)",
        "who submits (a name or an IRI; default ISGRAPH_SUBMITTER or the user)",
    ),
    "remove": M("retire des cas de l'entrepôt", "remove cases from the store"),
    "case_names": M(
        "cas à retirer : nom (initielles), IRI de l'initiative ou du graphe",
        "cases to remove: name (initielles), initiative IRI or graph IRI",
    ),
    "restore": M(
        "remplace tout l'entrepôt par une sauvegarde (.nq ou .trig)", "replace the whole store by a dump (.nq or .trig)"
    ),
    "dump_file": M("la sauvegarde", "the dump"),
    "queries": M("liste les requêtes du catalogue", "list the catalogue's queries"),
    "query": M("exécute une requête du catalogue", "run a catalogue query"),
    "query_name": M("nom de la requête (voir « isgraph queries »)", 'the query\'s name (see "isgraph queries")'),
    "param": M("valeur d'un paramètre, nom=valeur (répétable)", "a parameter's value, name=value (repeatable)"),
    "limit": M(
        "lignes à donner (100 par défaut), dans l'ordre de la requête", "rows to give (100 by default), in the query's order"
    ),
    "offset": M(
        "lignes à passer avant la première donnée (0 par défaut)", "rows to skip before the first one given (0 by default)"
    ),
    "all_rows": M("toutes les lignes, sans pages", "every row, no pages"),
    "result_format": M(
        "table (par défaut), csv, tsv ou json (résultats SPARQL 1.1 JSON)",
        "table (default), csv, tsv or json (SPARQL 1.1 Query Results JSON)",
    ),
    "sparql": M(
        "exécute une requête SPARQL en lecture (texte ou fichier .rq ; préfixes d'isgraph déclarés)",
        "run a read-only SPARQL query (text or .rq file; isgraph's prefixes declared)",
    ),
    "sparql_text": M("la requête, ou le chemin d'un fichier .rq", "the query, or the path of a .rq file"),
    "network": M(
        "analyse le réseau acteurs–initiatives–territoires (centralités, composantes, communautés) ; exporte GraphML et GEXF",
        "analyse the actor–initiative–territory network (centralities, components, communities); export GraphML and GEXF",
    ),
    "network_output": M("dossier où écrire les fichiers GraphML et GEXF", "folder to write the GraphML and GEXF files to"),
    "classify": M(
        "classe chaque cas sous chaque profil de définition (raisonneur HermiT jusqu'à 25 cas, SPARQL au-delà), "
        "dit pourquoi un cas ne se qualifie pas, et écrit les inférences dans leur graphe nommé",
        "classify every case under every definition profile (HermiT reasoner up to 25 cases, SPARQL above), "
        "say why a case does not qualify, and write the inferences to their named graph",
    ),
    "profile": M(
        "profil à utiliser (répétable ; par défaut tous) : institutionnaliste, entreprise-sociale, "
        "entrepreneuriat-social, modernisation-politiques-publiques",
        "profile to use (repeatable; default all): institutionnaliste, entreprise-sociale, "
        "entrepreneuriat-social, modernisation-politiques-publiques",
    ),
    "classify_format": M("table (par défaut), json, csv ou turtle", "table (default), json, csv or turtle"),
    "method": M("auto (par défaut), hermit ou sparql", "auto (default), hermit or sparql"),
    "serve": M(
        "publie l'entrepôt sur le web : point d'accès SPARQL 1.1, pages des IRI, catalogue en API, "
        "description VoID/DCAT et sauvegardes ; en lecture seule sans jeton",
        "publish the store on the web: SPARQL 1.1 endpoint, pages for the IRIs, the catalogue as an API, "
        "VoID/DCAT description and dumps; read-only without a token",
    ),
    "host": M("adresse d'écoute (par défaut 127.0.0.1)", "address to listen on (default 127.0.0.1)"),
    "port": M("port d'écoute (par défaut 8000)", "port to listen on (default 8000)"),
    "token_file": M(
        "fichier contenant le jeton qui permet d'écrire (mises à jour SPARQL, ingestion) ; "
        "sinon ISGRAPH_TOKEN ; sans jeton, lecture seule",
        "file holding the token that allows writes (SPARQL updates, ingest); else ISGRAPH_TOKEN; without a token, read-only",
    ),
    "query_timeout": M("secondes permises par requête (par défaut 30)", "seconds allowed per query (default 30)"),
    "max_results": M(
        "lignes ou triplets permis par résultat (par défaut 100000)", "rows or triples allowed per result (default 100000)"
    ),
    "allow_service": M(
        "hôte (ou hôte:port) que SERVICE peut appeler (répétable ; par défaut aucun)",
        "host (or host:port) that SERVICE may call (repeatable; default none)",
    ),
    "dataset_title": M(
        "titre du jeu de données, en français et en anglais (fr=… et en=…)",
        "the dataset's title, in French and English (fr=… and en=…)",
    ),
    "dataset_description": M(
        "description du jeu de données, en français et en anglais (fr=… et en=…)",
        "the dataset's description, in French and English (fr=… and en=…)",
    ),
    "foreign_shapes": M(
        "ajoute les formes SHACL d'un fichier ou d'un dossier (une politique de l'observatoire, DCAT-AP…) à celles d'isgraph",
        "adds the SHACL shapes of a file or folder (an observatory's policy, DCAT-AP…) to isgraph's",
    ),
    "publisher": M(
        "qui publie le jeu de données (nom, dans sa description DCAT-AP)",
        "who publishes the dataset (a name, in its DCAT-AP description)",
    ),
    "publisher_iri": M("l'IRI de l'éditeur, s'il en a une", "the publisher's IRI, if it has one"),
    "long_after": M(
        "secondes après lesquelles une requête en cours laisse sa place aux nouvelles (par défaut 0,5)",
        "seconds after which a running query leaves its place to newcomers (default 0.5)",
    ),
    "cors": M(
        "origines dont les pages peuvent lire les réponses (CORS) ; * par défaut, aucune avec --cors seul",
        "origins whose pages may read the answers (CORS); * by default, none with --cors alone",
    ),
    "max_query_length": M(
        "longueur maximale d'une requête ou mise à jour, en caractères (par défaut 100000 ; 400 au-delà)",
        "longest query or update taken, in characters (default 100000; 400 beyond)",
    ),
    "max_query_depth": M(
        "imbrication maximale de parenthèses, accolades ou crochets (par défaut 64, au plus 256 ; 400 au-delà)",
        "deepest nesting of parentheses, braces or brackets taken (default 64, at most 256; 400 beyond)",
    ),
    "workers": M("requêtes exécutées en même temps (par défaut 4)", "queries run at the same time (default 4)"),
    "no_replica": M(
        "répond depuis le disque seulement, sans copie de l'entrepôt en mémoire (moins de mémoire, lectures plus lentes)",
        "answer from disk alone, without the store's copy in memory (less memory, slower reads)",
    ),
    "base": M(
        "espace des IRI servis (par défaut https://w3id.org/isgraph/)",
        "namespace of the IRIs served (default https://w3id.org/isgraph/)",
    ),
    "public_url": M(
        "adresse publique du serveur, pour la description du jeu de données",
        "the server's public address, for the dataset description",
    ),
    "licence": M(
        "IRI de la licence des données (dans la description DCAT)", "IRI of the data's licence (in the DCAT description)"
    ),
    "harvest": M(
        "moissonne les cas des sources (fichier YAML) dans l'entrepôt, chacun dans son graphe nommé avec sa "
        "provenance ; les cas non conformes sont mis à l'écart ; relancer rafraîchit",
        "harvest the sources' cases (YAML file) into the store, each in its named graph with its provenance; "
        "non-conforming cases are kept apart; run again to refresh",
    ),
    "sources_file": M("le fichier des sources (YAML)", "the sources file (YAML)"),
    "quarantine": M(
        "dossier des cas mis à l'écart (par défaut .isgraph/quarantine)",
        "folder of the cases kept apart (default .isgraph/quarantine)",
    ),
    "federate": M(
        "exécute une requête du catalogue sur toutes les sources en direct, en parallèle, et fusionne les lignes "
        "(colonne « source ») ; une source en panne est signalée sans faire échouer la requête",
        'run a catalogue query on every source live, in parallel, and merge the rows (column "source"); '
        "a failing source is reported without failing the query",
    ),
    "sources_opt": M("le fichier des sources (YAML)", "the sources file (YAML)"),
    "with_local": M("interroger aussi l'entrepôt local (source « local »)", 'also query the local store (source "local")'),
    "matches": M(
        "propose les acteurs de sources différentes qui sont peut-être le même, avec les indices ; "
        "--accept et --reject enregistrent les décisions",
        "propose the actors of different sources that may be the same, with the evidence; "
        "--accept and --reject record the decisions",
    ),
    "match_format": M("text (par défaut), csv, json ou html", "text (default), csv, json or html"),
    "accept": M(
        "accepter la proposition ID (répétable) : lien owl:sameAs", "accept proposal ID (repeatable): an owl:sameAs link"
    ),
    "reject": M(
        "rejeter la proposition ID (répétable) : elle ne sera plus proposée",
        "reject proposal ID (repeatable): it will not be proposed again",
    ),
    "by": M("qui décide (par défaut ISGRAPH_SUBMITTER ou l'utilisateur)", "who decides (default ISGRAPH_SUBMITTER or the user)"),
    "include_decided": M("lister aussi les propositions déjà décidées", "also list the proposals already decided"),
    "top": M("nombre d'acteurs affichés par centralité (par défaut 10)", "number of actors shown per centrality (default 10)"),
}
