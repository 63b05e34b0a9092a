"""Spans of a text, so that a long text is read in linear time.

`Taken`: the positions that spans already picked cover. The pickers that keep the best of overlapping
candidates (gazetteer `resolve`, `find_dates`) ask, for each candidate, whether it overlaps one kept
before: that costs the candidate's length, not the number of spans kept so far.

`pieces`: a text cut into pieces of bounded length, for what costs more than linear time in the length
of what it reads at once (natasha's NER, a sentence's lookups).
"""

from __future__ import annotations

from collections.abc import Iterator


class Taken:
    """Non-empty spans [start, end) marked on a map of the text's positions (grown as needed)."""

    def __init__(self, size: int = 0) -> None:
        self._map = bytearray(size)

    def first(self, start: int, end: int) -> int:
        """The first position of [start, end) a span taken covers, -1 if none does. When `start` itself
        is free, that is the start of the first span taken that overlaps [start, end)."""
        return self._map.find(1, start, end)

    def free(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps no span taken."""
        return self.first(start, end) == -1

    def take(self, start: int, end: int) -> None:
        if end > len(self._map):
            self._map.extend(bytes(max(end - len(self._map), len(self._map))))
        self._map[start:end] = b"\x01" * (end - start)


def pieces(text: str, limit: int, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive pieces of `text[start:end]` of at most `limit` characters, each cut
    after its last line break (else its last space; a piece without either is cut at `limit`)."""
    end = len(text) if end is None else end
    while end - start > limit:
        cut = text.rfind("\n", start, start + limit) + 1 or text.rfind(" ", start, start + limit) + 1 or start + limit
        yield start, cut
        start = cut
    yield start, end
