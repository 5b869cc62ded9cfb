"""Issue 16: what a request may do is decided on the parsed request, and limits hold
before evaluation.

A listener on 127.0.0.1 stands for "any host": every hostile request below names it,
through every escape form, and it must see no connection. The control test shows that
the store would call it if the policy let the request through.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from isgraph.errors import InputError
from isgraph.sparql.parser import read
from isgraph.sparql.policy import DEPTH_CEILING, Policy
from isgraph.store import EmbeddedStore
from tests.conftest import run_cli, server_with_token, start_isgraph_server, stop
from tests.test_serve import TOKEN, get, post, q


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.socket.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    try:
        yield found
    finally:
        found.close()


@pytest.fixture(scope="module")
def guarded(catalogue_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with the token, that may call one host (not the listener), with small limits."""
    limits = ("--allow-service", "127.0.0.1:9", "--max-query-depth", "16", "--max-query-length", "20000")
    with server_with_token(tmp_path_factory.mktemp("guarded"), TOKEN, catalogue_store, *limits) as base:
        yield base


def hostile_queries(port: int) -> list[str]:
    """Queries that would make the store call 127.0.0.1:port, in every disguise."""
    host = f"http://127.0.0.1:{port}"
    escaped_host = "".join(f"\\u{ord(c):04X}" for c in f"127.0.0.1:{port}")
    pattern = "{ ?s ?p ?o }"
    return [
        f"SELECT * WHERE {{ SERVICE <{host}/q> {pattern} }}",
        f"select * where {{ sErViCe <{host}/q> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{host}/q> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE <http://{escaped_host}/q> {pattern} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{host}/q> {pattern} }}",
        f"SELECT * WHERE {{ \\U00000053ERVICE <{host}/q> {pattern} }}",
        f"PREFIX e: <{host}/> SELECT * WHERE {{ SERVICE e:q {pattern} }}",
        f"PREFIX e: <{host}> SELECT * WHERE {{ SERVICE e:\\/q {pattern} }}",
        f"PREFIX e: <\\u0068ttp://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE e:q {pattern} }}",
        # the first bypass: an escaped '#' in a local name was taken for a comment
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ex:a\\#b ?o . SERVICE <{host}/q> {pattern} }}",
        # an escape that closes an IRI, and one that closes a string
        f"SELECT * WHERE {{ ?s ?p <http://x\\u003E . SERVICE <{host}/q> {pattern} }}",
        f'SELECT * WHERE {{ BIND("a\\u0022 AS ?x) SERVICE <{host}/q> {pattern} BIND("b" AS ?y) }}',
        # a comment or a string before it on the same line changes nothing
        f'SELECT * WHERE {{ ?s <http://example.org/a#b> "#" . SERVICE <{host}/q> {pattern} }}',
        # nested anywhere
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{host}/q> {pattern} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER (NOT EXISTS {{ SERVICE <{host}/q> {pattern} }}) }}",
        f"SELECT * WHERE {{ OPTIONAL {{ {{ SELECT * WHERE {{ SERVICE <{host}/q> {pattern} }} }} }} }}",
        f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ MINUS {{ SERVICE <{host}/q> {pattern} }} }} }}",
        f"ASK {{ GRAPH ?g {{ SERVICE <{host}/q> {pattern} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{host}/q> {pattern} }}",
        # a server chosen by the data, a relative IRI, a port hidden behind user information
        f"SELECT * WHERE {{ VALUES ?x {{ <{host}/q> }} SERVICE ?x {pattern} }}",
        f"BASE <{host}/> SELECT * WHERE {{ SERVICE <q> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:9@127.0.0.1:{port}/q> {pattern} }}",
    ]


def hostile_updates(port: int) -> list[str]:
    host = f"http://127.0.0.1:{port}"
    return [
        f"LOAD <{host}/data.ttl>",
        f"load silent <{host}/data.ttl> into graph <http://example.org/g>",
        f"\\u004COAD <{host}/data.ttl>",
        f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ; LOAD <{host}/data.ttl>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{host}/q> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{host}/> DELETE WHERE {{ ?s ?p ?o }} ; INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE e:q {{ ?s ?p ?o }} }}",
    ]


def test_the_store_would_call_the_listener_if_allowed(listener: Listener) -> None:
    """The control: without the policy, pyoxigraph calls the host the query names."""
    before = listener.connections
    store = EmbeddedStore()
    with contextlib.suppress(Exception):  # the listener answers nothing: only the call matters
        list(store.query(f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/q> {{ ?s ?p ?o }} }}"))
    assert listener.connections > before


def test_no_disguise_makes_the_server_call_a_host_it_does_not_allow(guarded: str, listener: Listener) -> None:
    before = listener.connections
    for query in hostile_queries(listener.port):
        status, _, body = get(f"{guarded}/sparql?query={q(query)}", "application/sparql-results+json")
        assert status == 400 and body.startswith(b"SERVICE refused: "), (query, body)
        status, _, body = post(f"{guarded}/sparql", query.encode(), "application/sparql-query")
        assert status == 400 and body.startswith(b"SERVICE refused: "), (query, body)
    for update in hostile_updates(listener.port):
        status, _, body = post(f"{guarded}/sparql", update.encode(), "application/sparql-update", Authorization=f"Bearer {TOKEN}")
        assert status == 400 and body.startswith((b"LOAD refused: ", b"SERVICE refused: ")), (update, body)
    assert listener.connections == before


def test_a_refusal_says_nothing_of_whether_a_port_is_open(guarded: str, listener: Listener) -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    answers = set()
    for port in (listener.port, closed_port):
        query = f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}"
        status, _, body = get(f"{guarded}/sparql?query={q(query)}")
        answers.add((status, body.replace(str(port).encode(), b"PORT")))
    assert answers == {(400, b"SERVICE refused: 127.0.0.1:PORT is not among the allowed hosts (127.0.0.1:9) (query)\n")}


def test_keywords_in_strings_and_comments_are_not_keywords(guarded: str, listener: Listener) -> None:
    before = listener.connections
    host = f"http://127.0.0.1:{listener.port}"
    for query in (
        f'SELECT ?x WHERE {{ BIND("SERVICE <{host}/q> {{ }}" AS ?x) }}',
        f"SELECT ?x WHERE {{ BIND('''LOAD <{host}/>\nSERVICE <{host}/q> {{}}''' AS ?x) }}",
        f'SELECT ?x WHERE {{ BIND("a\\" SERVICE <{host}/q> {{}} " AS ?x) }}',
        f"SELECT ?x WHERE {{ # SERVICE <{host}/q> {{ }}\n BIND(1 AS ?x) }}",
    ):
        status, _, body = get(f"{guarded}/sparql?query={q(query)}", "application/sparql-results+json")
        assert status == 200, (query, body)
        assert len(json.loads(body)["results"]["bindings"]) == 1
    assert listener.connections == before


def test_the_command_line_calls_no_host_either(catalogue_store: Path, listener: Listener) -> None:
    before = listener.connections
    for query in hostile_queries(listener.port):
        refused = run_cli("sparql", "--store", catalogue_store, query)
        assert refused.code == 2 and refused.stderr.startswith("isgraph: SERVICE refused: "), (query, refused.stderr)
    assert listener.connections == before


def test_a_deeply_nested_query_is_refused_before_the_store_sees_it(guarded: str) -> None:
    """The 10 KB query of the issue (parentheses 5,000 deep) crashed the store process."""
    deep = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    assert len(deep.encode()) > 10_000
    for status, _, body in (
        get(f"{guarded}/sparql?query={q(deep)}"),
        post(f"{guarded}/sparql", deep.encode(), "application/sparql-query"),
    ):
        assert (status, body) == (
            400,
            b"request nested more than 16 levels of parentheses, braces or brackets (query)\n",
        )
    braces = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    assert get(f"{guarded}/sparql?query={q(braces)}")[0] == 400
    at_the_limit = "ASK { FILTER(" + "(" * 14 + "true" + ")" * 14 + ") }"
    status, _, body = get(f"{guarded}/sparql?query={q(at_the_limit)}", "application/sparql-results+json")
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})


def test_a_long_query_is_refused_with_a_clear_400(guarded: str) -> None:
    long = "SELECT * WHERE { ?s ?p ?o } " + "#" * 20_000
    status, _, body = post(f"{guarded}/sparql", long.encode(), "application/sparql-query")
    # the server declares isgraph's prefixes before the query: the length counted is the one parsed
    assert status == 400 and body.startswith(b"request too long (") and body.endswith(b" characters; at most 20000) (query)\n")


def test_the_policy_reads_prefixes_in_order_and_refuses_what_it_cannot_resolve() -> None:
    policy = Policy(("example.org",))
    later = "PREFIX e: <http://evil.example/> PREFIX e: <http://example.org/> SELECT * { SERVICE e:q { ?s ?p ?o } }"
    assert policy.query(later).services == ("http://example.org/q",)
    for query in (
        "SELECT * { SERVICE u:q { ?s ?p ?o } }",  # an unknown prefix
        "SELECT * { SERVICE <ftp://example.org/q> { ?s ?p ?o } }",
        "SELECT * { SERVICE <http://example.org:99999/q> { ?s ?p ?o } }",
    ):
        with pytest.raises(InputError) as caught:
            policy.query(query)
        assert caught.value.message.en == "SERVICE refused: the address called must be a fixed, absolute http(s) IRI"


@pytest.mark.parametrize("string", [r'"a\\b"', r"'a\\'", r'"""a\\"""', r"'''\\'''", r'"[^\\p{L}]\\d"', r'"a\"\\"'])
def test_an_escaped_backslash_ends_no_string(string: str) -> None:
    r"""``\\`` is one of the Recommendation's escapes (ECHAR), in every kind of string; the
    parser once read ``\\"`` as an escaped quote and refused ``REGEX(?x, "\\d")``."""
    request = read(f"SELECT * WHERE {{ ?s ?p ?o FILTER (REGEX(STR(?o), {string})) }}", "query")
    assert request.kind == "query"
    with EmbeddedStore(None) as store:  # the store reads the same text, the same way
        assert list(store.query(request.text)) == []  # type: ignore[arg-type]
    with pytest.raises(InputError):
        read(r'SELECT * WHERE { ?s ?p "a\qb" }', "query")  # \q is no escape


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("SELECT ?é WHERE { ?é <urn:p> <urn:o> }", None),
        ("PREFIX \U00010000x: <urn:u:> SELECT * WHERE { \U00010000x:ab\u0301\u00b7 ?p _:b\u00b7c }", None),
        ("SELECT ?x\u00d7 WHERE { }", 10),  # × is in no name class
        ("SELECT ?\u00b7 WHERE { }", 8),  # · goes on in a name but starts none
        ("SELECT * WHERE { ?s ?p _:\u0301b }", 24),  # nor does a combining accent
    ],
)
def test_the_name_classes_are_the_grammars_to_the_character(text: str, column: int | None) -> None:
    """The lexer runs on the regex module (compiled faster than re's); the names it takes are
    still exactly SPARQL's PN_CHARS_BASE and PN_CHARS, beyond the Basic Multilingual Plane too."""
    if column is None:
        assert read(text, "query").kind == "query"
        return
    with pytest.raises(InputError) as caught:
        read(text, "query")
    assert (caught.value.line, caught.value.column) == (1, column)


def test_every_catalogue_query_reads_as_a_query() -> None:
    from isgraph.query import catalogue

    for query in catalogue.load_catalogue():
        assert read(catalogue.with_prefixes(query.sparql), "query").kind == "query"


@pytest.mark.parametrize("shape", ["({})", "{{}}", "[[]]"])
def test_the_store_takes_the_deepest_nesting_a_server_may_allow(shape: str, tmp_path: Path) -> None:
    """DEPTH_CEILING levels of each bracket run in a thread of the store without exhausting its
    stack (pyoxigraph overflows near 3,000); run in a process of its own, which a crash would end."""
    d = DEPTH_CEILING - 2
    queries = {
        "({})": "ASK WHERE { FILTER(" + "(" * d + "true" + ")" * d + ") }",
        "{{}}": "ASK WHERE { " + "{" * d + "}" * d + " }",
        # in a template, where nested blank nodes cost nothing to evaluate
        "[[]]": "CONSTRUCT { <urn:s> <urn:p> " + "[ <urn:q> " * d + "1" + " ]" * d + " } WHERE {}",
    }
    query = queries[shape]
    assert read(query, "query", max_depth=DEPTH_CEILING).depth <= DEPTH_CEILING
    script = tmp_path / "deep.py"
    script.write_text(
        "import sys, threading\nfrom isgraph.store import EmbeddedStore\n"
        "store = EmbeddedStore()\nresult = []\n"
        "t = threading.Thread(target=lambda: result.append(len(list(store.query(sys.argv[1]))) if sys.argv[1].startswith('CONSTRUCT') else bool(store.query(sys.argv[1]))))\n"
        "t.start(); t.join(); print(result)\n",
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, str(script), query], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.strip() == ("[255]" if shape == "[[]]" else "[True]")


def test_an_update_sent_as_a_query_is_refused_as_such(guarded: str) -> None:
    form = urllib.parse.urlencode({"query": "DROP ALL"}).encode()
    assert post(f"{guarded}/sparql", form, "application/x-www-form-urlencoded")[0:3:2] == (
        400,
        b"an update is not a query: only reads are allowed here (query)\n",
    )


def test_a_quick_query_is_answered_while_long_ones_hold_every_worker(catalogue_store: Path, tmp_path: Path) -> None:
    """Issue 16: four slow queries held all four workers, and a trivial query waited for
    the time limit. With one worker, a long query leaves its place after the budget."""
    shutil.copytree(catalogue_store, tmp_path / "store")
    process, base = start_isgraph_server(tmp_path / "store", "--workers", "1", "--query-timeout", "20")
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    finished: list[int] = []

    def long_query() -> None:
        with contextlib.suppress(OSError):  # the server stops before the query ends
            finished.append(get(f"{base}/sparql?query={q(heavy)}")[0])

    try:
        thread = threading.Thread(target=long_query, daemon=True)
        thread.start()
        threading.Event().wait(1.5)  # past the budget (0.5 s): the long query is in the long lane
        status, _, body = get(f"{base}/sparql?query={q('ASK {}')}", "application/sparql-results+json")
        assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})
        assert finished == []  # answered while the long query still runs
    finally:
        stop(process)
