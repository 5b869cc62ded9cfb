"""One family of errors. Each carries a bilingual message that says what went
wrong and where; the command line maps each kind to an exit code.

>>> err = InputError(Message("fichier illisible", "unreadable file"), path="x.ttl", line=3)
>>> err.render("en")
'unreadable file (x.ttl, line 3)'
"""

from __future__ import annotations

from pathlib import Path

from isgraph.messages import Message


class IsgraphError(Exception):
    """Base of every error isgraph reports to a user."""

    exit_code = 2

    def __init__(
        self, message: Message, *, path: str | Path | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message.en)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column

    def location(self, lang: str) -> str:
        if self.path is None:
            return ""
        parts = [self.path]
        if self.line is not None:
            parts.append(("ligne " if lang == "fr" else "line ") + str(self.line))
        if self.column is not None:
            parts.append(("colonne " if lang == "fr" else "column ") + str(self.column))
        return ", ".join(parts)

    def render(self, lang: str) -> str:
        """One line: the message, then where."""
        where = self.location(lang)
        text = self.message.text(lang)
        return f"{text} ({where})" if where else text


class InputError(IsgraphError):
    """A file, directory or argument could not be read or is not what it must be."""

    exit_code = 2


class InputErrors(InputError):
    """Several problems found in one or more inputs at once (every unknown key, wrong type,
    repeated element of a form; every unreadable file): the first gives the message and the
    place, all are in ``errors``."""

    def __init__(self, errors: list[InputError]) -> None:
        first = errors[0]
        super().__init__(first.message, path=first.path, line=first.line, column=first.column)
        self.errors = list(errors)

    def render(self, lang: str) -> str:
        more = len(self.errors) - 1
        if not more:
            return super().render(lang)
        return super().render(lang) + (f" ; et {more} autre(s) problème(s)" if lang == "fr" else f"; and {more} more problem(s)")


class StoreError(IsgraphError):
    """The store could not be opened, read or written."""

    exit_code = 2


class ReasonerUnavailable(IsgraphError):
    """The OWL reasoner cannot run (no Java runtime)."""

    exit_code = 2


class InvalidDataError(IsgraphError):
    """Case descriptions have SHACL violations."""

    exit_code = 1


class InconsistentError(IsgraphError):
    """The ontology with the data is inconsistent or has unsatisfiable classes."""

    exit_code = 1
