"""Ranks: integers that grow with the order of names, given apart so that a new name finds
one between its neighbours. A query sorts integers much faster than IRIs (at 50,000 cases in
memory, 166,000 rows: 0.5 s by one integer, 1.8 s by a count then two IRIs), so the views
place their cases by rank (:mod:`isgraph.store.views`) and an aggregate its rows
(:mod:`isgraph.store.aggregates`)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence

import pyoxigraph as ox

#: How far apart the cases' ranks are given.
GAP = 1 << 20


class NoRoom(Exception):
    """No rank is left between a name's two neighbours: every rank must be given again."""


class Ranks:
    """Names, each with a rank that grows with their order: the order of their text (as
    SPARQL orders IRIs), or of the key a function gives each (see :meth:`place`). Ranks are
    given ``gap`` apart, so that a new name finds one between its neighbours; when none is
    left, :meth:`place` raises :class:`NoRoom`."""

    def __init__(self, gap: int = GAP) -> None:
        self.gap = gap
        self._ranks: list[int] = []  # sorted
        self._name: dict[int, str] = {}  # by rank
        self._rank: dict[str, int] = {}  # by name

    @classmethod
    def given(cls, ranks: Mapping[str, int], gap: int = GAP) -> Ranks:
        """The ranks already given (read back from a store), sorted once."""
        made = cls(gap)
        made._rank = dict(ranks)
        made._name = {rank: name for name, rank in made._rank.items()}
        made._ranks = sorted(made._name)
        return made

    def keep(self, name: str, rank: int) -> None:
        """Give ``name`` the rank ``rank`` (which must keep the order)."""
        self.forget([name])
        bisect.insort(self._ranks, rank)
        self._name[rank] = name
        self._rank[name] = rank

    def forget(self, names: Iterable[str]) -> None:
        for name in names:
            rank = self._rank.pop(name, None)
            if rank is not None:
                del self._ranks[bisect.bisect_left(self._ranks, rank)]
                del self._name[rank]

    def append(self, name: str) -> None:
        """Rank ``name``, which comes after every ranked one."""
        self.keep(name, self.last() + self.gap)

    def place(self, name: str, rank: int | None = None, key_of: Callable[[str], str] | None = None) -> None:
        """Rank ``name`` (unless it has a rank): ``rank`` when it still lies between its
        neighbours', else the middle of theirs. The names are ordered by the key ``key_of``
        gives each (None: by their text), which a search for the neighbours asks of about
        log2(n) names alone (a key may be read from a store)."""
        if name in self._rank:
            return
        key = key_of or _itself
        at = bisect.bisect_left(self._ranks, key(name), key=lambda r: key(self._name[r]))
        low = self._ranks[at - 1] if at > 0 else 0
        high = self._ranks[at] if at < len(self._ranks) else None
        if rank is not None and low < rank and (high is None or rank < high):
            self.keep(name, rank)
        elif high is None:
            self.keep(name, low + self.gap)
        elif high - low >= 2:
            self.keep(name, (low + high) // 2)
        else:
            raise NoRoom(name)

    def of(self, name: str) -> int:
        return self._rank[name]

    def last(self) -> int:
        """The highest rank given (0 when none is)."""
        return self._ranks[-1] if self._ranks else 0

    def names(self) -> list[str]:
        """The names ranked, in their order."""
        return [self._name[rank] for rank in self._ranks]


def _itself(name: str) -> str:
    return name


def middle(select: Callable[[str], Sequence[Mapping[str, object]]], pattern: str) -> int | None:
    """The middle of the first and the last rank that ``pattern`` binds to ``?r`` (ranks given
    evenly: about the middle row), or None with fewer than two ranks. ``select`` answers a
    SELECT query with its rows."""
    found = select(f"SELECT (MIN(?r) AS ?first) (MAX(?r) AS ?last) WHERE {{ {pattern} }}")
    row = found[0] if found else {}
    first, last = row.get("first"), row.get("last")
    if not (isinstance(first, ox.Literal) and isinstance(last, ox.Literal)) or first.value == last.value:
        return None
    return (int(first.value) + int(last.value) + 1) // 2
