"""YAML (or JSON) read with the line of every field, safely: PyYAML's composer (libyaml's
where the wheel has it) gives each node's line, its safe loader runs no code, and
aliases are refused (they can expand a few hundred bytes into gigabytes).

Case forms, query headers, quality checks and sources files are all read so, and their
errors name the file, the line and the field.

>>> doc = YamlDocument("title: {fr: Bonjour, en: Hello}\\nextra: 1\\n", "x.yaml")
>>> doc.bilingual(doc.data, "title")
Message(fr='Bonjour', en='Hello')
>>> doc.refuse_unknown(doc.data, {"title"}, ())
Traceback (most recent call last):
...
isgraph.errors.InputError: unknown key "extra" (allowed keys: title) (field "extra")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.rdf.limits import MAX_DEPTH

#: What an empty document is called in its error, unless the reader says otherwise.
EMPTY = Message("document vide", "empty document")


class Number(str):
    """A number as written in the form (kept as text so that 12.50 stays exact)."""


#: libyaml's safe loader when PyYAML has it (20 times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlDocument:
    """One YAML (or JSON) document read as plain data, with the line of every field.

    ``data`` holds the document (dicts, lists, texts, :class:`Number`, booleans, None);
    ``lines`` maps each field's path (a tuple of keys and list positions) to its line;
    :meth:`error` makes an :class:`InputError` that names the field and its line.
    """

    def __init__(self, text: str, shown_as: str, syntax: str = "YAML", *, empty: Message = EMPTY) -> None:
        self.shown_as = shown_as
        self.syntax = syntax
        self.lines: dict[tuple[Any, ...], int] = {}
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = (exc.problem or "").strip()
            raise InputError(
                Message(f"{syntax} illisible : {problem}", f"unreadable {syntax}: {problem}"),
                path=shown_as,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            ) from None
        except RecursionError:
            raise self._too_deep(()) from None
        except yaml.YAMLError as exc:
            raise InputError(Message(f"{syntax} illisible : {exc}", f"unreadable {syntax}: {exc}"), path=shown_as) from None
        if root is None:
            raise InputError(empty, path=shown_as)
        self._seen: set[int] = set()
        self.data = self._plain(root, ())

    def error(self, where: tuple[Any, ...], fr: str, en: str) -> InputError:
        field = "".join(f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(where)) or "(racine)"
        return InputError(
            Message(f"{fr} (champ « {field} »)", f'{en} (field "{field}")'), path=self.shown_as, line=self.lines.get(where)
        )

    def _plain(self, node: yaml.Node, where: tuple[Any, ...]) -> Any:
        # an alias (*name) makes the same node appear twice: refused, so that no
        # document can expand into more than it spells out (billion laughs)
        if id(node) in self._seen:
            raise InputError(
                Message(
                    f"{self.syntax} illisible : les alias YAML (*nom) ne sont pas acceptés",
                    f"unreadable {self.syntax}: YAML aliases (*name) are not accepted",
                ),
                path=self.shown_as,
                line=self.lines.get(where),
            )
        self._seen.add(id(node))
        if len(where) > MAX_DEPTH:
            raise self._too_deep(where)
        self.lines.setdefault(where, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise InputError(
                        Message("clé qui n'est pas un texte", "key that is not text"),
                        path=self.shown_as,
                        line=key_node.start_mark.line + 1,
                    )
                key = key_node.value
                self.lines[(*where, key)] = key_node.start_mark.line + 1
                if key in out:
                    raise self.error((*where, key), f"clé « {key} » répétée", f'repeated key "{key}"')
                out[key] = self._plain(value_node, (*where, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._plain(item, (*where, i)) for i, item in enumerate(node.value)]
        tag = node.tag.rsplit(":", 1)[-1]
        if tag == "bool":
            return node.value.lower() in ("true", "yes", "on", "y")
        if tag == "null":
            return None
        if tag in ("int", "float"):
            return Number(node.value)
        return node.value

    def _too_deep(self, where: tuple[Any, ...]) -> InputError:
        return InputError(
            Message(
                f"document imbriqué sur plus de {MAX_DEPTH} niveaux : refusé",
                f"document nested more than {MAX_DEPTH} levels deep: refused",
            ),
            path=self.shown_as,
            line=self.lines.get(where),
        )

    def bilingual(self, data: dict[str, Any], key: str) -> Message:
        """The French and English texts of ``data[key]`` (``{fr: …, en: …}``), both required."""
        value = data.get(key)
        if not (isinstance(value, dict) and set(value) == {"fr", "en"} and all(isinstance(v, str) and v for v in value.values())):
            raise self.error(
                (key,), "texte français et anglais attendus ({fr: …, en: …})", "French and English text expected ({fr: …, en: …})"
            )
        return Message(value["fr"], value["en"])

    def refuse_unknown(self, data: dict[str, Any], allowed: set[str], where: tuple[Any, ...]) -> None:
        """Refuse a key of ``data`` (at ``where``) that is not in ``allowed``."""
        for key in data:
            if key not in allowed:
                raise self.error(
                    (*where, key),
                    f"clé inconnue « {key} » (clés permises : {', '.join(sorted(allowed))})",
                    f'unknown key "{key}" (allowed keys: {", ".join(sorted(allowed))})',
                )


def read_header(path: Path, shown_as: str) -> tuple[dict[str, Any], YamlDocument, str]:
    """The YAML of a file's ``#+`` header (the grlc convention of the query catalogue) (with the lines of its fields), and the rest of the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Message(f"fichier illisible : {exc}", f"unreadable file: {exc}"), path=shown_as) from None
    lines = text.splitlines()
    header = []
    for line in lines:
        if not line.startswith("#+"):
            break
        header.append(line[3:] if line.startswith("#+ ") else line[2:])
    if not header:
        raise InputError(Message("en-tête #+ manquant", "missing #+ header"), path=shown_as, line=1)
    try:
        reader = YamlDocument("\n".join(header) + "\n", shown_as, empty=Message("en-tête #+ vide", "empty #+ header"))
    except InputError as exc:
        if exc.column is not None:  # a column of the file, "#+ " included
            exc.column += len("#+ ")
        raise
    if not isinstance(reader.data, dict):
        raise InputError(
            Message("l'en-tête #+ doit être un ensemble de clés", "the #+ header must be a set of keys"), path=shown_as, line=1
        )
    return reader.data, reader, "\n".join(lines[len(header) :]) + "\n"
