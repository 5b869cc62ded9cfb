"""Reading pages in tests: the cells of tables and the attributes of elements, with the
standard library's HTML parser (what a browser would find, not text matching)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self._cell: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read(page: str) -> _Reader:
    reader = _Reader()
    reader.feed(page)
    return reader


def tables(page: str) -> list[list[list[str]]]:
    """Each table as its rows of cell texts (the header row first)."""
    return read(page).tables


def elements(page: str, tag: str, **having: str) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element that has the given attribute values (``class_`` for ``class``)."""
    wanted = {k.rstrip("_").replace("_", "-"): v for k, v in having.items()}
    return [attrs for name, attrs in read(page).elements if name == tag and all(attrs.get(k) == v for k, v in wanted.items())]
