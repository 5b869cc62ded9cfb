"""What ``isgraph serve`` says while the store's replica loads into memory: a progress bar
(on a terminal) and, once loaded, one line with what it holds and how long it took."""

from __future__ import annotations

import sys
from typing import TextIO

from isgraph.messages import Message
from isgraph.progress import Progress
from isgraph.store.replica import ReplicaStatus


class ReplicaNews:
    """Called with each :class:`ReplicaStatus` the store process sends."""

    def __init__(self, lang: str, stream: TextIO | None = None) -> None:
        self.lang = lang
        self.stream = stream if stream is not None else sys.stderr
        self._bar: Progress | None = None

    def __call__(self, status: ReplicaStatus) -> None:
        if status.state == "loading":
            if self._bar is None:
                label = Message("isgraph serve : copie en mémoire", "isgraph serve: copy in memory").text(self.lang)
                self._bar = Progress(status.graphs_total, label, stream=self.stream).__enter__()
            self._bar.advance(status.graphs_done - self._bar.done)
        elif status.state == "ready":
            if self._bar is not None:
                self._bar.advance(status.graphs_done - self._bar.done)
                self._bar.__exit__(None, None, None)
                self._bar = None
            text = Message(
                f"isgraph serve : entrepôt en mémoire ({status.quads} quads, {status.graphs_total} graphes) "
                f"en {status.seconds:.1f} s ; les lectures y sont répondues",
                f"isgraph serve: store in memory ({status.quads} quads, {status.graphs_total} graphs) "
                f"in {status.seconds:.1f} s; reads are answered from it",
            )
            print(text.text(self.lang), file=self.stream, flush=True)
