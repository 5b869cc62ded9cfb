"""What the command line says when a store, as it opens, makes again what it keeps beside
its quads (:data:`isgraph.store.embedded.OnRemake`): its views, made by another version of
isgraph, or its views or text index, left behind by a write cut short. At 50,000 cases the
views take minutes: one line before, so that nobody takes the wait for a hang, and one
after with the time it took."""

from __future__ import annotations

import sys
from typing import TextIO

from isgraph.messages import Message

_BEFORE = {
    "views": Message(
        "isgraph : l'entrepôt refait ses vues (faites par une autre version d'isgraph, ou laissées en arrière "
        "par une écriture interrompue) ; sur un grand entrepôt, cela prend quelques minutes",
        "isgraph: the store makes its views again (made by another version of isgraph, or left behind by a "
        "write cut short); on a large store this takes minutes",
    ),
    "text": Message(
        "isgraph : l'entrepôt refait son index de texte (fait par une autre version d'isgraph, ou laissé en "
        "arrière par une écriture interrompue) ; sur un grand entrepôt, cela prend quelques minutes",
        "isgraph: the store makes its text index again (made by another version of isgraph, or left behind by "
        "a write cut short); on a large store this takes minutes",
    ),
}
_AFTER = {
    "views": Message("isgraph : vues refaites en {seconds} s", "isgraph: views made again in {seconds} s"),
    "text": Message("isgraph : index de texte refait en {seconds} s", "isgraph: text index made again in {seconds} s"),
}


class RemakeNews:
    """Called with what the store makes again, then with the seconds it took."""

    def __init__(self, lang: str, stream: TextIO | None = None) -> None:
        self.lang = lang
        self.stream = stream if stream is not None else sys.stderr

    def __call__(self, what: str, seconds: float | None) -> None:
        said = _BEFORE[what] if seconds is None else _AFTER[what]
        print(said.text(self.lang).format(seconds=f"{seconds or 0:.1f}"), file=self.stream, flush=True)
