"""Reading a SPARQL request as the grammar says: what it asks, which servers it calls.

isgraph parses every request a server or the command line receives with its own SPARQL
1.1 parser (``sparql.lark``, the W3C grammar, run by Lark's LALR(1) parser) before the
store sees it. The parser builds no recursion: a request nested thousands of levels deep
is read (and refused) without exhausting any stack.

The request is first read as the Recommendation says (section 19.2): its ``\\uXXXX`` and
``\\UXXXXXXXX`` escapes are replaced before anything else, and the text with escapes
replaced is what both the parser and the store read, so that they cannot disagree on
where a string, an IRI or a comment ends.

>>> read("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "query").services
('http://example.org/sparql',)
>>> read("PREFIX e: <http://e.example/> LOAD e:data", "update").operations
('load',)
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

import lark
from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import RDF
from isgraph.resources import cache_dir

#: Longest request (characters) taken by default.
MAX_LENGTH = 100_000
#: Deepest nesting of ``( )``, ``{ }`` and ``[ ]`` taken by default.
MAX_DEPTH = 64

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")
_OPENING = {"LPAR", "LBRACE", "LSQB"}
_CLOSING = {"RPAR", "RBRACE", "RSQB"}


@dataclass(frozen=True)
class Request:
    """A request as the parser read it."""

    #: the text the store is given: the request with its ``\\u`` escapes replaced
    text: str
    #: ``query`` or ``update``
    kind: str
    #: the IRI each ``SERVICE`` calls, resolved with the request's prefixes; None when
    #: it is a variable or cannot be resolved to an absolute IRI
    services: tuple[str | None, ...]
    #: the update operations in order (``load``, ``insert_data``, ``modify``…); none for a query
    operations: tuple[str, ...]
    #: the graphs named by ``WITH``, one per operation that has it
    with_graphs: tuple[str, ...]
    #: how many ``USING`` and ``USING NAMED`` clauses the update has
    usings: int
    #: the named graphs an update may write (sorted); None when the text alone cannot say
    #: (``GRAPH ?g`` in a template, the store's default graph, ``NAMED``, ``ALL``); none
    #: for a query
    writes: tuple[str, ...] | None
    #: the predicates an update may insert, each with the named graph it goes to (None: the
    #: default graph, or a graph the text cannot name), sorted; None when the text alone
    #: cannot say (a variable, a relative IRI or an unknown prefix as a predicate of what it
    #: inserts; ``LOAD``, ``ADD``, ``MOVE``, ``COPY``, which copy what they find); none for a query
    inserts: tuple[tuple[str | None, str], ...] | None
    #: the deepest nesting of brackets
    depth: int
    #: the parse tree, with the place in ``text`` of every node (``meta.start_pos``…)
    tree: Tree[Any] = field(compare=False, repr=False)


class _TooDeep(Exception):
    pass


_depth = threading.local()


def _open(token: Token) -> Token:
    _depth.now += 1
    if _depth.now > _depth.limit:
        raise _TooDeep
    _depth.deepest = max(_depth.deepest, _depth.now)
    return token


def _close(token: Token) -> Token:
    _depth.now -= 1
    return token


@cache
def _parser(start: str) -> Lark:
    grammar = files("isgraph.sparql").joinpath("sparql.lark").read_text(encoding="utf-8")
    callbacks = {**dict.fromkeys(_OPENING, _open), **dict.fromkeys(_CLOSING, _close)}
    return Lark(
        grammar,
        start=start,
        parser="lalr",
        lexer="contextual",
        lexer_callbacks=callbacks,
        propagate_positions=True,
        regex=True,  # the third-party regex module: the name classes compile 17 times faster than with re
        cache=_cache_file(grammar, start),
    )


def _cache_file(grammar: str, start: str) -> str | bool:
    """Where Lark keeps the parse tables it built (in the user's own cache folder, never a
    shared one: the file is a pickle); False (no cache) when that folder cannot be made."""
    folder = cache_dir()
    if folder is None:
        return False
    digest = hashlib.sha256(f"{lark.__version__}\nregex\n{start}\n{grammar}".encode()).hexdigest()[:16]
    return str(folder / f"sparql-{start}-{digest}.lark")


def warm() -> None:
    """Build both parsers and the lexer of every parser state now (a server does it as it
    starts, so that no request pays for it)."""
    for start in ("query_unit", "update_unit"):
        lexer = _parser(start).parser.lexer
        for state in getattr(lexer, "lexers", {}).values():
            getattr(state, "scanner", None)


def unescape(text: str) -> str:
    """``text`` with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced (section 19.2)."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ValueError(match.group(0))
        return chr(code)

    return _ESCAPE.sub(char, text)


def read(text: str, kind: str, *, max_length: int = MAX_LENGTH, max_depth: int = MAX_DEPTH, where: str = "SPARQL") -> Request:
    """The request ``text`` (a ``query`` or an ``update``) as the grammar reads it; an
    InputError, with line and column, when it is too long, nested too deeply or not SPARQL."""
    if len(text) > max_length:
        raise InputError(
            Message(
                f"requête trop longue ({len(text)} caractères ; au plus {max_length})",
                f"request too long ({len(text)} characters; at most {max_length})",
            ),
            path=where,
        )
    return _read(text, kind, max_depth, where)


def graphs_written(update: str) -> tuple[str, ...] | None:
    """The named graphs an update may write (:attr:`Request.writes`), read from its text
    however long it is; None when the text cannot say, or is not an update the parser reads
    (the store then says what is wrong).

    >>> graphs_written("INSERT DATA { GRAPH <http://e.example/g> { <s> <p> <o> } }")
    ('http://e.example/g',)
    """
    try:
        return read(update, "update", max_length=len(update), max_depth=10**6).writes
    except InputError:
        return None


@lru_cache(maxsize=256)
def _read(text: str, kind: str, max_depth: int, where: str) -> Request:
    try:
        plain = unescape(text)
    except ValueError as exc:
        raise InputError(Message(f"échappement invalide : {exc}", f"invalid escape: {exc}"), path=where) from None
    _depth.now, _depth.deepest, _depth.limit = 0, 0, max_depth
    try:
        tree = _parser("update_unit" if kind == "update" else "query_unit").parse(plain)
    except _TooDeep:
        raise InputError(
            Message(
                f"requête imbriquée sur plus de {max_depth} niveaux de parenthèses, accolades ou crochets",
                f"request nested more than {max_depth} levels of parentheses, braces or brackets",
            ),
            path=where,
        ) from None
    except UnexpectedInput as exc:
        raise _syntax_error(exc, plain, kind, where) from None
    except LarkError as exc:  # pragma: no cover - any other failure of the parser is a refusal too
        raise InputError(Message(f"requête illisible : {exc}", f"unreadable request: {exc}"), path=where) from None
    return _Reader(kind).request(plain, tree, _depth.deepest)


def _syntax_error(exc: UnexpectedInput, text: str, kind: str, where: str) -> InputError:
    what_fr, what_en = (
        ("mise à jour SPARQL invalide", "invalid SPARQL update")
        if kind == "update"
        else ("requête SPARQL invalide", "invalid SPARQL query")
    )
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
        return InputError(
            Message(f"{what_fr} : le texte s'arrête trop tôt", f"{what_en}: the text ends too early"),
            path=where,
            line=line,
            column=column,
        )
    if isinstance(exc, UnexpectedToken):
        found = str(exc.token)
    elif isinstance(exc, UnexpectedCharacters):
        found = text[exc.pos_in_stream or 0 :][:1]
    else:  # pragma: no cover - the other kinds are not raised by the LALR parser
        found = ""
    found = found if len(found) <= 40 else found[:40] + "…"
    return InputError(
        Message(f"{what_fr} : « {found} » inattendu", f'{what_en}: unexpected "{found}"'),
        path=where,
        line=line,
        column=column,
    )


class _Reader:
    """Walks the tree (without recursion) for what the policy needs."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.prefixes: dict[str, str] = {}
        self.base: str | None = None

    def request(self, text: str, tree: Tree[Any], depth: int) -> Request:
        services: list[str | None] = []
        operations: list[str] = []
        with_graphs: list[str] = []
        usings = 0
        writes: set[str] | None = set()
        inserts: set[tuple[str | None, str]] | None = set()
        stack: list[Any] = [tree]
        while stack:
            node = stack.pop()
            if not isinstance(node, Tree):
                continue
            name = node.data
            if name == "prefix_decl":
                ns, iri = node.children
                self.prefixes[str(ns)[:-1]] = str(iri)[1:-1]
                continue
            if name == "base_decl":
                self.base = str(node.children[0])[1:-1]
                continue
            if name == "service_graph_pattern":
                target = next(c for c in node.children if not (isinstance(c, Token) and c.type == "SILENT"))
                services.append(self.absolute(target))
            elif name == "with_clause":
                with_graphs.append(self.absolute(node.children[0]) or "")
            elif name == "using_clause":
                usings += 1
            if self.kind == "update" and name in _OPERATIONS:
                operations.append(str(name))
                targets = self.targets(node)
                writes = None if writes is None or targets is None else writes | targets
                put = self.inserted(node)
                inserts = None if inserts is None or put is None else inserts | put
            stack.extend(reversed(node.children))  # in reading order: prologues come before their use
        return Request(
            text,
            self.kind,
            tuple(services),
            tuple(operations),
            tuple(with_graphs),
            usings,
            tuple(sorted(writes)) if writes is not None else None,
            tuple(sorted(inserts, key=lambda put: (put[0] or "", put[1]))) if inserts is not None else None,
            depth,
            tree,
        )

    def targets(self, operation: Tree[Any]) -> set[str] | None:
        """The named graphs one update operation may write, or None when its text cannot say."""
        found: set[str] = set()
        name = operation.data
        children = [c for c in operation.children if not (isinstance(c, Token) and c.type == "SILENT")]
        if name in ("clear", "drop", "create", "load"):
            refs = [c for c in children if is_rule(c, "graph_ref_all", "graph_ref")]
            if not refs:  # LOAD without INTO: the default graph
                return None
            iri = self._graph(refs[0])
            return None if iri is None else {iri}
        if name in ("add", "move", "copy"):
            source, target = (self._graph(c) for c in children)
            if target is None or (name == "move" and source is None):
                return None
            return {target, source} if name == "move" and source else {target}
        with_graph = next((self.absolute(c.children[0]) for c in children if is_rule(c, "with_clause")), None)
        blocks = [c for c in children if is_rule(c, "quads_block")]
        blocks += [
            b for c in children if is_rule(c, "delete_clause", "insert_clause") for b in c.children if is_rule(b, "quads_block")
        ]
        for block in blocks:
            for part in block.children[0].children:  # the quads
                if is_rule(part, "triples_template"):  # outside GRAPH: WITH's graph, else the default graph
                    if with_graph is None:
                        return None
                    found.add(with_graph)
                elif is_rule(part, "quads_not_triples"):
                    iri = self.absolute(part.children[0])
                    if iri is None:
                        return None
                    found.add(iri)
        return found

    def inserted(self, operation: Tree[Any]) -> set[tuple[str | None, str]] | None:
        """The predicates one update operation may insert, each with the named graph it goes
        to (None: the default graph, or a graph the text cannot name), or None when its text
        cannot say."""
        name = operation.data
        if name in ("load", "add", "move", "copy"):
            return None
        if name not in ("insert_data", "modify"):
            return set()
        clauses = [c for c in operation.children if is_rule(c, "insert_clause")] if name == "modify" else [operation]
        with_graph = next((self.absolute(c.children[0]) for c in operation.children if is_rule(c, "with_clause")), None)
        found: set[tuple[str | None, str]] = set()
        for block in (b for c in clauses for b in c.children if is_rule(b, "quads_block")):
            for part in block.children[0].children:  # the quads
                inside = is_rule(part, "quads_not_triples")
                graph = self.absolute(part.children[0]) if inside else with_graph
                for properties in part.find_data("property_list_not_empty"):
                    for verb in properties.children[0::2]:  # verb, objects, verb, objects…
                        iri = RDF["type"] if isinstance(verb, Token) and verb.type == "A" else self.absolute(verb)
                        if iri is None:
                            return None
                        found.add((graph, iri))
        return found

    def _graph(self, node: Any) -> str | None:
        """The IRI of a ``graph_ref``, ``graph_ref_all`` or ``graph_or_default`` (None for
        ``DEFAULT``, ``NAMED``, ``ALL``)."""
        while isinstance(node, Tree) and node.data in ("graph_ref_all", "graph_ref", "graph_or_default"):
            inner = [c for c in node.children if isinstance(c, Tree)]
            if not inner:
                return None
            node = inner[0]
        return self.absolute(node)

    def absolute(self, node: Any) -> str | None:
        """The absolute IRI of an ``iri`` node (None for a variable, a relative IRI or an unknown prefix)."""
        if not isinstance(node, Tree) or node.data != "iri":
            return None
        token = node.children[0]
        if not isinstance(token, Token):  # pragma: no cover - the grammar gives iri one token
            return None
        if token.type == "IRIREF":
            iri = str(token)[1:-1]
        else:
            prefix, _, local = str(token).partition(":")
            if prefix not in self.prefixes:
                return None
            iri = self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
        return iri if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri) else None


def is_rule(node: Any, *names: str) -> bool:
    """Whether a node of the parse tree is one of the grammar's rules ``names``."""
    return isinstance(node, Tree) and node.data in names


_OPERATIONS = {
    "load",
    "clear",
    "drop",
    "create",
    "add",
    "move",
    "copy",
    "insert_data",
    "delete_data",
    "delete_where",
    "modify",
}
