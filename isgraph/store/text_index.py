"""The full-text index of a store: its statements, labels and descriptions, searched by word.

The texts of :data:`PROPERTIES` in every named graph are kept in SQLite (the standard
library's ``sqlite3``, with its FTS5 full-text engine) beside the store: each text with its
words folded (lower case, no accents: :func:`isgraph.text.fold`) and the stems of its
words in its language (Snowball's French or English stemmer; both for a text without a
language tag). A search finds the texts that hold every word asked: the word, or one of its
stems, at the start of a word of the text or of that word's stem. ``sante`` finds « santé »
and « Santé publique », ``santés`` finds « santé » (and « Santiago »: a stem is a beginning),
``cooperatives`` finds « coopérative », ``happy`` finds "happiness". A server without the
index is asked the same with a regular expression, which sees the words but not their stems
(:func:`isgraph.query.catalogue.search_filter`): only a stem that is not the beginning of its
word ("happi") is missed there.

The index follows the store: each write names the graphs it changes and those graphs are
indexed again (:meth:`TextIndex.reindex`); a write whose graphs are not known (a bulk load,
an update with ``GRAPH ?g``) indexes everything again (:meth:`TextIndex.rebuild`). Before a
write the index is marked stale, and marked fresh in the transaction that indexes it
again: a store reopened after a crash between the two is indexed again whole, so a search
never answers from a stale index.

Why SQLite FTS5 rather than tantivy: it ships with Python (no binary wheel to trust), it
writes in transactions (the stale mark and the new entries commit together), and a
deletion by graph is one indexed ``DELETE``; its tokenizer folds accents
(``remove_diacritics``) and the stems it lacks come from Snowball, which also gives
tantivy its stemmers.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from isgraph.namespaces import DCTERMS, ISG, RDFS, SCHEMA, SKOS
from isgraph.store.base import STAGING, UNFINISHED
from isgraph.text import stemmed_words, words

DC = "http://purl.org/dc/elements/1.1/"
#: The properties whose texts are indexed.
PROPERTIES = (
    ISG["statement"],
    ISG["sourceWording"],
    RDFS["label"],
    RDFS["comment"],
    SKOS["prefLabel"],
    SKOS["altLabel"],
    SKOS["hiddenLabel"],
    SKOS["definition"],
    SKOS["scopeNote"],
    SKOS["note"],
    DCTERMS["title"],
    DCTERMS["description"],
    DC + "title",
    DC + "description",
    SCHEMA["name"],
    SCHEMA["description"],
)
#: How the index reads texts: an index made another way is made again when the store opens.
VERSION = "2"
#: Where an on-disk store keeps its index (a folder of the store's own, which RocksDB leaves alone).
FOLDER = "isgraph-text"
_TABLES = (
    "CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY, graph TEXT NOT NULL,"
    " property TEXT NOT NULL, term TEXT NOT NULL, words TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(words, content='entries', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
#: Made after a rebuild's bulk insertion (which they would slow down): the FTS5 table follows
#: the entries, and the entries of a graph are found at once.
_FOLLOWERS = (
    "CREATE INDEX IF NOT EXISTS entries_graph ON entries (graph)",
    "CREATE TRIGGER IF NOT EXISTS entries_in AFTER INSERT ON entries BEGIN"
    " INSERT INTO search (rowid, words) VALUES (new.id, new.words); END",
    "CREATE TRIGGER IF NOT EXISTS entries_out AFTER DELETE ON entries BEGIN"
    " INSERT INTO search (search, rowid, words) VALUES ('delete', old.id, old.words); END",
)


class TextIndex:
    """The full-text index of one store, in the file ``path`` (None: in memory)."""

    def __init__(self, path: Path | None = None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(":memory:" if path is None else str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            if path is not None:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
            for statement in (*_TABLES, *_FOLLOWERS):
                self._db.execute(statement)

    # --- freshness ------------------------------------------------------------------------
    @property
    def fresh(self) -> bool:
        """Whether the index was built (the way this version reads texts) and no write began
        since without indexing its graphs."""
        state = dict(self._db.execute("SELECT key, value FROM state").fetchall())
        return state.get("state") == "fresh" and state.get("version") == VERSION

    def mark_stale(self) -> None:
        """Said before a write to the store: a crash before it is indexed leaves the index stale."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO state VALUES ('state', 'stale')")

    # --- writing --------------------------------------------------------------------------
    def rebuild(self, store: ox.Store) -> None:
        """Index every named graph of ``store`` again."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                for table in ("search", "entries"):
                    self._db.execute(f"DROP TABLE {table}")  # its index and triggers with it
                for statement in _TABLES:
                    self._db.execute(statement)
                self._insert(_texts(store, None))
                self._db.execute("INSERT INTO search (search) VALUES ('rebuild')")
                self._db.execute("INSERT OR REPLACE INTO state VALUES ('version', ?)", (VERSION,))
                for statement in _FOLLOWERS:
                    self._db.execute(statement)
                self._db.execute("INSERT OR REPLACE INTO state VALUES ('state', 'fresh')")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def reindex(self, store: ox.Store, graphs: Iterable[str]) -> None:
        """Index the named graphs ``graphs`` of ``store`` again (a graph it lacks leaves the index)."""
        graphs = sorted(set(graphs))
        with self._lock:
            self._db.execute("BEGIN")
            try:
                for graph in graphs:
                    self._db.execute("DELETE FROM entries WHERE graph = ?", (graph,))
                self._insert(_texts(store, graphs))
                self._db.execute("INSERT OR REPLACE INTO state VALUES ('state', 'fresh')")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _insert(self, texts: Iterator[tuple[str, str, ox.Literal]]) -> None:
        self._db.executemany(
            "INSERT INTO entries (graph, property, term, words) VALUES (?, ?, ?, ?)",
            ((graph, prop, str(text), indexed_words(text)) for graph, prop, text in texts),
        )

    # --- reading --------------------------------------------------------------------------
    def search(self, text: str, properties: Sequence[str], limit: int) -> list[str] | None:
        """The texts (SPARQL terms, each once) of ``properties`` that hold every word of
        ``text`` (see the module's description), at most ``limit`` of them plus one (so that
        the caller can tell there were more); None when ``text`` has no word."""
        expression = match_expression(text)
        if expression is None:
            return None
        marks = ", ".join("?" for _ in properties)
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT e.term FROM search JOIN entries e ON e.id = search.rowid "
                f"WHERE search MATCH ? AND e.property IN ({marks}) LIMIT ?",
                (expression, *properties, limit + 1),
            ).fetchall()
        return sorted(row[0] for row in rows)

    def count(self) -> int:
        """How many texts are indexed."""
        return int(self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def indexed_words(text: ox.Literal) -> str:
    """What the index holds for a text: its folded words, then their stems in its language."""
    language = text.language[:2] if text.language else None
    found = stemmed_words(text.value, (language,) if language in ("fr", "en") else ("fr", "en"))
    extra = {stem for word_stems in found.values() for stem in word_stems} - set(found)
    return " ".join([*words(text.value), *sorted(extra)])


def match_expression(text: str) -> str | None:
    """The FTS5 query for ``text``: every word, it or one of its stems at the start of a
    word of the text or of a stem of one. None when ``text`` has no word.

    >>> match_expression("Santés publiques")
    '("santes"* OR "sant"* OR "sante"*) AND ("publiques"* OR "publiqu"*)'
    """
    found = stemmed_words(text)
    if not found:
        return None
    return " AND ".join("(" + " OR ".join(f'"{form}"*' for form in (word, *found[word])) + ")" for word in found)


def _texts(store: ox.Store, graphs: Sequence[str] | None) -> Iterator[tuple[str, str, ox.Literal]]:
    """(graph, property, text) for every text of :data:`PROPERTIES` in ``graphs``
    (None: every named graph but the store's own staging and marker graphs)."""
    names: Sequence[ox.NamedNode | None] = [None] if graphs is None else [ox.NamedNode(g) for g in graphs]
    for name in names:
        for prop in PROPERTIES:
            for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None, name):
                graph = quad.graph_name
                if not isinstance(quad.object, ox.Literal) or not isinstance(graph, ox.NamedNode):
                    continue
                if graph.value.startswith((STAGING, UNFINISHED)):
                    continue
                yield graph.value, prop, quad.object
